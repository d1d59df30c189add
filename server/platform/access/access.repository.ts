import { sql } from 'kysely';
import type { Tx } from '../db/index.ts';
import { containsPattern } from '../db/sql.ts';

/** The union of the permissions of user `u`'s roles (the query must name the users table `u`). */
export const PERMISSIONS_OF_USER = sql<
  string[] | null
>`(select array_agg(distinct p) from roles r, unnest(r.permissions) p where r.code = any(u.roles))`.as('permissions');

export function listUnits(db: Tx) {
  return db
    .selectFrom('org_units as o')
    .select([
      'o.id',
      'o.code',
      'o.name',
      'o.name_en',
      'o.kind',
      'o.parent_code',
      'o.population',
      'o.population_demo',
      'o.version',
    ])
    .orderBy('o.sort')
    .orderBy('o.code')
    .execute();
}

export function findUnit(db: Tx, code: string) {
  return db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function upsertUnit(
  db: Tx,
  u: { id: string; code: string; name: string; nameEn: string; kind: string; parent: string | null; sort: number },
) {
  await db
    .insertInto('org_units')
    .values({
      id: u.id,
      code: u.code,
      name: u.name,
      name_en: u.nameEn,
      kind: u.kind,
      parent_code: u.parent,
      sort: u.sort,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function setUnitPopulation(db: Tx, code: string, population: number, demo: boolean) {
  await db.updateTable('org_units').set({ population, population_demo: demo }).where('code', '=', code).execute();
}

export function listRoles(db: Tx) {
  return db.selectFrom('roles').selectAll().orderBy('code').execute();
}

export function findRole(db: Tx, code: string) {
  return db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertRoleIfMissing(
  db: Tx,
  r: { code: string; name: string; nameEn: string; permissions: string[] },
) {
  await db
    .insertInto('roles')
    .values({ code: r.code, name: r.name, name_en: r.nameEn, permissions: r.permissions })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** Updates a role's permissions if its version still matches; returns the new row or undefined on a stale version. */
export function updateRolePermissions(db: Tx, code: string, permissions: string[], version: number, now: Date) {
  return db
    .updateTable('roles')
    .set((eb) => ({ permissions, version: eb('version', '+', 1), updated_at: now }))
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

const USER_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.phone',
  'u.unit_code',
  'o.name as unit_name',
  'u.roles',
  'u.scope',
  'u.locale',
  'u.disabled',
  sql<Date | null>`(select lf.locked_until from login_failures lf where lf.username = lower(u.username))`.as(
    'locked_until',
  ),
  'u.must_change_password',
  'u.demo',
  'u.version',
] as const;

export type UserRecord = Awaited<ReturnType<typeof findUser>> & {};

export function findUser(db: Tx, id: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.code', 'u.unit_code')
    .select(USER_COLUMNS)
    .select(PERMISSIONS_OF_USER)
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export async function listUsers(
  db: Tx,
  f: { q?: string; unitCode?: string; role?: string; limit: number; offset: number },
) {
  let q = db.selectFrom('users as u').innerJoin('org_units as o', 'o.code', 'u.unit_code');
  if (f.q) {
    const like = containsPattern(f.q);
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (f.unitCode) q = q.where('u.unit_code', '=', f.unitCode);
  if (f.role) q = q.where(sql<boolean>`${f.role} = any(u.roles)`);
  const [items, count] = await Promise.all([
    q.select(USER_COLUMNS).select(PERMISSIONS_OF_USER).orderBy('u.username').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export function findUsername(db: Tx, username: string) {
  return db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
}

export async function insertUser(
  db: Tx,
  u: {
    id: string;
    username: string;
    displayName: string;
    phone: string;
    passwordHash: string;
    unitCode: string;
    roles: string[];
    scope: string;
    locale: string;
    mustChange: boolean;
    demo: boolean;
    now: Date;
  },
) {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      display_name: u.displayName,
      phone: u.phone,
      password_hash: u.passwordHash,
      unit_code: u.unitCode,
      roles: u.roles,
      scope: u.scope,
      locale: u.locale,
      must_change_password: u.mustChange,
      demo: u.demo,
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
}

export function updateUser(
  db: Tx,
  id: string,
  version: number | undefined,
  set: Partial<{
    display_name: string;
    phone: string;
    unit_code: string;
    roles: string[];
    scope: string;
    disabled: boolean;
    locale: string;
    password_hash: string;
    must_change_password: boolean;
  }>,
  now: Date,
) {
  let q = db
    .updateTable('users')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  return q.returning('id').executeTakeFirst();
}

export function countUsers(db: Tx) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
}
