// Hidden dangers at the service level: every step allowed and refused (wrong role, wrong order, the submitter
// verifying, a stale version), the enterprise user's scope, inspections writing their dangers atomically, the
// overdue alarm once per level, the statistics of a small fixture, and the import's all-or-none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from '../../../contracts/credit-code.ts';
import type { DangerInput } from '../../../contracts/dangers.ts';
import type { EnterpriseInput } from '../../../contracts/safety.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs, seededCtx } from '../../test/factories.ts';
import { refusal, startTestApp, type TestApp } from '../../test/helpers.ts';
import { dangerImport } from './dangers.import.ts';
import * as svc from './dangers.service.ts';
import * as insp from './inspections.service.ts';
import type { DangersInternal } from './module.ts';
import type { EnterpriseRef, SafetyApi } from './safety-door.ts';

let t: TestApp;
let deps: svc.DangersDeps;
let commander: RequestCtx;
let commander2: RequestCtx;
let ent: RequestCtx;
let otherEnt: RequestCtx;
let field: RequestCtx;
let health: RequestCtx;
let huancui: RequestCtx;
let wendeng: RequestCtx;

let OURS: EnterpriseRef;
let THEIRS: EnterpriseRef;

/** An enterprise registered through the safety module's route (its door has no writer), read back through its door. */
async function register(name: string, first17: string, district: string, industry: EnterpriseInput['industry']) {
  const { token } = await t.loginAs('commander');
  const body: EnterpriseInput = { name, creditCode: withCheckChar(first17), industry, districtCode: district };
  const r = await t.api('POST', '/api/v1/enterprises', { token, body });
  expect(r.statusCode).toBe(201);
  return t.platform.module<SafetyApi>('safety').getEnterprise(commander, (r.json() as { id: string }).id);
}

const danger = (over: Partial<DangerInput> = {}): DangerInput => ({
  title: '储罐区可燃气体报警器失效',
  category: 'equipment',
  grade: 'general',
  source: 'self_check',
  enterpriseId: OURS.id,
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
  deps = t.platform.module<DangersInternal>('dangers').deps;
  commander = await seededCtx(t.platform, 'commander');
  commander2 = await ctxAs(t.platform, 'commander', 'yjj', 'city');
  // two enterprises of the register (module safety), each with its own unit and user
  OURS = await register('测试化工企业', '91371000MA3C00001', '371003', 'chemical');
  THEIRS = await register('测试建筑企业', '91371000MA3C00002', '371002', 'construction');
  ent = await ctxAs(t.platform, 'enterprise_user', OURS.unitCode, 'enterprise');
  otherEnt = await ctxAs(t.platform, 'enterprise_user', THEIRS.unitCode, 'enterprise');
  field = await seededCtx(t.platform, 'field_responder');
  health = await seededCtx(t.platform, 'department_staff');
  huancui = await seededCtx(t.platform, 'district_staff');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
});
afterAll(async () => {
  await t?.stop();
});

async function assigned(input: Partial<DangerInput> = {}, deadline = '2099-12-31') {
  const d = await svc.createDanger(deps, ent, danger(input));
  return (
    await svc.takeStep(deps, commander, d.id, 'assign', {
      version: d.version,
      responsiblePerson: '张经理',
      deadline,
      measures: '更换报警器并校验',
    })
  ).danger;
}

describe('the treatment steps', () => {
  it('goes found → assigned → rectifying → submitted → verified → closed, each step by its role, recorded', async () => {
    const d = await svc.createDanger(deps, ent, danger());
    expect(d.number).toMatch(/^YH-\d{8}-\d{3}$/);
    expect(d.status).toBe('found');
    expect(d.district).toBe('371003');
    expect(d.ownerUnit).toBe(OURS.unitCode);
    expect(d.allowedActions).toEqual([]);
    let cur = (await svc.getDanger(deps, commander, d.id)).danger;
    expect(cur.allowedActions).toEqual(['assign', 'cancel']);
    cur = (
      await svc.takeStep(deps, wendeng, d.id, 'assign', {
        version: cur.version,
        responsiblePerson: '张经理',
        deadline: '2099-01-31',
        measures: '更换',
      })
    ).danger;
    expect(cur.status).toBe('assigned');
    expect(cur.responsibleUnit).toBe(OURS.unitCode);
    cur = (await svc.takeStep(deps, ent, d.id, 'start', { version: cur.version })).danger;
    expect(cur.status).toBe('rectifying');
    cur = (await svc.takeStep(deps, ent, d.id, 'submit', { version: cur.version, note: '已更换并校验' })).danger;
    expect(cur.status).toBe('submitted');
    cur = (await svc.takeStep(deps, wendeng, d.id, 'verify', { version: cur.version, note: '复核合格' })).danger;
    expect(cur.status).toBe('verified');
    const done = await svc.takeStep(deps, health, d.id, 'close', { version: cur.version });
    expect(done.danger.status).toBe('closed');
    expect(done.danger.closedAt).not.toBeNull();
    expect(done.steps.map((s) => [s.action, s.to])).toEqual([
      ['report', 'found'],
      ['assign', 'assigned'],
      ['start', 'rectifying'],
      ['submit', 'submitted'],
      ['verify', 'verified'],
      ['close', 'closed'],
    ]);
    expect(done.steps[3]?.byName).toBe(ent.actor.name);
    const audit = await t.platform.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', d.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['hidden_danger.reported', 'hidden_danger.assign', 'hidden_danger.close']),
    );
  });

  it('refuses a step of the wrong role with the missing permission', async () => {
    const d = await svc.createDanger(deps, field, danger({ enterpriseId: null, district: '371002', source: 'field' }));
    const r = await refusal(
      svc.takeStep(deps, field, d.id, 'assign', { version: d.version, responsiblePerson: 'x', deadline: '2099-01-01' }),
    );
    expect(r).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect((await refusal(svc.takeStep(deps, ent, d.id, 'verify', { version: d.version }))).code).toBe('FORBIDDEN');
    const viewer = await seededCtx(t.platform, 'viewer');
    expect(
      (await refusal(svc.createDanger(deps, viewer, danger({ enterpriseId: null, district: '371002' })))).code,
    ).toBe('FORBIDDEN');
  });

  it('refuses a step out of order, naming the state and the steps allowed', async () => {
    const d = await svc.createDanger(deps, ent, danger());
    const zh = await refusal(svc.takeStep(deps, ent, d.id, 'start', { version: d.version }), 'zh');
    expect(zh).toMatchObject({ code: 'DANGER_BAD_TRANSITION', status: 409, field: 'status' });
    expect(zh.message).toContain('已发现');
    expect(zh.message).toContain('交办整改');
    expect(zh.message).toContain('撤销');
    const en = await refusal(svc.takeStep(deps, commander, d.id, 'close', { version: d.version }), 'en');
    expect(en.message).toContain('found');
    expect(en.message).toContain('assign');
    const a = await assigned();
    const submitted = (
      await svc.takeStep(deps, ent, a.id, 'submit', {
        version: (await svc.takeStep(deps, ent, a.id, 'start', { version: a.version })).danger.version,
        note: '已整改',
      })
    ).danger;
    // cancel only while found or assigned
    expect(
      (await refusal(svc.takeStep(deps, commander, a.id, 'cancel', { version: submitted.version, reason: '重复' })))
        .code,
    ).toBe('DANGER_BAD_TRANSITION');
  });

  it('refuses a stale version', async () => {
    const a = await assigned();
    await svc.takeStep(deps, ent, a.id, 'start', { version: a.version });
    // the same version again: the danger moved on (the state answers first)
    expect((await refusal(svc.takeStep(deps, ent, a.id, 'submit', { version: a.version, note: 'x' }))).code).toBe(
      'VERSION_CONFLICT',
    );
  });

  it('does not let the one who submitted verify, return or close', async () => {
    // a public-place danger: a supervisor may rectify it too
    const d = await svc.createDanger(deps, field, danger({ enterpriseId: null, district: '371002', source: 'field' }));
    let cur = (
      await svc.takeStep(deps, commander, d.id, 'assign', {
        version: d.version,
        responsiblePerson: '李',
        deadline: '2099-01-01',
      })
    ).danger;
    cur = (await svc.takeStep(deps, commander, d.id, 'start', { version: cur.version })).danger;
    cur = (await svc.takeStep(deps, commander, d.id, 'submit', { version: cur.version, note: '已清理' })).danger;
    expect(cur.allowedActions).toEqual([]);
    const r = await refusal(svc.takeStep(deps, commander, d.id, 'verify', { version: cur.version }), 'zh');
    expect(r).toMatchObject({ code: 'DANGER_VERIFIER_IS_SUBMITTER', status: 403, message: '复核人不能是整改提交人' });
    expect(
      (await refusal(svc.takeStep(deps, commander, d.id, 'reject', { version: cur.version, reason: 'x' }))).code,
    ).toBe('DANGER_VERIFIER_IS_SUBMITTER');
    expect((await svc.takeStep(deps, commander2, d.id, 'verify', { version: cur.version })).danger.status).toBe(
      'verified',
    );
  });

  it('lets only the enterprise or the responsible unit rectify', async () => {
    const a = await assigned();
    expect((await refusal(svc.takeStep(deps, health, a.id, 'start', { version: a.version }))).code).toBe(
      'DANGER_NOT_RESPONSIBLE',
    );
    // another enterprise's user does not even see it
    expect((await refusal(svc.takeStep(deps, otherEnt, a.id, 'start', { version: a.version }))).code).toBe(
      'OUT_OF_SCOPE',
    );
    // assigned to the health commission: its staff rectify
    const d = await svc.createDanger(deps, ent, danger());
    const b = (
      await svc.takeStep(deps, commander, d.id, 'assign', {
        version: d.version,
        responsibleUnit: 'wjw',
        responsiblePerson: '王',
      })
    ).danger;
    expect((await svc.takeStep(deps, health, b.id, 'start', { version: b.version })).danger.status).toBe('rectifying');
    // named by its unit code: the enterprise's own unit, added when it was registered (after this server started)
    const e = await svc.createDanger(deps, wendeng, danger());
    const named = await svc.takeStep(deps, commander, e.id, 'assign', {
      version: e.version,
      responsibleUnit: OURS.unitCode,
      responsiblePerson: '张经理',
    });
    expect(named.danger.responsibleUnit).toBe(OURS.unitCode);
  });

  it('returns a failed rectification with its reason, and takes it again', async () => {
    const a = await assigned();
    let cur = (await svc.takeStep(deps, ent, a.id, 'start', { version: a.version })).danger;
    cur = (await svc.takeStep(deps, ent, a.id, 'submit', { version: cur.version, note: '已整改' })).danger;
    cur = (await svc.takeStep(deps, commander, a.id, 'reject', { version: cur.version, reason: '报警器未校验' }))
      .danger;
    expect(cur.status).toBe('returned');
    expect(cur.returnReason).toBe('报警器未校验');
    cur = (await svc.takeStep(deps, ent, a.id, 'submit', { version: cur.version, note: '已校验，附记录' })).danger;
    expect(cur.status).toBe('submitted');
  });

  it('cancels a duplicate with its reason, and assigns a major danger only with a deadline and measures', async () => {
    const d = await svc.createDanger(deps, ent, danger({ grade: 'major' }));
    const r = await refusal(
      svc.takeStep(deps, commander, d.id, 'assign', { version: d.version, responsiblePerson: '张', measures: 'x' }),
    );
    expect(r).toMatchObject({ code: 'DANGER_MAJOR_NEEDS', field: 'deadline', status: 400 });
    const r2 = await refusal(
      svc.takeStep(deps, commander, d.id, 'assign', {
        version: d.version,
        responsiblePerson: '张',
        deadline: '2099-01-01',
      }),
    );
    expect(r2).toMatchObject({ code: 'DANGER_MAJOR_NEEDS', field: 'measures' });
    const c = await svc.takeStep(deps, commander, d.id, 'cancel', { version: d.version, reason: '与 YH-1 重复' });
    expect(c.danger.status).toBe('cancelled');
    expect(c.danger.cancelReason).toBe('与 YH-1 重复');
  });
});

describe('scope', () => {
  it("shows an enterprise user its own enterprise's dangers only, and refuses another's", async () => {
    await svc.createDanger(deps, commander, danger({ enterpriseId: THEIRS.id }));
    const mine = await svc.listDangers(deps, ent, { limit: 500 });
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((d) => d.enterprise?.id === OURS.id)).toBe(true);
    const theirs = await svc.listDangers(deps, otherEnt, { limit: 500 });
    expect(theirs.items.every((d) => d.enterprise?.id === THEIRS.id)).toBe(true);
    const r = await refusal(svc.createDanger(deps, ent, danger({ enterpriseId: THEIRS.id })));
    expect(r).toMatchObject({ code: 'DANGER_NOT_OWN_ENTERPRISE', status: 403, field: 'enterpriseId' });
    // an enterprise user's report without an enterprise is its own enterprise's
    const own = await svc.createDanger(deps, ent, danger({ enterpriseId: undefined }));
    expect(own.enterprise?.id).toBe(OURS.id);
    expect((await refusal(svc.getDanger(deps, otherEnt, own.id))).code).toBe('OUT_OF_SCOPE');
    // district staff: their district's
    const hc = await svc.listDangers(deps, huancui, { limit: 500 });
    expect(hc.items.every((d) => d.district === '371002')).toBe(true);
    expect((await refusal(svc.getDanger(deps, huancui, own.id))).code).toBe('OUT_OF_SCOPE');
  });
});

describe('inspections', () => {
  const input = (findings: number) => ({
    enterpriseId: OURS.id,
    date: '2026-03-02',
    inspectorIds: [health.actor.id as string],
    inspectorNames: ['执法大队 刘'],
    kind: 'routine' as const,
    basis: '《安全生产法》',
    findings: Array.from({ length: findings }, (_, i) => ({
      description: `检查发现问题 ${i + 1}`,
      category: 'management' as const,
      grade: i === 0 ? ('major' as const) : ('general' as const),
      location: '罐区',
      legalBasis: '第四十一条',
    })),
    conclusion: '限期整改',
  });

  it('creates one hidden danger per finding, linked back', async () => {
    const i = await insp.createInspection(deps, health, input(3));
    expect(i.number).toMatch(/^JC-20260302-\d{3}$/);
    expect(i.findings).toHaveLength(3);
    const ds = await svc.listDangers(deps, commander, { inspectionId: i.id });
    expect(ds.total).toBe(3);
    expect(ds.items.every((d) => d.source === 'inspection' && d.inspectionId === i.id)).toBe(true);
    expect(new Set(ds.items.map((d) => d.id))).toEqual(new Set(i.findings.map((f) => f.dangerId)));
    expect(i.inspectors.map((x) => x.name)).toContain('执法大队 刘');
  });

  it('writes nothing when a finding cannot be written', async () => {
    const before = await svc.listDangers(deps, commander, { limit: 1 });
    const inspections = await insp.listInspections(deps, commander, { limit: 1 });
    // the third id asked inside the transaction fails: the inspection and the first danger are rolled back
    const next = deps.ids.next.bind(deps.ids);
    let n = 0;
    deps.ids.next = () => {
      n++;
      if (n === 5) throw new Error('disk full');
      return next();
    };
    try {
      await expect(insp.createInspection(deps, health, input(3))).rejects.toThrow('disk full');
    } finally {
      deps.ids.next = next;
    }
    expect((await svc.listDangers(deps, commander, { limit: 1 })).total).toBe(before.total);
    expect((await insp.listInspections(deps, commander, { limit: 1 })).total).toBe(inspections.total);
  });

  it('is refused to those who do not inspect', async () => {
    expect((await refusal(insp.createInspection(deps, ent, input(1)))).code).toBe('FORBIDDEN');
  });
});

describe('overdue', () => {
  it('raises one alarm per danger, and one more a severity higher to the city after the set days', async () => {
    const a = await assigned({ foundAt: '2026-02-01T10:00:00+08:00' }, '2026-02-10');
    const alarms = () =>
      t.platform.db.kysely
        .selectFrom('alerts')
        .select(['severity', 'district_code', 'unit_code'])
        .where('source', '=', 'hidden_danger')
        .where('source_id', '=', a.id)
        .orderBy('raised_at')
        .execute();
    // deadline 2026-02-10 (Beijing): overdue from 2026-02-11 00:00 Beijing
    expect(await svc.checkOverdue(deps, new Date('2026-02-10T15:59:00Z'))).toBe(0);
    expect(await svc.checkOverdue(deps, new Date('2026-02-10T16:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await svc.checkOverdue(deps, new Date('2026-02-10T17:00:00Z'))).toBe(0);
    expect(await alarms()).toEqual([{ severity: 'IV', district_code: '371003', unit_code: OURS.unitCode }]);
    // 7 days (the default) later: escalated to the city, one severity higher; once
    expect(await svc.checkOverdue(deps, new Date('2026-02-17T17:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await svc.checkOverdue(deps, new Date('2026-02-18T17:00:00Z'))).toBe(0);
    expect(await alarms()).toEqual([
      { severity: 'IV', district_code: '371003', unit_code: OURS.unitCode },
      { severity: 'III', district_code: null, unit_code: null },
    ]);
    expect((await svc.getDanger(deps, commander, a.id)).danger.escalationLevel).toBe(2);
  });

  it('raises a major danger at II, and takes the escalation days from the setting', async () => {
    const s = await svc.getSettings(deps, commander);
    await svc.putSettings(deps, commander, { escalationDays: 3, version: s.version });
    expect((await refusal(svc.putSettings(deps, commander, { escalationDays: 4, version: s.version }))).code).toBe(
      'VERSION_CONFLICT',
    );
    const a = await assigned({ grade: 'major', foundAt: '2026-01-01T10:00:00+08:00' }, '2026-01-10');
    await svc.checkOverdue(deps, new Date('2026-01-11T00:00:00Z'));
    await svc.checkOverdue(deps, new Date('2026-01-14T17:00:00Z'));
    const rows = await t.platform.db.kysely
      .selectFrom('alerts')
      .select('severity')
      .where('source_id', '=', a.id)
      .orderBy('raised_at')
      .execute();
    expect(rows.map((r) => r.severity)).toEqual(['II', 'I']);
  });
});

describe('statistics', () => {
  it('counts a small fixture by status, grade, district, industry and age, with the rate and the trend', async () => {
    const at = (d: string) => `${d}T10:00:00+08:00`;
    const mk = (over: Partial<DangerInput>) => svc.createDanger(deps, commander, danger(over));
    // January 2025: three in 371003 (ours: chemical), one in 371002 (theirs: construction)
    const a = await mk({ foundAt: at('2025-01-05'), grade: 'major' });
    const b = await mk({ foundAt: at('2025-01-20') });
    const c = await mk({ foundAt: at('2025-02-03') });
    await mk({ foundAt: at('2025-02-10'), enterpriseId: THEIRS.id });
    // b closed (through every step), c cancelled
    let cur = (
      await svc.takeStep(deps, commander, b.id, 'assign', {
        version: b.version,
        responsiblePerson: '张',
        deadline: '2099-01-01',
      })
    ).danger;
    cur = (await svc.takeStep(deps, ent, b.id, 'start', { version: cur.version })).danger;
    cur = (await svc.takeStep(deps, ent, b.id, 'submit', { version: cur.version, note: 'ok' })).danger;
    cur = (await svc.takeStep(deps, commander, b.id, 'verify', { version: cur.version })).danger;
    await svc.takeStep(deps, commander, b.id, 'close', { version: cur.version });
    await svc.takeStep(deps, commander, c.id, 'cancel', { version: c.version, reason: '重复' });
    const s = await svc.statistics(deps, commander, {
      from: '2025-01-01T00:00:00+08:00',
      to: '2025-03-01T00:00:00+08:00',
    });
    expect(s.total).toBe(4);
    expect(s.byStatus).toMatchObject({ found: 2, closed: 1, cancelled: 1 });
    expect(s.byGrade).toEqual({ general: 3, major: 1 });
    expect(s.open).toBe(2);
    expect(s.majorOpen).toBe(1);
    expect(s.majorOpenList.map((x) => x.id)).toEqual([a.id]);
    expect(s.rectificationRate).toBeCloseTo(1 / 3);
    expect(s.byDistrict.map((d) => [d.district, d.total])).toEqual([
      ['371003', 3],
      ['371002', 1],
    ]);
    expect(s.byIndustry).toEqual([
      { industry: 'chemical', total: 3, open: 1 },
      { industry: 'construction', total: 1, open: 1 },
    ]);
    // found a year and more before the test's clock: every open one is older than 90 days
    expect(s.ageBuckets).toEqual({ le7: 0, d8to30: 0, d31to90: 0, gt90: 2 });
    expect(s.trend.map((m) => [m.month, m.found])).toEqual([
      ['2025-01', 2],
      ['2025-02', 2],
    ]);
    // the district filter
    const only = await svc.statistics(deps, commander, {
      from: '2025-01-01T00:00:00+08:00',
      to: '2025-03-01T00:00:00+08:00',
      district: '371002',
    });
    expect(only.total).toBe(1);
  });
});

describe('import', () => {
  const csv = (rows: string[]) =>
    Buffer.from(
      [
        '隐患名称,隐患类别,隐患等级,来源,企业（统一社会信用代码或名称）,区市,发现时间,状态,整改责任人,整改期限,整改措施,销号时间',
        ...rows,
      ].join('\n'),
      'utf8',
    );
  const run = async (rows: string[]) => {
    const job = await startImport(
      t.platform,
      dangerImport(deps),
      commander,
      { name: 'dangers.csv', data: csv(rows) },
      { mode: 'commit', datum: 'wgs84' },
    );
    return (await job.done).result as { errors: { row: number; column?: string; code: string }[]; imported: number };
  };

  it('writes none of a file with a bad row, naming every bad row, and all of a good one', async () => {
    const before = (await svc.listDangers(deps, commander, { limit: 1 })).total;
    const report = await run([
      `历史隐患甲,设备设施,一般隐患,企业自查,${OURS.creditCode},,2025-06-01 10:00,已销号,张,2025-06-30,更换,2025-06-20 10:00`,
      '历史隐患乙,火灾,一般隐患,企业自查,,环翠区,2025-06-01 10:00,,,,,',
      `历史隐患丙,设备设施,重大隐患,执法检查,${OURS.creditCode},,2025-06-01 10:00,整改中,张,,,`,
      '历史隐患丁,消防,一般隐患,举报,不存在的企业,,2025-06-01 10:00,,,,,',
    ]);
    const rows = [...new Set(report.errors.map((e) => e.row))].sort();
    expect(rows).toEqual([3, 4, 5]);
    expect(report.errors.find((e) => e.row === 4)?.code).toBe('DANGER_MAJOR_NEEDS');
    expect(report.errors.find((e) => e.row === 5)?.code).toBe('DANGER_UNKNOWN_ENTERPRISE');
    expect((await svc.listDangers(deps, commander, { limit: 1 })).total).toBe(before);
    const ok = await run([
      `历史隐患甲,设备设施,一般隐患,企业自查,${OURS.creditCode},,2025-06-01 10:00,已销号,张,2025-06-30,更换,2025-06-20 10:00`,
      '历史隐患乙,消防,一般隐患,举报,,环翠区,2025-06-01 10:00,,,,,',
    ]);
    expect(ok.errors).toEqual([]);
    expect(ok.imported).toBe(2);
    const closed = await svc.listDangers(deps, commander, { q: '历史隐患甲' });
    expect(closed.items[0]).toMatchObject({ status: 'closed', deadline: '2025-06-30', district: '371003' });
  });
});

describe('over HTTP', () => {
  it('reports with 201 and its number, and answers a step out of order with 409 and a missing permission with 403', async () => {
    const { token } = await t.loginAs('field_responder');
    const r = await t.api('POST', '/api/v1/hidden-dangers', {
      token,
      body: {
        title: '人行道井盖缺失',
        category: 'environment',
        grade: 'general',
        source: 'field',
        locationEntered: { datum: 'wgs84', coordinates: [122.12, 37.5] },
        district: '371002',
      },
    });
    expect(r.statusCode).toBe(201);
    const d = r.json() as { id: string; number: string; version: number; locationEntered: unknown };
    expect(d.number).toMatch(/^YH-\d{8}-\d{3}$/);
    expect(d.locationEntered).toEqual({ datum: 'wgs84', coordinates: [122.12, 37.5] });
    const forbidden = await t.api('POST', `/api/v1/hidden-dangers/${d.id}/assign`, {
      token,
      body: { version: d.version, responsiblePerson: '王' },
    });
    expect(forbidden.statusCode).toBe(403);
    const boss = await t.loginAs('commander');
    const early = await t.api('POST', `/api/v1/hidden-dangers/${d.id}/verify`, {
      token: boss.token,
      headers: { 'accept-language': 'en' },
      body: { version: d.version },
    });
    expect(early.statusCode).toBe(409);
    const err = (early.json() as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('DANGER_BAD_TRANSITION');
    expect(err.message).toContain('found');
    const stats = await t.api('GET', '/api/v1/hidden-dangers/stats', { token: boss.token });
    expect(stats.statusCode).toBe(200);
    expect((stats.json() as { total: number }).total).toBeGreaterThan(0);
  });
});
