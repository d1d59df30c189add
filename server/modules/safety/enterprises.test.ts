// Enterprises at the service level: the credit code's GB 32100-2015 check character (real published codes and mutated
// ones), duplicates, the enterprise's own unit and scope (an enterprise user sees and edits only its own, never its
// credit code or district; district staff their district's), contacts masked, and the door other modules use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditCode, withCheckChar as makeCode } from '../../../contracts/credit-code.ts';
import type { EnterpriseInput } from '../../../contracts/safety.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as svc from './enterprises.service.ts';
import type { SafetyApi } from './index.ts';
import type { SafetyInternal } from './module.ts';
import type { SafetyDeps } from './safety.deps.ts';

let t: TestPlatform;
let deps: SafetyDeps;
let city: RequestCtx;
let huancui: RequestCtx;
let wendeng: RequestCtx;

const HUANCUI = [122.116, 37.507];
const WENDENG = [122.054, 37.196];

/**
 * Real codes as published in public code: 02020/vite learn/utils/validateSocialCreditCode.js (its list of Xiamen
 * companies' codes; it whitelists 91350203M0001QAY9B, which fails the check) and checked the same way by hutool's
 * CreditCodeUtil (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28).
 */
const REAL = [
  '91350200776049653A',
  '91350500798359476R',
  '91350503MA31DKY80A',
  '91440101MA5CJQ4N59',
  '913502000728319549',
  '123502001549897397',
  '9135021359498494XQ',
  '91350213678251743X',
];

function input(name: string, code: string, over: Partial<EnterpriseInput> = {}): EnterpriseInput {
  return {
    name,
    creditCode: code,
    industry: 'chemical',
    location: { type: 'Point', coordinates: HUANCUI },
    safetyContacts: [{ name: '张安全', phone: '13812345678' }],
    ...over,
  };
}

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<SafetyInternal>('safety').deps;
  city = await ctxAs(t.platform, 'commander', 'yjj', 'department');
  huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
});
afterAll(() => t.stop());

describe('the credit code', () => {
  it('accepts real published codes and refuses each with one character changed', () => {
    for (const code of REAL) {
      expect(checkCreditCode(code)).toEqual({ ok: true, code });
      expect(checkCreditCode(code.toLowerCase())).toEqual({ ok: true, code });
      // a changed check character, and a changed body character with the check kept
      const last = code[17] === '0' ? '1' : '0';
      expect(checkCreditCode(code.slice(0, 17) + last)).toMatchObject({ ok: false, problem: 'check' });
      const body = code[10] === '1' ? '2' : '1';
      expect(checkCreditCode(code.slice(0, 10) + body + code.slice(11))).toMatchObject({ ok: false, problem: 'check' });
    }
    expect(checkCreditCode('91350203M0001QAY9B')).toMatchObject({ ok: false, problem: 'check' });
    expect(checkCreditCode('9135020O776049653A')).toMatchObject({ ok: false, problem: 'charset', position: 8 });
    expect(checkCreditCode('913502')).toMatchObject({ ok: false, problem: 'length' });
    expect(checkCreditCode('９１３５０２００７７６０４９６５３Ａ')).toEqual({ ok: true, code: '91350200776049653A' });
  });
});

describe('enterprises', () => {
  it('registers with its own unit, refuses a wrong check character by field and a duplicate', async () => {
    const code = makeCode('91371002MA3C00001');
    const bad = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
    const r = await refusal(svc.createEnterprise(deps, city, input('威海示例化工有限公司', bad)), 'zh');
    expect(r).toMatchObject({ code: 'CREDIT_CODE_INVALID', status: 400, field: 'creditCode' });
    expect(r.message).toContain('校验码');
    expect(r.message).toContain('核对');
    const e = await svc.createEnterprise(deps, city, input('威海示例化工有限公司', code.toLowerCase()));
    expect(e).toMatchObject({ creditCode: code, unitCode: `QY-${code}`, district: { code: '371002' } });
    expect(e.majorHazards).toEqual({ count: 0, highestGrade: null });
    const units = await t.platform.access.listUnits();
    expect(units.find((u) => u.code === `QY-${code}`)?.kind).toBe('enterprise');
    expect(await refusal(svc.createEnterprise(deps, city, input('另一家', code)))).toMatchObject({
      code: 'DUPLICATE',
      status: 409,
      field: 'creditCode',
    });
  });

  it('keeps an enterprise user to its own enterprise and district staff to their district', async () => {
    const a = await svc.createEnterprise(deps, huancui, input('威海示例仓储有限公司', makeCode('91371002MA3C00002')));
    const b = await svc.createEnterprise(
      deps,
      city,
      input('文登示例机械有限公司', makeCode('91371003MA3C00003'), {
        industry: 'manufacturing',
        location: { type: 'Point', coordinates: WENDENG },
      }),
    );
    expect(b.district?.code).toBe('371003');
    const own = await ctxAs(t.platform, 'enterprise_user', a.unitCode, 'enterprise');
    expect((await svc.listEnterprises(deps, own, {})).items.map((e) => e.id)).toEqual([a.id]);
    expect(await refusal(svc.getEnterprise(deps, own, b.id))).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    expect(await refusal(svc.createEnterprise(deps, own, input('x', makeCode('91371002MA3C00004'))))).toMatchObject({
      code: 'ENTERPRISE_CREATE_FORBIDDEN',
      status: 403,
    });
    const edited = await svc.updateEnterprise(deps, own, a.id, { version: a.version, employees: 120 });
    expect(edited.employees).toBe(120);
    expect(
      await refusal(
        svc.updateEnterprise(deps, own, a.id, { version: edited.version, creditCode: makeCode('91371002MA3C00005') }),
      ),
    ).toMatchObject({ code: 'ENTERPRISE_FIELD_LOCKED', field: 'creditCode' });
    expect(
      await refusal(
        svc.updateEnterprise(deps, own, a.id, {
          version: edited.version,
          location: { type: 'Point', coordinates: WENDENG },
        }),
      ),
    ).toMatchObject({ code: 'ENTERPRISE_FIELD_LOCKED', field: 'location' });
    // district staff: their district's only, and they register only there
    expect(await refusal(svc.getEnterprise(deps, wendeng, a.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect((await svc.listEnterprises(deps, wendeng, {})).items.map((e) => e.id)).toContain(b.id);
    expect(
      await refusal(svc.createEnterprise(deps, wendeng, input('环翠某厂', makeCode('91371002MA3C00006')))),
    ).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    // phones masked without personal.read
    const viewer = await ctxAs(t.platform, 'viewer', 'yjj', 'department');
    expect((await svc.getEnterprise(deps, viewer, a.id)).safetyContacts[0]?.phone).toBe('138****5678');
  });

  it('answers the door: one enterprise with scope, all refs without', async () => {
    const api = t.module<SafetyApi>('safety');
    const all = await api.listEnterpriseRefs();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const one = all.find((e) => e.name === '威海示例仓储有限公司');
    expect(one).toMatchObject({ districtCode: '371002', industry: 'chemical', active: true, crowdedVenue: false });
    expect(one?.location?.lon).toBeCloseTo(HUANCUI[0] as number, 6);
    expect(await api.getEnterprise(city, one?.id as string)).toEqual(one);
    expect(await refusal(api.getEnterprise(wendeng, one?.id as string))).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });
});
