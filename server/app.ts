import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';
import client from 'prom-client';
import { SystemInfo } from '../contracts/system.ts';
import type { Config } from './config.ts';
import { MODULES } from './modules.ts';
import { INITIAL_PASSWORD_FILE } from './platform/access/access.service.ts';
import { alertRoutes } from './platform/alerts/alerts.routes.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { AuditAnchors } from './platform/audit/audit-anchors.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { DEFAULT_LIMITS, LoginThrottle, type ThrottleLimits } from './platform/auth/login-throttle.ts';
import type { Clock, Ids } from './platform/core/ids.ts';
import { uuidv7 } from './platform/core/ids.ts';
import { projectRoot } from './platform/core/source-file.ts';
import type { Db } from './platform/db/index.ts';
import { scheduleMaintenance } from './platform/db/maintenance.ts';
import type { EventBus } from './platform/events/events.ts';
import { streamRoutes } from './platform/events/stream.routes.ts';
import { fileRoutes } from './platform/files/files.routes.ts';
import { addressMatcher } from './platform/http/address-list.ts';
import { registerAuth } from './platform/http/auth.plugin.ts';
import { notFound, registerErrorHandler } from './platform/http/errors.plugin.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { AJV_OPTIONS, registerInputRules } from './platform/http/input.plugin.ts';
import { routeOwner } from './platform/http/prefixes.ts';
import { SHARED_SCHEMA_COMPILERS } from './platform/http/schema-compilers.ts';
import { jobRoutes } from './platform/jobs/jobs.routes.ts';
import type { AnyModule, Platform, TypedApp } from './platform/module.ts';
import { type Booted, bringUp, createPlatform, isDemo, stopModules } from './platform/platform.ts';

const ROOT = projectRoot();
export const WEB_DIST = join(ROOT, 'web', 'dist');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface Anlan {
  app: FastifyInstance;
  platform: Platform;
  db: Db;
  bus: EventBus;
  clock: Clock;
  ids: Ids;
  /** a module's api by name (tests and operator tools; modules use `platform.module`) */
  module<T>(name: string): T;
  /** what start-up did, line by line (migrations, admin, boundaries, demo) */
  startupNotes: string[];
  /** the audit chain's head written outside the database (every minute it moved, and at close) */
  anchors: AuditAnchors;
  /** Idempotency-Key answers: `prune()` deletes those past their 24 h (hourly by itself) */
  idempotency: { prune(): Promise<number> };
  close(): Promise<void>;
}

export interface AnlanOptions {
  db?: Db;
  clock?: Clock;
  ids?: Ids;
  /** progress lines during start-up */
  say?: (line: string) => void;
  /** false: no request log; a pino logger: the one the start-up lines go to as well (main.ts), one format */
  logger?: boolean | Logger;
  /** accepted as a bearer token for operator commands (npx anlan) while this process runs */
  operatorToken?: string;
  /** the modules of this installation (default: server/modules.ts) */
  modules?: readonly AnyModule[];
  /** sign-in throttling (tests use smaller budgets than DEFAULT_LIMITS to need fewer hashes) */
  loginLimits?: Partial<ThrottleLimits>;
}

/**
 * The process's one log: JSON lines (pino) for start-up progress, requests and errors alike, at LOG_LEVEL. `say`
 * writes a progress line at info.
 */
export function processLog(config: Pick<Config, 'logLevel'>, destination?: DestinationStream) {
  const log = destination ? pino({ level: config.logLevel }, destination) : pino({ level: config.logLevel });
  return { log, say: (line: string) => log.info(line) };
}

/** Opens the database, migrates, seeds, and builds the HTTP app. Never listens: main.ts and tests do that. */
export async function buildApp(config: Config, opts: AnlanOptions = {}): Promise<Anlan> {
  const say = opts.say ?? (() => undefined);
  const notes: string[] = [];
  const booted = await createPlatform(config, opts.modules ?? MODULES, {
    ...opts,
    say: (s) => {
      notes.push(s);
      say(s);
    },
  });
  try {
    return await serve(config, opts, booted, notes);
  } catch (err) {
    // a start that fails half-way (a bad module, a seed that throws) leaves nothing open behind it
    await stopModules(booted).catch(() => undefined);
    if (!opts.db) await booted.platform.db.close().catch(() => undefined);
    throw err;
  }
}

async function serve(config: Config, opts: AnlanOptions, booted: Booted, notes: string[]): Promise<Anlan> {
  const say = opts.say ?? (() => undefined);
  const { platform: p, bus } = booted;
  notes.push(...(await bringUp(booted, say)));
  const demo = await isDemo(p);

  const app = Fastify({
    ...(typeof opts.logger === 'object'
      ? { loggerInstance: opts.logger as FastifyBaseLogger }
      : { logger: opts.logger === false ? false : { level: config.logLevel } }),
    genReqId: () => uuidv7(),
    // X-Forwarded-For is believed only from configured proxies: the audit records the real client address.
    trustProxy: config.trustProxy,
    // Live streams (SSE) never end by themselves: close them on shutdown rather than wait.
    forceCloseConnections: true,
    ajv: AJV_OPTIONS,
    // route schemas compiled once per process, not once per app (the test suite builds many apps)
    schemaController: { compilersFactory: SHARED_SCHEMA_COMPILERS },
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  booted.setLog({
    info: (msg) => app.log.info(msg),
    warn: (msg) => app.log.warn(msg),
    error: (msg, err) => app.log.error({ err }, msg),
  });
  await app.register(cookie);
  await app.register(helmet, securityHeaders(!!config.tls));
  const permissionNames = new Map(booted.platform.access.permissions().map((p) => [p.code, { zh: p.zh, en: p.en }]));
  registerErrorHandler(app, (code) => permissionNames.get(code));
  registerInputRules(app);
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
  // The document and its page are for signed-in users: every /api path asks for a session (auth.plugin.ts).
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const auth = {
    db: p.db,
    clock: p.clock,
    ids: p.ids,
    initialPasswordFile: join(config.dataDir, INITIAL_PASSWORD_FILE),
  };
  registerAuth(app, auth, opts.operatorToken, !!config.tls);
  const idempotency = registerIdempotency(app, {
    db: p.db,
    clock: p.clock,
    onError: (err) => app.log.error({ err }, 'idempotency key not stored'),
  });

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
      await p.db.kysely.selectFrom('schema_migrations').select('name').limit(1).execute();
      const parts = Object.assign({}, ...booted.modules.map((m) => m.descriptor.readiness?.(m.api) ?? {}));
      return { ready: true, engine: p.db.engine, ...parts };
    } catch {
      return reply.status(503).send({ ready: false });
    }
  });
  // Prometheus: from the configured addresses, or with a token of a user holding system.metrics (admin by default).
  app.get(
    '/metrics',
    {
      config: { permission: 'system.metrics', admitAddress: addressMatcher(config.metricsAllow) },
      schema: { hide: true },
    },
    async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
  // Versions help an attacker choose an exploit: only signed-in users are told them.
  app.get(
    '/api/v1/system/info',
    { config: { public: true }, schema: { tags: ['system'], response: { 200: SystemInfo } } },
    async (req) => ({
      name: 'Anlan 安澜',
      ...(req.auth ? { version: VERSION, engine: p.db.engine } : {}),
      demo,
      dataAttribution: await dataAttribution(booted.modules),
    }),
  );

  authRoutes(app, {
    ...auth,
    throttle: new LoginThrottle({ ...DEFAULT_LIMITS, ...opts.loginLimits }),
    access: p.access,
    secureCookies: !!config.tls,
  });
  auditRoutes(app, { db: p.db, redactors: booted.redactors, anchorsPath: config.auditAnchors });
  const streams = streamRoutes(app, { bus, redactors: booted.redactors });
  new client.Gauge({
    name: 'anlan_stream_connections',
    help: 'Open live event streams (Server-Sent Events) on this instance',
    registers: [registry],
    collect() {
      this.set(streams.size);
    },
  });
  new client.Gauge({
    name: 'anlan_stream_dropped',
    help: 'Live event streams dropped since start because the client did not read',
    registers: [registry],
    collect() {
      this.set(streams.dropped);
    },
  });
  for (const m of booted.modules)
    for (const g of m.descriptor.metrics?.(m.api) ?? [])
      new client.Gauge({
        name: g.name,
        help: g.help,
        registers: [registry],
        collect() {
          this.set(g.value());
        },
      });
  jobRoutes(app, p.jobs);
  await fileRoutes(app, p.files);
  alertRoutes(app, p.alerts);
  await registerModuleRoutes(app, booted.modules, p);

  if (existsSync(join(WEB_DIST, 'index.html'))) {
    // wildcard: files of a later `vite build` are served without a restart; a missing file falls through to notFound.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const spa = req.method === 'GET' && !req.url.startsWith('/api') && existsSync(join(WEB_DIST, 'index.html'));
    return spa ? reply.type('text/html').sendFile('index.html') : notFound(req, reply);
  });

  await bus.start();
  const stopMaintenance = scheduleMaintenance(p.db, (err) => app.log.error({ err }, 'analyze failed'));
  const anchors = new AuditAnchors(
    { db: p.db, now: () => p.clock.now(), onError: (err) => app.log.error({ err }, 'audit anchor failed') },
    config.auditAnchors,
  );
  anchors.start();
  return {
    app: app as unknown as FastifyInstance,
    platform: p,
    db: p.db,
    bus,
    clock: p.clock,
    ids: p.ids,
    module: (name) => p.module(name),
    startupNotes: notes,
    anchors,
    idempotency,
    async close() {
      stopMaintenance();
      idempotency.stop();
      await app.close();
      await bus.stop();
      await stopModules(booted);
      // The last anchor once nothing writes any more.
      await anchors.stop();
      await p.db.close();
    },
  };
}

/**
 * Each module's routes in a plugin of its own, refused at start when a route lies outside the prefixes the module
 * declares (or under another module's longer prefix, a sub-resource it declared).
 */
async function registerModuleRoutes(app: TypedApp, modules: { descriptor: AnyModule; api: unknown }[], p: Platform) {
  const declared = modules.flatMap((m) =>
    (m.descriptor.routes?.prefixes ?? []).map((prefix) => ({ prefix, module: m.descriptor.name })),
  );
  for (const m of modules) {
    const routes = m.descriptor.routes;
    if (!routes) continue;
    await app.register(async (scope) => {
      scope.addHook('onRoute', (r) => {
        const owner = routeOwner(declared, r.url);
        if (owner !== m.descriptor.name) {
          throw new Error(`module ${m.descriptor.name}: route ${r.method} ${r.url} lies outside its declared prefixes`);
        }
      });
      await routes.register(scope as TypedApp, m.api, p);
    });
  }
}

/**
 * Security headers on every reply. The web and the API docs load scripts only from this origin (no inline script);
 * Ant Design writes its styles inline, MapLibre runs its workers from blob: URLs and draws data:/blob: images, the
 * live stream, tiles and style come from this origin, and nothing from any other host. HSTS only under TLS.
 */
export function securityHeaders(tls: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Over plain HTTP on a LAN address it would send the browser to an https:// that does not exist.
        ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    hsts: tls ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  };
}

/** What the data shown needs attributed, from every module that shows such data. */
async function dataAttribution(modules: { descriptor: AnyModule; api: unknown }[]): Promise<string[]> {
  const lists = await Promise.all(modules.map((m) => m.descriptor.attribution?.(m.api) ?? []));
  return lists.flat();
}
