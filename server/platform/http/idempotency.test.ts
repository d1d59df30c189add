import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';
import type { Authenticated } from '../auth/auth.service.ts';
import { registerErrorHandler } from './errors.plugin.ts';
import { fingerprintOf, IDEMPOTENCY_STALE_MS, IDEMPOTENCY_TTL_MS, registerIdempotency } from './idempotency.ts';

let t: TestApp;
let officer: { token: string; id: string };
let other: { token: string; id: string };
beforeAll(async () => {
  t = await startTestApp();
  officer = await t.userWith('duty_officer', 'yjj', 'city', 'idem-officer');
  other = await t.userWith('duty_officer', 'yjj', 'city', 'idem-other');
});
afterAll(() => t.stop());

async function incidentsTitled(title: string): Promise<number> {
  const rows = await t.db.kysely.selectFrom('incidents').select('id').where('title', '=', title).execute();
  return rows.length;
}

describe('Idempotency-Key on the real API', () => {
  it('the same key twice creates one incident and answers the same, the second marked replayed', async () => {
    const body = incidentBody({ title: '幂等测试一' });
    const headers = { 'idempotency-key': 'field-0001' };
    const a = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    const b = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    expect(a.statusCode).toBe(201);
    expect(a.headers['idempotent-replayed']).toBeUndefined();
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.headers['content-type']).toBe(a.headers['content-type']);
    expect(b.json().id).toBe(a.json().id);
    expect(b.json().number).toBe(a.json().number);
    expect(await incidentsTitled('幂等测试一')).toBe(1);
  });

  it('the same key with another body is refused in words (422), and nothing is created', async () => {
    const headers = { 'idempotency-key': 'field-0002', 'accept-language': 'en' };
    await t.api('POST', '/api/v1/incidents', {
      token: officer.token,
      body: incidentBody({ title: '幂等测试二' }),
      headers,
    });
    const r = await t.api('POST', '/api/v1/incidents', {
      token: officer.token,
      body: incidentBody({ title: '幂等测试二（改）' }),
      headers,
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(r.json().error.message).toContain('POST /api/v1/incidents');
    expect(await incidentsTitled('幂等测试二（改）')).toBe(0);
  });

  it('two users with the same key are independent: each gets their own incident', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const body = incidentBody({ title: '幂等测试三' });
    const a = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    const b = await t.api('POST', '/api/v1/incidents', { token: other.token, body, headers });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
    expect(await incidentsTitled('幂等测试三')).toBe(2);
  });

  it('a 4xx answer is kept and replayed too (the request is not run again)', async () => {
    const headers = { 'idempotency-key': 'field-0004' };
    const body = incidentBody({ title: '幂等测试四', typeCode: '99Z99' });
    const a = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    const b = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    expect(a.statusCode).toBe(400);
    expect(b.statusCode).toBe(400);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json()).toEqual(a.json());
  });

  it('a malformed key is refused naming the header; a GET ignores the header', async () => {
    const bad = await t.api('POST', '/api/v1/incidents', {
      token: officer.token,
      body: incidentBody({ title: '幂等测试五' }),
      headers: { 'idempotency-key': 'has space' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', field: 'Idempotency-Key' });
    const long = await t.api('POST', '/api/v1/incidents', {
      token: officer.token,
      body: incidentBody({ title: '幂等测试五' }),
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expect(long.statusCode).toBe(400);
    expect(await incidentsTitled('幂等测试五')).toBe(0);
    const get = await t.api('GET', '/api/v1/incidents?limit=1', {
      token: officer.token,
      headers: { 'idempotency-key': 'field-0001' },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keys are kept 24 h, then pruned: the same key runs again afterwards', async () => {
    const headers = { 'idempotency-key': 'field-0006' };
    const body = incidentBody({ title: '幂等测试六' });
    await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    const row = await t.db.kysely
      .selectFrom('idempotency_keys')
      .select(['state', 'status', 'created_at', 'expires_at'])
      .where('user_id', '=', officer.id)
      .where('key', '=', 'field-0006')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'done', status: 201 });
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(IDEMPOTENCY_TTL_MS);
    // age it past its day instead of moving the shared clock
    await t.db.kysely
      .updateTable('idempotency_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('key', '=', 'field-0006')
      .execute();
    expect(await t.idempotency.prune()).toBeGreaterThanOrEqual(1);
    const again = await t.api('POST', '/api/v1/incidents', { token: officer.token, body, headers });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await incidentsTitled('幂等测试六')).toBe(2);
  });
});

describe('Idempotency-Key: 5xx, a request still running, a stale claim', () => {
  let app: FastifyInstance;
  let runs = 0;
  let failNext = true;
  let release: (() => void) | null = null;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    app.decorateRequest('auth', null);
    // the real auth hook is tested elsewhere: here the caller is whoever the x-user header names
    app.addHook('onRequest', async (req) => {
      const id = req.headers['x-user'] as string | undefined;
      req.auth = id ? ({ actor: { id } } as unknown as Authenticated) : null;
    });
    registerErrorHandler(app);
    registerIdempotency(app, { db: t.db, clock: t.clock });
    app.post('/flaky', async (_req, reply) => {
      runs++;
      if (failNext) {
        failNext = false;
        return reply.status(503).send({ error: { code: 'NOT_READY' } });
      }
      return reply.status(201).send({ run: runs });
    });
    app.post('/slow', async () => {
      runs++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { run: runs };
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('a 5xx is not stored: the retry runs and its 2xx is the one kept', async () => {
    runs = 0;
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/flaky',
        headers: { 'x-user': 'u1', 'idempotency-key': 'k-5xx' },
        payload: {},
      });
    expect((await send()).statusCode).toBe(503);
    const second = await send();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    const third = await send();
    expect(third.statusCode).toBe(201);
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(third.json()).toEqual({ run: 2 });
    expect(runs).toBe(2);
  });

  it('a repeat while the first still runs gets 409 IDEMPOTENCY_IN_PROGRESS, then the first answer', async () => {
    runs = 0;
    const opts = { method: 'POST' as const, url: '/slow', headers: { 'x-user': 'u1', 'idempotency-key': 'k-slow' } };
    const first = app.inject({ ...opts, payload: { a: 1 } });
    while (!release) await new Promise((r) => setImmediate(r));
    const meanwhile = await app.inject({ ...opts, payload: { a: 1 } });
    expect(meanwhile.statusCode).toBe(409);
    expect(meanwhile.json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(meanwhile.headers['retry-after']).toBe('1');
    (release as unknown as () => void)();
    expect((await first).json()).toEqual({ run: 1 });
    const after = await app.inject({ ...opts, payload: { a: 1 } });
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.json()).toEqual({ run: 1 });
    expect(runs).toBe(1);
    release = null;
  });

  it('a claim left running by a dead process is taken over once stale', async () => {
    runs = 0;
    failNext = false;
    const now = t.clock.now();
    await t.db.kysely
      .insertInto('idempotency_keys')
      .values({
        user_id: 'u2',
        key: 'k-dead',
        fingerprint: fingerprintOf('POST', '/flaky', {}),
        method: 'POST',
        path: '/flaky',
        state: 'running',
        status: null,
        content_type: null,
        body: null,
        created_at: new Date(now.getTime() - IDEMPOTENCY_STALE_MS - 1000),
        expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .execute();
    const r = await app.inject({
      method: 'POST',
      url: '/flaky',
      headers: { 'x-user': 'u2', 'idempotency-key': 'k-dead' },
      payload: {},
    });
    expect(r.statusCode).toBe(201);
    expect(runs).toBe(1);
  });

  it('the fingerprint ignores the order of keys, not their values', () => {
    expect(fingerprintOf('POST', '/x', { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      fingerprintOf('POST', '/x', { b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(fingerprintOf('POST', '/x', { a: 1 })).not.toBe(fingerprintOf('POST', '/x', { a: 2 }));
    expect(fingerprintOf('POST', '/x', { a: 1 })).not.toBe(fingerprintOf('PATCH', '/x', { a: 1 }));
  });
});
