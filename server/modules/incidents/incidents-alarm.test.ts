import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../contracts/alerts.ts';
import { canSee } from '../../platform/access/scope.ts';
import { listAudit } from '../../platform/audit/audit.repository.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { DomainEvent } from '../../platform/events/events.ts';
import { ctxAs, incidentInput, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as incidents from './incidents.service.ts';
import type { IncidentsApi } from './index.ts';

// The alarm of issue 9 at the service level, on real repositories: incidents raise alarms through the platform's
// alert service, each user sees the open ones they may see, and a unit's acknowledgement (接报确认) clears them for
// every user of that unit and is written on the incident's log and in the audit trail.
let t: TestPlatform;
let deps: incidents.IncidentDeps;
let duty: RequestCtx; // 应急管理局 (yjj), city scope
let commander: RequestCtx; // the same unit
let huancui: RequestCtx; // 环翠区 staff
let wendeng: RequestCtx; // 文登区 staff
const events: DomainEvent[] = [];

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<IncidentsApi & { deps: incidents.IncidentDeps }>('incidents').deps;
  duty = await seededCtx(t.platform, 'duty_officer');
  commander = await seededCtx(t.platform, 'commander');
  huancui = await seededCtx(t.platform, 'district_staff');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  t.bus.listen((e) => events.push(e));
});
afterAll(() => t?.stop());

const HUANCUI_POINT = { type: 'Point', coordinates: [122.12, 37.5] };
/** level I by Order 493: 32 deaths */
const levelOne = { typeCode: '12D01', casualties: { deaths: 32 }, title: '化工厂爆炸', location: HUANCUI_POINT };

const open = async (ctx: RequestCtx): Promise<Alert[]> => (await t.platform.alerts.listOpen(ctx, { limit: 200 })).items;
const openFor = async (ctx: RequestCtx, incidentId: string) =>
  (await open(ctx)).filter((a) => a.source === 'incident' && a.sourceId === incidentId);

describe('an incident raises an alarm by its level', () => {
  it('a level I report alarms the city and its district, not another district, and only they receive it live', async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput(levelOne));
    expect(i.level).toBe('I');
    const [a] = await openFor(commander, i.id);
    expect(a).toMatchObject({
      severity: 'I',
      link: `/incidents/${i.id}`,
      district: { code: '371002', name: '环翠区' },
      acknowledged: null,
    });
    expect(a.title.zh).toContain(i.number);
    expect(a.title.zh).toContain('化工厂爆炸');
    expect(a.title.en).toMatch(/^New incident: WH-/);
    expect(await openFor(huancui, i.id)).toHaveLength(1);
    expect(await openFor(wendeng, i.id)).toHaveLength(0);

    await t.bus.settle();
    const raised = events.find((e) => e.type === 'alert.raised' && (e.payload as Alert).sourceId === i.id);
    expect(raised).toBeDefined();
    expect(canSee(commander.actor, raised!.visibility)).toBe(true);
    expect(canSee(huancui.actor, raised!.visibility)).toBe(true);
    expect(canSee(wendeng.actor, raised!.visibility)).toBe(false);
  });

  it('a register imported in bulk alarms only for its level I–II rows; the demo’s history alarms nobody', async () => {
    const now = new Date();
    const rows = [
      await incidents.prepareIncident(deps, duty, incidentInput({ ...levelOne, title: '导入：特别重大' }), now),
      await incidents.prepareIncident(deps, duty, incidentInput({ title: '导入：一般' }), now),
    ];
    const [serious, minor] = await t.platform.db.transaction(async (trx) => [
      await incidents.writeIncident(deps, trx, duty, rows[0], now, { alarm: 'serious' }),
      await incidents.writeIncident(deps, trx, duty, rows[1], now, { alarm: 'serious' }),
    ]);
    expect([serious.level, minor.level]).toEqual(['I', 'IV']);
    expect(await openFor(commander, serious.id)).toHaveLength(1);
    expect(await openFor(commander, minor.id)).toHaveLength(0);
    const demo = await t.platform.db.transaction(async (trx) =>
      incidents.writeIncident(deps, trx, duty, rows[0], now, { demo: true }),
    );
    expect(await openFor(commander, demo.id)).toHaveLength(0);
  });

  it('an incident without a level alarms as IV', async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput({ typeCode: '13A07' }));
    expect(i.level).toBeNull();
    expect((await openFor(commander, i.id)).map((a) => a.severity)).toEqual(['IV']);
  });

  it('a rise of the level alarms again (computed or set by hand), a fall does not', async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput({ typeCode: '12D01' }));
    expect((await openFor(commander, i.id)).map((a) => a.severity)).toEqual(['IV']);
    await incidents.updateIncident(deps, duty, i.id, { casualties: { deaths: 12 } });
    const afterRise = await openFor(commander, i.id);
    expect(afterRise.map((a) => a.severity)).toEqual(['II', 'IV']);
    expect(afterRise[0].title.en).toContain('Level raised to II');
    await incidents.updateIncident(deps, duty, i.id, { casualties: { deaths: 1 } });
    expect(await openFor(commander, i.id)).toHaveLength(2);
    await incidents.updateIncident(deps, duty, i.id, { level: 'I', levelReason: '社会影响重大' });
    expect((await openFor(commander, i.id)).map((a) => a.severity)).toEqual(['I', 'II', 'IV']);
    await incidents.updateIncident(deps, duty, i.id, { level: 'III', levelReason: '核实后下调' });
    expect(await openFor(commander, i.id)).toHaveLength(3);
  });

  it('lists the most severe first, then the newest', async () => {
    const items = await open(commander);
    const ranks = items.map((a) => ['I', 'II', 'III', 'IV'].indexOf(a.severity));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  });
});

describe('接报确认: acknowledging an alarm', () => {
  it("clears it for every user of the acknowledging unit only, and writes who and when on the incident's log and in the audit", async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput(levelOne));
    const [a] = await openFor(duty, i.id);
    const reply = await t.platform.alerts.acknowledge(duty, a.id);
    expect(reply.acknowledgedNow).toBe(true);
    expect(reply.alert.acknowledged).toMatchObject({ unitCode: 'yjj', userName: duty.actor.name });

    // the unit's every user: cleared; another unit that sees it: still open
    expect(await openFor(duty, i.id)).toHaveLength(0);
    expect(await openFor(commander, i.id)).toHaveLength(0);
    expect(await openFor(huancui, i.id)).toHaveLength(1);

    const log = await incidents.listLog(deps, commander, i.id);
    const entry = log.items.find((e) => e.kind === 'acknowledged');
    expect(entry).toBeDefined();
    const unit = reply.alert.acknowledged!;
    expect(entry!.text).toBe(`接报确认：${unit.unitName}（${duty.actor.name}）`);
    expect(entry!.actor?.id).toBe(duty.actor.id);
    expect(entry!.at).toBe(unit.at);
    expect(entry!.data).toMatchObject({
      unitId: unit.unitId,
      unitName: unit.unitName,
      unitNameEn: unit.unitNameEn,
      userName: duty.actor.name,
    });
    expect(unit.unitNameEn).not.toBe('');

    const audit = await listAudit(t.platform.db.kysely, { entityId: i.id, action: 'incident.acknowledged' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorId: duty.actor.id, after: { unitName: unit.unitName } });
    const alertAudit = await listAudit(t.platform.db.kysely, { entityId: a.id, action: 'alert.acknowledged' });
    expect(alertAudit.items).toHaveLength(1);

    // the other screens of the unit clear at once: the event reaches those who see the alert, naming the unit
    await t.bus.settle();
    const acked = events.find((e) => e.type === 'alert.acknowledged' && e.entityId === a.id);
    expect(acked?.payload).toMatchObject({ alertId: a.id, ack: { unitCode: 'yjj' } });
    expect(canSee(commander.actor, acked!.visibility)).toBe(true);
    expect(canSee(wendeng.actor, acked!.visibility)).toBe(false);
  });

  it('an incident closed ends its alarms: they leave every tray, acknowledged or not, and the screens are told', async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput({ ...levelOne, title: '误报：化工厂爆炸' }));
    expect(await openFor(huancui, i.id)).toHaveLength(1);
    expect(await openFor(commander, i.id)).toHaveLength(1);
    await incidents.transitionIncident(deps, duty, i.id, { to: 'closed', note: '误报' });
    expect(await openFor(huancui, i.id)).toHaveLength(0);
    expect(await openFor(commander, i.id)).toHaveLength(0);
    await t.bus.settle();
    const resolved = events.filter(
      (e) => e.type === 'alert.resolved' && (e.payload as { sourceId: string }).sourceId === i.id,
    );
    expect(resolved).toHaveLength(1);
    expect(canSee(huancui.actor, resolved[0].visibility)).toBe(true);
    expect(canSee(wendeng.actor, resolved[0].visibility)).toBe(false);
  });

  it('a second acknowledgement by the same unit is a harmless no-op answer naming who did it first', async () => {
    const i = await incidents.createIncident(deps, duty, incidentInput(levelOne));
    const [a] = await openFor(duty, i.id);
    await t.platform.alerts.acknowledge(duty, a.id);
    const again = await t.platform.alerts.acknowledge(commander, a.id);
    expect(again.acknowledgedNow).toBe(false);
    expect(again.alert.acknowledged?.userName).toBe(duty.actor.name);
    const log = await incidents.listLog(deps, commander, i.id);
    expect(log.items.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
    // the district acknowledges for itself
    expect((await t.platform.alerts.acknowledge(huancui, a.id)).acknowledgedNow).toBe(true);
    expect(await openFor(huancui, i.id)).toHaveLength(0);
  });

  it('refuses in words: an unknown alarm (404), one outside the data scope (403), a role without the right', async () => {
    const missing = '0190f5a0-0000-7000-8000-000000000000';
    expect(await refusal(t.platform.alerts.acknowledge(duty, missing), 'zh')).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: '未找到：告警',
    });
    expect(await refusal(t.platform.alerts.acknowledge(duty, missing), 'en')).toMatchObject({
      message: 'Not found: alert',
    });
    expect(await refusal(t.platform.alerts.acknowledge(duty, 'not-an-id'), 'en')).toMatchObject({
      code: 'VALIDATION',
      field: 'id',
      status: 400,
    });
    const i = await incidents.createIncident(deps, duty, incidentInput(levelOne));
    const [a] = await openFor(duty, i.id);
    const scope = await refusal(t.platform.alerts.acknowledge(wendeng, a.id), 'zh');
    expect(scope).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    expect(scope.message).toContain('区市人员');
    const viewer = await seededCtx(t.platform, 'viewer');
    expect(await refusal(t.platform.alerts.acknowledge(viewer, a.id))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    expect(await openFor(duty, i.id)).toHaveLength(1);
  });
});
