// Hazard units and risk points at the service level: the GB 18218-2018 identification stored on save and summed on
// the enterprise ("重大危险源 N 个, 最高 X 级"), the register by grade, refusals naming the inventory line; LEC and LS
// at their colour boundaries, values outside the method's tables refused, and a change of the thresholds setting
// re-colouring stored scores on the next read (also the counts and the enterprise's colour).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from '../../../contracts/credit-code.ts';
import { DEFAULT_RISK_GRADING, type RiskPointInput, riskColourOf } from '../../../contracts/safety.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as ent from './enterprises.service.ts';
import * as gs from './grading.service.ts';
import * as hz from './hazards.service.ts';
import type { SafetyInternal } from './module.ts';
import * as rp from './risk-points.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

let t: TestPlatform;
let deps: SafetyDeps;
let city: RequestCtx;
let wendeng: RequestCtx;
let entId: string;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<SafetyInternal>('safety').deps;
  city = await ctxAs(t.platform, 'commander', 'yjj', 'department');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  const e = await ent.createEnterprise(deps, city, {
    name: '威海示例化工有限公司',
    creditCode: withCheckChar('91371002MA3D00001'),
    industry: 'chemical',
    highRiskCategory: 'hazardous_chemicals',
    park: '威海示例化工园区',
    location: { type: 'Point', coordinates: [122.116, 37.507] },
  });
  entId = e.id;
});
afterAll(() => t.stop());

describe('hazard units (GB 18218-2018)', () => {
  it('stores the identification on save and sums major hazards on the enterprise', async () => {
    // 氯 125 t (Q 5, β 4), 10 people: S = 25, R = 1 × 4 × 25 = 100 → grade 1
    const a = await hz.createHazardUnit(deps, city, entId, {
      name: '液氯储罐区',
      kind: 'storage',
      inventories: [{ name: '液氯', quantityT: 125 }],
      exposedPopulation: 10,
    });
    expect(a.identification).toMatchObject({ S: 25, isMajorHazard: true, alpha: 1, R: 100, grade: 1 });
    expect(a.identification.lines[0]).toMatchObject({ name: '氯', criticalT: 5, beta: 4, betaSource: 'table3' });
    const b = await hz.createHazardUnit(deps, city, entId, {
      name: '甲醇罐区',
      kind: 'storage',
      inventories: [{ name: '甲醇', category: 'W5.2', quantityT: 100 }],
      exposedPopulation: 0,
    });
    expect(b.identification).toMatchObject({ isMajorHazard: false, R: null, grade: null });
    expect((await ent.getEnterprise(deps, city, entId)).majorHazards).toEqual({ count: 1, highestGrade: 1 });
    // the design maximum raised: now a major hazard of grade 4 (α 0.5, β 1: R = 0.5 × 1.2 = 0.6)
    const b2 = await hz.updateHazardUnit(deps, city, entId, b.id, {
      version: b.version,
      inventories: [{ name: '甲醇', category: 'W5.2', quantityT: 600 }],
    });
    expect(b2.identification).toMatchObject({ S: 1.2, isMajorHazard: true, R: 0.6, grade: 4 });
    const reg = await hz.listMajorHazards(deps, city, { grade: 1 });
    expect(reg.items.map((u) => u.name)).toEqual(['液氯储罐区']);
    expect((await hz.listMajorHazards(deps, city, {})).total).toBe(2);
    expect((await hz.listMajorHazards(deps, wendeng, {})).total).toBe(0);
    expect((await ent.listEnterprises(deps, city, { majorHazard: true })).items.map((e) => e.id)).toEqual([entId]);
  });

  it('refuses an unknown substance without its category, naming the inventory line', async () => {
    const r = await refusal(
      hz.createHazardUnit(deps, city, entId, {
        name: 'x',
        kind: 'production',
        inventories: [
          { name: '氨', quantityT: 1 },
          { name: '示例中间体', quantityT: 3 },
        ],
        exposedPopulation: 0,
      }),
    );
    expect(r).toMatchObject({ code: 'VALIDATION', status: 400, field: 'inventories.1.category' });
    expect(
      await refusal(
        Promise.resolve().then(() =>
          hz.identifyRequest(city, {
            substances: [{ name: '硝酸铵', category: 'W9.1', quantityT: 1 }],
            exposedPopulation: 0,
          }),
        ),
      ),
    ).toMatchObject({ status: 400, field: 'substances.0.name' });
  });
});

function lec(l: number, e: number, c: number, name = `LEC ${l}×${e}×${c}`): RiskPointInput {
  return { name, method: 'LEC', l, e, c };
}
function ls(l: number, s: number): RiskPointInput {
  return { name: `LS ${l}×${s}`, method: 'LS', l, s };
}

describe('risk points', () => {
  it('colours LEC and LS at their boundaries by the default rule', async () => {
    const g = DEFAULT_RISK_GRADING;
    expect(['LEC', 70, 70.5, 160, 160.5, 320, 320.5].slice(1).map((d) => riskColourOf('LEC', d as number, g))).toEqual([
      'blue',
      'yellow',
      'yellow',
      'orange',
      'orange',
      'red',
    ]);
    // 0.1 × 3 × … style products land on their exact side
    expect(riskColourOf('LEC', 0.1 * 700.0000000000001, g)).toBe('blue');
    const cases: [RiskPointInput, number, string][] = [
      [lec(10, 1, 7), 70, 'blue'],
      [lec(0.5, 10, 15), 75, 'yellow'],
      [lec(6, 6, 7), 252, 'orange'],
      [lec(10, 6, 7), 420, 'red'],
      [ls(2, 4), 8, 'blue'],
      [ls(3, 3), 9, 'yellow'],
      [ls(3, 4), 12, 'yellow'],
      [ls(3, 5), 15, 'orange'],
      [ls(4, 4), 16, 'orange'],
      [ls(4, 5), 20, 'red'],
    ];
    for (const [input, score, colour] of cases) {
      const p = await rp.createRiskPoint(deps, city, entId, input);
      expect([input.name, p.score, p.colour]).toEqual([input.name, score, colour]);
    }
    const counts = await rp.riskCounts(deps, city, {});
    expect(counts).toMatchObject({ red: 2, orange: 3, yellow: 3, blue: 2 });
    expect(counts.rule).toContain('山东');
    expect((await ent.getEnterprise(deps, city, entId)).riskColour).toBe('red');
    expect((await rp.listRiskPoints(deps, city, { colour: 'orange' })).items.map((p) => p.score).sort()).toEqual([
      15, 16, 252,
    ]);
  });

  it('refuses values outside the method tables', async () => {
    expect(await refusal(rp.createRiskPoint(deps, city, entId, lec(10, 7, 1)))).toMatchObject({ field: 'e' });
    expect(await refusal(rp.createRiskPoint(deps, city, entId, lec(10, 1, 16)))).toMatchObject({ field: 'c' });
    expect(await refusal(rp.createRiskPoint(deps, city, entId, ls(6, 1)))).toMatchObject({ field: 'l' });
    expect(await refusal(rp.createRiskPoint(deps, city, entId, ls(2.5, 1)))).toMatchObject({ field: 'l' });
    expect(await refusal(rp.createRiskPoint(deps, city, entId, { name: 'x', method: 'LS', l: 2 }))).toMatchObject({
      field: 's',
    });
  });

  it('re-colours stored scores when the thresholds change (version-checked, monotonic)', async () => {
    const before = await gs.getGrading(deps, city);
    expect(before).toMatchObject({ version: 0, changed: false });
    const stricter = {
      ...DEFAULT_RISK_GRADING,
      lec: { red: 240, orange: 160, yellow: 60 },
      ls: { red: 16, orange: 12, yellow: 8 },
      ruleName: '测试规则',
      ruleNameEn: 'Test rule',
    };
    expect(
      await refusal(
        gs.putGrading(deps, city, { version: 0, value: { ...stricter, ls: { red: 12, orange: 12, yellow: 8 } } }),
      ),
    ).toMatchObject({ code: 'VALIDATION', field: 'value.ls.red' });
    const dept = await ctxAs(t.platform, 'department_staff', 'yjj', 'department');
    expect(await refusal(gs.putGrading(deps, dept, { version: 0, value: stricter }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const after = await gs.putGrading(deps, city, { version: 0, value: stricter });
    expect(after).toMatchObject({ changed: true, value: { ruleName: '测试规则' } });
    expect(await refusal(gs.putGrading(deps, city, { version: 0, value: stricter }))).toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    const points = await rp.listEnterpriseRiskPoints(deps, city, entId);
    const colour = (score: number, method: string) =>
      points.find((p) => p.score === score && p.method === method)?.colour;
    expect([colour(70, 'LEC'), colour(252, 'LEC'), colour(8, 'LS'), colour(12, 'LS'), colour(16, 'LS')]).toEqual([
      'yellow',
      'red',
      'yellow',
      'orange',
      'red',
    ]);
    expect((await rp.riskCounts(deps, city, {})).rule).toBe('测试规则');
  });
});
