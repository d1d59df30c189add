// Norms, gaps, procurement and dispatch orders (part C) at the service level: the default norms are assumptions and a
// save is checked field by field; the gap of a known small case; the procurement's quantities and cost; a plan's
// orders made once; loading issues the stock, and a short line refuses the whole loading; the state rules; a
// delivery updates the plan's progress; a late order raises one alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Norms, NormsInput } from '../../../contracts/logistics.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { computeGaps, type Holding, procurementOf } from './gaps.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import type { LogisticsInternal } from './module.ts';
import * as norms from './norms.service.ts';

let t: TestPlatform;
let deps: LogisticsDeps;
let staff: RequestCtx;
let viewer: RequestCtx;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<LogisticsInternal>('logistics').deps;
  staff = await seededCtx(t.platform, 'department_staff');
  viewer = await seededCtx(t.platform, 'viewer');
});
afterAll(async () => {
  await t?.stop();
});

const small: Norms = {
  relief: [{ itemCode: '1100401', perPersonPerDay: 6, basis: '测试', assumption: true }],
  reserve: [
    { itemCode: '1120100', tier: 'city', perThousand: 2, basis: '测试', assumption: true },
    { itemCode: '1120100', tier: 'district', perThousand: 1, basis: '测试', assumption: true },
    { itemCode: '1110203', tier: 'district', perThousand: 5, basis: '测试', assumption: true },
  ],
  population: [
    { districtCode: '371000', people: 30_000, basis: '测试' },
    { districtCode: '371002', people: 10_000, basis: '测试' },
    { districtCode: '371003', people: 20_500, basis: '测试' },
  ],
};

describe('norms', () => {
  it('the defaults are assumptions, say that the national quantities are not verified, and count the census', async () => {
    const n = await norms.normsSettings(deps, viewer);
    expect(n.defaults).toBe(true);
    expect(n.version).toBe(0);
    expect(n.relief.map((r) => r.itemCode)).toEqual(
      expect.arrayContaining(['1100401', '1100105', '1110203', '1110101', '1120100', '1130501']),
    );
    for (const r of [...n.relief, ...n.reserve]) {
      expect(r.assumption).toBe(true);
      expect(r.basis).toContain('未核实');
    }
    expect(n.relief.find((r) => r.itemCode === '1120100')).toMatchObject({ once: true, perPersonPerDay: 0.2 });
    expect(n.reserve.filter((r) => r.itemCode === '1120100').map((r) => r.tier)).toEqual(['city', 'district', 'town']);
    const city = n.population.find((p) => p.districtCode === '371000');
    expect(city?.people).toBe(2_906_548);
    const districts = n.population.filter((p) => p.districtCode !== '371000');
    expect(districts.map((p) => p.districtCode)).toEqual(
      expect.arrayContaining(['371002', '371003', '371082', '371083', 'gaoqu', 'jingqu', 'lingang', 'nanhai']),
    );
    expect(districts.reduce((s, p) => s + p.people, 0)).toBe(2_906_548);
    for (const p of districts) expect(p.basis).toContain('约数');
    // what part B reads
    expect((await norms.getNorms(deps)).relief).toEqual(n.relief);
  });

  it('a save is checked field by field, needs supplies.manage and the version read', async () => {
    const input = (over: Partial<NormsInput>): NormsInput => ({ ...small, ...over });
    expect(await refusal(norms.putNorms(deps, viewer, input({})))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ relief: [...small.relief, { ...small.relief[0]!, perPersonPerDay: 3 }] })),
        'en',
      ),
    ).toMatchObject({ code: 'NORM_DUPLICATE', status: 400, field: 'relief.1.itemCode' });
    expect(
      await refusal(norms.putNorms(deps, staff, input({ relief: [{ ...small.relief[0]!, perPersonPerDay: -1 }] }))),
    ).toMatchObject({ code: 'VALIDATION', field: 'relief.0.perPersonPerDay' });
    expect(
      await refusal(norms.putNorms(deps, staff, input({ reserve: [{ ...small.reserve[0]!, itemCode: '1999999' }] }))),
    ).toMatchObject({ code: 'NORM_UNKNOWN_ITEM', field: 'reserve.0.itemCode' });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ reserve: [...small.reserve, { ...small.reserve[1]!, perThousand: 9 }] })),
      ),
    ).toMatchObject({ code: 'NORM_DUPLICATE', field: 'reserve.3.tier' });
    expect(
      await refusal(
        norms.putNorms(deps, staff, input({ relief: [{ ...small.relief[0]!, assumption: false, basis: ' ' }] })),
        'zh',
      ),
    ).toMatchObject({
      code: 'NORM_BASIS_REQUIRED',
      field: 'relief.0.basis',
      message: expect.stringContaining('依据'),
    });
    const unknown = await refusal(
      norms.putNorms(deps, staff, input({ population: [{ districtCode: 'wjw', people: 5, basis: '' }] })),
      'en',
    );
    expect(unknown).toMatchObject({ code: 'NORM_UNKNOWN_DISTRICT', field: 'population.0.districtCode' });
    expect(unknown.message).toContain('wjw');

    const saved = await norms.putNorms(deps, staff, input({ version: 0 }));
    expect(saved).toMatchObject({ defaults: false, version: expect.any(Number) });
    expect(await norms.getNorms(deps)).toEqual(small);
    expect(await refusal(norms.putNorms(deps, staff, input({ version: saved.version - 1 })))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    const audit = await deps.db.kysely
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'logistics.norms_changed')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('gaps and procurement (rules)', () => {
  const areas = {
    cityCode: '371000',
    name: (c: string) => ({ '371000': '威海市', '371002': '环翠区', '371003': '文登区' })[c] ?? c,
    kind: (c: string) => (c === '371000' ? 'city' : 'district'),
  };
  const item = (code: string) => ({ name: code, unit: '件', unitPriceYuan: code === '1120100' ? 1500 : null });

  it('a known small case: the city tier against every city warehouse, a district tier against its own', () => {
    const held: Holding[] = [
      // city tier stock in two districts counts for the city
      { districtCode: '371002', tier: 'city', itemCode: '1120100', stock: 40, committed: 0, expiringWithinYear: 0 },
      { districtCode: '371003', tier: 'city', itemCode: '1120100', stock: 10, committed: 5, expiringWithinYear: 0 },
      { districtCode: '371002', tier: 'district', itemCode: '1120100', stock: 4, committed: 0, expiringWithinYear: 0 },
      {
        districtCode: '371003',
        tier: 'district',
        itemCode: '1110203',
        stock: 120,
        committed: 0,
        expiringWithinYear: 30,
      },
      // a town warehouse: no town norm, listed with nothing required
      { districtCode: '371003', tier: 'town', itemCode: '1110203', stock: 7, committed: 0, expiringWithinYear: 7 },
    ];
    const lines = computeGaps(small, held, item, areas);
    const line = (d: string, tier: string, code: string) =>
      lines.find((l) => l.districtCode === d && l.tier === tier && l.itemCode === code);
    // 30,000 × 2 / 1000 = 60 required, 55 held
    expect(line('371000', 'city', '1120100')).toMatchObject({ required: 60, stock: 50, committed: 5, gap: 5 });
    expect(line('371000', 'city', '1120100')?.ratio).toBeCloseTo(55 / 60, 3);
    // 10,000 × 1 / 1000 = 10, 4 held; 20,500 × 1 / 1000 = 20.5 → 21, none held
    expect(line('371002', 'district', '1120100')).toMatchObject({ required: 10, stock: 4, gap: 6 });
    expect(line('371003', 'district', '1120100')).toMatchObject({ required: 21, stock: 0, gap: 21, ratio: 0 });
    // 20,500 × 5 / 1000 = 102.5 → 103, 120 held: no gap
    expect(line('371003', 'district', '1110203')).toMatchObject({ required: 103, stock: 120, gap: 0 });
    expect(line('371002', 'district', '1110203')).toMatchObject({ required: 50, gap: 50 });
    expect(line('371003', 'town', '1110203')).toMatchObject({ required: 0, stock: 7, gap: 0, ratio: null });
    expect(lines.map((l) => l.tier)).toEqual(['city', 'district', 'district', 'district', 'district', 'town']);

    const proposal = procurementOf(lines, item);
    const tents = proposal.find((p) => p.itemCode === '1120100')!;
    expect(tents).toMatchObject({ quantity: 5 + 6 + 21, rotation: 0, unitPriceYuan: 1500, costYuan: 32 * 1500 });
    expect(tents.to).toEqual([
      { districtCode: '371000', tier: 'city', quantity: 5 },
      { districtCode: '371002', tier: 'district', quantity: 6 },
      { districtCode: '371003', tier: 'district', quantity: 21 },
    ]);
    // quilts: Wendeng holds 120 of 103 but 30 expire: 103 − 90 = 13 to rotate; Huancui's gap 50; the town's 7 like
    // for like
    const quilts = proposal.find((p) => p.itemCode === '1110203')!;
    expect(quilts).toMatchObject({ quantity: 50 + 13 + 7, rotation: 13 + 7, unitPriceYuan: null, costYuan: null });
  });
});
