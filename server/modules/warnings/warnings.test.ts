import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../contracts/alerts.ts';
import { COLOUR_INFO } from '../../../contracts/monitoring.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { MonitoringApi } from '../monitoring/index.ts';
import type { WarningsInternal } from './module.ts';

// Warnings at the service level on real repositories: a gas detector's readings raise a warning with an alarm;
// nobody acknowledges → the policy's next contact is called (a real webhook server receives both steps);
// acknowledging the alarm stops the escalation; lifting by hand needs a reason; a warning becomes an incident.
let t: TestPlatform;
let m: MonitoringApi;
let w: WarningsInternal;
let duty: RequestCtx;
let admin: RequestCtx;
let wendeng: RequestCtx;
let hook: Server;
let hookUrl: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let clockNow = Date.parse('2026-07-01T08:00:00+08:00');
let realNow: (() => Date) | undefined;

beforeAll(async () => {
  t = await startTestPlatform();
  m = t.module<MonitoringApi>('monitoring');
  w = t.module<WarningsInternal>('warnings');
  // the escalation's clock is the platform's: a test moves it by replacing `now` (the clock object is shared by the
  // test files of a worker: it is put back after this file)
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clockNow);
  duty = await seededCtx(t.platform, 'duty_officer');
  admin = await seededCtx(t.platform, 'admin');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  hook = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await new Promise((r) => hook?.close(r));
  await t?.stop();
});

const HUANCUI = { type: 'Point' as const, coordinates: [122.12, 37.5] };

async function gasDetector(name: string) {
  const { device } = await m.createDevice(duty, {
    name,
    kind: 'gas_detector',
    metrics: ['gas_lel_pct'],
    location: HUANCUI,
  });
  return device;
}

/** a reading now, after moving the clock on by `minutes` */
async function reading(deviceId: string, value: number, minutes = 0) {
  clockNow += minutes * 60_000;
  const ts = new Date(clockNow).toISOString();
  const r = await m.ingest(deviceId, { ts, values: { gas_lel_pct: value } }, 'test');
  await m.drain();
  return r;
}

const openWarningAlerts = async (ctx: RequestCtx, id: string): Promise<Alert[]> =>
  (await t.platform.alerts.listOpen(ctx, { limit: 200 })).items.filter(
    (a) => a.source === 'warning' && a.sourceId === id,
  );

describe('a warning from readings, its alarm and its escalation', () => {
  it('raises at 25 %LEL (yellow), rises to orange, alarms each time, escalates to the next contact until acknowledged', async () => {
    const policy = await w.escalation.createPolicy(admin, {
      name: '危化品气体报警',
      hazardCodes: ['12D02'],
      districts: [],
      minColour: 'yellow',
      steps: [
        {
          afterMinutes: 0,
          contacts: [{ unit: 'yjj', channels: ['in_app', 'webhook'], webhookUrl: `${hookUrl}/duty` }],
        },
        { afterMinutes: 10, contacts: [{ user: 'commander', channels: ['webhook'], webhookUrl: `${hookUrl}/leader` }] },
      ],
    });
    expect(policy.steps).toHaveLength(2);
    const d = await gasDetector('化工园区 1号探测器');
    expect((await reading(d.id, 12)).accepted).toBe(1);
    expect(w.activeColourOf(d.id)).toBeNull();
    await reading(d.id, 27, 1);
    const [raised] = (await w.svc.list(duty, { deviceId: d.id, status: 'active' })).items;
    expect(raised).toMatchObject({ hazardCode: '12D02', colour: 'yellow', status: 'raised', source: 'rule' });
    expect(raised!.title).toContain('黄色预警');
    expect((await openWarningAlerts(duty, raised!.id)).map((a) => a.severity)).toEqual(['III']);
    await w.escalation.sweep();
    expect(received.map((r) => r.path)).toEqual(['/duty']);
    expect(received[0]!.body).toMatchObject({ id: raised!.id, colour: 'yellow', hazardCode: '12D02' });

    // a rise: orange alarm (II)
    await reading(d.id, 55, 2);
    const risen = await w.svc.get(duty, raised!.id);
    expect(risen.colour).toBe('orange');
    expect(risen.levelHistory.map((h) => h.colour)).toEqual(['yellow', 'orange']);
    expect((await openWarningAlerts(duty, raised!.id)).map((a) => a.severity).sort()).toEqual(['II', 'III']);

    // nobody acknowledges for 10 minutes: the leader is called
    received.length = 0;
    clockNow += 11 * 60_000;
    await w.escalation.sweep();
    const paths = received.map((r) => r.path).sort();
    expect(paths).toContain('/leader');
    const deliveries = await w.escalation.deliveries(raised!.id);
    expect(deliveries.filter((x) => x.status === 'sent').map((x) => `${x.step}:${x.channel}:${x.reason}`)).toEqual(
      expect.arrayContaining(['0:in_app:raised', '0:webhook:raised', '1:webhook:escalated']),
    );

    // 接报确认 of the alarm: the warning is acknowledged, nobody else is called
    const [alarm] = await openWarningAlerts(duty, raised!.id);
    await t.platform.alerts.acknowledge(duty, alarm!.id);
    expect((await w.svc.get(duty, raised!.id)).status).toBe('acknowledged');
    // the gas clears: the warning keeps its colour while a rule held within 30 minutes …
    await reading(d.id, 3, 1);
    expect(w.activeColourOf(d.id)).toBe('orange');
    received.length = 0;
    clockNow += 60 * 60_000;
    await w.escalation.sweep();
    expect(received).toEqual([]);
    // … and is lifted at the first reading when none has held for 30 minutes
    await reading(d.id, 2, 1);
    const lifted = await w.svc.get(duty, raised!.id);
    expect(lifted.status).toBe('lifted');
    expect(lifted.liftedReason).toContain('30');
    expect(await openWarningAlerts(duty, raised!.id)).toEqual([]);
  });

  it('lifting by hand needs a reason and the current version; a district sees only its own warnings', async () => {
    const d = await gasDetector('化工园区 2号探测器');
    await reading(d.id, 60, 1);
    const [x] = (await w.svc.list(duty, { deviceId: d.id, status: 'active' })).items;
    expect(x!.colour).toBe('orange');
    expect((await refusal(w.svc.liftByHand(duty, x!.id, { reason: '', version: x!.version }))).code).toBe('VALIDATION');
    expect((await refusal(w.svc.liftByHand(duty, x!.id, { reason: '误报', version: x!.version + 5 }))).code).toBe(
      'VERSION_CONFLICT',
    );
    expect((await refusal(w.svc.get(wendeng, x!.id))).code).toBe('OUT_OF_SCOPE');
    const lifted = await w.svc.liftByHand(duty, x!.id, { reason: '探头校准误报', version: x!.version });
    expect(lifted).toMatchObject({ status: 'lifted', liftedReason: '探头校准误报', liftedBy: duty.actor.name });
    // a new reading over the threshold raises a new warning (the old one stays lifted)
    await reading(d.id, 70, 1);
    const active = (await w.svc.list(duty, { deviceId: d.id, status: 'active' })).items;
    expect(active).toHaveLength(1);
    expect(active[0]!.id).not.toBe(x!.id);
  });

  it('a warning becomes an incident in one step, once', async () => {
    const d = await gasDetector('化工园区 3号探测器');
    await reading(d.id, 80, 1);
    const [x] = (await w.svc.list(duty, { deviceId: d.id, status: 'active' })).items;
    const { incidentId, warning } = await w.svc.promote(duty, x!.id);
    expect(warning.incidentId).toBe(incidentId);
    const incident = await t
      .module<{
        getIncident: (
          c: RequestCtx,
          id: string,
        ) => Promise<{ typeCode: string; district: unknown; description: string }>;
      }>('incidents')
      .getIncident(duty, incidentId);
    expect(incident.typeCode).toBe('12D02');
    expect(incident.district).toMatchObject({ code: '371002' });
    expect(incident.description).toContain(x!.number);
    expect((await refusal(w.svc.promote(duty, x!.id))).code).toBe('WARNING_ALREADY_PROMOTED');
  });

  it('an area warning by hand needs an area; a bad reading goes to the dead letters with its reason', async () => {
    expect((await refusal(w.svc.create(duty, { hazardCode: '11B06', colour: 'blue', title: '大风' }))).field).toBe(
      'area',
    );
    const byDistrict = await w.svc.create(duty, {
      hazardCode: '11B06',
      colour: 'blue',
      title: '文登大风',
      district: '371003',
    });
    expect(byDistrict.area?.type).toMatch(/Polygon/);
    expect(byDistrict.district?.code).toBe('371003');
    const d = await gasDetector('化工园区 4号探测器');
    const r = await m.ingest(
      d.id,
      [
        { ts: new Date(clockNow).toISOString(), values: { gas_lel_pct: 140, rain_mm: 1 } },
        { ts: '2026-07-01 08:00', values: { gas_lel_pct: 1 } },
      ],
      'test',
    );
    expect(r.accepted).toBe(0);
    expect(r.rejected.map((x) => `${x.index}:${x.metric ?? ''}`)).toEqual(['0:gas_lel_pct', '0:rain_mm', '1:']);
    const dead = await m.deadLetters(admin, { deviceId: d.id });
    expect(dead.items[0]!.reason).toContain('outside the physical range');
    expect(dead.items[0]!.reason).toContain('not registered for this device');
    expect(dead.items[0]!.reason).toContain('offset');
  });
});

describe('the active warnings on the command map', () => {
  it('the catalogue lists the layer for whoever may read warnings, above the devices, with the four colours', () => {
    const ids = t.platform.map.layers(duty.actor).map((l) => l.id);
    expect(ids).toContain('warnings');
    expect(ids.indexOf('warnings')).toBeGreaterThan(ids.indexOf('incidents'));
    expect(ids.indexOf('warnings')).toBeLessThan(ids.indexOf('devices'));
    const layer = t.platform.map.layers(duty.actor).find((l) => l.id === 'warnings');
    expect(layer?.group).toBe('warnings');
    expect(layer?.geometry).toBe('polygon');
    expect(layer?.source).toEqual({ kind: 'geojson', url: '/api/v1/warnings?status=active' });
    expect(layer?.legend.map((r) => `${r.label}/${r.labelEn}/${r.color}`)).toEqual([
      `红色预警/Red/${COLOUR_INFO.red.color}`,
      `橙色预警/Orange/${COLOUR_INFO.orange.color}`,
      `黄色预警/Yellow/${COLOUR_INFO.yellow.color}`,
      `蓝色预警/Blue/${COLOUR_INFO.blue.color}`,
    ]);
    // without warnings.read the layer is not listed (the map page asks the catalogue what to draw)
    const permissions = new Set([...duty.actor.permissions].filter((x) => x !== 'warnings.read'));
    const ids2 = t.platform.map.layers({ ...duty.actor, permissions }).map((l) => l.id);
    expect(ids2).not.toContain('warnings');
    expect(ids2).toContain('devices');
  });
});
