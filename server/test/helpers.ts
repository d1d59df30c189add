import type { LightMyRequestResponse } from 'fastify';
import type { Scope } from '../../contracts/org.ts';
import { type Anlan, type AnlanOptions, buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { MODULES } from '../modules.ts';
import type { EventBus } from '../platform/events/events.ts';
import type { Platform } from '../platform/module.ts';
import { bringUp, createPlatform, stopModules } from '../platform/platform.ts';
import { incidentInput, makeUser, type SeededRole, TEST_USERS, USER_PASSWORD } from './factories.ts';
import { ADMIN_PASSWORD, freshDatabase, SHARED_DATA } from './template.ts';

export { ADMIN_PASSWORD, USER_PASSWORD };

export interface TestApp extends Anlan {
  dataDir: string;
  databaseUrl?: string;
  /** Sign in with the password; returns the bearer token, the CSRF token and the session cookie. */
  login(username: string, password?: string): Promise<{ token: string; csrf: string; cookie: string }>;
  /** Signs in the template's seeded user of this role (factories.ts TEST_USERS). */
  loginAs(role: SeededRole): Promise<{ token: string; csrf: string; cookie: string }>;
  /** Creates a user with one role and signs them in. */
  userWith(
    role: string,
    unitCode: string,
    scope: string,
    username?: string,
  ): Promise<{ token: string; csrf: string; cookie: string; id: string }>;
  api(
    method: string,
    url: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  stop(): Promise<void>;
}

/** A whole Anlan (demo off) on a fresh copy of the template database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const fresh = await freshDatabase();
  return openTestApp(fresh, env);
}

export async function openTestApp(
  fresh: { dataDir: string; databaseUrl?: string; drop(): Promise<void> },
  env: Record<string, string> = {},
  opts: AnlanOptions = {},
): Promise<TestApp> {
  const config = loadConfig({
    DATA_DIR: fresh.dataDir,
    DATABASE_URL: fresh.databaseUrl,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    ANLAN_SHARED_DATA: SHARED_DATA,
    // no embedded broker unless a test asks for one (test files run in parallel: one would take the port)
    MQTT_PORT: '0',
    // no periodic checks: tests call them (reminders, overdue tasks, gaps, sweeps) when they test them
    ANLAN_TIMERS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const anlan = await buildApp(config, { logger: false, ...opts });
  const t: TestApp = {
    ...anlan,
    dataDir: fresh.dataDir,
    databaseUrl: fresh.databaseUrl,
    async api(method, url, opts = {}) {
      return anlan.app.inject({
        method: method as 'GET',
        url,
        headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
        ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
      });
    },
    async login(username, password = USER_PASSWORD) {
      const r = await anlan.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      const b = r.json() as { token: string; csrfToken: string };
      const cookie = String(r.headers['set-cookie']).split(';')[0];
      return { token: b.token, csrf: b.csrfToken, cookie };
    },
    loginAs(role) {
      return t.login(TEST_USERS[role].username);
    },
    async userWith(role, unitCode, scope, username) {
      const u = await makeUser(anlan.platform, role, unitCode, scope as Scope, username);
      return { ...(await t.login(u.username)), id: u.id };
    },
    async stop() {
      await anlan.close();
      await fresh.drop();
    },
  };
  return t;
}

/** A valid incident body; override what the test is about. */
export const incidentBody = incidentInput;

export interface TestPlatform {
  platform: Platform;
  /** the event bus delivering the outbox to listeners (started) */
  bus: EventBus;
  module<T>(name: string): T;
  stop(): Promise<void>;
}

/**
 * The platform and its modules on a fresh copy of the template, without HTTP: for service-level tests of rules,
 * which call services with a context from `ctxAs` (server/test/factories.ts).
 */
export async function startTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const fresh = await freshDatabase();
  const config = loadConfig({
    DATA_DIR: fresh.dataDir,
    DATABASE_URL: fresh.databaseUrl,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    ANLAN_SHARED_DATA: SHARED_DATA,
    // no embedded broker unless a test asks for one (test files run in parallel: one would take the port)
    MQTT_PORT: '0',
    // no periodic checks: tests call them (reminders, overdue tasks, gaps, sweeps) when they test them
    ANLAN_TIMERS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const booted = await createPlatform(config, MODULES);
  await bringUp(booted);
  await booted.bus.start();
  return {
    platform: booted.platform,
    bus: booted.bus,
    module: (name) => booted.platform.module(name),
    async stop() {
      await booted.bus.stop();
      await stopModules(booted);
      await booted.platform.db.close();
      await fresh.drop();
    },
  };
}

/**
 * What a refused service call answers: its code, the HTTP status a route would send, the field it names (when it
 * names one) and, with `lang`, the message. Fails when the call succeeds or throws something else than an AppError.
 */
export async function refusal(
  call: Promise<unknown>,
  lang?: 'zh' | 'en',
): Promise<{ code: string; status: number; field?: string; message?: string }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return {
      code: err.code,
      status: err.status,
      ...(err.field !== undefined ? { field: err.field } : {}),
      ...(lang ? { message: err.message_(lang) } : {}),
    };
  }
  throw new Error('expected the call to be refused, and it succeeded');
}

/** A multipart/form-data body with one file (the import routes' upload), and its content type. */
export function multipart(name: string, data: Buffer, field = 'file') {
  const boundary = '----anlan-test-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
