import { DEVICE_STATUS_INFO, DEVICE_STATUSES, type Rule } from '../../../contracts/monitoring.ts';
import type { GeoApi } from '../../geo/index.ts';
import { emitEvents } from '../../platform/events/events.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import { defineModule } from '../../platform/module.ts';
import type { WarningsApi } from '../warnings/index.ts';
import { deviceImport } from './devices.import.ts';
import type { MonitoringApi } from './index.ts';
import { type CachedDevice, cachedDevice, Ingestion } from './ingest.ts';
import { KNMI_ATTRIBUTION, loadMonitoringDemo } from './monitoring.demo.ts';
import { MONITORING_ERRORS } from './monitoring.errors.ts';
import * as repo from './monitoring.repository.ts';
import { monitoringRoutes } from './monitoring.routes.ts';
import * as svc from './monitoring.service.ts';
import { deviceVisibility } from './monitoring.service.ts';
import type { MqttTransport, TopicRoute } from './mqtt/mqtt.types.ts';
import { startMqtt } from './mqtt/mqtt-transport.ts';
import { replayCommand } from './mqtt/replay.ts';
import { evaluateSeries } from './series-eval.ts';

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;

export type MonitoringInternal = MonitoringApi & {
  deps: svc.MonitoringDeps;
  ingestion: Ingestion;
  timers: NodeJS.Timeout[];
  units: Map<string, { code: string; name: string; nameEn: string }>;
  mqtt: MqttTransport | undefined;
  routes: TopicRoute[];
};

/** Monitoring: devices, ingestion (MQTT, HTTP, CSV), readings and roll-ups, rules, dead letters. */
export const monitoringModule = defineModule<MonitoringInternal>({
  name: 'monitoring',
  errors: MONITORING_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'monitoring.read', zh: '查看监测设备与数据', en: 'View devices and readings', roles: READERS },
    {
      code: 'monitoring.manage',
      zh: '登记和维护监测设备',
      en: 'Register and maintain devices',
      roles: ['commander', 'duty_officer', 'department_staff', 'enterprise_user'],
    },
    { code: 'monitoring.rules', zh: '配置预警规则', en: 'Configure warning rules', roles: [] },
    { code: 'monitoring.admin', zh: '查看接入异常数据', en: 'View rejected readings (dead letters)', roles: [] },
  ],
  create(p) {
    const units = new Map<string, { code: string; name: string; nameEn: string }>();
    const rules: { list: Rule[] } = { list: [] };
    const warnings = () => p.module<WarningsApi>('warnings');
    const changed = new Map<string, CachedDevice>();
    const ingestion = new Ingestion({
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      rules: () => rules.list,
      warnings,
      retentionMonths: p.config.readingsRetentionMonths,
      // status changes come in bursts (a sweep finds many devices silent): one transaction writes the burst's events
      statusChanged: (d) => {
        changed.set(d.id, d);
        if (changed.size > 1) return;
        setImmediate(() => {
          const burst = [...changed.values()];
          changed.clear();
          const now = p.clock.now();
          void p.db
            .transaction((trx) =>
              emitEvents(
                trx,
                now,
                burst.map((x) => ({
                  type: 'device.status',
                  entity: 'device',
                  entityId: x.id,
                  payload: {
                    id: x.id,
                    status: x.status,
                    lastSeenAt: x.lastSeen !== null ? new Date(x.lastSeen).toISOString() : null,
                    latest: x.latest,
                  },
                  visibility: deviceVisibility({ district_code: x.districtCode, owner_unit: x.ownerUnit }),
                })),
              ),
            )
            .then(() => p.afterCommit())
            .catch((err) => p.log.error('device status events not written', err));
        });
      },
    });
    const routes: TopicRoute[] = [];
    const deps: svc.MonitoringDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      ingestion,
      warnings,
      districtAt: (lng, lat) => p.module<GeoApi>('geo').districtAt(lng, lat),
      seaAreaAt: (lng, lat) => p.module<GeoApi>('geo').seaAreaAt(lng, lat),
      units: () => units,
      districtName: (code) => units.get(code)?.name ?? code,
      rules,
      workers: p.workers,
    };
    return {
      deps,
      ingestion,
      timers: [],
      units,
      mqtt: undefined,
      routes,
      registerTopicRoute: (route) => {
        routes.push(route);
      },
      getDevice: (ctx, id) => svc.getDevice(deps, ctx, id),
      ingest: (deviceId, payload, via) => ingestion.submit(deviceId, payload, via),
      createDevice: (ctx, input) => svc.createDevice(deps, ctx, input),
      drain: () => ingestion.drain(),
      deadLetters: (ctx, q) => svc.deadLetters(deps, ctx, q),
      evaluateSeries: async (ctx, deviceId, readings) => {
        await svc.getDevice(deps, ctx, deviceId);
        const d = ingestion.devices.get(deviceId);
        return d ? evaluateSeries(d, rules.list, readings) : [];
      },
    };
  },
  async seed(api, p) {
    // units before the demo: devices name their owners
    for (const u of await p.access.listUnits()) api.units.set(u.code, { code: u.code, name: u.name, nameEn: u.nameEn });
    await svc.seedRules(api.deps);
    return undefined;
  },
  demo: (api, p) => loadMonitoringDemo(api.deps, p.config.sharedData),
  attribution: async (api) =>
    [...api.ingestion.devices.values()].some((d) => d.name.includes('KNMI')) ? [KNMI_ATTRIBUTION] : [],
  async start(api, p) {
    await svc.reloadRules(api.deps);
    await api.ingestion.load();
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err) => p.log.error(`${what} failed`, err)), ms);
      t.unref();
      api.timers.push(t);
    };
    // what is in memory already (last seen, latest values, roll-ups) goes to the database a slice every second: one
    // statement never holds the (embedded, single) connection long enough to delay the readings' batches
    every(1_000, 'device last-seen update', () => api.ingestion.writeSeen(250));
    every(1_000, 'hourly roll-ups', () => api.ingestion.writeHourly(2_500));
    // the periodic checks (tests run them themselves); the two above are how readings reach the database
    if (p.config.timers) {
      every(60_000, 'absence rules sweep', () => api.ingestion.sweep());
      every(3_600_000, 'readings retention', async () => {
        await api.ingestion.applyRetention();
        await repo.pruneDeadLetters(p.db.kysely, new Date(p.clock.now().getTime() - 30 * 86_400_000));
      });
    }
    const ing = api.ingestion;
    api.mqtt = await startMqtt(
      p.config,
      {
        ingest: async (deviceId, payload) => {
          await ing.submit(deviceId, payload, 'mqtt');
        },
        authenticate: async (deviceId, token) => ing.authenticate(deviceId, token),
        knows: (deviceId) => ing.knows(deviceId),
      },
      p.log,
      { routes: api.routes },
    );
    // warning notifications on MQTT topics go out on the same broker
    const pub = api.mqtt.publish;
    if (pub) p.module<WarningsApi & { mqtt: { publish?: typeof pub } }>('warnings').mqtt.publish = pub;
    const s = api.mqtt.status();
    return `${ing.devices.size} devices, ${api.deps.rules.list.length} rules; MQTT ${s.mode}${s.port ? ` on port ${s.port}` : ''}${s.reason ? ` (${s.reason})` : ''}`;
  },
  async stop(api) {
    for (const t of api.timers) clearInterval(t);
    await api.mqtt?.close();
    await api.ingestion.close();
  },
  routes: {
    prefixes: ['/api/v1/devices', '/api/v1/rules'],
    async register(app, api, p) {
      monitoringRoutes(app, api.deps, () => api.mqtt?.status() ?? { mode: 'off', reason: 'not started' });
      await importRoutes(app, p, '/api/v1/devices', deviceImport(api.deps));
    },
  },
  // the web draws the layer itself from the device list (status colours, a ring for an active warning)
  map: () => ({
    layers: [
      {
        layer: {
          id: 'devices',
          name: '监测设备',
          nameEn: 'Monitoring devices',
          group: 'monitoring',
          source: { kind: 'geojson', url: '/api/v1/devices' },
          geometry: 'point',
          defaultOn: true,
          legend: DEVICE_STATUSES.map((st) => ({
            label: DEVICE_STATUS_INFO[st].zh,
            labelEn: DEVICE_STATUS_INFO[st].en,
            color: DEVICE_STATUS_INFO[st].color,
          })),
        },
        permission: 'monitoring.read',
        order: 60,
      },
    ],
  }),
  cli: [replayCommand],
  metrics: (api) => {
    const st = api.ingestion.stats;
    const counter = (name: keyof typeof st, help: string) => ({
      name: `anlan_readings_${name}_total`,
      help,
      value: () => st[name],
    });
    return [
      counter('messages', 'Reading messages received (MQTT, HTTP, CSV, replay)'),
      counter('stored', 'Readings stored (new)'),
      counter('duplicates', 'Readings repeated (already stored, ignored)'),
      counter('rejected', 'Readings rejected into the dead letters'),
      counter('batches', 'Batches written (group commit)'),
      {
        name: 'anlan_mqtt_received_total',
        help: 'MQTT messages received',
        value: () => api.mqtt?.stats().received ?? 0,
      },
    ];
  },
  readiness: (api) => ({ mqtt: api.mqtt?.status() ?? { mode: 'off', reason: 'not started' } }),
  listeners: {
    // another instance changed a device or a rule: memory follows
    'device.created': async (e, api) => {
      const r = await repo.findDevice(api.deps.db.kysely, e.entityId ?? '');
      if (r) api.ingestion.put(cachedDevice(r));
    },
    'device.updated': async (e, api) => {
      const r = await repo.findDevice(api.deps.db.kysely, e.entityId ?? '');
      if (r) api.ingestion.put(cachedDevice(r));
    },
    'rule.changed': (_e, api) => svc.reloadRules(api.deps),
  },
  entities: (api) => ({
    device: async (_ctx, id) => {
      const r = await repo.findDevice(api.deps.db.kysely, id);
      return r ? { permission: 'monitoring.read', district: r.district_code, unit: r.owner_unit } : undefined;
    },
  }),
});
