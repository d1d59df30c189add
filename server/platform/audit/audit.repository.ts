import type { Tx } from '../db/index.ts';
import { escapeLike } from '../db/sql.ts';

export async function listAudit(
  db: Tx,
  f: {
    actor?: string;
    entity?: string;
    entityId?: string;
    action?: string;
    from?: string;
    to?: string;
    limit?: number;
    offset?: number;
  },
) {
  let q = db.selectFrom('audit_log');
  if (f.actor) q = q.where('actor_id', '=', f.actor);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.action) q = q.where('action', 'like', `${escapeLike(f.action)}%`);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      requestId: r.request_id,
      address: r.address,
      hash: r.hash,
    })),
    total: Number(count.n),
  };
}
