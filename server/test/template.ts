import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { MODULES } from '../modules.ts';
import { openDb } from '../platform/db/index.ts';
import { MIGRATIONS_DIR } from '../platform/db/migrate.ts';
import { bringUp, createPlatform } from '../platform/platform.ts';
import { seedTestUsers, userPasswordHash } from './factories.ts';

export const SHARED_DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
export const TEMPLATE_DB = 'anlan_test_template';
/** The template's admin password (tests sign in with it). */
export const ADMIN_PASSWORD = 'Admin-pass-1';

/**
 * The template's fingerprint: one made from other migrations, or by another version of this file or the factories
 * (the seeded users), is made again.
 */
function fingerprint(): string {
  const h = createHash('sha256');
  const dirs = [MIGRATIONS_DIR, ...MODULES.flatMap((m) => (m.migrations ? [m.migrations] : []))];
  for (const dir of dirs) for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  for (const f of ['template.ts', 'factories.ts']) h.update(readFileSync(join(import.meta.dirname, f)));
  return h.digest('hex').slice(0, 12);
}

export function pgliteTemplateDir(): string {
  return join(tmpdir(), `anlan-test-template-${fingerprint()}`);
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
  });
  const booted = await createPlatform(config, MODULES, { db });
  await bringUp(booted);
  await userPasswordHash();
  await seedTestUsers(booted.platform);
}

/** Builds the template once per run: a migrated database with the organisation and district boundaries. */
export async function buildTemplate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${TEMPLATE_DB}`);
    await admin.query(`create database ${TEMPLATE_DB}`);
    await admin.end();
    const db = await openDb({ databaseUrl: withDatabase(url, TEMPLATE_DB), dataDir: '' });
    await seed(db);
    await db.close();
    return;
  }
  const dir = pgliteTemplateDir();
  if (existsSync(join(dir, 'ready'))) return;
  rmSync(dir, { recursive: true, force: true });
  const db = await openDb({ dataDir: dir });
  await seed(db);
  await db.close();
  cpSync(join(dir, 'pg', 'PG_VERSION'), join(dir, 'ready'));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database for one test file: a copy of the template. Returns its config and a cleanup. */
export async function freshDatabase(): Promise<{ dataDir: string; databaseUrl?: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anlan-test-'));
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `anlan_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
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
