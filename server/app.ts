import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Incident } from '../contracts/incidents.ts';
import type { Config } from './config.ts';
import { loadDemo } from './demo/demo.ts';
import { installDemoRoads } from './demo/demo-roads.ts';
import { districtPolygons } from './geo/boundaries.repository.ts';
import { basemap, loadSharedBoundaries } from './geo/boundaries.service.ts';
import { createGeo, followGeoEvents, type GeoModule, geoRoutes } from './geo/index.ts';
import { tileRoutes } from './geo/tiles/index.ts';

import { incidentRoutes, redactIncidentPayload, registerIncidentMap } from './modules/incidents/index.ts';
import { ensureAdmin, orgRoutes, seedOrganisation, WEIHAI_UNITS } from './modules/org/index.ts';
import { adminRoutes } from './platform/admin.routes.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { ChangeCache } from './platform/cache/change-cache.ts';
import { systemCtx } from './platform/core/context.ts';
import { type Clock, type Ids, systemClock, uuidIds, uuidv7 } from './platform/core/ids.ts';
import { type Db, migrate, openDb } from './platform/db/index.ts';
import { scheduleMaintenance } from './platform/db/maintenance.ts';
import { EventBus } from './platform/events/events.ts';
import { streamRoutes } from './platform/events/stream.routes.ts';
import { registerAuth } from './platform/http/auth.plugin.ts';
import { notFound, registerErrorHandler } from './platform/http/errors.plugin.ts';
import { getSetting, putSetting } from './platform/settings.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface Anlan {
  app: FastifyInstance;
  db: Db;
  bus: EventBus;
  clock: Clock;
  ids: Ids;
  /** road network, closures, map catalogue */
  geo: GeoModule;
  /** what start-up did, line by line (migrations, admin, boundaries, demo) */
  startupNotes: string[];
  close(): Promise<void>;
}

export interface AnlanOptions {
  db?: Db;
  clock?: Clock;
  ids?: Ids;
  /** progress lines during start-up */
  say?: (line: string) => void;
  logger?: boolean;
  /** accepted as a bearer token for operator commands (npx anlan) while this process runs */
  operatorToken?: string;
}

/** Opens the database, migrates, seeds, and builds the HTTP app. Never listens: main.ts and tests do that. */
export async function buildApp(config: Config, opts: AnlanOptions = {}): Promise<Anlan> {
  const say = opts.say ?? (() => undefined);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? uuidIds(clock);
  const notes: string[] = [];
  const note = (s: string) => {
    notes.push(s);
    say(s);
  };
  say(config.databaseUrl ? 'opening PostgreSQL…' : `opening embedded PostgreSQL + PostGIS in ${config.dataDir}…`);
  const db = opts.db ?? (await openDb(config));
  say('migrating…');
  const applied = await migrate(db);
  note(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
  const base = { db, clock, ids };
  const ctx = systemCtx();
  await seedOrganisation(base);
  const adminNote = await ensureAdmin(base, ctx, config.adminPassword, config.dataDir);
  if (adminNote) note(adminNote);
  note(await loadSharedBoundaries(base, ctx, config.sharedData));

  const bus = new EventBus(db, (err) => app.log.error({ err }, 'event delivery failed'));
  const afterCommit = () => void bus.kick();
  const deps = {
    ...base,
    afterCommit,
    // up to 200 pages (the map asks for 500 incidents at a time): tens of MB at most
    listCache: new ChangeCache<{ items: Incident[]; total: number }>(() => bus.lastSeq, 200),
  };
  if (config.demo && !(await getSetting(db.kysely, 'demo.loaded'))) {
    say('loading Weihai demo data…');
    note(await loadDemo(deps, ctx));
    await putSetting(db.kysely, 'demo.loaded', { at: clock.now().toISOString() }, clock.now());
  }
  const demo = !!(await getSetting(db.kysely, 'demo.loaded'));

  let started = false;
  const geoLog = (msg: string, err?: unknown) =>
    started ? app.log.error({ err }, msg) : say(`${msg}: ${(err as Error | undefined)?.message ?? ''}`);
  const geo = createGeo({
    ...base,
    dataDir: config.dataDir,
    snapMaxMeters: config.snapMaxMeters,
    // the boundaries table has Chinese names only; the English map takes the units' names
    boundaryNamesEn: Object.fromEntries(WEIHAI_UNITS.map((u) => [u.code, u.nameEn])),
    afterCommit,
    log: geoLog,
  });
  const recovered = await geo.networks.recoverInterrupted(db.engine === 'pglite');
  if (recovered) note(recovered);
  note(await geo.networks.loadCurrent());
  const noRoads = !geo.networks.current();
  if (config.demo && noRoads && (geo.networks.syntheticUnloadable || !(await getSetting(db.kysely, 'roads.current')))) {
    say('building the synthetic Weihai demo road network…');
    note(await installDemoRoads(geo, ctx, await districtPolygons(db.kysely)));
  }

  const app: FastifyInstance = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    genReqId: () => uuidv7(),
    // X-Forwarded-For is believed only from configured proxies: the audit records the real client address.
    trustProxy: config.trustProxy,
    // Live streams (SSE) never end by themselves: close them on shutdown rather than wait.
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  });
  await app.register(cookie);
  registerErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Anlan 安澜 API',
        version: VERSION,
        description: 'Integrated emergency support platform. Errors: {"error": {code, message, field}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'anlan_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerAuth(app, base, opts.operatorToken);

  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'anlan_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unknown', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await db.kysely.selectFrom('schema_migrations').select('name').limit(1).execute();
      return { ready: true, engine: db.engine };
    } catch {
      return reply.status(503).send({ ready: false });
    }
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
  app.get('/api/v1/system/info', { config: { public: true }, schema: { tags: ['system'] } }, async () => ({
    name: 'Anlan 安澜',
    version: VERSION,
    demo,
    engine: db.engine,
    dataAttribution: ((await basemap(db)) as { attribution: string[] }).attribution.map(
      (a) => `行政区划边界 / District boundaries: ${a}`,
    ),
  }));
  app.get('/api/v1/geo/basemap', { config: { public: true }, schema: { tags: ['geo'] } }, async () => basemap(db));

  authRoutes(app, { ...base, secureCookies: !!config.tls });
  orgRoutes(app, base);
  incidentRoutes(app, deps);
  registerIncidentMap(app, geo.catalogue, deps);
  geoRoutes(app, { ...deps, ...geo, networks: geo.networks, closures: geo.closures });
  tileRoutes(app, geo.tiles);
  auditRoutes(app, base);
  adminRoutes(app, base);
  streamRoutes(app, { db, bus, redactors: { incident: redactIncidentPayload } });

  if (existsSync(join(WEB_DIST, 'index.html'))) {
    // wildcard: files of a later `vite build` are served without a restart; a missing file falls through to notFound.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const spa = req.method === 'GET' && !req.url.startsWith('/api') && existsSync(join(WEB_DIST, 'index.html'));
    return spa ? reply.type('text/html').sendFile('index.html') : notFound(req, reply);
  });

  followGeoEvents(geo, bus, geoLog);
  started = true;
  await bus.start();
  const stopMaintenance = scheduleMaintenance(db, (err) => app.log.error({ err }, 'analyze failed'));
  return {
    app,
    db,
    bus,
    clock,
    ids,
    geo,
    startupNotes: notes,
    async close() {
      stopMaintenance();
      await app.close();
      await bus.stop();
      await db.close();
    },
  };
}
