/**
 * The forces register: teams (scope: the district of the base plus the owning unit), their members with
 * certificates and training, status with its history, flags (stale status, expiring certificates), the commanders'
 * summary, and the areas the coverage analyses measure. The analyses themselves are `analyses.service.ts`.
 */

import { parseZip } from 'shpjs';
import {
  type AreaKind,
  DISPATCHABLE,
  type ForceArea,
  ForceAreaImport,
  ForceAreaInput,
  type ForcesSummary,
  type Member,
  MemberInput,
  MemberPatch,
  StatusChange,
  type StatusEntry,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPES,
  type Team,
  TeamInput,
  type TeamListQuery,
  TeamListQuery as TeamListQuerySchema,
  TeamPatch,
  type TeamStatus,
} from '../../../contracts/forces.ts';
import { findSupplyCode } from '../../../contracts/supply-codes.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { cityDate } from '../../platform/time.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import * as repo from './forces.repository.ts';
import './forces.errors.ts';

export const TEAM_ENTITY = { zh: '救援队伍', en: 'team' };
export const MEMBER_ENTITY = { zh: '队员', en: 'member' };
export const AREA_ENTITY = { zh: '分析区域', en: 'area' };
const DAY = 86_400_000;
/** certificates expiring within this many days are flagged */
export const EXPIRY_WARNING_DAYS = 30;

export interface ForcesDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  seaAreaAt(lng: number, lat: number): Promise<{ districtCode: string | null } | undefined>;
  units(): Map<string, { code: string; name: string; nameEn: string }>;
  districtName(code: string): string;
  /** a status not confirmed for more days than this is flagged (ANLAN_TEAM_STATUS_STALE_DAYS) */
  staleAfterDays: number;
  workers?: WorkerPool;
}

export function teamVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'forces.read', district: r.district_code, unit: r.owner_unit };
}

/** Today and the day certificates start to count as expiring, as YYYY-MM-DD in Beijing time. */
export function certificateDays(now: Date): repo.Days {
  const day = (t: number) => cityDate(t);
  return { today: day(now.getTime()), soon: day(now.getTime() + EXPIRY_WARNING_DAYS * DAY) };
}

export function toTeam(deps: ForcesDeps, r: repo.TeamRow, ctx: RequestCtx | null): Team {
  const unit = r.owner_unit ? deps.units().get(r.owner_unit) : undefined;
  const showPhone = ctx === null || can(ctx.actor, 'personal.read');
  const contacts = (r.contacts ?? []) as Team['contacts'];
  const staleAt = deps.clock.now().getTime() - deps.staleAfterDays * DAY;
  return {
    id: r.id,
    name: r.name,
    type: r.type as Team['type'],
    location: { type: 'Point', coordinates: [r.lng, r.lat] },
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code) } : null,
    ownerUnit: unit ? { code: unit.code, name: unit.name, nameEn: unit.nameEn } : null,
    organisation: r.organisation,
    stationClass: r.station_class as Team['stationClass'],
    suburban: r.suburban,
    specialties: r.specialties as Team['specialties'],
    radiusKm: r.radius_km,
    headcount: r.headcount,
    memberCount: r.member_count,
    capabilities: r.capabilities,
    equipment: (r.equipment ?? []) as Team['equipment'],
    vehicles: (r.vehicles ?? []) as Team['vehicles'],
    contacts: showPhone ? contacts : contacts.map((c) => ({ ...c, phone: maskPhone(c.phone) })),
    status: r.status as TeamStatus,
    statusNote: r.status_note,
    statusConfirmedAt: r.status_confirmed_at.toISOString(),
    dispatchable: TEAM_STATUS_INFO[r.status as TeamStatus]?.dispatchable ?? false,
    flags: {
      staleStatus: r.status_confirmed_at.getTime() < staleAt,
      expiringCertificates: r.expiring,
      expiredCertificates: r.expired,
    },
    notes: r.notes,
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function readTeam(deps: ForcesDeps, ctx: RequestCtx, id: string): Promise<repo.TeamRow> {
  requirePermission(ctx.actor, 'forces.read');
  const r = await repo.findTeam(deps.db.kysely, id, certificateDays(deps.clock.now()));
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: TEAM_ENTITY });
  requireInScope(ctx.actor, teamVisibility(r), 'id');
  return r;
}

export async function getTeam(deps: ForcesDeps, ctx: RequestCtx, id: string): Promise<Team> {
  return toTeam(deps, await readTeam(deps, ctx, id), ctx);
}

export function teamFilter(deps: ForcesDeps, q: TeamListQuery): repo.TeamFilter {
  const now = deps.clock.now();
  return {
    q: q.q?.trim() || undefined,
    type: q.type,
    status: q.status,
    statuses:
      q.dispatchable === undefined
        ? undefined
        : TEAM_STATUSES.filter((st) => TEAM_STATUS_INFO[st].dispatchable === q.dispatchable),
    district: q.district,
    capability: q.capability?.trim() || undefined,
    stationClass: q.stationClass,
    staleBefore: q.flag === 'stale' ? new Date(now.getTime() - deps.staleAfterDays * DAY) : undefined,
    expiring: q.flag === 'expiring' ? certificateDays(now) : undefined,
  };
}

export async function listTeams(
  deps: ForcesDeps,
  ctx: RequestCtx,
  q: TeamListQuery,
): Promise<{ items: Team[]; total: number }> {
  requirePermission(ctx.actor, 'forces.read');
  checkInput(TeamListQuerySchema, q);
  const f = teamFilter(deps, q);
  const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
  const { rows, total } = await repo.listTeams(deps.db.kysely, ctx.actor, f, page, certificateDays(deps.clock.now()));
  return { items: rows.map((r) => toTeam(deps, r, ctx)), total };
}

/** The rules a team's fields obey beyond their schema; each refusal names its field. */
async function teamWrite(
  deps: ForcesDeps,
  ctx: RequestCtx,
  input: TeamInput,
  had?: repo.TeamRow,
): Promise<repo.TeamWrite> {
  const [lng, lat] = input.location.coordinates as [number, number];
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('VALIDATION', { field: 'location.coordinates', reason: '[longitude, latitude] in degrees' });
  if (input.type === 'fire_rescue' && !input.stationClass)
    throw new AppError('STATION_CLASS_REQUIRED', { field: 'stationClass' });
  if (input.type !== 'fire_rescue' && input.stationClass)
    throw new AppError('STATION_CLASS_NOT_FIRE', { field: 'stationClass' });
  (input.equipment ?? []).forEach((e, i) => {
    if (!findSupplyCode(e.code))
      throw new AppError('UNKNOWN_SUPPLY_CODE', { field: `equipment.${i}.code`, value: e.code });
  });
  const district =
    had && had.lng === lng && had.lat === lat
      ? had.district_code
      : ((await deps.districtAt(lng, lat))?.code ?? (await deps.seaAreaAt(lng, lat))?.districtCode ?? null);
  const ownerUnit = input.ownerUnit ?? had?.owner_unit ?? ctx.actor.unitCode;
  if (ownerUnit && !deps.units().has(ownerUnit))
    throw new AppError('UNKNOWN_UNIT', { field: 'ownerUnit', value: ownerUnit });
  requireInScope(ctx.actor, { district, unit: ownerUnit }, 'location');
  return {
    name: input.name.trim(),
    type: input.type,
    lng,
    lat,
    district_code: district,
    owner_unit: ownerUnit ?? null,
    organisation: input.organisation?.trim() ?? '',
    station_class: input.type === 'fire_rescue' ? (input.stationClass ?? null) : null,
    suburban: input.type === 'fire_rescue' ? (input.suburban ?? false) : false,
    specialties: input.specialties ?? [],
    radius_km: input.radiusKm ?? null,
    headcount: input.headcount ?? 0,
    capabilities: (input.capabilities ?? []).map((c) => c.trim()).filter(Boolean),
    equipment: input.equipment ?? [],
    vehicles: input.vehicles ?? [],
    contacts: input.contacts ?? [],
    notes: input.notes ?? '',
  };
}

export interface PreparedTeam {
  input: TeamInput;
  write: repo.TeamWrite;
}

/** Checks a new team (schema, rules, scope) before any transaction: the import's dry run and a single create. */
export async function prepareTeam(deps: ForcesDeps, ctx: RequestCtx, input: TeamInput): Promise<PreparedTeam> {
  requirePermission(ctx.actor, 'forces.manage');
  checkInput(TeamInput, input);
  return { input, write: await teamWrite(deps, ctx, input) };
}

/** Writes a prepared team in the caller's transaction: the row, its first status entry, the audit row, the event. */
export async function writeTeam(
  deps: ForcesDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedTeam,
  now: Date,
  opts: { demo?: boolean } = {},
): Promise<string> {
  const id = deps.ids.next();
  const status = p.input.status ?? 'available';
  await repo.insertTeam(trx, id, { ...p.write, status, demo: opts.demo ?? false }, ctx.actor.id, now);
  await repo.insertStatusEntry(trx, {
    id: deps.ids.next(),
    teamId: id,
    status,
    previous: null,
    note: '',
    by: ctx.actor.id,
    at: now,
  });
  await recordAudit(trx, ctx, now, { action: 'team.created', entity: 'team', entityId: id, after: p.input });
  await emitEvent(trx, now, {
    type: 'team.created',
    entity: 'team',
    entityId: id,
    payload: { id },
    visibility: teamVisibility(p.write),
  });
  return id;
}

export async function createTeam(
  deps: ForcesDeps,
  ctx: RequestCtx,
  input: TeamInput,
  opts: { demo?: boolean } = {},
): Promise<Team> {
  const prepared = await prepareTeam(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writeTeam(deps, trx, ctx, prepared, now, opts));
  deps.afterCommit();
  return getTeam(deps, ctx, id);
}

export async function updateTeam(deps: ForcesDeps, ctx: RequestCtx, id: string, patch: TeamPatch): Promise<Team> {
  requirePermission(ctx.actor, 'forces.manage');
  checkInput(TeamPatch, patch);
  const had = await readTeam(deps, ctx, id);
  const { version, status: _status, ...rest } = patch;
  if (patch.status !== undefined && patch.status !== had.status)
    throw new AppError('VALIDATION', { field: 'status', reason: 'POST /api/v1/teams/{id}/status changes the status' });
  const merged: TeamInput = {
    name: had.name,
    type: had.type as TeamInput['type'],
    location: { type: 'Point', coordinates: [had.lng, had.lat] },
    organisation: had.organisation,
    stationClass: (had.station_class ?? undefined) as TeamInput['stationClass'],
    suburban: had.suburban,
    specialties: had.specialties as TeamInput['specialties'],
    radiusKm: had.radius_km ?? undefined,
    ownerUnit: had.owner_unit ?? undefined,
    headcount: had.headcount,
    capabilities: had.capabilities,
    equipment: had.equipment as TeamInput['equipment'],
    vehicles: had.vehicles as TeamInput['vehicles'],
    contacts: had.contacts as TeamInput['contacts'],
    notes: had.notes,
    ...rest,
  };
  // a team that stops being a fire station drops its class
  if (merged.type !== 'fire_rescue' && patch.stationClass === undefined) merged.stationClass = undefined;
  const w = await teamWrite(deps, ctx, merged, had);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateTeam(trx, id, w, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'team.updated',
      entity: 'team',
      entityId: id,
      before: had,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'team.updated',
      entity: 'team',
      entityId: id,
      payload: { id },
      visibility: teamVisibility(w),
    });
  });
  deps.afterCommit();
  return getTeam(deps, ctx, id);
}

/**
 * Sets a team's status in the caller's transaction (the row, its history entry, the audit row, `team.status`);
 * returns the previous status. Dispatch, arrival and release use it as the status route does.
 */
export async function writeStatus(
  deps: Pick<ForcesDeps, 'ids'>,
  trx: Tx,
  ctx: RequestCtx,
  team: { id: string; district_code: string | null; owner_unit: string | null },
  status: TeamStatus,
  note: string,
  now: Date,
): Promise<string> {
  const id = team.id;
  const previous = await repo.setStatus(trx, id, status, note, now);
  if (previous === undefined) throw new AppError('NOT_FOUND', { field: 'id', entity: TEAM_ENTITY });
  await repo.insertStatusEntry(trx, {
    id: deps.ids.next(),
    teamId: id,
    status,
    previous,
    note,
    by: ctx.actor.id,
    at: now,
  });
  await recordAudit(trx, ctx, now, {
    action: previous === status ? 'team.status_confirmed' : 'team.status_changed',
    entity: 'team',
    entityId: id,
    before: { status: previous },
    after: { status, note },
  });
  await emitEvent(trx, now, {
    type: 'team.status',
    entity: 'team',
    entityId: id,
    payload: { id, status, previous },
    visibility: teamVisibility(team),
  });
  return previous;
}

/** A new status, or the same one confirmed (which clears the stale flag); each is one history entry. */
export async function changeStatus(deps: ForcesDeps, ctx: RequestCtx, id: string, body: StatusChange): Promise<Team> {
  requirePermission(ctx.actor, 'forces.status');
  checkInput(StatusChange, body);
  const had = await readTeam(deps, ctx, id);
  const now = deps.clock.now();
  const note = body.note?.trim() ?? '';
  await deps.db.transaction((trx) => writeStatus(deps, trx, ctx, had, body.status, note, now));
  deps.afterCommit();
  return getTeam(deps, ctx, id);
}

export async function statusHistory(
  deps: ForcesDeps,
  ctx: RequestCtx,
  id: string,
  page: { limit?: number; offset?: number },
): Promise<{ items: StatusEntry[]; total: number }> {
  await readTeam(deps, ctx, id);
  const { rows, total } = await repo.statusHistory(deps.db.kysely, id, page.limit ?? 50, page.offset ?? 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status as TeamStatus,
      previous: (r.previous ?? null) as TeamStatus | null,
      note: r.note,
      by: r.by_name ?? null,
      at: r.at.toISOString(),
    })),
    total,
  };
}

export async function summary(deps: ForcesDeps, ctx: RequestCtx): Promise<ForcesSummary> {
  requirePermission(ctx.actor, 'forces.read');
  const db = deps.db.kysely;
  const s = await repo.summary(db, ctx.actor, DISPATCHABLE);
  const byType = TEAM_TYPES.map((type) => {
    const rows = s.byTypeStatus.filter((r) => r.type === type);
    return {
      type,
      teams: rows.reduce((n, r) => n + Number(r.n), 0),
      headcount: rows.reduce((n, r) => n + Number(r.people ?? 0), 0),
      byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    };
  });
  const byDistrict = s.byDistrict
    .map((r) => ({
      code: r.district_code ?? '',
      name: r.district_code ? deps.districtName(r.district_code) : '',
      teams: Number(r.n),
      dispatchable: Number(r.ready),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const count = async (q: Partial<TeamListQuery>) =>
    (
      await repo.listTeams(
        db,
        ctx.actor,
        teamFilter(deps, q as TeamListQuery),
        { limit: 1, offset: 0 },
        certificateDays(deps.clock.now()),
      )
    ).total;
  return {
    byType,
    byDistrict,
    flagged: { stale: await count({ flag: 'stale' }), expiring: await count({ flag: 'expiring' }) },
    staleAfterDays: deps.staleAfterDays,
  };
}

// ————— members —————

function certificateState(expiresOn: string | undefined, days: repo.Days): 'valid' | 'expiring' | 'expired' {
  if (!expiresOn) return 'valid';
  if (expiresOn < days.today) return 'expired';
  return expiresOn <= days.soon ? 'expiring' : 'valid';
}

export function toMember(r: repo.MemberRow, ctx: RequestCtx | null, now: Date): Member {
  const days = certificateDays(now);
  const certificates = (r.certificates ?? []) as MemberInput['certificates'] & object;
  const training = (r.training ?? []) as NonNullable<MemberInput['training']>;
  const showPhone = ctx === null || can(ctx.actor, 'personal.read');
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    role: r.role,
    phone: showPhone ? r.phone : maskPhone(r.phone),
    certificates: certificates.map((c) => ({ ...c, state: certificateState(c.expiresOn, days) })),
    training,
    trainingHours: Math.round(training.reduce((h, t) => h + t.hours, 0) * 10) / 10,
    version: r.version,
  };
}

function memberWrite(input: MemberInput): repo.MemberWrite {
  const certificates = input.certificates ?? [];
  const expiries = certificates
    .map((c) => c.expiresOn)
    .filter((d): d is string => !!d)
    .sort();
  return {
    name: input.name.trim(),
    role: input.role?.trim() ?? '',
    phone: input.phone?.trim() ?? '',
    certificates,
    training: input.training ?? [],
    nextExpiry: expiries[0] ?? null,
  };
}

export async function listMembers(deps: ForcesDeps, ctx: RequestCtx, teamId: string) {
  await readTeam(deps, ctx, teamId);
  const rows = await repo.listMembers(deps.db.kysely, teamId);
  const now = deps.clock.now();
  return { items: rows.map((r) => toMember(r, ctx, now)), total: rows.length };
}

async function memberChanged(
  trx: Tx,
  ctx: RequestCtx,
  team: repo.TeamRow,
  action: string,
  memberId: string,
  now: Date,
  change: { before?: unknown; after?: unknown },
) {
  await recordAudit(trx, ctx, now, { action, entity: 'team', entityId: team.id, ...change });
  await emitEvent(trx, now, {
    type: 'team.updated',
    entity: 'team',
    entityId: team.id,
    payload: { id: team.id, memberId },
    visibility: teamVisibility(team),
  });
}

export async function addMember(
  deps: ForcesDeps,
  ctx: RequestCtx,
  teamId: string,
  input: MemberInput,
): Promise<Member> {
  requirePermission(ctx.actor, 'forces.manage');
  checkInput(MemberInput, input);
  const team = await readTeam(deps, ctx, teamId);
  const now = deps.clock.now();
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    await repo.insertMember(trx, id, teamId, memberWrite(input), now);
    await memberChanged(trx, ctx, team, 'team.member_added', id, now, { after: { member: id, ...input } });
  });
  deps.afterCommit();
  return toMember((await repo.findMember(deps.db.kysely, teamId, id)) as repo.MemberRow, ctx, now);
}

async function readMember(deps: ForcesDeps, teamId: string, id: string): Promise<repo.MemberRow> {
  const m = await repo.findMember(deps.db.kysely, teamId, id);
  if (!m) throw new AppError('NOT_FOUND', { field: 'memberId', entity: MEMBER_ENTITY });
  return m;
}

export async function updateMember(
  deps: ForcesDeps,
  ctx: RequestCtx,
  teamId: string,
  id: string,
  patch: MemberPatch,
): Promise<Member> {
  requirePermission(ctx.actor, 'forces.manage');
  checkInput(MemberPatch, patch);
  const team = await readTeam(deps, ctx, teamId);
  const had = await readMember(deps, teamId, id);
  const { version, ...rest } = patch;
  const merged: MemberInput = {
    name: had.name,
    role: had.role,
    phone: had.phone,
    certificates: had.certificates as MemberInput['certificates'],
    training: had.training as MemberInput['training'],
    ...rest,
  };
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateMember(trx, id, memberWrite(merged), version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await memberChanged(trx, ctx, team, 'team.member_updated', id, now, { before: had, after: patch });
  });
  deps.afterCommit();
  return toMember(await readMember(deps, teamId, id), ctx, now);
}

export async function removeMember(deps: ForcesDeps, ctx: RequestCtx, teamId: string, id: string): Promise<void> {
  requirePermission(ctx.actor, 'forces.manage');
  const team = await readTeam(deps, ctx, teamId);
  const had = await readMember(deps, teamId, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteMember(trx, id);
    await memberChanged(trx, ctx, team, 'team.member_removed', id, now, { before: had });
  });
  deps.afterCommit();
}

// ————— areas —————

export function toArea(r: repo.AreaRow, deps: ForcesDeps): ForceArea {
  return {
    id: r.id,
    kind: r.kind as AreaKind,
    name: r.name,
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code) } : null,
    geometry: JSON.parse(r.geojson) as ForceArea['geometry'],
    areaKm2: Math.round(r.area_km2 * 1e4) / 1e4,
    approximate: r.approximate,
    notes: r.notes,
    demo: r.demo,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listAreas(
  deps: ForcesDeps,
  ctx: RequestCtx,
  q: { kind?: AreaKind; limit?: number; offset?: number },
): Promise<{ items: ForceArea[]; total: number }> {
  requirePermission(ctx.actor, 'forces.read');
  const { rows, total } = await repo.listAreas(
    deps.db.kysely,
    { kind: q.kind },
    { limit: q.limit ?? 200, offset: q.offset ?? 0 },
  );
  return { items: rows.map((r) => toArea(r, deps)), total };
}

/** The checks of one area's geometry: a ring's shape (the engine's rule), then PostGIS's validity, each named. */
async function checkAreaGeometry(db: Tx, g: ForceAreaInput['geometry'], field: string): Promise<string> {
  const rings = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const okPoint = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && Math.abs(Number(p[0])) <= 180 && Math.abs(Number(p[1])) <= 90;
  for (const poly of rings) {
    if (!Array.isArray(poly) || poly.length === 0)
      throw new AppError('VALIDATION', { field, reason: 'polygons of closed rings of [longitude, latitude]' });
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every(okPoint))
        throw new AppError('VALIDATION', { field, reason: 'rings of at least 4 points [longitude, latitude]' });
      const a = ring[0] as number[];
      const b = ring[ring.length - 1] as number[];
      if (a[0] !== b[0] || a[1] !== b[1])
        throw new AppError('VALIDATION', { field, reason: 'each ring ends where it starts' });
    }
  }
  const geojson = JSON.stringify({ type: g.type, coordinates: g.coordinates });
  const reason = await repo.invalidReason(db, geojson);
  if (reason) throw new AppError('INVALID_GEOMETRY', { field, value: reason });
  return geojson;
}

export async function createAreas(
  deps: ForcesDeps,
  ctx: RequestCtx,
  inputs: (ForceAreaInput & { field?: string })[],
  opts: { demo?: boolean } = {},
): Promise<ForceArea[]> {
  requirePermission(ctx.actor, 'forces.areas');
  const checked: { input: ForceAreaInput; geojson: string }[] = [];
  for (const input of inputs) {
    const field = input.field ?? 'geometry';
    const { field: _f, ...rest } = input;
    checkInput(ForceAreaInput, rest);
    checked.push({ input: rest, geojson: await checkAreaGeometry(deps.db.kysely, rest.geometry, field) });
  }
  const now = deps.clock.now();
  const ids = await deps.db.transaction(async (trx) => {
    const out: string[] = [];
    for (const { input, geojson } of checked) {
      const id = deps.ids.next();
      await repo.insertArea(trx, {
        id,
        kind: input.kind,
        name: input.name.trim(),
        geojson,
        approximate: input.approximate ?? false,
        notes: input.notes ?? '',
        demo: opts.demo ?? false,
        by: ctx.actor.id,
        now,
      });
      await recordAudit(trx, ctx, now, {
        action: 'area.created',
        entity: 'force_area',
        entityId: id,
        after: { kind: input.kind, name: input.name },
      });
      out.push(id);
    }
    await emitEvent(trx, now, {
      type: 'forces.areas_changed',
      entity: 'force_area',
      entityId: null,
      payload: { added: out.length },
      visibility: { permission: 'forces.read', district: null, unit: null },
    });
    return out;
  });
  deps.afterCommit();
  const { rows } = await repo.listAreas(deps.db.kysely, { ids }, { limit: ids.length, offset: 0 });
  return rows.map((r) => toArea(r, deps));
}

/** A FeatureCollection of polygons as areas of one kind: every bad feature is named and none is written. */
export async function importAreas(deps: ForcesDeps, ctx: RequestCtx, body: ForceAreaImport): Promise<ForceArea[]> {
  requirePermission(ctx.actor, 'forces.areas');
  checkInput(ForceAreaImport, body);
  const inputs = body.collection.features.map((f, i) => {
    const feat = f as {
      type?: string;
      geometry?: { type?: string; coordinates?: unknown };
      properties?: Record<string, unknown>;
    };
    const field = `collection.features.${i}`;
    if (
      feat?.type !== 'Feature' ||
      !feat.geometry ||
      (feat.geometry.type !== 'Polygon' && feat.geometry.type !== 'MultiPolygon')
    )
      throw new AppError('VALIDATION', { field, reason: 'a Feature with a Polygon or MultiPolygon geometry' });
    const props = feat.properties ?? {};
    const name = String(props.name ?? props.NAME ?? props.名称 ?? `${body.kind} ${i + 1}`).slice(0, 200);
    return {
      kind: body.kind,
      name,
      geometry: feat.geometry as ForceAreaInput['geometry'],
      approximate: body.approximate ?? false,
      field: `${field}.geometry`,
    };
  });
  if (inputs.length === 0)
    throw new AppError('VALIDATION', { field: 'collection.features', reason: 'at least one feature' });
  return createAreas(deps, ctx, inputs);
}

/**
 * A zipped Shapefile (.shp with its .dbf, .prj — reprojected to WGS-84 — and .cpg) as areas of one kind: every
 * layer's polygons, named by a `name`/`NAME`/`名称` attribute; read by shpjs from the bytes (never a URL), then the
 * same checks as a GeoJSON import, none written when any feature is bad.
 */
export async function importAreasShapefile(
  deps: ForcesDeps,
  ctx: RequestCtx,
  q: { kind: AreaKind; approximate?: boolean },
  zip: Buffer,
): Promise<ForceArea[]> {
  requirePermission(ctx.actor, 'forces.areas');
  let read: Awaited<ReturnType<typeof parseZip>>;
  try {
    read = await parseZip(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength));
  } catch (err) {
    // shpjs's own words are terse (`but-unzip~2`, `no layers founds`): say which of the two went wrong
    const said = err instanceof Error ? err.message : String(err);
    const what = /unzip/i.test(said) ? 'not a zip file' : /no layers/i.test(said) ? 'no .shp in the zip' : said;
    throw new AppError('VALIDATION', {
      field: 'file',
      reason: `a zip holding a Shapefile (.shp, .dbf, .prj): ${what}`,
    });
  }
  const features = (Array.isArray(read) ? read : [read]).flatMap((c) => c.features);
  return importAreas(deps, ctx, {
    kind: q.kind,
    approximate: q.approximate,
    collection: { type: 'FeatureCollection', features },
  });
}

export async function deleteArea(deps: ForcesDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'forces.areas');
  const had = await repo.findArea(deps.db.kysely, id);
  if (!had) throw new AppError('NOT_FOUND', { field: 'id', entity: AREA_ENTITY });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteArea(trx, id);
    await recordAudit(trx, ctx, now, { action: 'area.deleted', entity: 'force_area', entityId: id, before: had });
    await emitEvent(trx, now, {
      type: 'forces.areas_changed',
      entity: 'force_area',
      entityId: id,
      payload: { removed: 1 },
      visibility: { permission: 'forces.read', district: null, unit: null },
    });
  });
  deps.afterCommit();
}
