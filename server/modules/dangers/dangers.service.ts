/**
 * Hidden dangers (隐患排查治理): reported by enterprises, inspectors, the field app or from a hotline; treated in steps
 * found → assigned → rectifying → submitted → verified → closed (a failed verification returns the danger to be
 * rectified again; a danger found or assigned may be cancelled, e.g. a duplicate). Each step is one transaction
 * with its step row, audit row and event; a stale version is refused (409), a step out of order names the state
 * and the steps allowed (409), a missing permission or role rule is refused (403). Overdue dangers raise one alarm,
 * and one more to the city when they stay overdue past the configured days.
 */
import type { Severity } from '../../../contracts/alerts.ts';
import { toWgs84 } from '../../../contracts/coordinates.ts';
import {
  AssignInput,
  DANGER_ACTION_INFO,
  DANGER_ACTION_PERMISSION,
  DANGER_STATUS_INFO,
  DANGER_STEPS,
  type DangerAction,
  type DangerDetail,
  DangerInput,
  DangerListQuery,
  DangerSettingsInput,
  type DangerStats,
  DangerStatsQuery,
  type DangerStatus,
  type DangerStepRecord,
  DEADLINE_STATUSES,
  type HiddenDanger,
  nextActions,
  ReasonInput,
  StepInput,
  SubmitInput,
} from '../../../contracts/dangers.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type Actor, can, type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { FileService } from '../../platform/files/files.service.ts';
import { nextDailyNumber } from '../../platform/numbering.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { cityDate, parseTime } from '../../platform/time.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import './dangers.errors.ts';
import * as repo from './dangers.repository.ts';
import type { EnterpriseRef, SafetyApi } from './safety-door.ts';
import { dangerStats } from './stats.ts';

export const DANGER_ENTITY = { zh: '隐患', en: 'hidden danger' };
export const SETTINGS_KEY = 'dangers.settings';
export const DEFAULT_ESCALATION_DAYS = 7;

export interface UnitInfo {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface DangersDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  alerts: AlertsApi;
  files: () => FileService;
  units: () => Map<string, UnitInfo>;
  /** a unit by its code, read again from the organisation when added since the start (an enterprise's own unit) */
  unitOf: (code: string) => Promise<UnitInfo | undefined>;
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  /** the enterprises register (module `safety`); null while it is not installed */
  safety(): SafetyApi | null;
  userName(id: string): Promise<string | undefined>;
  workers?: WorkerPool;
}

export function dangerVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'dangers.read', district: r.district_code, unit: r.owner_unit };
}

/** What the files service asks of a danger: its photos are added by those who may report dangers. */
export function dangerRef(r: { district_code: string | null; owner_unit: string | null }) {
  return { ...dangerVisibility(r), attach: 'dangers.report' };
}
/** …and its rectification evidence by those who rectify. */
export function evidenceRef(r: { district_code: string | null; owner_unit: string | null }) {
  return { ...dangerVisibility(r), attach: 'dangers.rectify' };
}

// ————— dates —————

/** the instant a deadline day (Beijing) has passed: the next day's 00:00 in Beijing */
export function deadlineInstant(day: string): Date {
  return new Date(new Date(`${day}T00:00:00+08:00`).getTime() + 86_400_000);
}

export function isOverdue(r: { status: string; deadline_at: Date | null }, now: Date): boolean {
  return (
    r.deadline_at !== null &&
    r.deadline_at.getTime() <= now.getTime() &&
    (DEADLINE_STATUSES as readonly string[]).includes(r.status)
  );
}

// ————— who may take which step —————

/** The unit whose users rectify a danger besides its responsible unit: its enterprise's own unit. */
const enterpriseUnit = (r: repo.DangerRow) => (r.enterprise_id ? r.owner_unit : null);

/** Why the actor may not take this step on this danger (permission and role rules, not the state); null if they may. */
export function stepRefusal(actor: Actor, r: repo.DangerRow, action: DangerAction): AppError | null {
  const permission = DANGER_ACTION_PERMISSION[action];
  if (!can(actor, permission)) return new AppError('FORBIDDEN', { permission });
  if (action === 'start' || action === 'submit') {
    const own =
      actor.unitCode != null && (actor.unitCode === enterpriseUnit(r) || actor.unitCode === r.responsible_unit);
    const publicPlace = !r.enterprise_id && can(actor, 'dangers.supervise');
    if (!own && !publicPlace) return new AppError('DANGER_NOT_RESPONSIBLE', { field: 'id' });
  }
  if (
    (action === 'verify' || action === 'reject' || action === 'close') &&
    r.submitted_by &&
    r.submitted_by === actor.id
  )
    return new AppError('DANGER_VERIFIER_IS_SUBMITTER', { field: 'id' });
  return null;
}

function allowedActions(actor: Actor, r: repo.DangerRow): DangerAction[] {
  return nextActions(r.status as DangerStatus).filter((a) => !stepRefusal(actor, r, a));
}

// ————— reading —————

export function toDanger(deps: DangersDeps, ctx: RequestCtx, r: repo.DangerRow): HiddenDanger {
  const units = deps.units();
  const unitName = (code: string | null) => {
    if (!code) return '';
    const u = units.get(code);
    return u ? (ctx.lang === 'en' ? u.nameEn || u.name : u.name) : code;
  };
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    description: r.description,
    category: r.category as HiddenDanger['category'],
    grade: r.grade as HiddenDanger['grade'],
    source: r.source as HiddenDanger['source'],
    status: r.status as DangerStatus,
    enterprise: r.enterprise_id ? { id: r.enterprise_id, name: r.enterprise_name ?? '' } : null,
    district: r.district_code,
    districtName: unitName(r.district_code),
    ownerUnit: r.owner_unit,
    location: r.lng !== null && r.lat !== null ? { type: 'Point', coordinates: [r.lng, r.lat] } : null,
    locationEntered: (r.location_entered ?? null) as HiddenDanger['locationEntered'],
    address: r.address,
    foundAt: r.found_at.toISOString(),
    reporter: { id: r.reporter_id, name: r.reporter_name, phone: r.reporter_phone },
    responsibleUnit: r.responsible_unit,
    responsibleUnitName: unitName(r.responsible_unit),
    responsiblePerson: r.responsible_person,
    deadline: r.deadline,
    measures: r.measures,
    funds: r.funds,
    rectificationNote: r.rectification_note,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    verificationNote: r.verification_note,
    closedAt: r.closed_at?.toISOString() ?? null,
    cancelReason: r.cancel_reason,
    returnReason: r.return_reason,
    overdue: isOverdue(r, deps.clock.now()),
    escalationLevel: r.escalation_level,
    inspectionId: r.inspection_id,
    allowedActions: allowedActions(ctx.actor, r),
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const toStep = (s: repo.StepRow): DangerStepRecord => ({
  id: s.id,
  action: s.action,
  from: s.from_status,
  to: s.to_status,
  by: s.by_user,
  byName: s.by_name,
  at: s.at.toISOString(),
  note: s.note,
});

async function readDanger(deps: DangersDeps, ctx: RequestCtx, id: string): Promise<repo.DangerRow> {
  requirePermission(ctx.actor, 'dangers.read');
  const r = await repo.findDanger(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: DANGER_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return r;
}

export async function getDanger(deps: DangersDeps, ctx: RequestCtx, id: string): Promise<DangerDetail> {
  const r = await readDanger(deps, ctx, id);
  const steps = await repo.listSteps(deps.db.kysely, id);
  return { danger: toDanger(deps, ctx, r), steps: steps.map(toStep) };
}

export function listFilter(deps: DangersDeps, q: DangerListQuery): repo.DangerFilter {
  return {
    status: q.status,
    open: q.open,
    grade: q.grade,
    source: q.source,
    category: q.category,
    district: q.district,
    enterpriseId: q.enterpriseId,
    inspectionId: q.inspectionId,
    overdueAt: q.overdue === undefined ? undefined : { now: deps.clock.now(), overdue: q.overdue },
    q: q.q?.trim() || undefined,
    from: q.from ? parseTime(q.from, 'from') : undefined,
    to: q.to ? parseTime(q.to, 'to') : undefined,
  };
}

export async function listDangers(
  deps: DangersDeps,
  ctx: RequestCtx,
  q: DangerListQuery,
): Promise<{ items: HiddenDanger[]; total: number }> {
  requirePermission(ctx.actor, 'dangers.read');
  checkInput(DangerListQuery, q);
  const { rows, total } = await repo.listDangers(deps.db.kysely, ctx.actor, listFilter(deps, q), {
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  return { items: rows.map((r) => toDanger(deps, ctx, r)), total };
}

// ————— reporting —————

export interface PreparedDanger {
  input: DangerInput;
  enterprise: EnterpriseRef | null;
  district: string | null;
  ownerUnit: string | null;
  lng: number | null;
  lat: number | null;
  foundAt: Date;
}

/** The enterprise named (in the caller's scope), or the enterprise user's own; null for a public place. */
async function enterpriseOf(deps: DangersDeps, ctx: RequestCtx, id: string | null | undefined) {
  const safety = deps.safety();
  if (!id) {
    if (ctx.actor.scope !== 'enterprise') return null;
    // an enterprise user reports for its own enterprise even without naming it
    const own = safety ? (await safety.listEnterpriseRefs()).find((e) => e.unitCode === ctx.actor.unitCode) : undefined;
    if (!own) throw new AppError('DANGER_NOT_OWN_ENTERPRISE', { field: 'enterpriseId' });
    return own;
  }
  if (!safety) throw new AppError('DANGER_UNKNOWN_ENTERPRISE', { field: 'enterpriseId', value: id });
  let e: EnterpriseRef;
  try {
    e = await safety.getEnterprise(ctx, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw new AppError('DANGER_UNKNOWN_ENTERPRISE', { field: 'enterpriseId', value: id });
    if (
      err instanceof AppError &&
      (err.code === 'OUT_OF_SCOPE' || err.code === 'FORBIDDEN') &&
      ctx.actor.scope === 'enterprise'
    )
      throw new AppError('DANGER_NOT_OWN_ENTERPRISE', { field: 'enterpriseId' });
    throw err;
  }
  if (ctx.actor.scope === 'enterprise' && e.unitCode !== ctx.actor.unitCode)
    throw new AppError('DANGER_NOT_OWN_ENTERPRISE', { field: 'enterpriseId' });
  return e;
}

/** The service's checks of a new danger, without writing (the import's dry run runs exactly these). */
export async function prepareDanger(
  deps: DangersDeps,
  ctx: RequestCtx,
  input: DangerInput,
  opts: { permission?: string } = {},
): Promise<PreparedDanger> {
  requirePermission(ctx.actor, opts.permission ?? 'dangers.report');
  checkInput(DangerInput, input);
  const enterprise = await enterpriseOf(deps, ctx, input.enterpriseId);
  let point: [number, number] | null = null;
  if (input.locationEntered) {
    const e = input.locationEntered;
    point = toWgs84(e.datum, e.coordinates[0], e.coordinates[1]);
  } else if (input.location) {
    const [lng, lat] = input.location.coordinates as [number, number];
    if (!Number.isFinite(lng) || !Number.isFinite(lat) || lng < -180 || lng > 180 || lat < -90 || lat > 90)
      throw new AppError('COORDINATES_OUT_OF_RANGE', { field: 'location.coordinates' });
    point = [lng, lat];
  } else if (enterprise?.location) {
    point = [enterprise.location.lon, enterprise.location.lat];
  }
  let district = enterprise?.districtCode ?? null;
  if (!district && point) district = (await deps.districtAt(point[0], point[1]))?.code ?? null;
  if (!district && input.district) {
    const u = deps.units().get(input.district);
    if (u?.kind !== 'district') throw new AppError('UNKNOWN_UNIT', { field: 'district', value: input.district });
    district = u.code;
  }
  const now = deps.clock.now();
  const foundAt = input.foundAt ? parseTime(input.foundAt, 'foundAt', { notAfter: now }) : now;
  const ownerUnit = enterprise ? enterprise.unitCode : ctx.actor.unitCode;
  // a district user reports within their district (or for their own unit)
  requireInScope(ctx.actor, { district, unit: ownerUnit }, enterprise ? 'enterpriseId' : 'location');
  return { input, enterprise, district, ownerUnit, lng: point?.[0] ?? null, lat: point?.[1] ?? null, foundAt };
}

/** Writes a checked danger, its first step, audit row and event in the caller's transaction; returns its id. */
export async function insertDangerInTx(
  deps: DangersDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedDanger,
  now: Date,
  o: { inspectionId?: string; demo?: boolean; action?: 'report' | 'import' } = {},
): Promise<{ id: string; number: string }> {
  const id = deps.ids.next();
  const number = await nextDailyNumber(trx, 'YH', p.foundAt);
  const i = p.input;
  await repo.insertDanger(trx, {
    id,
    number,
    title: i.title.trim(),
    description: i.description?.trim() ?? '',
    category: i.category,
    grade: i.grade,
    source: i.source,
    status: 'found',
    enterprise_id: p.enterprise?.id ?? null,
    enterprise_name: p.enterprise?.name ?? null,
    district_code: p.district,
    owner_unit: p.ownerUnit,
    lng: p.lng,
    lat: p.lat,
    location_entered: i.locationEntered ? JSON.stringify(i.locationEntered) : null,
    address: i.address?.trim() ?? '',
    found_at: p.foundAt,
    reporter_id: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    reporter_name: i.reporterName?.trim() || ctx.actor.name,
    reporter_phone: i.reporterPhone?.trim() ?? '',
    responsible_unit: null,
    deadline: null,
    deadline_at: null,
    funds: null,
    submitted_by: null,
    submitted_at: null,
    verified_by: null,
    verified_at: null,
    closed_at: null,
    inspection_id: o.inspectionId ?? null,
    demo: o.demo ?? false,
    created_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
  });
  await repo.insertStep(trx, {
    id: deps.ids.next(),
    danger_id: id,
    action: o.action ?? 'report',
    from_status: null,
    to_status: 'found',
    by_user: ctx.actor.id,
    by_name: ctx.actor.name,
    at: now,
    note: '',
  });
  await recordAudit(trx, ctx, now, {
    action: o.action === 'import' ? 'hidden_danger.imported' : 'hidden_danger.reported',
    entity: 'hidden_danger',
    entityId: id,
    after: { number, ...i },
  });
  await emitEvent(trx, now, {
    type: 'hidden_danger.reported',
    entity: 'hidden_danger',
    entityId: id,
    payload: { id, number, grade: i.grade, status: 'found' },
    visibility: dangerVisibility({ district_code: p.district, owner_unit: p.ownerUnit }),
  });
  return { id, number };
}

export async function createDanger(
  deps: DangersDeps,
  ctx: RequestCtx,
  input: DangerInput,
  opts: { demo?: boolean } = {},
): Promise<HiddenDanger> {
  const p = await prepareDanger(deps, ctx, input);
  const now = deps.clock.now();
  const { id } = await deps.db.transaction((trx) => insertDangerInTx(deps, trx, ctx, p, now, { demo: opts.demo }));
  deps.afterCommit();
  return (await getDanger(deps, ctx, id)).danger;
}

// ————— the steps —————

const BODY_SCHEMA = {
  assign: AssignInput,
  start: StepInput,
  submit: SubmitInput,
  verify: StepInput,
  reject: ReasonInput,
  close: StepInput,
  cancel: ReasonInput,
} as const;
export type StepBody = AssignInput | StepInput | SubmitInput | ReasonInput;

function badTransition(status: DangerStatus, action: DangerAction): AppError {
  const allowed = nextActions(status);
  const words = (lang: 'zh' | 'en') =>
    allowed.length
      ? allowed.map((a) => `${DANGER_ACTION_INFO[a][lang]} (${a})`).join(lang === 'zh' ? '、' : ', ')
      : lang === 'zh'
        ? '无'
        : 'none';
  return new AppError('DANGER_BAD_TRANSITION', {
    field: 'status',
    state: { zh: DANGER_STATUS_INFO[status].zh, en: DANGER_STATUS_INFO[status].en.toLowerCase() },
    action: { zh: DANGER_ACTION_INFO[action].zh, en: action },
    allowed: { zh: words('zh'), en: words('en') },
    status,
    allowedActions: allowed,
  });
}

/** The row's changes for a step, checked against its rules. */
async function stepChanges(
  deps: DangersDeps,
  ctx: RequestCtx,
  r: repo.DangerRow,
  action: DangerAction,
  body: StepBody,
  now: Date,
): Promise<{ set: repo.DangerUpdate; note: string }> {
  switch (action) {
    case 'assign': {
      const b = body as AssignInput;
      if (r.grade === 'major' && !b.deadline)
        throw new AppError('DANGER_MAJOR_NEEDS', { field: 'deadline', what: { zh: '整改期限', en: 'deadline' } });
      if (r.grade === 'major' && !b.measures?.trim())
        throw new AppError('DANGER_MAJOR_NEEDS', { field: 'measures', what: { zh: '整改措施', en: 'measures' } });
      if (b.deadline && b.deadline < cityDate(r.found_at))
        throw new AppError('DANGER_DEADLINE_PAST', { field: 'deadline', value: b.deadline });
      const unit = b.responsibleUnit ?? enterpriseUnit(r);
      if (b.responsibleUnit && !(await deps.unitOf(b.responsibleUnit)))
        throw new AppError('UNKNOWN_UNIT', { field: 'responsibleUnit', value: b.responsibleUnit });
      return {
        set: {
          responsible_unit: unit,
          responsible_person: b.responsiblePerson.trim(),
          deadline: b.deadline ?? null,
          deadline_at: b.deadline ? deadlineInstant(b.deadline) : null,
          measures: b.measures?.trim() ?? '',
          funds: b.funds ?? null,
        },
        note: [b.responsiblePerson, b.deadline, b.measures].filter(Boolean).join(' · '),
      };
    }
    case 'submit': {
      const b = body as SubmitInput;
      const ids = b.evidenceFileIds ?? [];
      if (ids.length) {
        const { items } = await deps.files().list(ctx, 'hidden_danger_evidence', r.id, 100);
        const have = new Set(items.map((f) => f.id));
        ids.forEach((id, i) => {
          if (!have.has(id)) throw new AppError('DANGER_BAD_EVIDENCE', { field: `evidenceFileIds.${i}`, value: id });
        });
      }
      return {
        set: {
          rectification_note: b.note.trim(),
          evidence_file_ids: ids,
          submitted_by: ctx.actor.id,
          submitted_at: now,
          ...(b.funds !== undefined ? { funds: b.funds } : {}),
        },
        note: b.note.trim(),
      };
    }
    case 'verify': {
      const note = (body as StepInput).note?.trim() ?? '';
      return { set: { verification_note: note, verified_by: ctx.actor.id, verified_at: now }, note };
    }
    case 'reject': {
      const reason = (body as ReasonInput).reason.trim();
      return { set: { return_reason: reason, verification_note: reason }, note: reason };
    }
    case 'close':
      return { set: { closed_at: now }, note: (body as StepInput).note?.trim() ?? '' };
    case 'cancel': {
      const reason = (body as ReasonInput).reason.trim();
      return { set: { cancel_reason: reason }, note: reason };
    }
    default:
      return { set: {}, note: (body as StepInput).note?.trim() ?? '' };
  }
}

/**
 * Takes one step of the treatment. The order of refusals: the step's permission (403 naming it), the record's scope
 * (403/404), the state (409 DANGER_BAD_TRANSITION naming the state and the steps allowed), the step's own rules
 * (who rectifies, who verifies: 403), the version (409 VERSION_CONFLICT).
 */
export async function takeStep(
  deps: DangersDeps,
  ctx: RequestCtx,
  id: string,
  action: DangerAction,
  body: StepBody,
): Promise<DangerDetail> {
  requirePermission(ctx.actor, DANGER_ACTION_PERMISSION[action]);
  checkInput(BODY_SCHEMA[action], body);
  const r = await readDanger(deps, ctx, id);
  const step = DANGER_STEPS[action];
  const from = r.status as DangerStatus;
  if (!step.from.includes(from)) throw badTransition(from, action);
  const refusal = stepRefusal(ctx.actor, r, action);
  if (refusal) throw refusal;
  if (body.version !== r.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
  const now = deps.clock.now();
  const { set, note } = await stepChanges(deps, ctx, r, action, body, now);
  await deps.db.transaction(async (trx) => {
    const ok = await repo.updateDanger(trx, id, { ...set, status: step.to, updated_at: now }, body.version, [from]);
    if (!ok) {
      const cur = await repo.findDanger(trx, id);
      if (cur && cur.status !== from) throw badTransition(cur.status as DangerStatus, action);
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: cur?.version ?? r.version });
    }
    await repo.insertStep(trx, {
      id: deps.ids.next(),
      danger_id: id,
      action,
      from_status: from,
      to_status: step.to,
      by_user: ctx.actor.id,
      by_name: ctx.actor.name,
      at: now,
      note,
    });
    // a danger no longer overdue-able (submitted, closed, cancelled) leaves the alarm trays
    if (!(DEADLINE_STATUSES as readonly string[]).includes(step.to))
      await deps.alerts.resolve(trx, now, 'hidden_danger', id);
    await recordAudit(trx, ctx, now, {
      action: `hidden_danger.${action}`,
      entity: 'hidden_danger',
      entityId: id,
      before: { status: from, version: r.version },
      after: { status: step.to, ...body },
    });
    await emitEvent(trx, now, {
      type: 'hidden_danger.changed',
      entity: 'hidden_danger',
      entityId: id,
      payload: { id, number: r.number, action, status: step.to },
      visibility: dangerVisibility(r),
    });
  });
  deps.afterCommit();
  return getDanger(deps, ctx, id);
}

// ————— settings —————

export async function readSettings(deps: DangersDeps, db: Tx = deps.db.kysely) {
  const s = await getSetting(db, SETTINGS_KEY);
  const v = (s?.value ?? {}) as { escalationDays?: number };
  return { escalationDays: v.escalationDays ?? DEFAULT_ESCALATION_DAYS, version: s?.version ?? 0 };
}

export async function getSettings(deps: DangersDeps, ctx: RequestCtx) {
  requirePermission(ctx.actor, 'dangers.read');
  return readSettings(deps);
}

export async function putSettings(deps: DangersDeps, ctx: RequestCtx, input: DangerSettingsInput) {
  requirePermission(ctx.actor, 'dangers.settings');
  checkInput(DangerSettingsInput, input);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const had = await getSetting(trx, SETTINGS_KEY, { forUpdate: true });
    const current = had?.version ?? 0;
    if (current !== input.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current });
    const before = (had?.value ?? { escalationDays: DEFAULT_ESCALATION_DAYS }) as object;
    await putSetting(trx, SETTINGS_KEY, { escalationDays: input.escalationDays }, now);
    await recordAudit(trx, ctx, now, {
      action: 'dangers.settings.updated',
      entity: 'setting',
      entityId: SETTINGS_KEY,
      before,
      after: { escalationDays: input.escalationDays },
    });
  });
  return readSettings(deps);
}

// ————— overdue —————

const SEVERITY_OF_GRADE: Record<string, Severity> = { major: 'II', general: 'IV' };
const ONE_HIGHER: Record<Severity, Severity> = { I: 'I', II: 'I', III: 'II', IV: 'III' };

/**
 * Raises one alarm per danger whose deadline passed unsubmitted (重大 → II, 一般 → IV; visible like the danger), and a
 * second one a severity higher to the city (visible to city-wide users) once it is past its deadline by the
 * configured days. The level reached is kept on the row, so each level is raised once; rows are claimed with
 * `skip locked`, so two instances never raise the same. Called by the module's interval and by tests.
 */
export async function checkOverdue(deps: DangersDeps, now: Date = deps.clock.now()): Promise<number> {
  const { escalationDays } = await readSettings(deps);
  const ctx = systemCtx();
  const n = await deps.db.transaction(async (trx) => {
    const first = await repo.claimOverdue(trx, now);
    const second = await repo.claimEscalation(trx, now, escalationDays);
    const raise = async (r: repo.DangerRow, level: 1 | 2) => {
      const base = SEVERITY_OF_GRADE[r.grade] ?? 'IV';
      const severity = level === 1 ? base : ONE_HIGHER[base];
      const where = r.enterprise_name ? `，${r.enterprise_name}` : '';
      const whereEn = r.enterprise_name ? `, ${r.enterprise_name}` : '';
      await deps.alerts.raise(trx, now, {
        source: 'hidden_danger',
        sourceId: r.id,
        severity,
        title:
          level === 1
            ? {
                zh: `隐患整改逾期：${r.title}（${r.number}${where}，期限 ${r.deadline}）`,
                en: `Hidden danger overdue: ${r.title} (${r.number}${whereEn}, deadline ${r.deadline})`,
              }
            : {
                zh: `隐患逾期超过 ${escalationDays} 天，提请市级督办：${r.title}（${r.number}${where}）`,
                en: `Hidden danger overdue by more than ${escalationDays} days, escalated to the city: ${r.title} (${r.number}${whereEn})`,
              },
        link: `/dangers/${r.id}`,
        visibility: level === 1 ? dangerVisibility(r) : { permission: 'dangers.read', district: null, unit: null },
      });
      await recordAudit(trx, ctx, now, {
        action: level === 1 ? 'hidden_danger.overdue' : 'hidden_danger.escalated',
        entity: 'hidden_danger',
        entityId: r.id,
        after: { deadline: r.deadline, severity, level },
      });
    };
    for (const r of first) await raise(r, 1);
    for (const r of second) await raise(r, 2);
    return first.length + second.length;
  });
  if (n > 0) deps.afterCommit();
  return n;
}

// ————— statistics —————

export async function statistics(deps: DangersDeps, ctx: RequestCtx, q: DangerStatsQuery): Promise<DangerStats> {
  requirePermission(ctx.actor, 'dangers.read');
  checkInput(DangerStatsQuery, q);
  const now = deps.clock.now();
  const to = q.to ? parseTime(q.to, 'to') : now;
  const from = q.from ? parseTime(q.from, 'from') : new Date(to.getTime() - 365 * 86_400_000);
  if (from.getTime() >= to.getTime())
    throw new AppError('VALIDATION', { field: 'from', reason: { zh: '须早于 to', en: 'must be before to' } });
  const f = { from, to, district: q.district };
  const rows = await repo.statsRows(deps.db.kysely, ctx.actor, f);
  const closed = await repo.closedIn(deps.db.kysely, ctx.actor, f);
  const ids = [...new Set(rows.map((r) => r.enterprise_id).filter((x): x is string => !!x))];
  const safety = deps.safety();
  const industry = new Map(
    (ids.length && safety ? await safety.listEnterpriseRefs({ ids, includeInactive: true }) : []).map((e) => [
      e.id,
      e.industry,
    ]),
  );
  const units = deps.units();
  return dangerStats(rows, closed, {
    from,
    to,
    now,
    isOverdue: (r) => isOverdue(r, now),
    industryOf: (id) => industry.get(id),
    district: (code) => ({ name: units.get(code)?.name ?? code, nameEn: units.get(code)?.nameEn ?? code }),
  });
}
