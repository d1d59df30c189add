/**
 * The expert register (专家库) and its draws. Experts are a city-wide pool: anyone with `experts.read` sees the
 * register (contacts masked without `personal.read`); an expert is written within the writer's data scope (the
 * expert's district and the registering unit). A draw takes the active experts available today whose fields serve
 * the request, minus the avoided organisations and experts, and picks `count` with a recorded seed (`draw.ts`); the
 * record (seed, sorted candidates, algorithm, result, digest) is kept and audited, so that anyone can verify it later.
 * Each drawn expert gets an invitation; declines are replaced by follow-up rounds of the same draw.
 */
import {
  DRAW_ALGORITHM,
  type Draw,
  DrawInput,
  type DrawListQuery,
  type DrawRound,
  type DrawSummary,
  type DrawVerification,
  type Expert,
  ExpertInput,
  ExpertListQuery,
  ExpertPatch,
  type ExpertTitle,
  fieldAncestors,
  type Invitation,
  InvitationReply,
  type InvitationStatus,
  isFieldCode,
  ReplacementInput,
} from '../../../contracts/experts.ts';
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
import type { IncidentsApi } from '../incidents/index.ts';
import type { WarningsApi } from '../warnings/index.ts';
import { avoided, drawFrom, newSeed, recordDigest } from './draw.ts';
import * as repo from './experts.repository.ts';
import './experts.errors.ts';

export const EXPERT_ENTITY = { zh: '专家', en: 'expert' };
export const DRAW_ENTITY = { zh: '专家抽取记录', en: 'expert draw' };
export const INVITATION_ENTITY = { zh: '专家邀请', en: 'invitation' };

export interface ExpertsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  units(): Map<string, { code: string; name: string; nameEn: string; kind: string }>;
  districtName(code: string): string;
  incidents(): IncidentsApi;
  warnings(): WarningsApi;
  /** a user's display name (participants) */
  userName(id: string): Promise<string | undefined>;
  /** a new seed for a draw (crypto random; a test may fix it) */
  seed?: () => string;
  workers?: WorkerPool;
}

/**
 * Everyone with experts.read reads the register (a city-wide pool); the district and unit decide who may write it,
 * and whose browsers hear of a change live.
 */
const EXPERT_VISIBILITY = (r: { district_code: string | null; owner_unit: string | null }): Visibility => ({
  permission: 'experts.read',
  district: r.district_code,
  unit: r.owner_unit,
});

/** Today in Beijing (YYYY-MM-DD): unavailability is by the day. */
export function today(deps: Pick<ExpertsDeps, 'clock'>): string {
  return cityDate(deps.clock.now());
}

export function availableOn(r: repo.ExpertRow, day: string): boolean {
  return r.availability === 'available' || (r.unavailable_until !== null && r.unavailable_until < day);
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return email ? '***' : '';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

export function toExpert(deps: ExpertsDeps, r: repo.ExpertRow, ctx: RequestCtx | null): Expert {
  const show = ctx === null || can(ctx.actor, 'personal.read');
  return {
    id: r.id,
    name: r.name,
    fields: r.fields,
    speciality: r.speciality,
    title: r.title as ExpertTitle,
    titleText: r.title_text,
    organisation: r.organisation,
    phones: show ? r.phones : r.phones.map(maskPhone),
    email: show ? r.email : maskEmail(r.email),
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code) } : null,
    ownerUnit: r.owner_unit,
    availability: {
      status: r.availability as 'available' | 'unavailable',
      until: r.unavailable_until,
      reason: r.availability_reason,
    },
    availableNow: r.active && availableOn(r, today(deps)),
    active: r.active,
    notes: r.notes,
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function readExpert(deps: ExpertsDeps, ctx: RequestCtx, id: string, field = 'id'): Promise<repo.ExpertRow> {
  requirePermission(ctx.actor, 'experts.read');
  const r = await repo.findExpert(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field, entity: EXPERT_ENTITY });
  return r;
}

export async function getExpert(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<Expert> {
  return toExpert(deps, await readExpert(deps, ctx, id), ctx);
}

/** A request's fields → the filter: experts with one of them or something under it, or a category above it. */
export function fieldFilter(fields: readonly string[]): Pick<repo.ExpertFilter, 'fieldKeys' | 'fieldsAny'> {
  return { fieldKeys: [...fields], fieldsAny: [...new Set(fields.flatMap(fieldAncestors))] };
}

function checkFields(fields: readonly string[], field: string): void {
  fields.forEach((c, i) => {
    if (!isFieldCode(c)) throw new AppError('UNKNOWN_FIELD_CODE', { field: `${field}.${i}`, value: c });
  });
}

export async function listExperts(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  q: ExpertListQuery,
): Promise<{ items: Expert[]; total: number }> {
  requirePermission(ctx.actor, 'experts.read');
  checkInput(ExpertListQuery, q);
  if (q.field) checkFields([q.field], 'field');
  const f: repo.ExpertFilter = {
    q: q.q?.trim() || undefined,
    ...(q.field ? fieldFilter([q.field]) : {}),
    organisation: q.organisation?.trim() || undefined,
    availableOn: q.availability ? { day: today(deps), available: q.availability === 'available' } : undefined,
    active: q.active,
    title: q.title,
    district: q.district,
  };
  const { rows, total } = await repo.listExperts(deps.db.kysely, f, { limit: q.limit ?? 50, offset: q.offset ?? 0 });
  return { items: rows.map((r) => toExpert(deps, r, ctx)), total };
}

/** The rules of an expert beyond the schema, each naming its field; the write resolved. */
function expertWrite(deps: ExpertsDeps, ctx: RequestCtx, input: ExpertInput, had?: repo.ExpertRow): repo.ExpertWrite {
  checkFields(input.fields, 'fields');
  const district = input.district === undefined ? (had?.district_code ?? null) : input.district || null;
  if (district) {
    const u = deps.units().get(district);
    if (!u || (u.kind !== 'district' && u.kind !== 'zone'))
      throw new AppError('UNKNOWN_UNIT', { field: 'district', value: district });
  }
  const ownerUnit = had ? had.owner_unit : ctx.actor.unitCode;
  requireInScope(ctx.actor, { district, unit: ownerUnit }, 'district');
  const email = input.email?.trim() ?? '';
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new AppError('VALIDATION', {
      field: 'email',
      reason: { zh: '不是电子邮件地址', en: 'not an email address' },
    });
  const a = input.availability ?? { status: 'available' as const };
  if (a.status === 'available' && a.until)
    throw new AppError('VALIDATION', {
      field: 'availability.until',
      reason: { zh: '只有“暂不可用”才有截止日期', en: 'only an unavailability has an end day' },
    });
  return {
    name: input.name.trim(),
    fields: [...input.fields],
    field_keys: [...new Set(input.fields.flatMap(fieldAncestors))],
    speciality: input.speciality?.trim() ?? '',
    title: input.title,
    title_text: input.titleText?.trim() ?? '',
    organisation: input.organisation.trim(),
    phones: (input.phones ?? []).map((p) => p.trim()).filter(Boolean),
    email,
    district_code: district,
    owner_unit: ownerUnit,
    availability: a.status,
    unavailable_until: a.status === 'unavailable' ? (a.until ?? null) : null,
    availability_reason: a.status === 'unavailable' ? (a.reason?.trim() ?? '') : '',
    active: input.active ?? true,
    notes: input.notes ?? '',
  };
}

export interface PreparedExpert {
  input: ExpertInput;
  write: repo.ExpertWrite;
}

/** Checks a new expert (schema, rules, scope) before any transaction: the import's dry run and a single create. */
export async function prepareExpert(deps: ExpertsDeps, ctx: RequestCtx, input: ExpertInput): Promise<PreparedExpert> {
  requirePermission(ctx.actor, 'experts.manage');
  checkInput(ExpertInput, input);
  return { input, write: expertWrite(deps, ctx, input) };
}

export async function writeExpert(
  deps: ExpertsDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedExpert,
  now: Date,
  opts: { demo?: boolean } = {},
): Promise<string> {
  const id = deps.ids.next();
  await repo.insertExpert(trx, id, p.write, { demo: opts.demo ?? false, by: ctx.actor.id, now });
  await recordAudit(trx, ctx, now, { action: 'expert.created', entity: 'expert', entityId: id, after: p.input });
  await emitEvent(trx, now, {
    type: 'expert.created',
    entity: 'expert',
    entityId: id,
    payload: { id },
    visibility: EXPERT_VISIBILITY(p.write),
  });
  return id;
}

export async function createExpert(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  input: ExpertInput,
  opts: { demo?: boolean } = {},
): Promise<Expert> {
  const prepared = await prepareExpert(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writeExpert(deps, trx, ctx, prepared, now, opts));
  deps.afterCommit();
  return getExpert(deps, ctx, id);
}

export async function updateExpert(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  id: string,
  patch: ExpertPatch,
): Promise<Expert> {
  requirePermission(ctx.actor, 'experts.manage');
  checkInput(ExpertPatch, patch);
  const had = await readExpert(deps, ctx, id);
  requireInScope(ctx.actor, { district: had.district_code, unit: had.owner_unit }, 'id');
  const { version, ...rest } = patch;
  const merged: ExpertInput = {
    name: had.name,
    fields: had.fields,
    speciality: had.speciality,
    title: had.title as ExpertTitle,
    titleText: had.title_text,
    organisation: had.organisation,
    phones: had.phones,
    email: had.email,
    district: had.district_code,
    availability:
      had.availability === 'unavailable'
        ? { status: 'unavailable', until: had.unavailable_until, reason: had.availability_reason }
        : { status: 'available' },
    active: had.active,
    notes: had.notes,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const w = expertWrite(deps, ctx, merged, had);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateExpert(trx, id, w, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'expert.updated',
      entity: 'expert',
      entityId: id,
      before: had,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'expert.updated',
      entity: 'expert',
      entityId: id,
      payload: { id },
      visibility: EXPERT_VISIBILITY(w),
    });
  });
  deps.afterCommit();
  return getExpert(deps, ctx, id);
}

/** The expert's personal fields masked (audit rows and events for viewers without personal.read). */
export function redactExpert(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = { ...(value as Record<string, unknown>) };
  if (Array.isArray(v.phones)) v.phones = v.phones.map((p) => maskPhone(String(p)));
  if (typeof v.email === 'string') v.email = maskEmail(v.email);
  return v;
}

// ————— draws —————

interface Criteria {
  fields: readonly string[];
  excludeOrganisations: readonly string[];
  excludeExpertIds: readonly string[];
}

/** The pool for these criteria today: active, available, serving a field, not avoided; ids sorted. */
export async function candidatesFor(deps: ExpertsDeps, db: Tx, c: Criteria, alsoExclude: readonly string[] = []) {
  const rows = await repo.allExperts(db, {
    ...fieldFilter(c.fields),
    active: true,
    availableOn: { day: today(deps), available: true },
  });
  const skip = new Set([...c.excludeExpertIds, ...alsoExclude]);
  return rows
    .filter((r) => !skip.has(r.id) && !avoided(r.organisation, c.excludeOrganisations))
    .map((r) => r.id)
    .sort();
}

function drawVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'experts.read', district: r.district_code, unit: r.owner_unit };
}

/** The linked incident or warning exists and is in the caller's scope; its district places the record. */
export async function linkedDistrict(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  link: { incidentId?: string | null; warningId?: string | null },
): Promise<{
  district: string | null;
  incident?: { id: string; number: string; title: string };
  warning?: { id: string; number: string; title: string };
}> {
  const rename = async <T>(field: string, entity: { zh: string; en: string }, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', { field, entity });
      if (err instanceof AppError && err.code === 'OUT_OF_SCOPE')
        throw new AppError('OUT_OF_SCOPE', { ...err.details, field });
      throw err;
    }
  };
  let district: string | null = null;
  const out: Awaited<ReturnType<typeof linkedDistrict>> = { district };
  if (link.incidentId) {
    const i = await rename('incidentId', { zh: '事件', en: 'incident' }, () =>
      deps.incidents().getIncident(ctx, link.incidentId as string),
    );
    district = i.district?.code ?? null;
    out.incident = { id: i.id, number: i.number, title: i.title };
  }
  if (link.warningId) {
    const w = await rename('warningId', { zh: '预警', en: 'warning' }, () =>
      deps.warnings().getWarning(ctx, link.warningId as string),
    );
    district ??= w.district?.code ?? null;
    out.warning = { id: w.id, number: w.number, title: w.title };
  }
  out.district = district;
  return out;
}

async function insertRound(
  deps: ExpertsDeps,
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  r: {
    id: string;
    parent: repo.DrawRow | null;
    round: number;
    criteria: Criteria & { purpose: string; incidentId: string | null; warningId: string | null };
    district: string | null;
    ownerUnit: string | null;
    count: number;
    candidates: string[];
    reason: string;
  },
): Promise<string[]> {
  const seed = (deps.seed ?? newSeed)();
  const result = drawFrom(r.candidates, r.count, seed);
  const drawnAt = now.toISOString();
  const record = {
    id: r.id,
    parentId: r.parent?.id ?? null,
    round: r.round,
    algorithm: DRAW_ALGORITHM,
    seed,
    count: r.count,
    candidates: r.candidates,
    result,
    fields: r.criteria.fields,
    excludeOrganisations: r.criteria.excludeOrganisations,
    excludeExpertIds: r.criteria.excludeExpertIds,
    drawnAt,
    drawnBy: ctx.actor.id,
  };
  const digest = recordDigest(record);
  await repo.insertDraw(trx, {
    id: r.id,
    parent_id: record.parentId,
    round: r.round,
    fields: [...r.criteria.fields],
    count: r.count,
    exclude_organisations: [...r.criteria.excludeOrganisations],
    exclude_expert_ids: [...r.criteria.excludeExpertIds],
    purpose: r.criteria.purpose,
    incident_id: r.criteria.incidentId,
    warning_id: r.criteria.warningId,
    district_code: r.district,
    owner_unit: r.ownerUnit,
    seed,
    algorithm: DRAW_ALGORITHM,
    candidates: r.candidates,
    result,
    digest,
    reason: r.reason,
    drawn_by: ctx.actor.id,
    drawn_by_name: ctx.actor.name,
    drawn_at: now,
  });
  const rootId = r.parent?.id ?? r.id;
  for (const expertId of result)
    await repo.insertInvitation(trx, { id: deps.ids.next(), drawId: rootId, roundId: r.id, expertId, now });
  await recordAudit(trx, ctx, now, {
    action: r.parent ? 'expert_draw.replacement' : 'expert_draw.created',
    entity: 'expert_draw',
    entityId: rootId,
    after: { ...record, digest, purpose: r.criteria.purpose, reason: r.reason },
  });
  await emitEvent(trx, now, {
    type: 'expert_draw.created',
    entity: 'expert_draw',
    entityId: rootId,
    payload: { id: rootId, round: r.round },
    visibility: drawVisibility({ district_code: r.district, owner_unit: r.ownerUnit }),
  });
  return result;
}

export async function createDraw(deps: ExpertsDeps, ctx: RequestCtx, input: DrawInput): Promise<Draw> {
  requirePermission(ctx.actor, 'experts.draw');
  checkInput(DrawInput, input);
  checkFields(input.fields, 'fields');
  const link = await linkedDistrict(deps, ctx, input);
  const criteria = {
    fields: input.fields,
    excludeOrganisations: (input.excludeOrganisations ?? []).map((o) => o.trim()).filter(Boolean),
    excludeExpertIds: input.excludeExpertIds ?? [],
    purpose: input.purpose.trim(),
    incidentId: input.incidentId ?? null,
    warningId: input.warningId ?? null,
  };
  const now = deps.clock.now();
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const candidates = await candidatesFor(deps, trx, criteria);
    if (candidates.length < input.count)
      throw new AppError('TOO_FEW_CANDIDATES', { field: 'count', count: input.count, available: candidates.length });
    await insertRound(deps, trx, ctx, now, {
      id,
      parent: null,
      round: 0,
      criteria,
      district: link.district,
      ownerUnit: ctx.actor.unitCode,
      count: input.count,
      candidates,
      reason: '',
    });
  });
  deps.afterCommit();
  return getDraw(deps, ctx, id);
}

async function readDraw(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<repo.DrawRow> {
  requirePermission(ctx.actor, 'experts.read');
  const r = await repo.findDraw(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: DRAW_ENTITY });
  const root = r.parent_id ? await repo.findDraw(deps.db.kysely, r.parent_id) : r;
  if (!root) throw new AppError('NOT_FOUND', { field: 'id', entity: DRAW_ENTITY });
  requireInScope(ctx.actor, { district: root.district_code, unit: root.owner_unit }, 'id');
  return root;
}

function toRound(r: repo.DrawRow): DrawRound {
  return {
    id: r.id,
    round: r.round,
    seed: r.seed,
    algorithm: r.algorithm,
    count: r.count,
    candidates: r.candidates,
    result: r.result,
    digest: r.digest,
    reason: r.reason,
    drawnBy: r.drawn_by_name,
    drawnAt: r.drawn_at.toISOString(),
  };
}

async function invitationsOf(deps: ExpertsDeps, ctx: RequestCtx, drawId: string): Promise<Invitation[]> {
  const rows = await repo.invitationsOf(deps.db.kysely, drawId);
  const experts = new Map(
    (await repo.allExperts(deps.db.kysely, { ids: rows.map((r) => r.expert_id) })).map((e) => [e.id, e]),
  );
  return rows.map((r) => {
    const e = experts.get(r.expert_id);
    const x = e ? toExpert(deps, e, ctx) : undefined;
    return {
      id: r.id,
      drawId: r.draw_id,
      roundId: r.round_id,
      expert: {
        id: r.expert_id,
        name: x?.name ?? '',
        organisation: x?.organisation ?? '',
        title: x?.title ?? 'other',
        fields: x?.fields ?? [],
        phones: x?.phones ?? [],
      },
      status: r.status as InvitationStatus,
      reason: r.reason,
      repliedAt: r.replied_at?.toISOString() ?? null,
      repliedBy: r.replied_by,
      replaced: r.replaced,
      version: r.version,
    };
  });
}

export async function getDraw(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<Draw> {
  const root = await readDraw(deps, ctx, id);
  const rounds = await repo.drawRounds(deps.db.kysely, root.id);
  return {
    id: root.id,
    fields: root.fields,
    count: root.count,
    excludeOrganisations: root.exclude_organisations,
    excludeExpertIds: root.exclude_expert_ids,
    purpose: root.purpose,
    incidentId: root.incident_id,
    warningId: root.warning_id,
    rounds: rounds.map(toRound),
    invitations: await invitationsOf(deps, ctx, root.id),
    drawnBy: root.drawn_by_name,
    drawnAt: root.drawn_at.toISOString(),
  };
}

export async function listDraws(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  q: DrawListQuery,
): Promise<{ items: DrawSummary[]; total: number }> {
  requirePermission(ctx.actor, 'experts.read');
  const { rows, total } = await repo.listDraws(deps.db.kysely, ctx.actor, q, {
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      fields: r.fields,
      count: r.count,
      purpose: r.purpose,
      incidentId: r.incident_id,
      warningId: r.warning_id,
      rounds: 1 + Number(r.replacements),
      accepted: Number(r.accepted),
      declined: Number(r.declined),
      invited: Number(r.invited),
      drawnBy: r.drawn_by_name,
      drawnAt: r.drawn_at.toISOString(),
    })),
    total,
  };
}

/** Recomputes every round from its record; and says whether the first round's pool would be the same today. */
export async function verifyDraw(deps: ExpertsDeps, ctx: RequestCtx, id: string): Promise<DrawVerification> {
  const root = await readDraw(deps, ctx, id);
  const rounds = await repo.drawRounds(deps.db.kysely, root.id);
  const checked = rounds.map((r) => {
    let recomputed: string[] = [];
    try {
      recomputed = drawFrom(r.candidates, r.count, r.seed, r.algorithm);
    } catch {
      // an unknown algorithm or a mangled seed cannot be recomputed: it does not match
    }
    const digest = recordDigest({
      id: r.id,
      parentId: r.parent_id,
      round: r.round,
      algorithm: r.algorithm,
      seed: r.seed,
      count: r.count,
      candidates: r.candidates,
      result: r.result,
      fields: r.fields,
      excludeOrganisations: r.exclude_organisations,
      excludeExpertIds: r.exclude_expert_ids,
      drawnAt: r.drawn_at.toISOString(),
      drawnBy: r.drawn_by,
    });
    const resultMatches = recomputed.length === r.result.length && recomputed.every((x, i) => x === r.result[i]);
    return {
      id: r.id,
      round: r.round,
      recomputed,
      recorded: r.result,
      resultMatches,
      digestMatches: digest === r.digest,
    };
  });
  const today_ = await candidatesFor(deps, deps.db.kysely, {
    fields: root.fields,
    excludeOrganisations: root.exclude_organisations,
    excludeExpertIds: root.exclude_expert_ids,
  });
  const was = new Set(root.candidates);
  const now = new Set(today_);
  const added = today_.filter((x) => !was.has(x));
  const removed = root.candidates.filter((x) => !now.has(x));
  return {
    drawId: root.id,
    matches: checked.every((c) => c.resultMatches && c.digestMatches),
    rounds: checked,
    poolUnchanged: added.length === 0 && removed.length === 0,
    poolToday: { size: today_.length, added, removed },
    algorithm: DRAW_ALGORITHM,
  };
}

/**
 * A follow-up round of the same draw: by default one expert per declined invitation not yet replaced; the pool is
 * the first round's criteria today, minus everyone this draw has invited already.
 */
export async function replaceDeclined(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  id: string,
  input: ReplacementInput,
): Promise<Draw> {
  requirePermission(ctx.actor, 'experts.draw');
  checkInput(ReplacementInput, input);
  const root = await readDraw(deps, ctx, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const invitations = await repo.invitationsOf(trx, root.id);
    const open = invitations.filter((i) => i.status === 'declined' && !i.replaced);
    const count = input.count ?? open.length;
    if (count === 0) throw new AppError('NOTHING_TO_REPLACE', { field: 'id' });
    const criteria = {
      fields: root.fields,
      excludeOrganisations: root.exclude_organisations,
      excludeExpertIds: [...new Set([...root.exclude_expert_ids, ...invitations.map((i) => i.expert_id)])].sort(),
      purpose: root.purpose,
      incidentId: root.incident_id,
      warningId: root.warning_id,
    };
    const candidates = await candidatesFor(deps, trx, criteria);
    if (candidates.length < count)
      throw new AppError('TOO_FEW_CANDIDATES', { field: 'count', count, available: candidates.length });
    const rounds = await repo.drawRounds(trx, root.id);
    await insertRound(deps, trx, ctx, now, {
      id: deps.ids.next(),
      parent: root,
      round: rounds.length,
      criteria,
      district: root.district_code,
      ownerUnit: root.owner_unit,
      count,
      candidates,
      reason: input.reason?.trim() ?? '',
    });
    await repo.markReplaced(
      trx,
      open.slice(0, count).map((i) => i.id),
    );
  });
  deps.afterCommit();
  return getDraw(deps, ctx, root.id);
}

export async function replyInvitation(
  deps: ExpertsDeps,
  ctx: RequestCtx,
  id: string,
  body: InvitationReply,
): Promise<Invitation> {
  requirePermission(ctx.actor, 'experts.draw');
  checkInput(InvitationReply, body);
  const inv = await repo.findInvitation(deps.db.kysely, id);
  if (!inv) throw new AppError('NOT_FOUND', { field: 'id', entity: INVITATION_ENTITY });
  const root = await readDraw(deps, ctx, inv.draw_id);
  const reason = body.reason?.trim() ?? '';
  if (body.status === 'declined' && !reason) throw new AppError('DECLINE_REASON_REQUIRED', { field: 'reason' });
  if (inv.status !== 'invited') throw new AppError('INVITATION_ANSWERED', { field: 'status', status: inv.status });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (
      !(await repo.replyInvitation(trx, id, { status: body.status, reason, by: ctx.actor.name, now }, body.version))
    ) {
      const cur = await repo.findInvitation(trx, id);
      if (cur && cur.status !== 'invited')
        throw new AppError('INVITATION_ANSWERED', { field: 'status', status: cur.status });
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: cur?.version ?? inv.version });
    }
    await recordAudit(trx, ctx, now, {
      action: `expert_invitation.${body.status}`,
      entity: 'expert_draw',
      entityId: root.id,
      before: { invitation: id, status: inv.status },
      after: { invitation: id, expert: inv.expert_id, status: body.status, reason },
    });
    await emitEvent(trx, now, {
      type: 'expert_invitation.replied',
      entity: 'expert_draw',
      entityId: root.id,
      payload: { id: root.id, invitationId: id, status: body.status },
      visibility: drawVisibility(root),
    });
  });
  deps.afterCommit();
  const all = await invitationsOf(deps, ctx, root.id);
  return all.find((i) => i.id === id) as Invitation;
}
