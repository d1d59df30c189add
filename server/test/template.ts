import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { MODULES } from '../modules.ts';
import { openDb } from '../platform/db/index.ts';
import { MIGRATIONS_DIR } from '../platform/db/migrate.ts';
import { bringUp, createPlatform } from '../platform/platform.ts';
import { seedTestUsers, userPasswordHash } from './factories.ts';
import { TEST_TMP } from './test-tmp.ts';

export { TEST_TMP };

export const SHARED_DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
/** The template's admin password (tests sign in with it). */
export const ADMIN_PASSWORD = 'Admin-pass-1';

/**
 * The template's fingerprint: its migrations, this file and the factories (the seeded users), and the files that
 * declare what every installation is seeded with (module descriptors and their grants, `*.seed.ts`). A template
 * made from other ones is made again; runs of the same fingerprint share one.
 */
function fingerprint(): string {
  const h = createHash('sha256');
  const dirs = [MIGRATIONS_DIR, ...MODULES.flatMap((m) => (m.migrations ? [m.migrations] : []))];
  for (const dir of dirs) for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  const server = join(import.meta.dirname, '..');
  const seeds = (readdirSync(server, { recursive: true }) as string[])
    // the modules' seeds and what they write through (boundaries: label points, conversion)
    .filter((f) => /(^|\/)(module|[\w-]+\.seed|boundaries\.(service|repository))\.ts$/.test(f))
    .sort();
  for (const f of [...seeds, 'test/template.ts', 'test/factories.ts'])
    h.update(f).update(readFileSync(join(server, f)));
  return h.digest('hex').slice(0, 12);
}

export function pgliteTemplateDir(): string {
  return join(TEST_TMP, `anlan-test-template-${fingerprint()}`);
}

/**
 * Migrations and the seeds of every installation (units, roles, grants, admin, boundaries), no demo; then one user
 * per role with its argon2 hash (factories.ts TEST_USERS), so that tests sign in without making users.
 */
async function seed(db: Awaited<ReturnType<typeof openDb>>) {
  const config = loadConfig({
    DATA_DIR: tmpdir(),
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    ANLAN_SHARED_DATA: SHARED_DATA,
    ANLAN_TIMERS: '0',
  });
  const booted = await createPlatform(config, MODULES, { db });
  await bringUp(booted);
  await userPasswordHash();
  await seedTestUsers(booted.platform);
}

/** The template on a PostgreSQL server: one per fingerprint, built once and shared by concurrent runs. */
export function pgTemplateName(): string {
  return `anlan_tpl_${fingerprint()}`;
}

/**
 * Builds the template unless one of this fingerprint exists: a migrated database with the organisation, district
 * boundaries and the seeded users. Several runs may start at once (engineers on one machine, one PostgreSQL
 * server): each builds under its own name and renames it into place; the first rename wins.
 */
export async function buildTemplate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = pgTemplateName();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const has = async (db: string) =>
      ((await admin.query('select 1 from pg_database where datname = $1', [db])).rowCount ?? 0) > 0;
    try {
      if (await has(name)) return;
      const building = `${name}_b${process.pid}`;
      await admin.query(`drop database if exists ${building}`);
      await admin.query(`create database ${building}`);
      try {
        const db = await openDb({ databaseUrl: withDatabase(url, building), dataDir: '' });
        try {
          await seed(db);
        } finally {
          await db.close();
        }
        await admin.query(`alter database ${building} rename to ${name}`);
      } catch (err) {
        await admin.query(`drop database if exists ${building} with (force)`);
        if (!(await has(name))) throw err;
      }
    } finally {
      await admin.end();
    }
    return;
  }
  const dir = pgliteTemplateDir();
  if (existsSync(join(dir, 'ready'))) return;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const db = await openDb({ dataDir: building });
  try {
    await seed(db);
  } finally {
    await db.close();
  }
  cpSync(join(building, 'pg', 'PG_VERSION'), join(building, 'ready'));
  try {
    renameSync(building, dir);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(dir, 'ready'))) throw err;
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database for one test file: a copy of the template. Returns its config and a cleanup. */
export async function freshDatabase(): Promise<{ dataDir: string; databaseUrl?: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(TEST_TMP, 'anlan-test-'));
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `anlan_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${pgTemplateName()}`);
    await admin.end();
    return {
      dataDir,
      databaseUrl: withDatabase(url, name),
      async drop() {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  cpSync(join(pgliteTemplateDir(), 'pg'), join(dataDir, 'pg'), { recursive: true });
  return {
    dataDir,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
