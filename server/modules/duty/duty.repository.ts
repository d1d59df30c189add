/** The duty module's SQL: patterns, the roster, gap alarms, handovers, external contacts. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';
import { containsPattern, escapeLike } from '../../platform/db/sql.ts';

// ---- patterns ----

export function listPatterns(db: Tx, unit?: string) {
  let q = db.selectFrom('duty_patterns').selectAll();
  if (unit) q = q.where('unit_code', '=', unit);
  return q.orderBy('unit_code').orderBy('created_at').execute();
}
export type PatternRow = Awaited<ReturnType<typeof listPatterns>>[number];

export function findPattern(db: Tx, id: string) {
  return db.selectFrom('duty_patterns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPattern(
  db: Tx,
  r: { id: string; unit_code: string; name: string; slots: unknown; now: Date },
): Promise<void> {
  await db
    .insertInto('duty_patterns')
    .values({
      id: r.id,
      unit_code: r.unit_code,
      name: r.name,
      slots: JSON.stringify(r.slots),
      created_at: r.now,
      updated_at: r.now,
    })
    .execute();
}

export async function updatePattern(
  db: Tx,
  id: string,
  r: { name: string; slots: unknown },
  version: number,
  now: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('duty_patterns')
    .set({ name: r.name, slots: JSON.stringify(r.slots), updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** shifts on the roster in these slots of a pattern */
export async function countShiftsInSlots(db: Tx, patternId: string, slots: string[]): Promise<number> {
  if (slots.length === 0) return 0;
  const r = await db
    .selectFrom('duty_shifts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pattern_id', '=', patternId)
    .where('slot', 'in', slots)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---- shifts ----

export interface ShiftWrite {
  id: string;
  unit_code: string;
  shift_date: string;
  pattern_id: string;
  slot: string;
  slot_name: string;
  role: string;
  user_id: string;
  user_name: string;
  starts_at: Date;
  ends_at: Date;
  note: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertShifts(db: Tx, rows: ShiftWrite[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('duty_shifts')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** the shifts of a unit that overlap [from, to) */
export function shiftsOverlapping(db: Tx, unit: string, from: Date, to: Date) {
  return db
    .selectFrom('duty_shifts')
    .selectAll()
    .where('unit_code', '=', unit)
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .orderBy('starts_at')
    .orderBy('role')
    .orderBy('user_name')
    .execute();
}
export type ShiftRow = Awaited<ReturnType<typeof shiftsOverlapping>>[number];

export function findShift(db: Tx, id: string) {
  return db.selectFrom('duty_shifts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSameShift(
  db: Tx,
  r: { unit_code: string; shift_date: string; pattern_id: string; slot: string; role: string; user_id: string },
) {
  return db
    .selectFrom('duty_shifts')
    .select('id')
    .where('unit_code', '=', r.unit_code)
    .where('shift_date', '=', r.shift_date)
    .where('pattern_id', '=', r.pattern_id)
    .where('slot', '=', r.slot)
    .where('role', '=', r.role)
    .where('user_id', '=', r.user_id)
    .executeTakeFirst();
}

export async function updateShift(
  db: Tx,
  id: string,
  set: { user_id: string; user_name: string; note: string },
  version: number,
  now: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('duty_shifts')
    .set({ ...set, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteShift(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('duty_shifts').where('id', '=', id).execute();
}

/** the shifts of one role and pattern on the dates of a month: counted, or deleted (returning the count) */
export async function monthShifts(
  db: Tx,
  r: { unit: string; patternId: string; role: string; from: string; to: string },
  del: boolean,
): Promise<number> {
  if (del) {
    const res = await db
      .deleteFrom('duty_shifts')
      .where('unit_code', '=', r.unit)
      .where('pattern_id', '=', r.patternId)
      .where('role', '=', r.role)
      .where('shift_date', '>=', r.from)
      .where('shift_date', '<=', r.to)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
  const c = await db
    .selectFrom('duty_shifts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('unit_code', '=', r.unit)
    .where('pattern_id', '=', r.patternId)
    .where('role', '=', r.role)
    .where('shift_date', '>=', r.from)
    .where('shift_date', '<=', r.to)
    .executeTakeFirstOrThrow();
  return Number(c.n);
}

/** who is on shift at an instant (a shift holds its start and not its end) */
export function onShiftAt(db: Tx, unit: string, at: Date) {
  return db
    .selectFrom('duty_shifts')
    .select(['user_id', 'user_name', 'role', 'unit_code', 'ends_at'])
    .where('unit_code', '=', unit)
    .where('starts_at', '<=', at)
    .where('ends_at', '>', at)
    .orderBy('role')
    .orderBy('user_name')
    .execute();
}

/** the units with a roster (a pattern): the ones the gap check watches */
export async function rosterUnits(db: Tx): Promise<string[]> {
  const rows = await db.selectFrom('duty_patterns').select('unit_code').distinct().execute();
  return rows.map((r) => r.unit_code);
}

/** the first instance to record a gap's start raises its alarm */
export async function claimGapAlarm(db: Tx, unit: string, role: string, gapStart: Date, now: Date): Promise<boolean> {
  const r = await db
    .insertInto('duty_gap_alarms')
    .values({ unit_code: unit, role, gap_start: gapStart, raised_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('unit_code')
    .executeTakeFirst();
  return r !== undefined;
}

// ---- handovers ----

export async function insertHandover(
  db: Tx,
  r: {
    id: string;
    unit_code: string;
    from_user: string;
    from_name: string;
    to_user: string;
    to_name: string;
    notes: string;
    items: unknown;
    created_at: Date;
  },
): Promise<void> {
  await db
    .insertInto('duty_handovers')
    .values({ ...r, items: JSON.stringify(r.items) })
    .execute();
}

export function findHandover(db: Tx, id: string) {
  return db.selectFrom('duty_handovers').selectAll().where('id', '=', id).executeTakeFirst();
}
export type HandoverRow = NonNullable<Awaited<ReturnType<typeof findHandover>>>;

export async function listHandovers(
  db: Tx,
  f: { units?: string[]; unit?: string; status?: string; user?: string; limit: number; offset: number },
) {
  let q = db.selectFrom('duty_handovers');
  if (f.units) q = q.where('unit_code', 'in', f.units.length ? f.units : ['']);
  if (f.unit) q = q.where('unit_code', '=', f.unit);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.user) {
    const user = f.user;
    q = q.where((eb) => eb.or([eb('from_user', '=', user), eb('to_user', '=', user)]));
  }
  const [items, c] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(c.n) };
}

/** accepts a pending handover; false when it was accepted meanwhile */
export async function acceptHandover(db: Tx, id: string, note: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('duty_handovers')
    .set({ status: 'accepted', accepted_at: now, accept_note: note, version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- external contacts ----

export interface ContactWrite {
  name: string;
  title: string;
  unit_code: string | null;
  organisation: string;
  phones: string[];
  notes: string;
  pinyin: string;
  initials: string;
}

export async function insertContact(
  db: Tx,
  id: string,
  r: ContactWrite,
  createdByUnit: string | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto('duty_contacts')
    .values({ id, ...r, created_by_unit: createdByUnit, created_at: now, updated_at: now })
    .execute();
}

export async function updateContact(db: Tx, id: string, r: ContactWrite, version: number, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('duty_contacts')
    .set({ ...r, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteContact(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('duty_contacts').where('id', '=', id).execute();
}

export function findContact(db: Tx, id: string) {
  return db.selectFrom('duty_contacts').selectAll().where('id', '=', id).executeTakeFirst();
}
export type ContactRow = NonNullable<Awaited<ReturnType<typeof findContact>>>;

/** external contacts by name, pinyin (full or initials, lower case), unit or phone digits */
export function searchContacts(db: Tx, f: { q?: string; unit?: string; limit: number }) {
  let q = db.selectFrom('duty_contacts').selectAll();
  if (f.unit) q = q.where('unit_code', '=', f.unit);
  if (f.q) {
    const like = containsPattern(f.q);
    const prefix = `${escapeLike(f.q.toLowerCase())}%`;
    const digits = f.q.replace(/\D/g, '');
    q = q.where((eb) =>
      eb.or([
        eb('name', 'ilike', like),
        eb('title', 'ilike', like),
        eb('organisation', 'ilike', like),
        eb('pinyin', 'like', prefix),
        eb('initials', 'like', prefix),
        ...(digits.length >= 3
          ? [
              sql<boolean>`exists (select 1 from unnest(phones) p where regexp_replace(p, '\\D', '', 'g') like ${`%${digits}%`})`,
            ]
          : []),
      ]),
    );
  }
  return q.orderBy('initials').orderBy('name').limit(f.limit).execute();
}
