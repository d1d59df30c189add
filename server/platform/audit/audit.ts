import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { RequestCtx } from '../core/context.ts';
import { canonicalJson, toJsonValue } from '../core/json.ts';
import type { Db, Tx } from '../db/index.ts';
import type { Anchor, AnchorFile } from './audit-anchors.ts';

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

export type TamperReason = 'content' | 'link' | 'anchor' | 'missing' | 'truncated';

export interface VerifyResult {
  checked: number;
  /**
   * The first row that does not match: its content or link (`content`, `link`), an anchored row whose hash changed
   * although the chain links (`anchor`: rewritten and every later hash recomputed, somewhere after `after`), an
   * anchored row that is gone (`missing`), or a chain that ends before the last anchor (`truncated`: `seq` is the
   * first anchored row beyond its end). null when the chain is whole and agrees with every anchor.
   */
  firstTampered: { seq: number; reason: TamperReason; after?: number; anchoredAt?: string } | null;
  /** the newest row's hash */
  head: { seq: number; hash: string } | null;
  /** the anchors checked against (written outside the database) */
  anchors: { count: number; checked: number; last: Anchor | null; unreadable: number };
}

/** Recomputes a row's hash from its stored fields and the hash before it. */
export function hashOfRow(
  prev: string,
  r: {
    at: Date;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before: unknown;
    after: unknown;
    request_id: string | null;
    address: string | null;
  },
): string {
  return rowHash(prev, {
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
}

/**
 * Walks the whole chain in order, in pages, and reports the first row that does not match, its hashes or the
 * anchors written outside the database (`readAnchors`).
 */
export async function verifyAudit(
  db: Db,
  anchorFile: AnchorFile = { anchors: [], unreadable: 0 },
  pageSize = 5000,
): Promise<VerifyResult> {
  const anchors = [...anchorFile.anchors].sort((x, y) => x.seq - y.seq);
  let next = 0; // the next anchor to meet
  let lastGood: number | undefined; // the newest anchor found intact
  let prev = GENESIS;
  let after = 0;
  let checked = 0;
  let head: VerifyResult['head'] = null;
  const result = (firstTampered: VerifyResult['firstTampered']): VerifyResult => ({
    checked,
    firstTampered,
    head,
    anchors: {
      count: anchors.length,
      checked: next,
      last: anchors.at(-1) ?? null,
      unreadable: anchorFile.unreadable,
    },
  });
  for (;;) {
    const rows = await db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      checked++;
      if (next < anchors.length && anchors[next].seq < seq) {
        return result({ seq: anchors[next].seq, reason: 'missing', anchoredAt: anchors[next].at });
      }
      if (r.prev_hash !== prev) return result({ seq, reason: 'link' });
      if (hashOfRow(prev, r) !== r.hash) return result({ seq, reason: 'content' });
      while (next < anchors.length && anchors[next].seq === seq) {
        const a = anchors[next];
        if (a.hash !== r.hash) return result({ seq, reason: 'anchor', after: lastGood ?? 0, anchoredAt: a.at });
        lastGood = seq;
        next++;
      }
      prev = r.hash;
      after = seq;
      head = { seq, hash: r.hash };
    }
  }
  if (next < anchors.length) {
    return result({ seq: anchors[next].seq, reason: 'truncated', anchoredAt: anchors[next].at });
  }
  return result(null);
}
