// Drills at the service level: the compliance rules (half-year boundaries exactly, month-end clamping, each default
// rule, never drilled, a settings change, scope), a record with participants, problems and actions, the
// plan-revision task on the plan's owner unit (and in its task list), one alarm per overdue action, annual plans'
// fulfilment, and the door the exercises module uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan, PlanInput, Task } from '../../../contracts/command.ts';
import { withCheckChar } from '../../../contracts/credit-code.ts';
import {
  addMonths,
  type ComplianceSettings,
  complianceStatus,
  DEFAULT_COMPLIANCE,
  type DrillRecordInput,
} from '../../../contracts/drills.ts';
import type { EnterpriseInput } from '../../../contracts/safety.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestApp, type TestApp } from '../../test/helpers.ts';
import * as cs from './compliance.service.ts';
import { type ComplianceSubject, type DrillFact, judge } from './compliance.ts';
import * as svc from './drills.service.ts';
import type { DrillsInternal } from './module.ts';
import * as plans from './plans.service.ts';

// the app (not only the platform): enterprises, plans and tasks are other modules', set up and read through their API
let t: TestApp;
let token: string;
let deps: svc.DrillsDeps;
let city: RequestCtx;
let huancui: RequestCtx;

const HUANCUI = [122.116, 37.507];
const WENDENG = [122.054, 37.196];
let codeN = 0;
function entInput(name: string, over: Partial<EnterpriseInput> = {}): EnterpriseInput {
  codeN++;
  return {
    name,
    creditCode: withCheckChar(`91371002MA3D${String(codeN).padStart(5, '0')}`),
    industry: 'chemical',
    location: { type: 'Point', coordinates: HUANCUI },
    ...over,
  };
}

async function makeEnterprise(_t: TestApp, _ctx: RequestCtx, input: EnterpriseInput) {
  const r = await t.api('POST', '/api/v1/enterprises', { token, body: input });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; unitCode: string };
}

async function makeApprovedPlan(_t: TestApp, _ctx: RequestCtx, input: PlanInput, approvedOn: string): Promise<Plan> {
  const r = await t.api('POST', '/api/v1/plans', { token, body: input });
  expect(r.statusCode, r.body).toBe(201);
  const p = r.json() as Plan;
  const a = await t.api('PATCH', `/api/v1/plans/${p.id}`, {
    token,
    body: { version: p.version, status: 'approved', approvedOn },
  });
  expect(a.statusCode, a.body).toBe(200);
  return a.json() as Plan;
}

async function tasksOf(_t: TestApp, as: { token: string }): Promise<{ items: Task[] }> {
  const r = await t.api('GET', '/api/v1/tasks?mine=true', { token: as.token });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { items: Task[] };
}

const drill = (over: Partial<DrillRecordInput> & Pick<DrillRecordInput, 'subject'>): DrillRecordInput => ({
  title: '测试演练',
  date: '2026-03-01',
  content: 'comprehensive',
  form: 'live',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
  token = (await t.loginAs('commander')).token;
  deps = t.module<DrillsInternal>('drills').deps;
  city = await ctxAs(t.platform, 'commander', 'yjj', 'city');
  huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
});
afterAll(() => t.stop());

describe('due dates and status (pure)', () => {
  it('adds calendar months in Beijing dates, clamped to the month end', () => {
    expect(addMonths('2026-02-28', 6)).toBe('2026-08-28');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 6)).toBe('2026-09-30');
    expect(addMonths('2026-01-15', 12)).toBe('2027-01-15');
    expect(addMonths('2023-12-31', 36)).toBe('2026-12-31');
  });

  it('is ok or due soon on the due day, overdue the day after; due soon within the window', () => {
    expect(complianceStatus('2026-08-28', '2026-08-28', 30)).toBe('due_soon');
    expect(complianceStatus('2026-08-28', '2026-08-28', 0)).toBe('due_soon');
    expect(complianceStatus('2026-08-28', '2026-08-29', 30)).toBe('overdue');
    expect(complianceStatus('2026-08-28', '2026-07-29', 30)).toBe('due_soon');
    expect(complianceStatus('2026-08-28', '2026-07-28', 30)).toBe('ok');
  });

  const ent = (over: Partial<Extract<ComplianceSubject, { kind: 'enterprise' }>> = {}): ComplianceSubject => ({
    kind: 'enterprise',
    ref: { kind: 'enterprise', id: 'e1', name: '甲', district: '371002' },
    unit: 'u1',
    highRisk: false,
    crowdedVenue: false,
    since: '2025-01-10',
    ...over,
  });
  const fact = (date: string, over: Partial<DrillFact> = {}): DrillFact => ({
    id: `d-${date}`,
    date,
    subjectKind: 'enterprise',
    subjectId: 'e1',
    planKind: 'enterprise',
    planId: null,
    planType: 'comprehensive',
    ...over,
  });
  const S: ComplianceSettings = DEFAULT_COMPLIANCE;

  it('holds a high-risk enterprise to 6 months for any drill, at the half-year boundary exactly', () => {
    const s = ent({ highRisk: true });
    const drills = [fact('2026-02-28', { planType: null, planKind: null })];
    const on = judge([s], drills, S, '2026-08-28').find((i) => i.rule.key === 'high_risk');
    expect(on).toMatchObject({ lastDrillAt: '2026-02-28', dueAt: '2026-08-28', status: 'due_soon', daysLeft: 0 });
    const after = judge([s], drills, S, '2026-08-29').find((i) => i.rule.key === 'high_risk');
    expect(after).toMatchObject({ status: 'overdue', daysLeft: -1 });
    // a crowded venue too; and no annual rule for either
    const venue = judge([ent({ crowdedVenue: true })], drills, S, '2026-05-01');
    expect(venue.map((i) => i.rule.key).sort()).toEqual(['enterprise_onsite', 'high_risk']);
    // month-end clamping: drilled 31 August → due 28 February
    const clamp = judge([s], [fact('2026-08-31')], S, '2027-02-28').find((i) => i.rule.key === 'high_risk');
    expect(clamp).toMatchObject({ dueAt: '2027-02-28', status: 'due_soon' });
    expect(judge([s], [fact('2026-08-31')], S, '2027-03-01')[0]?.status).toBe('overdue');
  });

  it('holds other enterprises to a comprehensive or special plan drill every 12 months; on-site drills do not count', () => {
    const drills = [fact('2025-03-01'), fact('2026-01-10', { planType: 'onsite' })];
    const annual = judge([ent()], drills, S, '2026-03-01').find((i) => i.rule.key === 'enterprise_annual');
    expect(annual).toMatchObject({ lastDrillAt: '2025-03-01', dueAt: '2026-03-01', status: 'due_soon' });
    expect(judge([ent()], drills, S, '2026-03-02').find((i) => i.rule.key === 'enterprise_annual')?.status).toBe(
      'overdue',
    );
    // a special plan drill counts, and a unit special plan of the command register too
    const special = judge(
      [ent()],
      [fact('2026-02-01', { planType: 'unit_special', planKind: 'command' })],
      S,
      '2026-03-01',
    );
    expect(special.find((i) => i.rule.key === 'enterprise_annual')?.lastDrillAt).toBe('2026-02-01');
  });

  it('holds every enterprise to an on-site plan drill every 6 months; never drilled counts from registration', () => {
    const drills = [fact('2026-01-10', { planType: 'onsite' }), fact('2026-04-01')];
    const onsite = judge([ent()], drills, S, '2026-05-01').find((i) => i.rule.key === 'enterprise_onsite');
    expect(onsite).toMatchObject({ lastDrillAt: '2026-01-10', dueAt: '2026-07-10', status: 'ok' });
    const never = judge([ent({ since: '2025-08-31' })], [], S, '2026-03-01');
    expect(never.find((i) => i.rule.key === 'enterprise_onsite')).toMatchObject({
      lastDrillAt: null,
      since: '2025-08-31',
      dueAt: '2026-02-28',
      status: 'overdue',
    });
    expect(never.find((i) => i.rule.key === 'enterprise_annual')).toMatchObject({ dueAt: '2026-08-31', status: 'ok' });
    // a drill after asOf does not count on that day
    expect(judge([ent()], [fact('2026-06-01', { planType: 'onsite' })], S, '2026-05-01')[0]?.lastDrillAt).toBeNull();
  });

  it('holds government special and department plans to a drill of that plan every 36 months (a setting)', () => {
    const plan: ComplianceSubject = {
      kind: 'plan',
      ref: { kind: 'plan', id: 'p1', name: '防汛抗旱专项预案', district: null },
      unit: 'yjj',
      since: '2022-05-01',
    };
    const drills = [
      fact('2023-06-30', {
        subjectKind: 'unit',
        subjectId: 'yjj',
        planKind: 'command',
        planId: 'p1',
        planType: 'special',
      }),
      fact('2025-01-01', {
        subjectKind: 'unit',
        subjectId: 'yjj',
        planKind: 'command',
        planId: 'p2',
        planType: 'special',
      }),
    ];
    const [item] = judge([plan], drills, S, '2026-05-01');
    expect(item).toMatchObject({ lastDrillAt: '2023-06-30', dueAt: '2026-06-30', status: 'ok' });
    const order708 = {
      ...S,
      rules: S.rules.map((r) => (r.key === 'government_plan' ? { ...r, months: 24 } : r)),
    };
    expect(judge([plan], drills, order708, '2026-05-01')[0]).toMatchObject({ dueAt: '2025-06-30', status: 'overdue' });
    const off = { ...S, rules: S.rules.map((r) => (r.key === 'government_plan' ? { ...r, enabled: false } : r)) };
    expect(judge([plan], drills, off, '2026-05-01')).toEqual([]);
  });
});

describe('records, compliance and plans with the registers', () => {
  let highRisk: { id: string; unitCode: string };
  let other: { id: string; unitCode: string };
  let wendengEnt: { id: string; unitCode: string };
  let entUser: RequestCtx;
  let govPlan: { id: string };

  beforeAll(async () => {
    highRisk = await makeEnterprise(t, city, entInput('演练测试化工', { highRiskCategory: 'hazardous_chemicals' }));
    other = await makeEnterprise(t, city, entInput('演练测试食品'));
    wendengEnt = await makeEnterprise(
      t,
      city,
      entInput('演练测试文登机械', { location: { type: 'Point', coordinates: WENDENG } }),
    );
    entUser = await ctxAs(t.platform, 'enterprise_user', highRisk.unitCode, 'enterprise');
    govPlan = await makeApprovedPlan(
      t,
      city,
      { name: '演练测试危化品专项预案', kind: 'special', hazardCodes: [], ownerUnit: 'yjj' },
      '2024-01-15',
    );
  });

  it('records a drill with participants, evaluation, problems and actions; totals attendance', async () => {
    const d = await svc.createDrill(
      deps,
      entUser,
      drill({
        subject: { kind: 'enterprise', enterpriseId: highRisk.id },
        planTested: { kind: 'enterprise', planKind: 'onsite' },
        participants: [
          { name: '甲', role: '指挥', hours: 2.5 },
          { name: '乙', hours: 2 },
          { name: '丙', attended: false, hours: 2 },
        ],
        evaluation: { score: 85, rating: 'good', by: '评估组' },
        problems: [
          {
            description: '广播听不清',
            severity: 'minor',
            actions: [{ description: '更换喇叭', ownerName: '甲', deadline: '2026-03-20' }],
          },
        ],
      }),
    );
    expect(d.number).toMatch(/^YL-\d{4}-\d{6}$/);
    expect(d.attendance).toEqual({ total: 3, attended: 2, hours: 4.5 });
    expect(d.subject).toMatchObject({ kind: 'enterprise', id: highRisk.id, district: '371002' });
    expect(d.problems[0]?.actions[0]).toMatchObject({ status: 'open', deadline: '2026-03-20' });
    // organised by the enterprise's own unit, added when it was registered (after this server started): known by name
    expect(d.organiserUnit).toMatchObject({ code: highRisk.unitCode, name: '演练测试化工' });
    const named = await svc.createDrill(
      deps,
      city,
      drill({ subject: { kind: 'enterprise', enterpriseId: other.id }, organiserUnit: other.unitCode }),
    );
    expect(named.organiserUnit).toMatchObject({ code: other.unitCode, name: '演练测试食品' });
    // the enterprise user records its own only; district staff see their district's
    const r = await refusal(
      svc.createDrill(deps, entUser, drill({ subject: { kind: 'enterprise', enterpriseId: other.id } })),
    );
    expect(r).toMatchObject({ status: 403 });
    expect((await svc.getDrill(deps, huancui, d.id)).id).toBe(d.id);
    const wd = await ctxAs(t.platform, 'district_staff', '371003', 'district');
    expect(await refusal(svc.getDrill(deps, wd, d.id))).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    // an enterprise plan kind is refused for a government unit, by field
    const bad = await refusal(
      svc.createDrill(
        deps,
        city,
        drill({ subject: { kind: 'unit', unitCode: 'yjj' }, planTested: { kind: 'enterprise', planKind: 'onsite' } }),
      ),
    );
    expect(bad).toMatchObject({ code: 'ENTERPRISE_PLAN_FOR_UNIT', status: 400, field: 'planTested.planKind' });
    const late = await refusal(
      svc.createDrill(
        deps,
        city,
        drill({ subject: { kind: 'unit', unitCode: 'yjj' }, startTime: '10:00', endTime: '09:00' }),
      ),
    );
    expect(late).toMatchObject({ code: 'END_BEFORE_START', field: 'endTime' });
  });

  it('judges compliance with the registers: each enterprise rule, a government plan, scope and a settings change', async () => {
    const asOf = '2026-08-28';
    const all = await cs.compliance(deps, city, { asOf, limit: 1000 });
    const of = (id: string, rule: string) => all.items.find((i) => i.subject.id === id && i.rule.key === rule);
    // the on-site drill of 2026-03-01 → due 2026-09-01 (high-risk: any drill; on-site: that drill)
    expect(of(highRisk.id, 'high_risk')).toMatchObject({
      lastDrillAt: '2026-03-01',
      dueAt: '2026-09-01',
      status: 'due_soon',
    });
    expect(of(highRisk.id, 'enterprise_onsite')).toMatchObject({ dueAt: '2026-09-01' });
    expect(of(highRisk.id, 'enterprise_annual')).toBeUndefined();
    expect(of(other.id, 'enterprise_annual')).toMatchObject({ lastDrillAt: null });
    expect(of(govPlan.id, 'government_plan')).toMatchObject({ since: '2024-01-15', dueAt: '2027-01-15', status: 'ok' });
    // overdue first
    const ranks = all.items.map((i) => ({ overdue: 0, due_soon: 1, ok: 2 })[i.status]);
    expect([...ranks].sort()).toEqual(ranks);
    expect(all.counts.ok + all.counts.due_soon + all.counts.overdue).toBe(all.total);
    // the day after the boundary
    const next = await cs.compliance(deps, city, { asOf: '2026-09-02', kind: 'enterprise', limit: 1000 });
    expect(next.items.find((i) => i.subject.id === highRisk.id && i.rule.key === 'high_risk')?.status).toBe('overdue');
    // scope: the enterprise user sees its own; Huancui's staff not Wendeng's enterprise
    const mine = await cs.compliance(deps, entUser, { asOf });
    expect(new Set(mine.items.map((i) => i.subject.id))).toEqual(new Set([highRisk.id]));
    const hc = await cs.compliance(deps, huancui, { asOf, limit: 1000 });
    expect(hc.items.some((i) => i.subject.id === wendengEnt.id)).toBe(false);
    expect(hc.items.some((i) => i.subject.id === highRisk.id)).toBe(true);
    // filters
    const overdue = await cs.compliance(deps, city, { asOf, status: 'overdue', rule: 'high_risk', limit: 1000 });
    expect(overdue.items.every((i) => i.status === 'overdue' && i.rule.key === 'high_risk')).toBe(true);
    // a settings change (version-checked, commander only): high-risk every 3 months → overdue on asOf
    const s = await cs.getSettings(deps, city);
    expect(await refusal(cs.putSettings(deps, huancui, { ...s }))).toMatchObject({ status: 403 });
    const { version, ...value } = s;
    const changed = await cs.putSettings(deps, city, {
      ...value,
      version,
      rules: value.rules.map((r) => (r.key === 'high_risk' ? { ...r, months: 3 } : r)),
    });
    expect(changed.version).toBe(version + 1);
    expect(await refusal(cs.putSettings(deps, city, { ...value, version }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    const after = await cs.compliance(deps, city, { asOf, rule: 'high_risk', limit: 1000 });
    expect(after.items.find((i) => i.subject.id === highRisk.id)).toMatchObject({
      dueAt: '2026-06-01',
      status: 'overdue',
    });
    await cs.putSettings(deps, city, { ...value, version: changed.version });
  });

  it("gives a plan-revision task to the plan's owner unit once, seen in that unit's task list", async () => {
    const d = await svc.createDrill(
      deps,
      city,
      drill({
        subject: { kind: 'unit', unitCode: 'yjj' },
        planTested: { kind: 'command', planId: govPlan.id },
        problems: [
          { description: '联络表过时', severity: 'major', needsPlanRevision: true },
          { description: '场地狭小', severity: 'minor' },
        ],
      }),
    );
    expect(d.revisionTaskId).toBeTruthy();
    expect(d.planTested).toMatchObject({ kind: 'command', planKind: 'special', ownerUnit: 'yjj' });
    const yjjStaff = await t.userWith('department_staff', 'yjj', 'department');
    const mine = await tasksOf(t, yjjStaff);
    const task = mine.items.find((x) => x.id === d.revisionTaskId);
    expect(task).toMatchObject({
      unit: 'yjj',
      planId: govPlan.id,
      source: { kind: 'drill', id: d.id },
      activationId: '',
    });
    expect(task?.detail).toContain('联络表过时');
    // again: the same task
    const again = await svc.ensureRevisionTask(deps, city, d.id);
    expect(again.revisionTaskId).toBe(d.revisionTaskId);
    expect((await tasksOf(t, yjjStaff)).items.filter((x) => x.source?.id === d.id)).toHaveLength(1);
    // a drill without such problems: refused when asked, by field
    const plain = await svc.createDrill(deps, city, drill({ subject: { kind: 'unit', unitCode: 'yjj' } }));
    expect(await refusal(svc.ensureRevisionTask(deps, city, plain.id))).toMatchObject({
      code: 'NO_REVISION_PROBLEMS',
      field: 'problems',
    });
    // the government plan now counts as drilled
    const c = await cs.compliance(deps, city, { asOf: '2026-03-02', rule: 'government_plan', limit: 1000 });
    expect(c.items.find((i) => i.subject.id === govPlan.id)).toMatchObject({
      lastDrillAt: '2026-03-01',
      dueAt: '2029-03-01',
    });
  });

  it('raises one alarm per overdue improvement action, once; a done action is not overdue', async () => {
    const d = await svc.createDrill(
      deps,
      huancui,
      drill({
        subject: { kind: 'enterprise', enterpriseId: other.id },
        problems: [
          {
            description: '消防通道堵塞',
            severity: 'serious',
            actions: [
              { description: '清理通道', deadline: '2026-04-01' },
              { description: '设置标识', deadline: '2026-04-01', status: 'done', doneNote: '已设置' },
              { description: '培训', deadline: '2026-12-01' },
            ],
          },
        ],
      }),
    );
    const now = new Date('2026-04-02T01:00:00Z');
    const n1 = await svc.alarmOverdueActions(deps, now);
    expect(n1).toBeGreaterThanOrEqual(1);
    expect(await svc.alarmOverdueActions(deps, now)).toBe(0);
    const open = await t.platform.alerts.listOpen(huancui, { limit: 100 });
    const mine = open.items.filter((a) => a.link === `/drills/records/${d.id}`);
    expect(mine).toHaveLength(1);
    // flagged in the list
    const listed = await svc.listDrills(deps, huancui, { overdueActions: true, limit: 100 });
    expect(listed.items.some((x) => x.id === d.id)).toBe(true);
    const action = (await svc.getDrill(deps, huancui, d.id)).problems[0]?.actions[0];
    const done = await svc.updateAction(deps, huancui, d.id, action?.id as string, {
      status: 'done',
      doneNote: '已清理',
    });
    expect(done.problems[0]?.actions[0]).toMatchObject({ status: 'done', overdue: false, doneNote: '已清理' });
  });

  it('keeps annual plans with fulfilment by linked records; one plan per unit and year', async () => {
    const p = await plans.createPlan(deps, entUser, {
      year: 2026,
      unit: { kind: 'enterprise', enterpriseId: highRisk.id },
      items: [
        { month: 6, title: '泄漏演练', content: 'comprehensive', form: 'live' },
        { month: 3, title: '桌面推演', content: 'single', form: 'tabletop', topic: '火灾' },
      ],
    });
    expect(p.items.map((i) => i.month)).toEqual([3, 6]);
    expect(p.fulfilment).toEqual({ planned: 2, done: 0 });
    const item = p.items[0]?.id as string;
    await svc.createDrill(
      deps,
      entUser,
      drill({ subject: { kind: 'enterprise', enterpriseId: highRisk.id }, date: '2026-03-15', planItemId: item }),
    );
    const after = await plans.getPlan(deps, entUser, p.id);
    expect(after.fulfilment).toEqual({ planned: 2, done: 1 });
    expect(
      await refusal(
        plans.createPlan(deps, city, {
          year: 2026,
          unit: { kind: 'enterprise', enterpriseId: highRisk.id },
          items: [],
        }),
      ),
    ).toMatchObject({ code: 'DRILL_PLAN_EXISTS', status: 409, field: 'year' });
    // a plan item of another subject is refused
    const wrong = await refusal(
      svc.createDrill(deps, city, drill({ subject: { kind: 'enterprise', enterpriseId: other.id }, planItemId: item })),
    );
    expect(wrong).toMatchObject({ code: 'PLAN_ITEM_UNKNOWN', field: 'planItemId' });
    const listed = await plans.listPlans(deps, huancui, { year: 2026 });
    expect(listed.items.some((x) => x.id === p.id)).toBe(true);
  });

  it('records a drill for an exercise once through the door', async () => {
    const api = t.module<DrillsInternal>('drills');
    const exerciseId = '0b8e8f9a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const input = drill({ subject: { kind: 'unit', unitCode: 'yjj' }, source: { kind: 'exercise', exerciseId } });
    const a = await api.recordDrill(city, input);
    const b = await api.recordDrill(city, input);
    expect(b.id).toBe(a.id);
    expect((await svc.getDrill(deps, city, a.id)).source).toEqual({ kind: 'exercise', exerciseId });
    expect(await refusal(api.recordDrill(await ctxAs(t.platform, 'viewer', 'yjj', 'city'), input))).toMatchObject({
      status: 403,
    });
    expect(systemCtx().actor.kind).toBe('system');
  });
});
