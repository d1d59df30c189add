import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestCtx } from '../core/context.ts';
import { canonicalJson, toJsonValue } from '../core/json.ts';
import type { Db, Tx } from '../db/index.ts';

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 7_326_002;

export interface AuditWrite {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

interface ChainFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  address: string | null;
}

function rowHash(prev: string, f: ChainFields): string {
  return createHash('sha256')
    .update(prev)
    .update(canonicalJson({ ...f, at: f.at.toISOString() }))
    .digest('hex');
}

/** Appends one audit row inside the caller's transaction, chained to the row before it. */
export async function recordAudit(trx: Tx, ctx: RequestCtx, now: Date, w: AuditWrite): Promise<void> {
  // One writer at a time extends the chain (PostgreSQL servers run transactions concurrently).
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const fields: ChainFields = {
    at: now,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    action: w.action,
    entity: w.entity,
    entityId: w.entityId ?? null,
    before: toJsonValue(w.before ?? null),
    after: toJsonValue(w.after ?? null),
    requestId: ctx.requestId,
    address: ctx.address,
  };
  await trx
    .insertInto('audit_log')
    .values({
      at: now,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      action: fields.action,
      entity: fields.entity,
      entity_id: fields.entityId,
      before: JSON.stringify(fields.before),
      after: JSON.stringify(fields.after),
      request_id: fields.requestId,
      address: fields.address,
      prev_hash: prev,
      hash: rowHash(prev, fields),
    })
    .execute();
}

export interface VerifyResult {
  checked: number;
  /** The first row whose content or link does not match its hash; null when the chain is whole. */
  firstTampered: { seq: number; reason: 'content' | 'link' } | null;
  /** the newest row's hash: kept elsewhere, it also reveals rows removed from the end */
  head: { seq: number; hash: string } | null;
}

/** Walks the whole chain in order, in pages, and reports the first row that does not match. */
export async function verifyAudit(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let after = 0;
  let checked = 0;
  let head: VerifyResult['head'] = null;
  for (;;) {
    const rows = await db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { checked, firstTampered: null, head };
    for (const r of rows) {
      checked++;
      if (r.prev_hash !== prev) return { checked, firstTampered: { seq: r.seq, reason: 'link' }, head };
      const expected = rowHash(prev, {
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before ?? null,
        after: r.after ?? null,
        requestId: r.request_id,
        address: r.address,
      });
      if (expected !== r.hash) return { checked, firstTampered: { seq: r.seq, reason: 'content' }, head };
      prev = r.hash;
      after = r.seq;
      head = { seq: r.seq, hash: r.hash };
    }
  }
}
