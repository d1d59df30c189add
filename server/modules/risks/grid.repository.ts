/** The risk grid's cells and state: the only SQL on them. */
import type { Tx } from '../../platform/db/index.ts';

/** Replaces the stored grid (inside the caller's transaction: readers see the old grid or the new one). */
export async function saveGrid(db: Tx, computedAt: Date, bytes: Uint8Array): Promise<void> {
  // base64 text: PGlite passes a text parameter of megabytes ten times faster than bytea
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  await db
    .insertInto('risk_grid_data')
    .values({ id: 1, computed_at: computedAt, data })
    .onConflict((oc) => oc.column('id').doUpdateSet({ computed_at: computedAt, data }))
    .execute();
}

export async function readGrid(db: Tx): Promise<{ computed_at: Date; data: Uint8Array } | undefined> {
  const r = await db
    .selectFrom('risk_grid_data')
    .select(['computed_at', 'data'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return r && { computed_at: r.computed_at, data: Buffer.from(r.data, 'base64') };
}

export interface StateRow {
  computed_at: Date | null;
  resolution: number;
  cell_count: number;
  feature_count: number;
  settings_version: number;
  norms: unknown;
  counts: unknown;
  duration_ms: number | null;
  data_mark: number;
  computed_mark: number;
}

export async function state(db: Tx, o: { forUpdate?: boolean } = {}): Promise<StateRow> {
  const q = db
    .selectFrom('risk_grid_state')
    .select([
      'computed_at',
      'resolution',
      'cell_count',
      'feature_count',
      'settings_version',
      'norms',
      'counts',
      'duration_ms',
      'data_mark',
      'computed_mark',
    ])
    .where('id', '=', 1);
  return (o.forUpdate ? q.forUpdate() : q).executeTakeFirstOrThrow() as Promise<StateRow>;
}

/** Layers or settings changed: a grid computed before is stale. */
export async function bumpDataMark(db: Tx): Promise<void> {
  await db
    .updateTable('risk_grid_state')
    .set((eb) => ({ data_mark: eb('data_mark', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export async function saveState(
  db: Tx,
  s: {
    computedAt: Date;
    resolution: number;
    cellCount: number;
    featureCount: number;
    settingsVersion: number;
    norms: object;
    counts: object;
    durationMs: number;
    mark: number;
  },
): Promise<void> {
  await db
    .updateTable('risk_grid_state')
    .set({
      computed_at: s.computedAt,
      resolution: s.resolution,
      cell_count: s.cellCount,
      feature_count: s.featureCount,
      settings_version: s.settingsVersion,
      norms: JSON.stringify(s.norms),
      counts: JSON.stringify(s.counts),
      duration_ms: s.durationMs,
      computed_mark: s.mark,
    })
    .where('id', '=', 1)
    .execute();
}
