import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CATEGORY_INFO, EVENT_TYPES } from '../../contracts/incidents.ts';
import { type Db, openDb } from '../../server/platform/db/index.ts';
import { MIGRATIONS_DIR } from '../../server/platform/db/migrate.ts';
import { startAnlan } from './anlan.ts';
import { databaseExists, pgUrl, readSetting, recreateDatabase } from './pg.ts';

export const INCIDENTS = 100_000;
const FILL_KEY = 'bench.fill';

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Leaf type codes (level 3) of one category, with their names, as SQL arrays. */
function codesOf(root: string): { codes: string; names: string } {
  const leaves = EVENT_TYPES.filter((t) => t.level === 3 && t.code.slice(0, 2) === root.slice(0, 2));
  return {
    codes: `array[${leaves.map((t) => sqlText(t.code)).join(',')}]`,
    names: `array[${leaves.map((t) => sqlText(t.name)).join(',')}]`,
  };
}

/**
 * 100,000 incidents over the last three years: category mix accident 40 % / natural 25 % / public health 15 % /
 * social security 20 %, any leaf type code of the category, points uniform over Weihai's bounding box (the sea
 * included: those end up `outside`), 2 % without a location, levels IV ≫ III > II > I with 8 % unassessed,
 * statuses mostly closed. Districts are then set by ST_Intersects against the loaded boundaries.
 */
export function fillSql(n = INCIDENTS): string {
  const cats = (['accident', 'natural', 'public_health', 'social_security'] as const).map((c) => ({
    c,
    ...codesOf(CATEGORY_INFO[c].root),
  }));
  return `
select setseed(0.2026);
with k (category, codes, names) as (
  values ${cats.map((x) => `(${sqlText(x.c)}, ${x.codes}, ${x.names})`).join(',\n    ')}
), r as materialized (
  select g, random() as c, random() as t, random() as o, random() as x, random() as y, random() as s, random() as l,
         random() as m, random() as h
  from generate_series(1, ${n}) g
), r2 as materialized (
  select r.*,
    case when c < 0.40 then 'accident' when c < 0.65 then 'natural' when c < 0.80 then 'public_health'
         else 'social_security' end as category,
    date_trunc('second', now() - o * interval '1095 days') as occ,
    case when l < 0.08 then null when l < 0.70 then 'IV' when l < 0.90 then 'III' when l < 0.98 then 'II'
         else 'I' end as lvl,
    case when s < 0.55 then 'closed' when s < 0.65 then 'recovering' when s < 0.78 then 'responding'
         when s < 0.90 then 'verified' else 'reported' end as status
  from r
)
insert into incidents (id, number, title, description, type_code, category, occurred_at, reported_at, geom, address,
  reporter_name, reporter_unit, reporter_phone, deaths, injured, affected, direct_loss_wan, district_code,
  district_status, computed_level, level_basis, status, demo, version, created_at, updated_at)
select
  gen_random_uuid(),
  'WH-BENCH-' || lpad(r2.g::text, 6, '0'),
  k.names[1 + floor(r2.t * cardinality(k.names))::int] || '（压测 ' || r2.g || '）',
  '基准测试数据 / benchmark data',
  k.codes[1 + floor(r2.t * cardinality(k.codes))::int],
  r2.category,
  r2.occ,
  r2.occ + r2.h * interval '2 hours',
  case when r2.m < 0.02 then null
       else st_setsrid(st_makepoint(121.3 + r2.x * 1.3, 36.8 + r2.y * 0.7), 4326) end,
  '威海市压测地址 ' || r2.g || ' 号',
  '报告人' || (r2.g % 997),
  '压测单位',
  '138' || lpad(((r2.g * 7919) % 100000000)::text, 8, '0'),
  case r2.lvl when 'I' then 30 + floor(r2.h * 20) when 'II' then 10 + floor(r2.h * 20)
              when 'III' then 3 + floor(r2.h * 7) when 'IV' then floor(r2.h * 3) else 0 end,
  floor(r2.h * 10),
  floor(r2.h * 200),
  round((r2.h * 500)::numeric, 2),
  null,
  case when r2.m < 0.02 then 'unknown' else 'outside' end,
  r2.lvl,
  case when r2.lvl is null then '' else 'benchmark data' end,
  r2.status,
  false,
  1,
  r2.occ + r2.h * interval '2 hours',
  r2.occ + r2.h * interval '3 hours'
from r2 join k on k.category = r2.category;

update incidents i set district_code = b.code, district_status = 'inside'
from boundaries b
where b.kind = 'district' and i.geom is not null and st_intersects(b.geom, i.geom) and i.number like 'WH-BENCH-%';
`;
}

/**
 * Run after the fill, outside any transaction: the state autovacuum keeps a PostgreSQL server in (visibility map
 * set, statistics fresh). PGlite has no autovacuum (single-user mode): there this stands for a maintained database.
 */
const MAINTENANCE = 'vacuum analyze incidents';

/** Changes whenever the schema or the fill changes: the cached data is then rebuilt. */
export function fillHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) {
    h.update(f);
    h.update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  h.update(fillSql());
  h.update(MAINTENANCE);
  return h.digest('hex').slice(0, 12);
}

export interface Filled {
  /** PGlite: a data directory holding the filled database (a fresh copy of the cache); PostgreSQL: unset */
  dataDir: string;
  databaseUrl?: string;
  cached: boolean;
  fillMs: number;
  note: string;
}

async function runFill(db: Db): Promise<void> {
  await db.execScript(fillSql());
  await db.execScript(MAINTENANCE);
  await db.execScript(
    `insert into settings (key, value) values ('${FILL_KEY}', '${JSON.stringify({ hash: fillHash(), n: INCIDENTS })}'::jsonb)
     on conflict (key) do update set value = excluded.value`,
  );
}

/** Migrates with the real server (boundaries loaded, no demo), stops it, then fills with SQL through openDb. */
async function migrateAndFill(dataDir: string, databaseUrl?: string): Promise<number> {
  const s = await startAnlan({ dataDir, databaseUrl, demo: false });
  await s.stop();
  const t0 = performance.now();
  const db = await openDb({ dataDir, databaseUrl });
  try {
    await runFill(db);
  } finally {
    await db.close();
  }
  return performance.now() - t0;
}

/** A PGlite DATA_DIR with 100k incidents: built once into os.tmpdir(), then copied for each run. */
export async function pglite100k(workDir: string): Promise<Filled> {
  const cache = join(tmpdir(), `anlan-bench-100k-${fillHash()}`);
  const marker = join(cache, 'bench-filled.json');
  let cached = true;
  let fillMs = 0;
  if (!existsSync(marker)) {
    cached = false;
    // Caches of an older schema or fill are of no further use (each is a few hundred MB).
    for (const old of readdirSync(tmpdir())) {
      if (/^anlan-bench-100k-[0-9a-f]{12}$/.test(old) && join(tmpdir(), old) !== cache) {
        rmSync(join(tmpdir(), old), { recursive: true, force: true });
      }
    }
    const partial = `${cache}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      fillMs = await migrateAndFill(partial);
      writeFileSync(join(partial, 'bench-filled.json'), JSON.stringify({ n: INCIDENTS, at: new Date() }));
      rmSync(cache, { recursive: true, force: true });
      renameSync(partial, cache);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      throw err;
    }
  }
  const dataDir = mkdtempSync(join(workDir, 'pglite-100k-'));
  cpSync(cache, dataDir, { recursive: true });
  return {
    dataDir,
    cached,
    fillMs,
    note: cached
      ? `reusing the filled PGlite data in ${cache} (delete it to refill)`
      : `filled ${INCIDENTS} incidents in ${(fillMs / 1000).toFixed(1)} s; cached in ${cache}`,
  };
}

/** The `anlan_bench` database with 100k incidents; rebuilt when the schema or the fill changed. */
export async function postgres100k(workDir: string, database = 'anlan_bench'): Promise<Filled> {
  const databaseUrl = pgUrl(database);
  const dataDir = mkdtempSync(join(workDir, 'pg-100k-'));
  const hash = fillHash();
  const done = (await databaseExists(database)) ? ((await readSetting(database, FILL_KEY)) as { hash?: string }) : null;
  if (done?.hash === hash) {
    return { dataDir, databaseUrl, cached: true, fillMs: 0, note: `reusing database ${database} (fill ${hash})` };
  }
  await recreateDatabase(database);
  const fillMs = await migrateAndFill(dataDir, databaseUrl);
  return {
    dataDir,
    databaseUrl,
    cached: false,
    fillMs,
    note: `filled ${INCIDENTS} incidents into ${database} in ${(fillMs / 1000).toFixed(1)} s`,
  };
}
