/** The risk grid's cells and state: the only SQL on them. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

export interface CellWrite {
  h3: string[];
  district: (string | null)[];
  h: number[];
  e: number[];
  v: number[];
  score: number[];
  cls: string[];
  population: number[];
  raw: string[];
  box: [number, number, number, number][];
}

/** Replaces every cell (inside the caller's transaction: readers see the old grid or the new one). */
export async function replaceCells(db: Tx, c: CellWrite): Promise<void> {
  await db.deleteFrom('risk_grid_cells').execute();
  const CHUNK = 20_000;
  for (let at = 0; at < c.h3.length; at += CHUNK) {
    const sl = <T>(a: T[]) => a.slice(at, at + CHUNK);
    const box = sl(c.box);
    await sql`
      insert into risk_grid_cells (h3, district_code, h, e, v, score, cls, population, raw,
                                   min_lon, min_lat, max_lon, max_lat)
      select * from unnest(${sl(c.h3)}::text[], ${sl(c.district)}::text[], ${sl(c.h)}::float8[],
                           ${sl(c.e)}::float8[], ${sl(c.v)}::float8[], ${sl(c.score)}::float8[], ${sl(c.cls)}::text[],
                           ${sl(c.population)}::float8[], ${sl(c.raw)}::jsonb[],
                           ${box.map((b) => b[0])}::float8[], ${box.map((b) => b[1])}::float8[],
                           ${box.map((b) => b[2])}::float8[], ${box.map((b) => b[3])}::float8[])`.execute(db);
  }
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

export interface CellRow {
  h3: string;
  district_code: string | null;
  h: number;
  e: number;
  v: number;
  score: number;
  cls: string;
  population: number;
}

const cellColumns = ['h3', 'district_code', 'h', 'e', 'v', 'score', 'cls', 'population'] as const;

/** Cells of the classes given whose box meets the bbox, most severe first, at most `limit` (and the count). */
export async function cells(
  db: Tx,
  q: { classes: string[]; bbox?: [number, number, number, number]; limit: number },
): Promise<{ rows: CellRow[]; total: number }> {
  let base = db.selectFrom('risk_grid_cells').where('cls', 'in', q.classes);
  if (q.bbox) {
    const [a, b, c, d] = q.bbox;
    base = base.where('max_lon', '>=', a).where('min_lon', '<=', c).where('max_lat', '>=', b).where('min_lat', '<=', d);
  }
  const [rows, total] = await Promise.all([
    base.select(cellColumns).orderBy('score', 'desc').orderBy('h3').limit(q.limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as CellRow[], total: Number(total.n) };
}

export async function cell(db: Tx, h3: string) {
  return db
    .selectFrom('risk_grid_cells')
    .select([...cellColumns, 'raw'])
    .where('h3', '=', h3)
    .executeTakeFirst();
}

export async function populations(db: Tx, h3s: readonly string[]): Promise<Map<string, number>> {
  if (!h3s.length) return new Map();
  const rows = await db
    .selectFrom('risk_grid_cells')
    .select(['h3', 'population'])
    .where('h3', 'in', h3s as string[])
    .execute();
  return new Map(rows.map((r) => [r.h3, Number(r.population)]));
}

export async function districtSummary(db: Tx) {
  return db
    .selectFrom('risk_grid_cells')
    .select([
      'district_code',
      sql<number>`count(*)::int`.as('cells'),
      sql<number>`count(*) filter (where cls = 'major')::int`.as('major'),
      sql<number>`count(*) filter (where cls = 'large')::int`.as('large'),
      sql<number>`count(*) filter (where cls = 'general')::int`.as('general'),
      sql<number>`count(*) filter (where cls = 'low')::int`.as('low'),
      sql<number>`avg(score)`.as('mean'),
      sql<number>`max(score)`.as('max'),
      sql<number>`sum(population)`.as('population'),
      sql<number>`coalesce(sum(population) filter (where cls = 'major'), 0)`.as('pop_major'),
      sql<number>`coalesce(sum(population) filter (where cls = 'large'), 0)`.as('pop_large'),
    ])
    .groupBy('district_code')
    .orderBy('district_code')
    .execute();
}
