import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { Clock } from '../core/ids.ts';
import type { Db } from '../db/index.ts';

/** How long an answer is kept for a repeat of its key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/**
 * A key still 'running' after this long belongs to a request that died with its process (crash, restart): the next
 * repeat takes it over and runs, rather than being refused for a day.
 */
export const IDEMPOTENCY_STALE_MS = 120_000;
const PRUNE_EVERY_MS = 3600_000;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** the Idempotency-Key this request claimed (its answer is stored when sent) */
    idempotency: { userId: string; key: string } | null;
  }
}

/** JSON with its keys sorted: the same body written in another order is the same request. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? '';
}

/**
 * What makes two requests "the same": method, path with its query, and the body as parsed (JSON in any key order).
 * A multipart upload's body is read by its handler, after this: its parts are not part of the fingerprint.
 */
export function fingerprintOf(method: string, url: string, body: unknown): string {
  const b =
    body === undefined || body === null
      ? ''
      : typeof body === 'string'
        ? body
        : Buffer.isBuffer(body)
          ? body.toString('base64')
          : canonical(body);
  return createHash('sha256').update(`${method} ${url}\n`).update(b).digest('hex');
}

/**
 * `Idempotency-Key` on every POST/PUT/PATCH/DELETE of a signed-in caller: done once per (user, key). The first
 * request claims the key in `idempotency_keys` (the table's primary key decides between instances); its answer —
 * status, content type, body — is stored when a 2xx or 4xx is sent, and a repeat gets it again with
 * `Idempotent-Replayed: true`. A 5xx (or an answer that is a stream) frees the key: the retry runs. The same key for a
 * different method, path or body: 422 IDEMPOTENCY_KEY_REUSED. A repeat while the first still runs: 409
 * IDEMPOTENCY_IN_PROGRESS with `Retry-After: 1` at once (not held open: a phone's retry loop tries again, and a held
 * request would tie up a connection of the embedded database's pool of one). Rows are kept 24 h.
 */
export function registerIdempotency(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; onError?: (err: unknown) => void },
): { prune(): Promise<number>; stop(): void } {
  const db = deps.db.kysely;
  app.decorateRequest('idempotency', null);

  app.addHook('preValidation', async (req, reply) => {
    if (!UNSAFE.has(req.method)) return;
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    const userId = req.auth?.actor.id;
    // public routes (sign-in) have no user to keep the key for: the header is ignored there
    if (!userId) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (Array.isArray(raw) || !KEY_FORMAT.test(key)) {
      throw new AppError('IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
    }
    const now = deps.clock.now();
    const path = req.url;
    const fingerprint = fingerprintOf(req.method, path, req.body);
    const fresh = {
      fingerprint,
      method: req.method,
      path: path.slice(0, 2000),
      state: 'running',
      status: null,
      content_type: null,
      body: null,
      created_at: now,
      expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    };
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, ...fresh })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      req.idempotency = { userId, key };
      return;
    }
    // an expired row not yet pruned, or a request that died while running, is taken over
    const taken = await db
      .updateTable('idempotency_keys')
      .set(fresh)
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', now),
          eb.and([eb('state', '=', 'running'), eb('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_STALE_MS))]),
        ]),
      )
      .returning('key')
      .executeTakeFirst();
    if (taken) {
      req.idempotency = { userId, key };
      return;
    }
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) {
      // freed by a 5xx between our statements: this request is the retry; the client sends it again
      reply.header('retry-after', '1');
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', { field: 'Idempotency-Key' });
    }
    if (row.fingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key', method: row.method, path: row.path });
    }
    if (row.state !== 'done' || row.status === null) {
      reply.header('retry-after', '1');
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', { field: 'Idempotency-Key' });
    }
    reply.code(row.status).header(REPLAYED_HEADER, 'true');
    if (row.content_type) reply.header('content-type', row.content_type);
    return reply.send(row.body ? Buffer.from(row.body) : '');
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = null;
    const status = reply.statusCode;
    const where = db.updateTable('idempotency_keys').where('user_id', '=', claim.userId).where('key', '=', claim.key);
    const keep = status < 500 && (payload === null || typeof payload === 'string' || Buffer.isBuffer(payload));
    try {
      if (!keep) {
        await db
          .deleteFrom('idempotency_keys')
          .where('user_id', '=', claim.userId)
          .where('key', '=', claim.key)
          .execute();
      } else {
        const ct = reply.getHeader('content-type');
        await where
          .set({
            state: 'done',
            status,
            content_type: ct === undefined ? null : String(ct),
            body: payload === null ? null : typeof payload === 'string' ? Buffer.from(payload) : (payload as Buffer),
          })
          .execute();
      }
    } catch (err) {
      // the answer goes out all the same; the key stays 'running' and is taken over once stale
      deps.onError?.(err);
    }
    return payload;
  });

  // A request that ended without an answer sent (the client left, an error before onSend): free its key.
  app.addHook('onResponse', async (req) => {
    const claim = req.idempotency;
    if (!claim) return;
    req.idempotency = null;
    await db
      .deleteFrom('idempotency_keys')
      .where('user_id', '=', claim.userId)
      .where('key', '=', claim.key)
      .where('state', '=', 'running')
      .execute()
      .catch((err) => deps.onError?.(err));
  });

  const prune = async () => {
    const r = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', deps.clock.now()).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  };
  const timer = setInterval(() => void prune().catch((err) => deps.onError?.(err)), PRUNE_EVERY_MS);
  timer.unref();
  return { prune, stop: () => clearInterval(timer) };
}
