/**
 * Builds the platform and brings the modules up, in the order of the module list: database and migrations (the
 * platform's and every module's), permissions and their grants, each module's api, seeds, the demo once, start.
 * The HTTP app (app.ts) and the CLI (cli.ts) both come through here; neither knows any module by name.
 */
import type { Config } from '../config.ts';
import { AccessService, redactUser } from './access/access.service.ts';
import { type PermissionDef, PermissionRegistry } from './access/permissions.ts';
import { AlertService } from './alerts/alerts.service.ts';
import { listenForAuthChanges } from './auth/auth.service.ts';
import { type RequestCtx, systemCtx } from './core/context.ts';
import { type Clock, type Ids, systemClock, uuidIds } from './core/ids.ts';
import { type Db, migrate, openDb } from './db/index.ts';
import { MIGRATIONS_DIR } from './db/migrate.ts';
import { EntityRegistry } from './entities.ts';
import { type DomainEvent, EventBus } from './events/events.ts';
import { FileService } from './files/files.service.ts';
import { JobService } from './jobs/jobs.service.ts';
import { MapCatalogue } from './map-catalogue.ts';
import type { AnyModule, EntityRef, Platform, PlatformLog, Redactor } from './module.ts';
import { getSetting, putSetting } from './settings.ts';
import { WorkerPool } from './workers/worker-pool.ts';

/** Permissions of the platform itself (identity, audit, personal data, tokens). */
export const PLATFORM_PERMISSIONS: PermissionDef[] = [
  { code: 'audit.read', zh: '查看审计日志', en: 'Read the audit trail', roles: ['auditor'] },
  {
    code: 'personal.read',
    zh: '查看个人信息（电话、证件号）',
    en: 'See personal data (phones, ID numbers)',
    roles: ['commander', 'duty_officer', 'district_staff'],
  },
  { code: 'tokens.manage', zh: '管理 API 令牌', en: 'Manage API tokens', roles: [] },
  { code: 'system.metrics', zh: '读取运行指标（/metrics）', en: 'Read operating metrics (/metrics)', roles: [] },
  {
    code: 'alerts.read',
    zh: '接收告警（铃铛与报警）',
    en: 'Receive alarms (the bell and the alarm)',
    // not auditors: they review after the fact, and no one of their unit acknowledges (their bell would only grow)
    roles: [
      'commander',
      'duty_officer',
      'department_staff',
      'district_staff',
      'field_responder',
      'enterprise_user',
      'viewer',
    ],
  },
  {
    code: 'alerts.acknowledge',
    zh: '接报确认（代表本单位确认告警）',
    en: "Acknowledge alarms (for one's unit)",
    roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'field_responder', 'enterprise_user'],
  },
];

export interface PlatformOptions {
  db?: Db;
  clock?: Clock;
  ids?: Ids;
  /** progress lines during start-up */
  say?: (line: string) => void;
}

/** The platform with its modules created (not yet seeded or started). */
export interface Booted {
  platform: Platform;
  bus: EventBus;
  modules: { descriptor: AnyModule; api: unknown }[];
  /** entity → personal-field mask, from every module (and the platform's users) */
  redactors: Record<string, Redactor>;
  /** where log lines go: start-up notes at first, the HTTP server's logger once it exists */
  setLog(log: PlatformLog): void;
}

/** Opens and migrates the database, and creates the platform and every module's api. */
export async function createPlatform(
  config: Config,
  descriptors: readonly AnyModule[],
  opts: PlatformOptions = {},
): Promise<Booted> {
  const say = opts.say ?? (() => undefined);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidIds(clock);
  const mods = descriptors;
  const names = new Set<string>();
  for (const m of mods) {
    if (names.has(m.name)) throw new Error(`module ${m.name} is listed twice`);
    names.add(m.name);
  }
  say(config.databaseUrl ? 'opening PostgreSQL…' : `opening embedded PostgreSQL + PostGIS in ${config.dataDir}…`);
  const db = opts.db ?? (await openDb(config));
  say('migrating…');
  const dirs = [MIGRATIONS_DIR, ...mods.flatMap((m) => (m.migrations ? [m.migrations] : []))];
  const applied = await migrate(db, dirs);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');

  let log: PlatformLog = {
    info: say,
    warn: (msg) => say(`WARNING: ${msg}`),
    error: (msg, err) => say(`${msg}: ${(err as Error | undefined)?.message ?? ''}`),
  };
  const bus = new EventBus(db, (err) => log.error('event delivery failed', err), {
    clock,
    retentionDays: config.outboxRetentionDays,
  });
  // Every instance drops its authentication cache on any instance's change to users, roles, sessions or tokens.
  listenForAuthChanges(bus);
  const permissions = new PermissionRegistry();
  permissions.add('platform', PLATFORM_PERMISSIONS);
  for (const m of mods) permissions.add(m.name, m.permissions ?? []);
  const apis = new Map<string, unknown>();
  const entities = new EntityRegistry();
  const platform: Platform = {
    config,
    db,
    clock,
    ids,
    log: { info: (msg) => log.info(msg), warn: (msg) => log.warn(msg), error: (msg, err) => log.error(msg, err) },
    access: new AccessService({ db, clock, ids, permissions }),
    map: new MapCatalogue(),
    entities,
    files: new FileService({ db, clock, ids, entities }),
    jobs: new JobService({ db, clock, ids, log: (msg, err) => log.error(msg, err) }),
    alerts: new AlertService({ db, clock, ids, afterCommit: () => void bus.kick() }),
    workers: new WorkerPool({ threads: config.workerThreads, perUser: config.jobsPerUser }),
    eventVersion: () => bus.delivered,
    afterCommit: () => void bus.kick(),
    module<T>(name: string): T {
      if (!apis.has(name)) throw new Error(`no module ${name} (or asked for before it was created)`);
      return apis.get(name) as T;
    },
  };
  const redactors: Record<string, Redactor> = { user: redactUser };
  const modules = mods.map((descriptor) => {
    const api = descriptor.create(platform);
    apis.set(descriptor.name, api);
    for (const [entity, fn] of Object.entries<Redactor>(descriptor.redactors ?? {})) {
      if (redactors[entity]) throw new Error(`module ${descriptor.name}: a redactor for ${entity} exists already`);
      redactors[entity] = fn;
    }
    const map = descriptor.map?.(api, platform);
    for (const l of map?.layers ?? []) platform.map.registerLayer(l);
    for (const s of map?.search ?? []) platform.map.registerSearch(s.kind, s.permission, s.fn);
    for (const [entity, lookup] of Object.entries<(ctx: RequestCtx, id: string) => Promise<EntityRef | undefined>>(
      descriptor.entities?.(api) ?? {},
    ))
      platform.entities.register(entity, lookup);
    for (const [type, fn] of Object.entries<(e: DomainEvent, a: unknown) => void | Promise<void>>(
      descriptor.listeners ?? {},
    ))
      bus.subscribe(type, async (e) => {
        try {
          await fn(e, api);
        } catch (err) {
          log.error(`module ${descriptor.name}: listener of ${type} failed`, err);
        }
      });
    for (const c of descriptor.consumers ?? [])
      bus.addConsumer({ name: `${descriptor.name}.${c.name}`, types: c.types, handle: (e) => c.handle(e, api) });
    return { descriptor, api };
  });
  return {
    platform,
    bus,
    modules,
    redactors,
    setLog(l) {
      log = l;
    },
  };
}

/**
 * Seeds of every installation (roles and grants, then each module's), the demo once on a demo installation, and
 * each module's start. Returns the start-up notes, line by line.
 */
export async function bringUp(b: Booted, say: (line: string) => void = () => undefined): Promise<string[]> {
  const notes: string[] = [];
  const note = (s: string | undefined) => {
    if (!s) return;
    notes.push(s);
    say(s);
  };
  const { platform: p, modules } = b;
  const abandoned = await p.jobs.failAbandoned();
  if (abandoned) note(`jobs: ${abandoned} interrupted by a stop marked failed`);
  note(await p.access.seedRolesAndGrants());
  for (const m of modules) note(await m.descriptor.seed?.(m.api, p));
  if (p.config.demo && !(await getSetting(p.db.kysely, 'demo.loaded'))) {
    say('loading Weihai demo data…');
    for (const m of modules) note(await m.descriptor.demo?.(m.api, p));
    await putSetting(p.db.kysely, 'demo.loaded', { at: p.clock.now().toISOString() }, p.clock.now());
  }
  for (const m of modules) note(await m.descriptor.start?.(m.api, p));
  return notes;
}

export async function stopModules(b: Booted): Promise<void> {
  b.platform.jobs.stop();
  for (const m of [...b.modules].reverse()) await m.descriptor.stop?.(m.api);
  await b.platform.workers.close();
}

export function isDemo(p: Platform): Promise<boolean> {
  return getSetting(p.db.kysely, 'demo.loaded').then((s) => !!s);
}

export type { RequestCtx };
export { systemCtx };
