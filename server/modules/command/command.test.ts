// Command and response at the service level: plan matching (hazard hierarchy, minLevel both ways, districts,
// warning colours), the plans register's rules, activation with its tasks and due times, level changes, the end of a
// response, stale versions, task scope, overdue escalation with an injected clock, and a warning's promotion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanInput, PlanLevel } from '../../../contracts/command.ts';
import type { WarningInput } from '../../../contracts/warnings.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs, makeIncident, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { loadCommandDemo } from './command.demo.ts';
import { hazardCovers, matchIncident, matchWarning, proposedLevel } from './matching.ts';
import type { CommandInternal } from './module.ts';
import * as plans from './plans.service.ts';
import * as response from './response.service.ts';
import * as tasks from './tasks.service.ts';

const levels: PlanLevel[] = [
  {
    level: 'II',
    actions: [
      { unit: 'xfzd', title: '专业处置力量出动', dueMinutes: 15, checklist: ['划定警戒区', '侦检'] },
      { unit: 'wjw', title: '医疗救治', dueMinutes: 30 },
      { unit: 'sthjj', title: '环境监测', dueMinutes: 60 },
    ],
  },
  {
    level: 'III',
    actions: [
      { unit: 'xfzd', title: '专业处置力量出动', dueMinutes: 15, checklist: ['划定警戒区', '侦检'] },
      { unit: 'gaj', title: '警戒疏散', dueMinutes: 45 },
    ],
  },
];

describe('plan matching (pure rules)', () => {
  const plan = { hazardCodes: ['12D00'], activation: { minLevel: 'III' as const }, levels };

  it('a category code covers the types under it, and only those', () => {
    expect(hazardCovers('12D00', '12D02')).toBe(true);
    expect(hazardCovers('11000', '11G01')).toBe(true);
    expect(hazardCovers('12D02', '12D02')).toBe(true);
    expect(hazardCovers('12D00', '12G01')).toBe(false);
    expect(hazardCovers('12D02', '12D03')).toBe(false);
  });

  it('minLevel III matches III, II and I and not IV; unassessed is offered at the plan level', () => {
    const at = (level: 'I' | 'II' | 'III' | 'IV' | null) =>
      matchIncident(plan, { typeCode: '12D02', level, district: '371002' });
    expect(at('I')?.level).toBe('II'); // the plan has no level I: the nearest defined one
    expect(at('II')?.level).toBe('II');
    expect(at('III')?.level).toBe('III');
    expect(at('IV')).toBeUndefined();
    const un = at(null);
    expect(un?.level).toBe('III');
    expect(un?.reasons.map((r) => r.code)).toEqual(['hazard', 'unassessed', 'city_wide']);
    expect(matchIncident(plan, { typeCode: '12G01', level: 'I', district: null })).toBeUndefined();
  });

  it("a plan's districts restrict it; the proposed level prefers the more severe on a tie", () => {
    const local = { ...plan, activation: { minLevel: 'IV' as const, districts: ['371003'] } };
    expect(matchIncident(local, { typeCode: '12D02', level: 'II', district: '371002' })).toBeUndefined();
    expect(matchIncident(local, { typeCode: '12D02', level: 'II', district: '371003' })?.reasons[2]).toEqual({
      code: 'district',
      district: '371003',
    });
    expect(
      proposedLevel(
        [
          { level: 'I', actions: [] },
          { level: 'III', actions: [] },
        ],
        'II',
      ),
    ).toBe('I');
  });

  it('a warning matches by its colour: listed colours, else the colour level against minLevel', () => {
    expect(matchWarning(plan, { hazardCode: '12D02', colour: 'yellow', district: null })?.level).toBe('III');
    expect(matchWarning(plan, { hazardCode: '12D02', colour: 'blue', district: null })).toBeUndefined();
    const listed = { ...plan, activation: { minLevel: 'III' as const, warningColours: ['blue' as const] } };
    expect(matchWarning(listed, { hazardCode: '12D02', colour: 'blue', district: null })?.reasons[1]).toMatchObject({
      code: 'colour',
      listed: true,
    });
    expect(matchWarning(listed, { hazardCode: '12D02', colour: 'red', district: null })).toBeUndefined();
  });
});

let t: TestPlatform;
let deps: response.ResponseDeps;
let commander: RequestCtx;
const clock = () => t.platform.clock as { now: () => Date };

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<CommandInternal>('command').deps;
  commander = await seededCtx(t.platform, 'commander');
});
afterAll(async () => {
  await t?.stop();
});

const base: PlanInput = {
  name: '危险化学品事故应急预案（测试）',
  kind: 'special',
  hazardCodes: ['12D00'],
  activation: { minLevel: 'III' },
  levels,
};

async function approvedPlan(over: Partial<PlanInput> = {}) {
  const p = await plans.createPlan(deps, commander, { ...base, ...over, ownerUnit: 'yjj' });
  return plans.updatePlan(deps, commander, p.id, { version: p.version, status: 'approved' });
}

/** a hazardous-chemicals leak in Huancui with 3 deaths: level III under Order 493 */
function chemicalIncident(over: Record<string, unknown> = {}) {
  return makeIncident(t.platform, commander, { typeCode: '12D02', casualties: { deaths: 3 }, ...over });
}

describe('the plans register', () => {
  it("accepts the issue's least digital plan, with units as codes or ids, and refuses an unknown unit by its field", async () => {
    const units = await t.platform.access.listUnits();
    const wjwId = units.find((u) => u.code === 'wjw')?.id as string;
    const p = await plans.createPlan(deps, commander, {
      name: '最简数字化预案',
      kind: 'department',
      hazardCodes: ['11B01'],
      activation: { minLevel: 'IV' },
      levels: [{ level: 'IV', actions: [{ unit: wjwId, title: '医疗保障', dueMinutes: 60 }] }],
    });
    expect(p.digital).toBe(true);
    expect(p.status).toBe('draft');
    expect(p.levels[0]?.actions[0]?.unit).toBe('wjw');
    expect(p.ownerUnit?.code).toBe('yjj');
    const bad = await refusal(
      plans.createPlan(deps, commander, {
        ...base,
        levels: [
          {
            level: 'II',
            actions: [
              { unit: 'yjj', title: 'a', dueMinutes: 1 },
              { unit: 'nope', title: 'b', dueMinutes: 1 },
            ],
          },
        ],
      }),
    );
    expect(bad).toMatchObject({ code: 'UNKNOWN_UNIT', status: 400, field: 'levels.0.actions.1.unit' });
    expect(await refusal(plans.createPlan(deps, commander, { ...base, hazardCodes: ['99X99'] }))).toMatchObject({
      code: 'UNKNOWN_HAZARD_CODE',
      field: 'hazardCodes.0',
    });
  });

  it('approval makes edition 1, each change of an approved plan the next edition; review due 3 years on', async () => {
    const p = await plans.createPlan(deps, commander, { ...base, name: '版本测试预案' });
    const staff = await seededCtx(t.platform, 'department_staff');
    expect(
      await refusal(plans.updatePlan(deps, staff, p.id, { version: p.version, status: 'approved' })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const a = await plans.updatePlan(deps, commander, p.id, {
      version: p.version,
      status: 'approved',
      approvedOn: '2023-01-10',
    });
    expect(a).toMatchObject({ edition: 1, approvedOn: '2023-01-10', reviewDueOn: '2026-01-10', overdue: true });
    const b = await plans.updatePlan(deps, commander, p.id, { version: a.version, summary: '修订', note: '第二版' });
    expect(b.edition).toBe(2);
    const v = await plans.planVersions(deps, commander, p.id);
    expect(v.items.map((x) => x.edition)).toEqual([2, 1]);
    expect(v.items[0]?.note).toBe('第二版');
    expect(await refusal(plans.updatePlan(deps, commander, p.id, { version: a.version, summary: 'x' }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
    });
    const overdue = await plans.listPlans(deps, commander, { review: 'overdue', q: '版本测试' });
    expect(overdue.items.map((x) => x.id)).toEqual([p.id]);
  });
});

describe('activation and tasks', () => {
  it('suggests the matching plan with reasons, activates it: tasks due activation + dueMinutes', async () => {
    const plan = await approvedPlan({ name: '化学品预案A' });
    const inc = await chemicalIncident();
    expect(inc.level).toBe('III');
    const s = await response.incidentSuggestions(deps, commander, inc.id);
    const mine = s.items.find((x) => x.planId === plan.id);
    expect(mine).toMatchObject({ level: 'III', active: false });
    expect(mine?.reasons.map((r) => r.code)).toEqual(['hazard', 'level', 'city_wide']);

    const now = new Date('2026-12-04T10:00:00Z');
    const real = clock().now;
    clock().now = () => now;
    try {
      const a = await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'III' });
      expect(a.tasks.total).toBe(2);
      const list = await tasks.listTasks(deps, commander, { incidentId: inc.id });
      const due = Object.fromEntries(list.items.map((x) => [x.unit, x.dueAt]));
      expect(due).toEqual({ xfzd: '2026-12-04T10:15:00.000Z', gaj: '2026-12-04T10:45:00.000Z' });
      expect(list.items.find((x) => x.unit === 'xfzd')?.checklist).toEqual([
        { text: '划定警戒区', done: false },
        { text: '侦检', done: false },
      ]);
      expect(await refusal(response.activate(deps, commander, inc.id, { planId: plan.id, level: 'II' }))).toMatchObject(
        { code: 'PLAN_ALREADY_ACTIVE', status: 409, field: 'planId' },
      );
    } finally {
      clock().now = real;
    }
  });

  it('raising the level adds the missing tasks; lowering cancels those the level lacks, done ones stay', async () => {
    const plan = await approvedPlan({ name: '化学品预案B' });
    const inc = await chemicalIncident();
    const a = await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'III' });
    const up = await response.changeLevel(deps, commander, inc.id, a.id, { level: 'II' });
    expect(up.level).toBe('II');
    let list = (await tasks.listTasks(deps, commander, { incidentId: inc.id })).items;
    // III had xfzd + gaj; II adds wjw + sthjj; gaj (not in II) is cancelled with a note
    expect(
      list
        .filter((x) => x.status === 'open')
        .map((x) => x.unit)
        .sort(),
    ).toEqual(['sthjj', 'wjw', 'xfzd']);
    const gaj = list.find((x) => x.unit === 'gaj');
    expect(gaj?.status).toBe('cancelled');
    expect(gaj?.closedNote).toContain('II');
    // wjw finishes its task, then the level is lowered again: wjw's done task stays done, sthjj's is cancelled,
    // gaj gets a new task
    const wjw = list.find((x) => x.unit === 'wjw');
    await tasks.updateTask(deps, commander, wjw?.id as string, { version: wjw?.version as number, status: 'done' });
    const down = await response.changeLevel(deps, commander, inc.id, a.id, { level: 'III' });
    expect(down.level).toBe('III');
    list = (await tasks.listTasks(deps, commander, { incidentId: inc.id })).items;
    const by = (unit: string) =>
      list
        .filter((x) => x.unit === unit)
        .map((x) => x.status)
        .sort();
    expect(by('wjw')).toEqual(['done']);
    expect(by('sthjj')).toEqual(['cancelled']);
    expect(by('gaj')).toEqual(['cancelled', 'open']);
    expect(by('xfzd')).toEqual(['open']);
    expect(await refusal(response.changeLevel(deps, commander, inc.id, a.id, { level: 'III' }))).toMatchObject({
      code: 'ACTIVATION_SAME_LEVEL',
      status: 409,
    });
    expect(await refusal(response.changeLevel(deps, commander, inc.id, a.id, { level: 'I' }))).toMatchObject({
      code: 'PLAN_LEVEL_UNDEFINED',
      field: 'level',
    });
  });

  it('ending the response closes the open tasks with the note; an ended response refuses changes', async () => {
    const plan = await approvedPlan({ name: '化学品预案C' });
    const inc = await chemicalIncident();
    const a = await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'III' });
    const ended = await response.endActivation(deps, commander, inc.id, a.id, { note: '险情排除' });
    expect(ended).toMatchObject({ status: 'ended', endedNote: '险情排除', tasks: { open: 0, cancelled: 2 } });
    const list = (await tasks.listTasks(deps, commander, { incidentId: inc.id })).items;
    expect(list.every((x) => x.status === 'cancelled' && x.closedNote === '险情排除')).toBe(true);
    expect(await refusal(response.endActivation(deps, commander, inc.id, a.id, {}))).toMatchObject({
      code: 'ACTIVATION_ENDED',
      status: 409,
    });
    // the plan may be activated again on the incident once its response has ended
    const again = await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'III' });
    expect(again.status).toBe('active');
  });

  it('a draft plan or a level it lacks is refused by its field', async () => {
    const draft = await plans.createPlan(deps, commander, { ...base, name: '草稿预案' });
    const inc = await chemicalIncident();
    expect(await refusal(response.activate(deps, commander, inc.id, { planId: draft.id, level: 'III' }))).toMatchObject(
      { code: 'PLAN_NOT_ACTIVATABLE', field: 'planId' },
    );
    const ok = await approvedPlan({ name: '化学品预案D' });
    expect(await refusal(response.activate(deps, commander, inc.id, { planId: ok.id, level: 'IV' }))).toMatchObject({
      code: 'PLAN_LEVEL_UNDEFINED',
      field: 'level',
    });
    const staff = await seededCtx(t.platform, 'department_staff');
    expect(await refusal(response.activate(deps, staff, inc.id, { planId: ok.id, level: 'III' }))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
  });

  it('a stale version is 409; the assignee must be of the task unit; checklist ticks are kept', async () => {
    const plan = await approvedPlan({ name: '化学品预案E' });
    const inc = await chemicalIncident();
    await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'III' });
    const task = (await tasks.listTasks(deps, commander, { incidentId: inc.id, unit: 'xfzd' })).items[0];
    if (!task) throw new Error('no xfzd task');
    const fire = await ctxAs(t.platform, 'department_staff', 'xfzd', 'department');
    const ticked = await tasks.updateTask(deps, fire, task.id, {
      version: task.version,
      status: 'in_progress',
      checklist: [true, false],
      assigneeId: fire.actor.id as string,
    });
    expect(ticked).toMatchObject({ status: 'in_progress', checklist: [{ done: true }, { done: false }] });
    expect(ticked.assignee?.id).toBe(fire.actor.id);
    expect(
      await refusal(tasks.updateTask(deps, fire, task.id, { version: task.version, status: 'done' })),
    ).toMatchObject({ code: 'VERSION_CONFLICT', status: 409, field: 'version' });
    const health = await seededCtx(t.platform, 'department_staff');
    expect(
      await refusal(
        tasks.updateTask(deps, commander, task.id, { version: ticked.version, assigneeId: health.actor.id as string }),
      ),
    ).toMatchObject({ code: 'ASSIGNEE_NOT_IN_UNIT', field: 'assigneeId' });
    expect(
      await refusal(tasks.updateTask(deps, commander, task.id, { version: ticked.version, checklist: [true] })),
    ).toMatchObject({ code: 'CHECKLIST_LENGTH', field: 'checklist' });
    const c = await tasks.addComment(deps, fire, task.id, { text: '已到场' });
    expect((await tasks.listComments(deps, commander, task.id)).items.map((x) => x.id)).toContain(c.id);
  });

  it("scope: a department sees only its unit's tasks (and mine=true is the caller's unit); the city sees all", async () => {
    const plan = await approvedPlan({ name: '化学品预案F' });
    const inc = await chemicalIncident();
    await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'II' });
    const health = await seededCtx(t.platform, 'department_staff'); // wjw
    const seen = await tasks.listTasks(deps, health, { incidentId: inc.id });
    expect(seen.items.map((x) => x.unit)).toEqual(['wjw']);
    expect((await tasks.listTasks(deps, commander, { incidentId: inc.id })).total).toBe(3);
    const mine = await tasks.listTasks(deps, health, { mine: true, incidentId: inc.id });
    expect(mine.items.map((x) => x.unit)).toEqual(['wjw']);
    const other = (await tasks.listTasks(deps, commander, { incidentId: inc.id, unit: 'xfzd' })).items[0];
    expect(await refusal(tasks.getTask(deps, health, other?.id as string))).toMatchObject({
      code: 'OUT_OF_SCOPE',
      status: 403,
    });
    // attachments follow the same scope: a unit attaches to its own task, not to another unit's
    const own = seen.items[0]?.id as string;
    const file = await t.platform.files.upload(health, {
      entity: 'task',
      entityId: own,
      name: '现场记录.txt',
      data: new TextEncoder().encode('到达现场'),
    });
    expect(file.entityId).toBe(own);
    expect(
      await refusal(
        t.platform.files.upload(health, {
          entity: 'task',
          entityId: other?.id as string,
          name: 'x.txt',
          data: new TextEncoder().encode('x'),
        }),
      ),
    ).toMatchObject({ code: 'OUT_OF_SCOPE', field: 'entityId' });
  });

  it('an overdue task raises one alarm (severity: the incident level), once, with an injected clock', async () => {
    const plan = await approvedPlan({ name: '化学品预案G' });
    const inc = await chemicalIncident({ casualties: { deaths: 12 } }); // level II
    expect(inc.level).toBe('II');
    const start = new Date(Date.now() + 30 * 86_400_000);
    const real = clock().now;
    clock().now = () => start;
    try {
      await response.activate(deps, commander, inc.id, { planId: plan.id, level: 'II' });
    } finally {
      clock().now = real;
    }
    const ids = (await tasks.listTasks(deps, commander, { incidentId: inc.id })).items.map((x) => x.id);
    const alarmsOf = () =>
      t.platform.db.kysely
        .selectFrom('alerts')
        .select(['source_id', 'severity', 'unit_code'])
        .where('source', '=', 'task')
        .where('source_id', 'in', ids)
        .execute();
    // 20 minutes after activation only the 15-minute task is overdue
    await tasks.escalateOverdue(deps, new Date(start.getTime() + 20 * 60_000));
    let alarms = await alarmsOf();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ severity: 'II', unit_code: 'xfzd' });
    // two hours on: the other two; the first is not raised again, nor anything on a second run
    await tasks.escalateOverdue(deps, new Date(start.getTime() + 120 * 60_000));
    await tasks.escalateOverdue(deps, new Date(start.getTime() + 121 * 60_000));
    alarms = await alarmsOf();
    expect(alarms.map((a) => a.source_id).sort()).toEqual([...ids].sort());
    // the list's overdue flag follows the clock
    clock().now = () => new Date(start.getTime() + 120 * 60_000);
    try {
      expect((await tasks.listTasks(deps, commander, { incidentId: inc.id, overdue: true })).total).toBe(3);
    } finally {
      clock().now = real;
    }
    // acknowledging the alarm writes a line on the task
    const fire = await ctxAs(t.platform, 'department_staff', 'xfzd', 'department');
    const open = await t.platform.alerts.listOpen(fire, {});
    const alarm = open.items.find((a) => a.source === 'task' && ids.includes(a.sourceId));
    if (!alarm) throw new Error('the unit does not see its overdue alarm');
    await t.platform.alerts.acknowledge(fire, alarm.id);
    const lines = await tasks.listComments(deps, commander, alarm.sourceId);
    expect(lines.items.some((c) => c.text.includes('acknowledged'))).toBe(true);
  });
});

describe('warnings', () => {
  it('suggests plans for a warning and promotes it to an incident with its suggestions in one step', async () => {
    const plan = await approvedPlan({
      name: '防台风预案（测试）',
      hazardCodes: ['11B00'],
      activation: { minLevel: 'IV', warningColours: ['orange', 'red'] },
      levels: [{ level: 'II', actions: [{ unit: 'hyj', title: '渔船回港', dueMinutes: 120 }] }],
    });
    const warnings = t.module<{ svc: { create(ctx: RequestCtx, w: WarningInput): Promise<{ id: string }> } }>(
      'warnings',
    );
    const w = await warnings.svc.create(commander, {
      hazardCode: '11B01',
      colour: 'orange',
      title: '台风橙色预警（测试）',
      district: '371002',
    });
    const s = await response.warningSuggestions(deps, commander, w.id);
    expect(s.items.find((x) => x.planId === plan.id)).toMatchObject({ level: 'II' });
    const r = await response.promoteWarning(deps, commander, w.id);
    expect(r.incident.typeCode).toBe('11B01');
    expect(r.suggestions.items.map((x) => x.planId)).toContain(plan.id);
    expect(await refusal(response.promoteWarning(deps, commander, w.id))).toMatchObject({
      code: 'WARNING_ALREADY_PROMOTED',
    });
  });
});

describe('the demo', () => {
  it("loads Weihai's three digital plans, approved, with real unit codes; the chemicals plan answers a leak", async () => {
    expect(await loadCommandDemo(deps)).toContain('3');
    const demo = (await plans.listPlans(deps, commander, { q: '演示', digital: true })).items;
    expect(demo).toHaveLength(3);
    expect(demo.every((p) => p.status === 'approved' && p.demo && p.edition === 1)).toBe(true);
    const inc = await chemicalIncident();
    const s = await response.incidentSuggestions(deps, commander, inc.id);
    const chem = s.items.find((x) => x.name.includes('危险化学品'));
    expect(chem?.level).toBe('III');
  });
});
