import type { Insertable } from 'kysely';
import type { Database, Tx } from '../db/index.ts';

export async function insertJob(db: Tx, row: Insertable<Database['jobs']>): Promise<void> {
  await db.insertInto('jobs').values(row).execute();
}

export async function updateJob(
  db: Tx,
  id: string,
  set: {
    phase?: string;
    done?: number;
    total?: number;
    state?: string;
    result?: string;
    error?: string;
    heartbeat_at?: Date;
    finished_at?: Date;
  },
): Promise<void> {
  await db.updateTable('jobs').set(set).where('id', '=', id).execute();
}

export function findJob(db: Tx, id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listJobs(db: Tx, kind: string, limit: number) {
  return db
    .selectFrom('jobs')
    .select(['id', 'owner_id', 'permission'])
    .where('kind', '=', kind)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

export async function heartbeat(db: Tx, ids: string[], now: Date): Promise<void> {
  await db.updateTable('jobs').set({ heartbeat_at: now }).where('id', 'in', ids).execute();
}

export async function failStale(
  db: Tx,
  before: Date,
  now: Date,
  error: { code: string; message: string },
): Promise<number> {
  const r = await db
    .updateTable('jobs')
    .set({ state: 'failed', finished_at: now, error: JSON.stringify(error) })
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
