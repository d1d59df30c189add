import { COLOUR_INFO, COLOURS } from '../../../contracts/monitoring.ts';
import type { Warning } from '../../../contracts/warnings.ts';
import type { GeoApi } from '../../geo/index.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { defineModule } from '../../platform/module.ts';
import type { DutyApi } from '../duty/index.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import { CAP_ERRORS } from './cap/cap.errors.ts';
import { CapService } from './cap.service.ts';
import { channelSenders } from './channels.ts';
import { Escalation } from './escalation.ts';
import type { WarningsApi } from './index.ts';
import { WARNING_ERRORS } from './warnings.errors.ts';
import { capRoutes, warningRoutes } from './warnings.routes.ts';
import { WarningsService } from './warnings.service.ts';

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

export type WarningsInternal = WarningsApi & {
  svc: WarningsService;
  cap: CapService;
  escalation: Escalation;
  timer?: NodeJS.Timeout;
  /** where MQTT notifications are published (set by the monitoring module when a broker runs) */
  mqtt: { publish?: (topic: string, payload: string) => Promise<void> };
  names: Map<string, string>;
  namesEn: Map<string, string>;
};

/** Warnings: rule warnings' state machine, warnings by hand, escalation and deliveries, CAP in and out. */
export const warningsModule = defineModule<WarningsInternal>({
  name: 'warnings',
  errors: { ...WARNING_ERRORS, ...CAP_ERRORS },
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'warnings.read', zh: '查看预警', en: 'View warnings', roles: READERS },
    {
      code: 'warnings.manage',
      zh: '确认、解除、调整预警',
      en: 'Acknowledge, lift and change warnings',
      roles: ['commander', 'duty_officer', 'district_staff'],
    },
    {
      code: 'warnings.publish',
      zh: '预警审核签发（对外发布）',
      en: 'Approve and publish warnings',
      roles: ['commander'],
    },
    { code: 'warnings.policies', zh: '配置预警通知策略', en: 'Configure escalation policies', roles: [] },
    { code: 'cap.import', zh: '导入 CAP 预警', en: 'Import CAP alerts', roles: ['commander', 'duty_officer'] },
  ],
  create(p) {
    const names = new Map<string, string>();
    const namesEn = new Map<string, string>();
    const mqtt: WarningsInternal['mqtt'] = {};
    const escalation = new Escalation({
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      publicUrl: p.config.publicUrl,
      alerts: p.alerts,
      afterCommit: () => p.afterCommit(),
      // "the duty officer on shift": the roster is asked at sending time (the duty module, looked up lazily)
      onDuty: async (at, unit, role) => {
        const duty = p.module<DutyApi>('duty');
        const r = await duty.onShift(at, unit);
        const list = role === 'officer' ? r.officers : r.leaders;
        return Promise.all(
          list.map(async (x) => {
            const u = await p.access.getUser(systemCtx(), x.id).catch(() => undefined);
            return { id: x.id, username: u?.username ?? x.id, displayName: x.displayName, phone: u?.phone ?? '' };
          }),
        );
      },
      senders: channelSenders({
        smtpUrl: p.config.smtpUrl,
        smtpFrom: p.config.smtpFrom,
        smsGatewayUrl: p.config.smsGatewayUrl,
        smsGatewayToken: p.config.smsGatewayToken,
        mqttPublish: () => mqtt.publish,
      }),
    });
    const svc = new WarningsService({
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      // after a transition's commit: its events go out, and a policy's first step (due at once) is sent
      afterCommit: () => {
        p.afterCommit();
        escalation.kick();
      },
      alerts: p.alerts,
      escalation,
      districtArea: (code) => p.module<GeoApi>('geo').districtArea(code),
      districtAt: (lng, lat) => p.module<GeoApi>('geo').districtAt(lng, lat),
      districtName: (code) => (code ? (names.get(code) ?? code) : null),
      districtNameEn: (code) => namesEn.get(code),
      createIncident: async (ctx, input) => {
        const i = await p.module<IncidentsApi>('incidents').createIncident(ctx, input);
        return { id: i.id, number: i.number };
      },
    });
    p.alerts.onAcknowledge('warning', (trx, alert, ctx) =>
      svc.markAcknowledged(trx, alert.sourceId, ctx, new Date(alert.acknowledged.at)),
    );
    const cap = new CapService(svc, {
      sender: p.config.capSender,
      senderName: p.config.capSenderName,
      publicUrl: p.config.publicUrl,
    });
    return {
      svc,
      cap,
      escalation,
      mqtt,
      names,
      namesEn,
      observe: (obs) => svc.observe(obs),
      activeColourOf: (id) => svc.activeColourOf(id),
      activeColourOfHazard: (id, hazard) => svc.activeColourOfHazard(id, hazard),
      getWarning: (ctx, id) => svc.get(ctx, id),
      promote: (ctx, id) => svc.promote(ctx, id),
      liftExercise: (exerciseId, reason) => svc.liftExercise(exerciseId, reason),
    };
  },
  async start(api, p) {
    for (const u of await p.access.listUnits()) {
      api.names.set(u.code, u.name);
      api.namesEn.set(u.code, u.nameEn);
    }
    await api.svc.load();
    if (!p.config.timers) return undefined;
    api.escalation.start();
    // every minute: expired warnings lifted; upstream CAP feeds polled as the system, for the city (an imported
    // warning belongs to no unit)
    const poller = { ...systemCtx(), actor: { ...systemCtx().actor, name: 'CAP feed' } };
    api.timer = setInterval(() => {
      void api.svc.liftExpired().catch((err) => p.log.error('expired warnings not lifted', err));
      void api.cap.poll(poller).catch((err) => p.log.error('CAP feeds not polled', err));
    }, 60_000);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    clearInterval(api.timer);
    await api.escalation.stop();
  },
  routes: {
    prefixes: ['/api/v1/warnings', '/api/v1/warning-policies', '/api/v1/cap', '/public/cap', '/public/warnings'],
    register(app, api) {
      warningRoutes(app, api.svc, api.escalation);
      capRoutes(app, api.cap);
    },
  },
  // the web draws the layer itself from the active warnings (areas as fills in their colour; a device's warning is
  // the ring the devices layer draws)
  map: () => ({
    layers: [
      {
        layer: {
          id: 'warnings',
          name: '生效预警',
          nameEn: 'Active warnings',
          group: 'warnings',
          source: { kind: 'geojson', url: '/api/v1/warnings?status=active' },
          geometry: 'polygon',
          defaultOn: true,
          legend: [...COLOURS].reverse().map((c) => ({
            label: `${COLOUR_INFO[c].zh}预警`,
            labelEn: COLOUR_INFO[c].en,
            color: COLOUR_INFO[c].color,
          })),
        },
        permission: 'warnings.read',
        order: 55,
      },
    ],
  }),
  listeners: {
    // another instance's transitions: the in-memory state follows
    'warning.raised': (e, api) => api.svc.follow(e.payload as Warning),
    'warning.changed': (e, api) => api.svc.follow(e.payload as Warning),
    'warning.lifted': (e, api) => api.svc.follow(e.payload as Warning),
  },
  entities: (api) => ({
    warning: async (ctx, id) => {
      const w = await api.svc.get(ctx, id).catch(() => undefined);
      return w ? { permission: 'warnings.read', district: w.district?.code ?? null } : undefined;
    },
  }),
});
