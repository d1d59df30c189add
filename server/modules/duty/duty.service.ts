/**
 * Duty (值班值守): each unit's shift patterns and roster (a leader 带班领导 and officers 值班员 per slot), who is on
 * shift at an instant (what escalation asks at the moment it sends), the hours of the next days nobody covers (and
 * their alarm, raised once per gap), shift handovers with the open items carried over, and the contact book.
 * Scope: a roster belongs to its unit (a district's roster to the district): the city and departments see every
 * unit's, a district its own.
 */

import type { Static } from 'typebox';
import {
  type BookEntry,
  BookQuery,
  CITY_DUTY_UNIT,
  ContactInput,
  ContactPatch,
  type Department,
  DUTY_ROLE_INFO,
  DUTY_ROLES,
  type DutyRole,
  type GapsReply,
  GenerateInput,
  type Handover,
  HandoverAccept,
  HandoverInput,
  HandoverQuery,
  type OnShiftReply,
  type Pattern,
  PatternInput,
  PatternPatch,
  type Shift,
  ShiftInput,
  ShiftPatch,
  type ShiftQuery,
  type Slot,
} from '../../../contracts/duty.ts';
import { ROLE_INFO, type Role } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import type { AccessService } from '../../platform/access/access.service.ts';
import { inScope, requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { EntityRegistry } from '../../platform/entities.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { PlatformLog } from '../../platform/module.ts';
import { cityDate, cityDateTime } from '../../platform/time.ts';
import * as repo from './duty.repository.ts';
import { beijingInstant, datesBetween, HOUR, type Interval, slotTimes, uncoveredHours } from './gaps.ts';
import { pinyinKeys } from './pinyin.ts';
import './duty.errors.ts';

export const PATTERN_ENTITY = { zh: '班次模式', en: 'shift pattern' };
export const SHIFT_ENTITY = { zh: '班次', en: 'shift' };
export const HANDOVER_ENTITY = { zh: '交接班记录', en: 'handover' };
export const CONTACT_ENTITY = { zh: '联系人', en: 'contact' };
const DAY = 24 * HOUR;
/** the longest range of the roster asked at once */
export const MAX_RANGE_DAYS = 92;
/** a gap starting within this many hours raises an alarm */
export const GAP_ALARM_HOURS = 72;

export interface UnitInfo {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface DutyDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  afterCommit: () => void;
  alerts: AlertsApi;
  access: AccessService;
  entities: EntityRegistry;
  units(): Map<string, UnitInfo>;
}

/** who may see a unit's duty records: the unit itself (a district's roster counts as the district's) */
export function dutyVisibility(unit: string): Visibility {
  return { permission: 'duty.read', district: unit, unit };
}

function requireUnit(deps: DutyDeps, code: string, field: string): UnitInfo {
  const u = deps.units().get(code);
  if (!u) throw new AppError('DUTY_UNKNOWN_UNIT', { field, value: code });
  return u;
}

function actorId(ctx: RequestCtx): string {
  if (!ctx.actor.id || ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN', { permission: 'a signed-in user' });
  return ctx.actor.id;
}

// ---- patterns ----

function toPattern(deps: DutyDeps, r: repo.PatternRow): Pattern {
  return {
    id: r.id,
    unit: r.unit_code,
    unitName: deps.units().get(r.unit_code)?.name ?? r.unit_code,
    name: r.name,
    slots: r.slots as Slot[],
    version: r.version,
  };
}

function checkSlots(slots: Slot[]): void {
  const seen = new Set<string>();
  slots.forEach((s, i) => {
    if (seen.has(s.key)) throw new AppError('DUTY_SLOT_KEYS_REPEAT', { field: `slots.${i}.key`, value: s.key });
    seen.add(s.key);
  });
}

export async function listPatterns(deps: DutyDeps, ctx: RequestCtx, unit?: string): Promise<Pattern[]> {
  requirePermission(ctx.actor, 'duty.read');
  const rows = await repo.listPatterns(deps.db.kysely, unit);
  return rows.filter((r) => inScope(ctx.actor, dutyVisibility(r.unit_code))).map((r) => toPattern(deps, r));
}

async function readPattern(db: Tx, id: string, field = 'id'): Promise<repo.PatternRow> {
  const r = await repo.findPattern(db, id);
  if (!r) throw new AppError('NOT_FOUND', { field, entity: PATTERN_ENTITY });
  return r;
}

export async function createPattern(deps: DutyDeps, ctx: RequestCtx, input: PatternInput): Promise<Pattern> {
  requirePermission(ctx.actor, 'duty.manage');
  checkInput(PatternInput, input);
  requireUnit(deps, input.unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(input.unit), 'unit');
  checkSlots(input.slots);
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.insertPattern(trx, { id, unit_code: input.unit, name: input.name, slots: input.slots, now });
    await recordAudit(trx, ctx, now, {
      action: 'duty_pattern.created',
      entity: 'duty_pattern',
      entityId: id,
      after: input,
    });
  });
  return toPattern(deps, await readPattern(deps.db.kysely, id));
}

export async function updatePattern(
  deps: DutyDeps,
  ctx: RequestCtx,
  id: string,
  patch: Static<typeof PatternPatch>,
): Promise<Pattern> {
  requirePermission(ctx.actor, 'duty.manage');
  checkInput(PatternPatch, patch);
  const before = await readPattern(deps.db.kysely, id);
  requireInScope(ctx.actor, dutyVisibility(before.unit_code), 'id');
  const slots = patch.slots ?? (before.slots as Slot[]);
  checkSlots(slots);
  // a slot with shifts on the roster keeps its key (its times may change for the shifts not yet written)
  const removed = (before.slots as Slot[]).filter((s) => !slots.some((n) => n.key === s.key)).map((s) => s.key);
  const used = await repo.countShiftsInSlots(deps.db.kysely, id, removed);
  if (used > 0) throw new AppError('DUTY_PATTERN_IN_USE', { field: 'slots', count: used, value: removed.join('、') });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updatePattern(trx, id, { name: patch.name ?? before.name, slots }, patch.version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    await recordAudit(trx, ctx, now, {
      action: 'duty_pattern.updated',
      entity: 'duty_pattern',
      entityId: id,
      before: toPattern(deps, before),
      after: patch,
    });
  });
  return toPattern(deps, await readPattern(deps.db.kysely, id));
}

// ---- shifts ----

export function toShift(r: repo.ShiftRow): Shift {
  return {
    id: r.id,
    unit: r.unit_code,
    date: r.shift_date,
    patternId: r.pattern_id,
    slot: r.slot,
    slotName: r.slot_name,
    role: r.role as DutyRole,
    user: { id: r.user_id, displayName: r.user_name },
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    note: r.note,
    version: r.version,
  };
}

/** `[from, to]` dates; by default the month of today (Beijing) */
function dateRange(deps: DutyDeps, q: { from?: string; to?: string }): { from: string; to: string } {
  const today = cityDate(deps.clock.now());
  const from = q.from ?? `${today.slice(0, 7)}-01`;
  const to = q.to ?? lastDayOf(from.slice(0, 7));
  for (const [k, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!isDate(v)) throw new AppError('DUTY_BAD_DATE', { field: k, value: v });
  const days = (Date.parse(to) - Date.parse(from)) / DAY + 1;
  if (days < 1) throw new AppError('VALIDATION', { field: 'to', reason: 'to is before from' });
  if (days > MAX_RANGE_DAYS) throw new AppError('DUTY_RANGE_TOO_LONG', { field: 'to', max: MAX_RANGE_DAYS });
  return { from, to };
}

/** a real calendar date written YYYY-MM-DD (2026-12-32 and 2026-02-30 are not) */
export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export async function listShifts(
  deps: DutyDeps,
  ctx: RequestCtx,
  q: ShiftQuery,
): Promise<{ items: Shift[]; total: number }> {
  requirePermission(ctx.actor, 'duty.read');
  const unit = q.unit ?? CITY_DUTY_UNIT;
  requireUnit(deps, unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(unit), 'unit');
  const { from, to } = dateRange(deps, q);
  // the shifts of those dates (a night shift starting on the last date is listed on it)
  const rows = (
    await repo.shiftsOverlapping(
      deps.db.kysely,
      unit,
      beijingInstant(from, '00:00'),
      new Date(beijingInstant(to, '00:00').getTime() + DAY),
    )
  ).filter((r) => r.shift_date >= from && r.shift_date <= to);
  return { items: rows.map(toShift), total: rows.length };
}

async function userOf(
  deps: DutyDeps,
  id: string,
  field: string,
): Promise<{ id: string; displayName: string; phone: string; unitCode: string }> {
  const u = await deps.access.getUser(systemCtx(), id).catch(() => undefined);
  if (!u || u.disabled) throw new AppError('DUTY_UNKNOWN_USER', { field, value: id });
  return u;
}

function slotOf(p: repo.PatternRow, key: string, field: string): Slot {
  const s = (p.slots as Slot[]).find((x) => x.key === key);
  if (!s) throw new AppError('DUTY_UNKNOWN_SLOT', { field, pattern: p.name, value: key });
  return s;
}

export interface PreparedShift {
  row: repo.ShiftWrite;
}

/** The checks of one shift (by hand or a row of an import), without writing. */
export async function prepareShift(
  deps: DutyDeps,
  ctx: RequestCtx,
  input: ShiftInput,
  db: Tx = deps.db.kysely,
): Promise<PreparedShift> {
  requirePermission(ctx.actor, 'duty.manage');
  checkInput(ShiftInput, input);
  requireUnit(deps, input.unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(input.unit), 'unit');
  if (!isDate(input.date)) throw new AppError('DUTY_BAD_DATE', { field: 'date', value: input.date });
  const p = await readPattern(db, input.patternId, 'patternId');
  if (p.unit_code !== input.unit)
    throw new AppError('DUTY_PATTERN_OTHER_UNIT', { field: 'patternId', value: p.unit_code });
  const slot = slotOf(p, input.slot, 'slot');
  const user = await userOf(deps, input.userId, 'userId');
  const { startsAt, endsAt } = slotTimes(input.date, slot);
  const now = deps.clock.now();
  const row: repo.ShiftWrite = {
    id: deps.ids.next(),
    unit_code: input.unit,
    shift_date: input.date,
    pattern_id: p.id,
    slot: slot.key,
    slot_name: slot.name,
    role: input.role,
    user_id: user.id,
    user_name: user.displayName,
    starts_at: startsAt,
    ends_at: endsAt,
    note: input.note ?? '',
    created_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
  };
  if (await repo.findSameShift(db, row))
    throw new AppError('DUTY_ALREADY_ASSIGNED', { field: 'userId', value: user.displayName });
  return { row };
}

export async function writeShifts(
  trx: Tx,
  ctx: RequestCtx,
  rows: repo.ShiftWrite[],
  now: Date,
  action: string,
): Promise<void> {
  await repo.insertShifts(trx, rows);
  for (const r of rows) {
    await recordAudit(trx, ctx, now, { action, entity: 'duty_shift', entityId: r.id, after: r });
    await emitEvent(trx, now, {
      type: 'duty_shift.created',
      entity: 'duty_shift',
      entityId: r.id,
      payload: { id: r.id, unit: r.unit_code, date: r.shift_date },
      visibility: dutyVisibility(r.unit_code),
    });
  }
}

export async function createShift(deps: DutyDeps, ctx: RequestCtx, input: ShiftInput): Promise<Shift> {
  const { row } = await prepareShift(deps, ctx, input);
  await deps.db.transaction((trx) => writeShifts(trx, ctx, [row], row.created_at, 'duty_shift.created'));
  deps.afterCommit();
  return getShift(deps, ctx, row.id);
}

export async function getShift(deps: DutyDeps, ctx: RequestCtx, id: string): Promise<Shift> {
  requirePermission(ctx.actor, 'duty.read');
  const r = await repo.findShift(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: SHIFT_ENTITY });
  requireInScope(ctx.actor, dutyVisibility(r.unit_code), 'id');
  return toShift(r);
}

export async function updateShift(deps: DutyDeps, ctx: RequestCtx, id: string, patch: ShiftPatch): Promise<Shift> {
  requirePermission(ctx.actor, 'duty.manage');
  checkInput(ShiftPatch, patch);
  const before = await getShift(deps, ctx, id);
  const user = patch.userId
    ? await userOf(deps, patch.userId, 'userId')
    : { id: before.user.id, displayName: before.user.displayName };
  const now = deps.clock.now();
  await deps.db
    .transaction(async (trx) => {
      const ok = await repo.updateShift(
        trx,
        id,
        { user_id: user.id, user_name: user.displayName, note: patch.note ?? before.note },
        patch.version,
        now,
      );
      if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
      await recordAudit(trx, ctx, now, {
        action: 'duty_shift.updated',
        entity: 'duty_shift',
        entityId: id,
        before,
        after: patch,
      });
      await emitEvent(trx, now, {
        type: 'duty_shift.updated',
        entity: 'duty_shift',
        entityId: id,
        payload: { id, unit: before.unit, date: before.date },
        visibility: dutyVisibility(before.unit),
      });
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err))
        throw new AppError('DUTY_ALREADY_ASSIGNED', { field: 'userId', value: user.displayName });
      throw err;
    });
  deps.afterCommit();
  return getShift(deps, ctx, id);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export async function deleteShift(deps: DutyDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'duty.manage');
  const before = await getShift(deps, ctx, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteShift(trx, id);
    await recordAudit(trx, ctx, now, { action: 'duty_shift.deleted', entity: 'duty_shift', entityId: id, before });
    await emitEvent(trx, now, {
      type: 'duty_shift.deleted',
      entity: 'duty_shift',
      entityId: id,
      payload: { id, unit: before.unit, date: before.date },
      visibility: dutyVisibility(before.unit),
    });
  });
  deps.afterCommit();
}

/**
 * A month from a rotation: day by day, slot by slot, the next person of the list. Refused when the month already has
 * shifts of that role and pattern, unless `replace` (then they are deleted in the same transaction).
 */
export async function generateMonth(
  deps: DutyDeps,
  ctx: RequestCtx,
  input: GenerateInput,
): Promise<{ created: number; replaced: number }> {
  requirePermission(ctx.actor, 'duty.manage');
  checkInput(GenerateInput, input);
  requireUnit(deps, input.unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(input.unit), 'unit');
  const p = await readPattern(deps.db.kysely, input.patternId, 'patternId');
  if (p.unit_code !== input.unit)
    throw new AppError('DUTY_PATTERN_OTHER_UNIT', { field: 'patternId', value: p.unit_code });
  const users = [];
  for (const [i, id] of input.rotation.entries()) users.push(await userOf(deps, id, `rotation.${i}`));
  const from = `${input.month}-01`;
  const to = lastDayOf(input.month);
  const key = { unit: input.unit, patternId: p.id, role: input.role, from, to };
  const existing = await repo.monthShifts(deps.db.kysely, key, false);
  if (existing > 0 && !input.replace)
    throw new AppError('DUTY_MONTH_HAS_SHIFTS', { field: 'replace', month: input.month, count: existing });
  const now = deps.clock.now();
  const rows: repo.ShiftWrite[] = [];
  let turn = input.startIndex ?? 0;
  for (const date of datesBetween(from, to)) {
    for (const slot of p.slots as Slot[]) {
      const u = users[turn % users.length]!;
      turn++;
      const { startsAt, endsAt } = slotTimes(date, slot);
      rows.push({
        id: deps.ids.next(),
        unit_code: input.unit,
        shift_date: date,
        pattern_id: p.id,
        slot: slot.key,
        slot_name: slot.name,
        role: input.role,
        user_id: u.id,
        user_name: u.displayName,
        starts_at: startsAt,
        ends_at: endsAt,
        note: '',
        created_by: ctx.actor.id,
        created_at: now,
        updated_at: now,
      });
    }
  }
  let replaced = 0;
  await deps.db.transaction(async (trx) => {
    if (input.replace) replaced = await repo.monthShifts(trx, key, true);
    await repo.insertShifts(trx, rows);
    // one audit row and one event for the month: the roster page reloads it once
    await recordAudit(trx, ctx, now, {
      action: 'duty_shift.generated',
      entity: 'duty_shift',
      entityId: null,
      after: { ...input, created: rows.length, replaced },
    });
    await emitEvent(trx, now, {
      type: 'duty_shift.generated',
      entity: 'duty_shift',
      entityId: p.id,
      payload: { unit: input.unit, month: input.month, created: rows.length },
      visibility: dutyVisibility(input.unit),
    });
  });
  deps.afterCommit();
  return { created: rows.length, replaced };
}

// ---- who is on shift, and the gaps ----

export interface OnShiftPerson {
  id: string;
  displayName: string;
  unit: string;
  until: Date;
}

/** The people on shift at an instant in a unit (default: the city command centre), without a permission check. */
export async function onShift(
  deps: DutyDeps,
  at: Date,
  unit = CITY_DUTY_UNIT,
): Promise<{ officers: OnShiftPerson[]; leaders: OnShiftPerson[] }> {
  const rows = await repo.onShiftAt(deps.db.kysely, unit, at);
  const pick = (role: DutyRole) => {
    const seen = new Set<string>();
    return rows
      .filter((r) => r.role === role && !seen.has(r.user_id) && seen.add(r.user_id))
      .map((r) => ({ id: r.user_id, displayName: r.user_name, unit: r.unit_code, until: r.ends_at }));
  };
  return { officers: pick('officer'), leaders: pick('leader') };
}

/** The same for a page: with phones (masked without personal.read). */
export async function onShiftFor(
  deps: DutyDeps,
  ctx: RequestCtx,
  q: { unit?: string; at?: string },
): Promise<OnShiftReply> {
  requirePermission(ctx.actor, 'duty.read');
  const unit = q.unit ?? CITY_DUTY_UNIT;
  requireUnit(deps, unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(unit), 'unit');
  const at = q.at ? new Date(q.at) : deps.clock.now();
  const who = await onShift(deps, at, unit);
  const showPhone = can(ctx.actor, 'personal.read');
  const withPhone = (list: OnShiftPerson[]) =>
    Promise.all(
      list.map(async (p) => {
        const u = await deps.access.getUser(systemCtx(), p.id).catch(() => undefined);
        const phone = u?.phone ?? '';
        return {
          id: p.id,
          displayName: p.displayName,
          unit: p.unit,
          phone: showPhone || p.id === ctx.actor.id ? phone : maskPhone(phone),
          until: p.until.toISOString(),
        };
      }),
    );
  return { unit, at: at.toISOString(), leaders: await withPhone(who.leaders), officers: await withPhone(who.officers) };
}

/** The gaps of a unit's roster in [from, to), each role apart. */
export async function gapsBetween(
  deps: DutyDeps,
  unit: string,
  from: number,
  to: number,
): Promise<Record<DutyRole, Interval[]>> {
  const rows = await repo.shiftsOverlapping(deps.db.kysely, unit, new Date(from - HOUR), new Date(to));
  const out = {} as Record<DutyRole, Interval[]>;
  for (const role of DUTY_ROLES) {
    const covered = rows
      .filter((r) => r.role === role)
      .map((r) => ({ start: r.starts_at.getTime(), end: r.ends_at.getTime() }));
    out[role] = uncoveredHours(covered, from, to);
  }
  return out;
}

export async function gaps(deps: DutyDeps, ctx: RequestCtx, q: { unit?: string; days?: number }): Promise<GapsReply> {
  requirePermission(ctx.actor, 'duty.read');
  const unit = q.unit ?? CITY_DUTY_UNIT;
  requireUnit(deps, unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(unit), 'unit');
  const days = q.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > MAX_RANGE_DAYS)
    throw new AppError('DUTY_RANGE_TOO_LONG', { field: 'days', max: MAX_RANGE_DAYS });
  const from = Math.floor(deps.clock.now().getTime() / HOUR) * HOUR;
  const to = from + days * DAY;
  const g = await gapsBetween(deps, unit, from, to);
  const out = (list: Interval[]) =>
    list.map((i) => ({
      from: new Date(i.start).toISOString(),
      to: new Date(i.end).toISOString(),
      hours: (i.end - i.start) / HOUR,
    }));
  return {
    unit,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    officer: out(g.officer),
    leader: out(g.leader),
  };
}

/**
 * The periodic check: for every unit with a roster (and the city command centre), each gap starting within the
 * next 72 hours raises an alarm once (the first instance to record its start raises it). A gap already running is
 * measured from a day back, so that the same gap is not a new one every hour.
 */
export async function checkGaps(deps: DutyDeps): Promise<number> {
  const now = deps.clock.now().getTime();
  const units = new Set([CITY_DUTY_UNIT, ...(await repo.rosterUnits(deps.db.kysely))]);
  let raised = 0;
  for (const unit of units) {
    const info = deps.units().get(unit);
    if (!info) continue;
    const g = await gapsBetween(deps, unit, now - DAY, now + GAP_ALARM_HOURS * HOUR);
    for (const role of DUTY_ROLES) {
      for (const gap of g[role]) {
        if (gap.end <= now) continue;
        const raisedNow = await deps.db.transaction(async (trx) => {
          if (!(await repo.claimGapAlarm(trx, unit, role, new Date(gap.start), new Date(now)))) return false;
          const when = `${cityDateTime(gap.start)}–${cityDateTime(gap.end)}`;
          const hoursAway = (gap.start - now) / HOUR;
          await deps.alerts.raise(trx, new Date(now), {
            source: 'duty_gap',
            sourceId: deps.ids.next(),
            // nobody on duty now or within 12 hours is urgent
            severity: hoursAway <= 12 ? 'II' : 'III',
            title: {
              zh: `${info.name}值班表缺${DUTY_ROLE_INFO[role].zh}：${when}`,
              en: `${info.nameEn || info.name} roster has no ${DUTY_ROLE_INFO[role].en.toLowerCase()}: ${when}`,
            },
            link: `/duty/roster?unit=${encodeURIComponent(unit)}&month=${cityDate(Math.max(gap.start, now)).slice(0, 7)}`,
            visibility: dutyVisibility(unit),
          });
          return true;
        });
        if (raisedNow) raised++;
      }
    }
  }
  if (raised) deps.afterCommit();
  return raised;
}

// ---- handovers ----

function toHandover(r: repo.HandoverRow): Handover {
  return {
    id: r.id,
    unit: r.unit_code,
    from: { id: r.from_user, displayName: r.from_name },
    to: { id: r.to_user, displayName: r.to_name },
    notes: r.notes,
    items: r.items as Handover['items'],
    status: r.status as Handover['status'],
    createdAt: r.created_at.toISOString(),
    acceptedAt: r.accepted_at?.toISOString() ?? null,
    acceptNote: r.accept_note,
  };
}

const REF_ENTITY: Record<string, string> = { incident: 'incident', task: 'task', warning: 'warning' };

export async function createHandover(deps: DutyDeps, ctx: RequestCtx, input: HandoverInput): Promise<Handover> {
  requirePermission(ctx.actor, 'duty.handover');
  checkInput(HandoverInput, input);
  const fromId = actorId(ctx);
  const unit = input.unit ?? ctx.actor.unitCode ?? CITY_DUTY_UNIT;
  requireUnit(deps, unit, 'unit');
  requireInScope(ctx.actor, dutyVisibility(unit), 'unit');
  if (input.toUserId === fromId) throw new AppError('DUTY_HANDOVER_TO_SELF', { field: 'toUserId' });
  const to = await userOf(deps, input.toUserId, 'toUserId');
  const from = await userOf(deps, fromId, 'from');
  for (const [i, item] of input.items.entries()) {
    if (item.kind === 'free') continue;
    if (!item.refId) throw new AppError('DUTY_HANDOVER_REF_MISSING', { field: `items.${i}.refId`, value: item.kind });
    // the referenced record exists and the outgoing officer may see it (a module not installed here: not checked)
    await deps.entities
      .requireVisible(ctx, REF_ENTITY[item.kind]!, item.refId, `items.${i}.refId`)
      .catch((err: unknown) => {
        if (err instanceof AppError) throw err;
      });
  }
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.insertHandover(trx, {
      id,
      unit_code: unit,
      from_user: from.id,
      from_name: from.displayName,
      to_user: to.id,
      to_name: to.displayName,
      notes: input.notes,
      items: input.items,
      created_at: now,
    });
    await recordAudit(trx, ctx, now, {
      action: 'duty_handover.created',
      entity: 'duty_handover',
      entityId: id,
      after: input,
    });
    await emitEvent(trx, now, {
      type: 'duty_handover.created',
      entity: 'duty_handover',
      entityId: id,
      payload: { id, unit, to: to.id, from: from.id },
      visibility: dutyVisibility(unit),
    });
  });
  deps.afterCommit();
  return getHandover(deps, ctx, id);
}

export async function getHandover(deps: DutyDeps, ctx: RequestCtx, id: string): Promise<Handover> {
  requirePermission(ctx.actor, 'duty.read');
  const r = await repo.findHandover(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: HANDOVER_ENTITY });
  if (r.to_user !== ctx.actor.id && r.from_user !== ctx.actor.id)
    requireInScope(ctx.actor, dutyVisibility(r.unit_code), 'id');
  return toHandover(r);
}

export async function listHandovers(
  deps: DutyDeps,
  ctx: RequestCtx,
  q: HandoverQuery,
): Promise<{ items: Handover[]; total: number }> {
  requirePermission(ctx.actor, 'duty.read');
  checkInput(HandoverQuery, q);
  if (q.unit) requireInScope(ctx.actor, dutyVisibility(q.unit), 'unit');
  const scoped = ctx.actor.scope === 'city' || ctx.actor.scope === 'department';
  const { items, total } = await repo.listHandovers(deps.db.kysely, {
    unit: q.unit,
    units: q.unit || scoped ? undefined : [ctx.actor.unitCode ?? ''],
    status: q.status,
    user: q.mine ? (ctx.actor.id ?? '') : undefined,
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  return { items: items.map(toHandover), total };
}

export async function acceptHandover(
  deps: DutyDeps,
  ctx: RequestCtx,
  id: string,
  body: Static<typeof HandoverAccept>,
): Promise<Handover> {
  requirePermission(ctx.actor, 'duty.handover');
  checkInput(HandoverAccept, body);
  const r = await repo.findHandover(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: HANDOVER_ENTITY });
  if (r.to_user !== ctx.actor.id) throw new AppError('DUTY_HANDOVER_NOT_YOURS', { field: 'id' });
  if (r.status === 'accepted')
    throw new AppError('DUTY_HANDOVER_ACCEPTED', { field: 'id', at: r.accepted_at?.toISOString() ?? '' });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.acceptHandover(trx, id, body.note ?? '', now)))
      throw new AppError('DUTY_HANDOVER_ACCEPTED', { field: 'id', at: now.toISOString() });
    await recordAudit(trx, ctx, now, {
      action: 'duty_handover.accepted',
      entity: 'duty_handover',
      entityId: id,
      after: body,
    });
    await emitEvent(trx, now, {
      type: 'duty_handover.accepted',
      entity: 'duty_handover',
      entityId: id,
      payload: { id, unit: r.unit_code },
      visibility: dutyVisibility(r.unit_code),
    });
  });
  deps.afterCommit();
  return getHandover(deps, ctx, id);
}

// ---- contact book ----

function masked(ctx: RequestCtx, phones: string[], self = false): string[] {
  return self || can(ctx.actor, 'personal.read') ? phones : phones.map(maskPhone);
}

function contactEntry(deps: DutyDeps, ctx: RequestCtx, r: repo.ContactRow): BookEntry {
  return {
    kind: 'external',
    id: r.id,
    name: r.name,
    title: r.title,
    unit: r.unit_code,
    unitName: r.unit_code ? (deps.units().get(r.unit_code)?.name ?? r.unit_code) : '',
    organisation: r.organisation,
    phones: masked(ctx, r.phones),
    notes: r.notes,
    version: r.version,
  };
}

/** Does a name match a query by its characters, full pinyin or initials (`zs` finds 张三)? */
export function nameMatches(name: string, q: string): boolean {
  const query = q.trim().toLowerCase().replace(/\s+/g, '');
  if (!query) return true;
  if (name.toLowerCase().includes(query)) return true;
  const k = pinyinKeys(name);
  return k.full.startsWith(query) || k.initials.startsWith(query);
}

/** People of the book: the users (name, pinyin, unit, phone) and the external contacts, masked phones. */
export async function searchBook(
  deps: DutyDeps,
  ctx: RequestCtx,
  q: Static<typeof BookQuery>,
): Promise<{ items: BookEntry[]; total: number }> {
  requirePermission(ctx.actor, 'duty.read');
  checkInput(BookQuery, q);
  const text = q.q?.trim() ?? '';
  const digits = text.replace(/\D/g, '');
  const byPhone = (phones: string[]) => digits.length >= 3 && phones.some((p) => p.replace(/\D/g, '').includes(digits));
  const out: BookEntry[] = [];
  if (q.kind !== 'external') {
    const units = deps.units();
    const users = await allUsers(deps, q.unit);
    for (const u of users) {
      if (u.disabled) continue;
      if (text && !nameMatches(u.displayName, text) && !u.username.includes(text.toLowerCase()) && !byPhone([u.phone]))
        continue;
      out.push({
        kind: 'user',
        id: u.id,
        name: u.displayName,
        title: u.roles.map((r) => ROLE_INFO[r as Role]?.[ctx.lang] ?? r).join('、'),
        unit: u.unitCode,
        unitName: units.get(u.unitCode)?.name ?? u.unitName,
        organisation: '',
        phones: u.phone ? masked(ctx, [u.phone], u.id === ctx.actor.id) : [],
        notes: '',
        version: u.version,
      });
    }
  }
  if (q.kind !== 'user') {
    const rows = await repo.searchContacts(deps.db.kysely, { q: text || undefined, unit: q.unit, limit: 2000 });
    out.push(...rows.map((r) => contactEntry(deps, ctx, r)));
  }
  out.sort((a, b) => pinyinKeys(a.name).full.localeCompare(pinyinKeys(b.name).full) || a.id.localeCompare(b.id));
  const offset = q.offset ?? 0;
  return { items: out.slice(offset, offset + (q.limit ?? 50)), total: out.length };
}

async function allUsers(deps: DutyDeps, unit: string | undefined) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = await deps.access.listUsers(systemCtx(), { unitCode: unit, limit: 500, offset });
    items.push(...page.items);
    if (page.items.length < 500) break;
  }
  return items;
}

export async function departments(deps: DutyDeps, ctx: RequestCtx): Promise<Department[]> {
  requirePermission(ctx.actor, 'duty.read');
  const counts = new Map<string, number>();
  for (const u of await allUsers(deps, undefined))
    if (!u.disabled) counts.set(u.unitCode, (counts.get(u.unitCode) ?? 0) + 1);
  const ext = await repo.searchContacts(deps.db.kysely, { limit: 100_000 });
  for (const c of ext) if (c.unit_code) counts.set(c.unit_code, (counts.get(c.unit_code) ?? 0) + 1);
  return [...deps.units().values()].map((u) => ({
    code: u.code,
    name: u.name,
    nameEn: u.nameEn,
    kind: u.kind,
    people: counts.get(u.code) ?? 0,
  }));
}

export interface PreparedContact {
  write: repo.ContactWrite;
}

export function prepareContact(deps: DutyDeps, ctx: RequestCtx, input: ContactInput): PreparedContact {
  requirePermission(ctx.actor, 'duty.contacts');
  checkInput(ContactInput, input);
  if (input.unit) requireUnit(deps, input.unit, 'unit');
  const k = pinyinKeys(input.name);
  return {
    write: {
      name: input.name.trim(),
      title: input.title?.trim() ?? '',
      unit_code: input.unit ?? null,
      organisation: input.organisation?.trim() ?? '',
      phones: input.phones.map((p) => p.trim()),
      notes: input.notes ?? '',
      pinyin: k.full,
      initials: k.initials,
    },
  };
}

export async function writeContact(
  trx: Tx,
  deps: DutyDeps,
  ctx: RequestCtx,
  p: PreparedContact,
  now: Date,
): Promise<string> {
  const id = deps.ids.next();
  await repo.insertContact(trx, id, p.write, ctx.actor.unitCode, now);
  await recordAudit(trx, ctx, now, {
    action: 'duty_contact.created',
    entity: 'duty_contact',
    entityId: id,
    after: p.write,
  });
  await emitEvent(trx, now, {
    type: 'duty_contact.created',
    entity: 'duty_contact',
    entityId: id,
    payload: { id },
    visibility: { permission: 'duty.read' },
  });
  return id;
}

export async function createContact(deps: DutyDeps, ctx: RequestCtx, input: ContactInput): Promise<BookEntry> {
  const p = prepareContact(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writeContact(trx, deps, ctx, p, now));
  deps.afterCommit();
  return getContact(deps, ctx, id);
}

export async function getContact(deps: DutyDeps, ctx: RequestCtx, id: string): Promise<BookEntry> {
  requirePermission(ctx.actor, 'duty.read');
  const r = await repo.findContact(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: CONTACT_ENTITY });
  return contactEntry(deps, ctx, r);
}

export async function updateContact(
  deps: DutyDeps,
  ctx: RequestCtx,
  id: string,
  patch: ContactPatch,
): Promise<BookEntry> {
  requirePermission(ctx.actor, 'duty.contacts');
  checkInput(ContactPatch, patch);
  const before = await repo.findContact(deps.db.kysely, id);
  if (!before) throw new AppError('NOT_FOUND', { field: 'id', entity: CONTACT_ENTITY });
  const { version, ...rest } = patch;
  const p = prepareContact(deps, ctx, {
    name: rest.name ?? before.name,
    title: rest.title ?? before.title,
    unit: rest.unit ?? before.unit_code ?? undefined,
    organisation: rest.organisation ?? before.organisation,
    phones: rest.phones ?? before.phones,
    notes: rest.notes ?? before.notes,
  });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateContact(trx, id, p.write, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    await recordAudit(trx, ctx, now, {
      action: 'duty_contact.updated',
      entity: 'duty_contact',
      entityId: id,
      before,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'duty_contact.updated',
      entity: 'duty_contact',
      entityId: id,
      payload: { id },
      visibility: { permission: 'duty.read' },
    });
  });
  deps.afterCommit();
  return getContact(deps, ctx, id);
}

export async function deleteContact(deps: DutyDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'duty.contacts');
  const before = await repo.findContact(deps.db.kysely, id);
  if (!before) throw new AppError('NOT_FOUND', { field: 'id', entity: CONTACT_ENTITY });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteContact(trx, id);
    await recordAudit(trx, ctx, now, { action: 'duty_contact.deleted', entity: 'duty_contact', entityId: id, before });
    await emitEvent(trx, now, {
      type: 'duty_contact.deleted',
      entity: 'duty_contact',
      entityId: id,
      payload: { id },
      visibility: { permission: 'duty.read' },
    });
  });
  deps.afterCommit();
}
