/**
 * Exercises (drill mode, 演练模式): draft → running → ended (or cancelled). While running, a periodic runner plays each
 * inject at start + offset (claimed once across instances); "play now" plays one at once. An incident inject reports
 * through the incidents door with the exercise's mark; a readings inject keeps its synthetic series in this module's
 * table and has the monitoring door run the rules over it (nothing stored there), the warnings door raising marked
 * warnings; a message inject is an in-app notice (an alarm) and nothing else. Response times are read from each
 * incident's command log (through the door): live while running, frozen at the end, judged against the targets of
 * the setting `exercises.targets`. The end records a drill through the drills module's door when it is installed.
 */
import { Value } from 'typebox/value';
import {
  DEFAULT_EXERCISE_TARGETS,
  EXERCISE_STATUS_INFO,
  EXERCISE_TAG,
  type Exercise,
  ExerciseInput,
  type ExerciseListQuery,
  ExerciseListQuery as ExerciseListQuerySchema,
  type ExerciseMark,
  ExercisePatch,
  type ExerciseStatus,
  type ExerciseSummary,
  IncidentInjectPayload,
  type Inject,
  type InjectInput,
  type InjectKind,
  MEASURES,
  type Measure,
  type Measurement,
  MessageInjectPayload,
  ReadingsInjectPayload,
  TargetsInput,
} from '../../../contracts/exercises.ts';
import type { LogEntry } from '../../../contracts/incidents.ts';
import type { Metric } from '../../../contracts/monitoring.ts';
import { AppError } from '../../errors.ts';
import { requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, SYSTEM_ACTOR, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { PlatformLog } from '../../platform/module.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { cityDate, cityDateTime } from '../../platform/time.ts';
import type { DrillRecordInput, DrillsApi } from '../drills/index.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { MonitoringApi } from '../monitoring/index.ts';
import type { WarningsApi } from '../warnings/index.ts';
import './exercises.errors.ts';
import * as repo from './exercises.repository.ts';

const MINUTE = 60_000;
export const EXERCISE_ENTITY = { zh: '演练', en: 'exercise' };
export const TARGETS_KEY = 'exercises.targets';

export interface ExercisesDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  afterCommit: () => void;
  alerts: Pick<AlertsApi, 'raise' | 'resolve'>;
  incidents: () => IncidentsApi;
  warnings: () => WarningsApi;
  monitoring: () => MonitoringApi;
  /** the drills module's door, when that module is installed */
  drills: () => DrillsApi | undefined;
}

/** every reader of exercises sees their events (an exercise is the city's, its marks are on the records it plays) */
const VISIBILITY: Visibility = { permission: 'exercises.read', district: null, unit: null };

// ---- targets (setting) ----

export async function getTargets(deps: ExercisesDeps) {
  const s = await getSetting(deps.db.kysely, TARGETS_KEY);
  return s
    ? { targets: s.value as Exercise['targets'], version: s.version, assumed: false }
    : { targets: DEFAULT_EXERCISE_TARGETS, version: 0, assumed: true };
}

export async function setTargets(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  input: { targets: Exercise['targets']; version: number },
) {
  requirePermission(ctx.actor, 'exercises.settings');
  checkInput(TargetsInput, input);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const cur = await getSetting(trx, TARGETS_KEY, { forUpdate: true });
    if ((cur?.version ?? 0) !== input.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: cur?.version ?? 0 });
    await putSetting(trx, TARGETS_KEY, input.targets, now);
    await recordAudit(trx, ctx, now, {
      action: 'setting.changed',
      entity: 'setting',
      entityId: TARGETS_KEY,
      before: cur?.value ?? DEFAULT_EXERCISE_TARGETS,
      after: input.targets,
    });
  });
  return getTargets(deps);
}

// ---- injects' payloads ----

const PAYLOAD_OF: Record<InjectKind, Parameters<typeof checkInput>[0]> = {
  incident: IncidentInjectPayload,
  readings: ReadingsInjectPayload,
  message: MessageInjectPayload,
};

/** Each inject's payload fits its kind (the field named as `injects.3.payload.typeCode`); a device must be in scope. */
async function checkInjects(deps: ExercisesDeps, ctx: RequestCtx, injects: readonly InjectInput[]): Promise<void> {
  for (const [n, i] of injects.entries()) {
    const schema = PAYLOAD_OF[i.kind];
    if (!Value.Check(schema, i.payload)) {
      const e = [...Value.Errors(schema, i.payload)][0];
      const path =
        (e as { instancePath?: string } | undefined)?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
      throw new AppError('INJECT_PAYLOAD', {
        field: `injects.${n}.payload${path ? `.${path}` : ''}`,
        title: i.title,
        reason: e?.message ?? 'invalid',
      });
    }
    if (i.kind === 'readings') {
      const p = i.payload as ReadingsInjectPayload;
      try {
        await deps.monitoring().getDevice(ctx, p.deviceId);
      } catch (err) {
        if (err instanceof AppError)
          throw new AppError(err.code, { ...err.details, field: `injects.${n}.payload.deviceId` });
        throw err;
      }
    }
  }
}

function injectRows(deps: ExercisesDeps, injects: readonly InjectInput[]) {
  // the timeline's order: by offset, then as written
  return [...injects]
    .map((i, n) => ({ i, n }))
    .sort((a, b) => a.i.offsetSeconds - b.i.offsetSeconds || a.n - b.n)
    .map(({ i }, seq) => ({
      id: deps.ids.next(),
      seq: seq + 1,
      offset_seconds: i.offsetSeconds,
      kind: i.kind,
      title: i.title.trim(),
      payload: i.payload,
    }));
}

// ---- reading ----

function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

function toInject(r: repo.InjectRow): Inject {
  return {
    id: r.id,
    seq: r.seq,
    offsetSeconds: r.offset_seconds,
    kind: r.kind as InjectKind,
    title: r.title,
    payload: r.payload as Record<string, unknown>,
    playedAt: iso(r.played_at),
    result: (r.result as Inject['result']) ?? null,
  };
}

async function unitNameMap(db: Tx, codes: string[]): Promise<Map<string, string>> {
  return new Map((await repo.unitNames(db, [...new Set(codes)])).map((u) => [u.code, u.name]));
}

/** The first log entry of a kind that answers a measure (oldest first); null when none yet. */
function firstOf(log: readonly LogEntry[], measure: Measure): LogEntry | undefined {
  const oldest = [...log].sort((a, b) => a.at.localeCompare(b.at));
  switch (measure) {
    case 'acknowledge':
      return oldest.find((e) => e.kind === 'acknowledged');
    case 'classify':
      // a level set or changed by a person (a report made with casualties has a computed level: not a person's)
      return oldest.find((e) => e.kind === 'level' && e.actor !== null);
    case 'activate':
      return oldest.find((e) => e.kind === 'plan_activated');
    case 'dispatch':
      return oldest.find((e) => e.kind === 'team_dispatched');
  }
}

/** Response times of each played incident inject, from its play, against the targets (pure but for the logs). */
export function measure(
  injects: readonly Inject[],
  logs: ReadonlyMap<string, readonly LogEntry[]>,
  targets: Exercise['targets'],
  at: Date,
  final: boolean,
): Measurement[] {
  const out: Measurement[] = [];
  for (const i of injects) {
    const incidentId = i.result?.incidentId;
    if (i.kind !== 'incident' || !i.playedAt || !incidentId) continue;
    const played = Date.parse(i.playedAt);
    for (const m of MEASURES) {
      const e = firstOf(logs.get(incidentId) ?? [], m);
      const seconds = e ? Math.max(0, (Date.parse(e.at) - played) / 1000) : null;
      const limit = targets[m] * 60;
      const verdict =
        seconds !== null
          ? seconds <= limit
            ? 'met'
            : 'missed'
          : final || (at.getTime() - played) / 1000 > limit
            ? 'missed'
            : 'pending';
      out.push({
        injectId: i.id,
        injectTitle: i.title,
        incidentId,
        incidentNumber: i.result?.incidentNumber ?? '',
        measure: m,
        at: e?.at ?? null,
        seconds: seconds === null ? null : Math.round(seconds),
        targetMinutes: targets[m],
        verdict,
      });
    }
  }
  return out;
}

async function liveMeasurements(
  deps: ExercisesDeps,
  injects: readonly Inject[],
  targets: Exercise['targets'],
  final: boolean,
) {
  const logs = new Map<string, LogEntry[]>();
  for (const i of injects) {
    const id = i.result?.incidentId;
    if (!id || logs.has(id)) continue;
    const { items } = await deps.incidents().listLog(systemCtx(), id, 1000);
    logs.set(id, items);
  }
  return measure(injects, logs, targets, deps.clock.now(), final);
}

export async function toExercise(deps: ExercisesDeps, r: repo.ExerciseRow): Promise<Exercise> {
  const db = deps.db.kysely;
  const injects = (await repo.injectsOf(db, r.id)).map(toInject);
  const names = await unitNameMap(db, [r.organiser_unit, ...r.participants]);
  const frozen = r.measurements !== null;
  const targets = frozen ? (r.targets as Exercise['targets']) : (await getTargets(deps)).targets;
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    scenario: r.scenario,
    content: r.content as Exercise['content'],
    form: r.form as Exercise['form'],
    plan: r.plan_id || r.plan_name ? { id: r.plan_id, name: r.plan_name ?? '' } : null,
    organiserUnit: { code: r.organiser_unit, name: names.get(r.organiser_unit) ?? r.organiser_unit },
    participants: r.participants.map((code) => ({ code, name: names.get(code) ?? code })),
    plannedStart: iso(r.planned_start),
    director: r.director,
    status: r.status as ExerciseStatus,
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    injects,
    measurements: frozen
      ? (r.measurements as Measurement[])
      : r.status === 'running'
        ? await liveMeasurements(deps, injects, targets, false)
        : [],
    targets,
    observations: r.observations,
    improvements: (r.improvements as Exercise['improvements']) ?? [],
    drillId: r.drill_id,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function load(deps: ExercisesDeps, id: string, trx: Tx = deps.db.kysely, forUpdate = false) {
  const r = await repo.findExercise(trx, id, forUpdate);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: EXERCISE_ENTITY });
  return r;
}

export async function getExercise(deps: ExercisesDeps, ctx: RequestCtx, id: string): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.read');
  return toExercise(deps, await load(deps, id));
}

export async function listExercises(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  q: ExerciseListQuery,
): Promise<{ items: ExerciseSummary[]; total: number }> {
  requirePermission(ctx.actor, 'exercises.read');
  checkInput(ExerciseListQuerySchema, q);
  const { rows, total } = await repo.listExercises(deps.db.kysely, {
    ...(q.status ? { status: q.status } : {}),
    ...(q.q?.trim() ? { q: q.q.trim() } : {}),
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  const names = await unitNameMap(
    deps.db.kysely,
    rows.map((r) => r.organiser_unit),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      content: r.content as Exercise['content'],
      form: r.form as Exercise['form'],
      status: r.status as ExerciseStatus,
      plannedStart: iso(r.planned_start),
      startedAt: iso(r.started_at),
      endedAt: iso(r.ended_at),
      organiserUnit: { code: r.organiser_unit, name: names.get(r.organiser_unit) ?? r.organiser_unit },
      injects: r.inject_count,
      played: r.played_count,
    })),
    total,
  };
}

/** The exercises running now (the shell's banner). */
export async function running(deps: ExercisesDeps, ctx: RequestCtx) {
  requirePermission(ctx.actor, 'exercises.read');
  const rows = await repo.runningExercises(deps.db.kysely);
  return rows.map((r) => ({ id: r.id, number: r.number, title: r.title, startedAt: iso(r.started_at) ?? '' }));
}

// ---- writing ----

async function emit(trx: Tx, now: Date, type: string, e: Exercise | { id: string; [k: string]: unknown }) {
  await emitEvent(trx, now, { type, entity: 'exercise', entityId: e.id, payload: e, visibility: VISIBILITY });
}

export async function createExercise(deps: ExercisesDeps, ctx: RequestCtx, input: ExerciseInput): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  checkInput(ExerciseInput, input);
  if (!input.title.trim())
    throw new AppError('VALIDATION', { field: 'title', reason: { zh: '不能为空', en: 'blank' } });
  const organiser = input.organiserUnit ?? ctx.actor.unitCode;
  if (!organiser)
    throw new AppError('VALIDATION', { field: 'organiserUnit', reason: { zh: '请选择组织单位', en: 'required' } });
  await checkInjects(deps, ctx, input.injects ?? []);
  const now = deps.clock.now();
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    await checkUnits(trx, [organiser, ...(input.participants ?? [])]);
    const number = await nextNumber(trx, 'YL', now);
    await repo.insertExercise(
      trx,
      {
        id,
        number,
        title: input.title.trim(),
        scenario: input.scenario ?? '',
        content: input.content,
        form: input.form,
        plan_id: input.planId ?? null,
        plan_name: input.planName ?? null,
        organiser_unit: organiser,
        participants: input.participants ?? [],
        planned_start: input.plannedStart ? new Date(input.plannedStart) : null,
        director: input.director ?? '',
        created_by: ctx.actor.id,
      },
      now,
    );
    await repo.replaceInjects(trx, id, injectRows(deps, input.injects ?? []));
    await recordAudit(trx, ctx, now, { action: 'exercise.created', entity: 'exercise', entityId: id, after: input });
    await emit(trx, now, 'exercise.changed', { id, number, status: 'draft' });
  });
  deps.afterCommit();
  return getExercise(deps, ctx, id);
}

async function checkUnits(trx: Tx, codes: string[]): Promise<void> {
  const known = await unitNameMap(trx, codes);
  codes.forEach((c, n) => {
    if (!known.has(c))
      throw new AppError('UNKNOWN_UNIT', { field: n === 0 ? 'organiserUnit' : `participants.${n - 1}`, value: c });
  });
}

export async function updateExercise(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  id: string,
  patch: ExercisePatch,
): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  checkInput(ExercisePatch, patch);
  const before = await load(deps, id);
  const { version, observations, improvements, injects, ...plan } = patch;
  const planning = Object.keys(plan).length > 0 || injects !== undefined;
  // the script changes while a draft; the evaluation once it has run
  if (planning && before.status !== 'draft') throw new AppError('EXERCISE_NOT_DRAFT', { field: 'injects' });
  if ((observations !== undefined || improvements !== undefined) && before.status === 'draft')
    throw statusError(before.status, { zh: '填写评估', en: 'evaluated' }, 'observations');
  if (injects) await checkInjects(deps, ctx, injects);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (plan.organiserUnit || plan.participants)
      await checkUnits(trx, [
        plan.organiserUnit ?? before.organiser_unit,
        ...(plan.participants ?? before.participants),
      ]);
    const ok = await repo.updateExercise(
      trx,
      id,
      version,
      {
        ...(plan.title !== undefined ? { title: plan.title.trim() } : {}),
        ...(plan.scenario !== undefined ? { scenario: plan.scenario } : {}),
        ...(plan.content !== undefined ? { content: plan.content } : {}),
        ...(plan.form !== undefined ? { form: plan.form } : {}),
        ...(plan.planId !== undefined ? { plan_id: plan.planId } : {}),
        ...(plan.planName !== undefined ? { plan_name: plan.planName } : {}),
        ...(plan.organiserUnit !== undefined ? { organiser_unit: plan.organiserUnit } : {}),
        ...(plan.participants !== undefined ? { participants: plan.participants } : {}),
        ...(plan.plannedStart !== undefined
          ? { planned_start: plan.plannedStart ? new Date(plan.plannedStart) : null }
          : {}),
        ...(plan.director !== undefined ? { director: plan.director } : {}),
        ...(observations !== undefined ? { observations } : {}),
        ...(improvements !== undefined ? { improvements: JSON.stringify(improvements) } : {}),
      },
      now,
    );
    if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    if (injects) await repo.replaceInjects(trx, id, injectRows(deps, injects));
    await recordAudit(trx, ctx, now, { action: 'exercise.updated', entity: 'exercise', entityId: id, after: patch });
    await emit(trx, now, 'exercise.changed', { id, status: before.status });
  });
  deps.afterCommit();
  return getExercise(deps, ctx, id);
}

function statusError(status: string, action: { zh: string; en: string }, field = 'id'): AppError {
  const info = EXERCISE_STATUS_INFO[status as ExerciseStatus];
  return new AppError('EXERCISE_STATUS', {
    field,
    status: { zh: info?.zh ?? status, en: info?.en.toLowerCase() ?? status },
    action,
  });
}

/**
 * One status change in one transaction: the row at the version read (409 otherwise), the audit row, the event; an end
 * (or cancel) resolves the exercise's notices still open.
 */
async function changeStatus(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  r: repo.ExerciseRow,
  version: number,
  now: Date,
  c: {
    set: Parameters<typeof repo.updateExercise>[3];
    action: string;
    after?: unknown;
    event: { type: string; [k: string]: unknown };
  },
): Promise<void> {
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateExercise(trx, r.id, version, c.set, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    if (c.set.status !== 'running') await deps.alerts.resolve(trx, now, 'exercise', r.id);
    await recordAudit(trx, ctx, now, { action: c.action, entity: 'exercise', entityId: r.id, after: c.after });
    const { type, ...rest } = c.event;
    await emit(trx, now, type, { id: r.id, number: r.number, title: r.title, ...rest });
  });
  deps.afterCommit();
}

/** draft → running: the clock starts; injects at offset 0 play with the runner's next turn (or at once, `kick`). */
export async function startExercise(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  id: string,
  version: number,
): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  const r = await load(deps, id);
  if (r.status !== 'draft') throw statusError(r.status, { zh: '开始', en: 'started' });
  if ((await repo.injectsOf(deps.db.kysely, id)).length === 0)
    throw new AppError('EXERCISE_NO_INJECTS', { field: 'injects' });
  const now = deps.clock.now();
  await changeStatus(deps, ctx, r, version, now, {
    set: { status: 'running', started_at: now, started_by: ctx.actor.id },
    action: 'exercise.started',
    event: { type: 'exercise.started', startedAt: now.toISOString() },
  });
  await playDue(deps);
  return getExercise(deps, ctx, id);
}

/** running → ended: measurements frozen, the exercise's warnings lifted, a drill recorded (drills module). */
export async function endExercise(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  id: string,
  version: number,
): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  const r = await load(deps, id);
  if (r.status !== 'running') throw statusError(r.status, { zh: '结束', en: 'ended' });
  const ex = await toExercise(deps, r);
  const targets = (await getTargets(deps)).targets;
  const measurements = await liveMeasurements(deps, ex.injects, targets, true);
  const now = deps.clock.now();
  await changeStatus(deps, ctx, r, version, now, {
    set: {
      status: 'ended',
      ended_at: now,
      measurements: JSON.stringify(measurements),
      targets: JSON.stringify(targets),
    },
    action: 'exercise.ended',
    after: { measurements },
    event: { type: 'exercise.ended', endedAt: now.toISOString() },
  });
  await deps.warnings().liftExercise(id, `演练结束 / exercise ended (${r.number})`);
  await recordDrill(deps, id);
  return getExercise(deps, ctx, id);
}

/**
 * The drill record (drills module's door), once; a missing module or a refusal is logged, the exercise stays ended.
 * Written by the exercise's director desk for the organiser's unit, not as the person who ended it: whoever may run
 * an exercise ends it with its record (the duty officer runs exercises but does not keep the drill register).
 */
async function recordDrill(deps: ExercisesDeps, id: string): Promise<void> {
  const drills = deps.drills();
  if (!drills) return;
  const r = await load(deps, id);
  const ex = await toExercise(deps, r);
  try {
    const { id: drillId } = await drills.recordDrill(directorCtx(r), drillInput(ex));
    const now = deps.clock.now();
    await deps.db.transaction((trx) => repo.updateExercise(trx, id, ex.version, { drill_id: drillId }, now));
  } catch (err) {
    deps.log.error(`exercise ${ex.number}: the drill record was not written`, err);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the drill record says of an exercise: AQ/T 9007 content and form, the command plan tested, the organiser as
 * the subject, the day and Beijing times, the participating units, and the evaluation so far (observations as one
 * problem with the improvement actions that have a due date). Idempotent on the drills side by the exercise's id.
 */
export function drillInput(ex: Exercise): DrillRecordInput {
  const started = new Date(ex.startedAt ?? ex.createdAt);
  const ended = ex.endedAt ? new Date(ex.endedAt) : null;
  const hhmm = (d: Date) => cityDateTime(d).slice(11, 16);
  const actions = ex.improvements
    .filter((a) => a.dueDate)
    .map((a) => ({
      description: a.action,
      deadline: a.dueDate as string,
      ...(a.owner ? { ownerName: a.owner.slice(0, 100) } : {}),
    }));
  return {
    title: `${ex.title}（${ex.number}）`.slice(0, 200),
    date: cityDate(started),
    startTime: hhmm(started),
    endTime: ended && cityDate(ended) === cityDate(started) ? hhmm(ended) : null,
    organiserUnit: ex.organiserUnit.code,
    subject: { kind: 'unit', unitCode: ex.organiserUnit.code },
    planTested: ex.plan?.id && UUID.test(ex.plan.id) ? { kind: 'command', planId: ex.plan.id } : null,
    content: ex.content,
    form: ex.form,
    scenario: ex.scenario.slice(0, 5000),
    participants: ex.participants.map((p) => ({
      name: p.name.slice(0, 100),
      unit: p.name.slice(0, 200),
      role: '参演单位',
    })),
    problems: ex.observations.trim()
      ? [{ description: ex.observations.trim().slice(0, 2000), severity: 'minor', actions }]
      : [],
    source: { kind: 'exercise', exerciseId: ex.id },
    notes: `演练模式（${ex.number}）：导调 ${ex.injects.filter((i) => i.playedAt).length}/${ex.injects.length}，测评 ${ex.measurements.filter((m) => m.verdict === 'met').length}/${ex.measurements.length} 项达标`,
  };
}

export async function cancelExercise(
  deps: ExercisesDeps,
  ctx: RequestCtx,
  id: string,
  version: number,
): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  const r = await load(deps, id);
  if (r.status !== 'draft' && r.status !== 'running') throw statusError(r.status, { zh: '取消', en: 'cancelled' });
  const now = deps.clock.now();
  await changeStatus(deps, ctx, r, version, now, {
    set: { status: 'cancelled', ended_at: now },
    action: 'exercise.cancelled',
    event: { type: 'exercise.ended', endedAt: now.toISOString() },
  });
  if (r.status === 'running') await deps.warnings().liftExercise(id, `演练取消 / exercise cancelled (${r.number})`);
  return getExercise(deps, ctx, id);
}

// ---- playing ----

/** The actor injects play as: the exercise's director desk (导调), for the organiser's unit. */
function directorCtx(r: repo.ExerciseRow): RequestCtx {
  return {
    ...systemCtx(),
    actor: { ...SYSTEM_ACTOR, name: `演练导调 ${r.number}`, unitCode: r.organiser_unit },
  };
}

/** "Play now": one inject of a running exercise, whatever its offset; refused when already played. */
export async function playNow(deps: ExercisesDeps, ctx: RequestCtx, id: string, injectId: string): Promise<Exercise> {
  requirePermission(ctx.actor, 'exercises.run');
  const r = await load(deps, id);
  if (r.status !== 'running') throw statusError(r.status, { zh: '播放导调事项', en: 'played' });
  const inject = (await repo.injectsOf(deps.db.kysely, id)).find((i) => i.id === injectId);
  if (!inject) throw new AppError('NOT_FOUND', { field: 'injectId', entity: { zh: '导调事项', en: 'inject' } });
  if (inject.played_at) throw new AppError('INJECT_PLAYED', { field: 'injectId', at: inject.played_at.toISOString() });
  if (!(await play(deps, r, injectId))) throw new AppError('INJECT_PLAYED', { field: 'injectId', at: 'now' });
  return getExercise(deps, ctx, id);
}

/** The runner's turn: every due inject of every running exercise, each played by the one caller that claims it. */
export async function playDue(deps: ExercisesDeps): Promise<number> {
  const due = await repo.dueInjects(deps.db.kysely, deps.clock.now());
  let n = 0;
  const exercises = new Map<string, repo.ExerciseRow>();
  for (const d of due) {
    let r = exercises.get(d.exercise_id);
    if (!r) {
      r = await load(deps, d.exercise_id);
      exercises.set(r.id, r);
    }
    if (await play(deps, r, d.id)) n++;
  }
  return n;
}

/** Claims and plays one inject; false when another caller had it. Its outcome (or its error) is kept on it. */
async function play(deps: ExercisesDeps, r: repo.ExerciseRow, injectId: string): Promise<boolean> {
  const now = deps.clock.now();
  const claimed = await repo.claimInject(deps.db.kysely, injectId, now);
  if (!claimed) return false;
  const mark: ExerciseMark = { id: r.id, title: r.title };
  let result: NonNullable<Inject['result']>;
  try {
    result = await perform(deps, r, claimed, mark, now);
  } catch (err) {
    deps.log.warn(`exercise ${r.number}: inject ${claimed.seq} failed: ${err instanceof Error ? err.message : err}`);
    result = { error: err instanceof AppError ? err.message_('zh') : err instanceof Error ? err.message : String(err) };
  }
  await deps.db.transaction(async (trx) => {
    await repo.setInjectResult(trx, injectId, result);
    await emit(trx, now, 'exercise.inject_played', {
      id: r.id,
      injectId,
      seq: claimed.seq,
      kind: claimed.kind,
      title: claimed.title,
      playedAt: now.toISOString(),
      result,
    });
  });
  deps.afterCommit();
  return true;
}

async function perform(
  deps: ExercisesDeps,
  r: repo.ExerciseRow,
  inject: repo.InjectRow,
  mark: ExerciseMark,
  now: Date,
): Promise<NonNullable<Inject['result']>> {
  const ctx = directorCtx(r);
  switch (inject.kind as InjectKind) {
    case 'incident': {
      const p = inject.payload as IncidentInjectPayload;
      const incident = await deps.incidents().createIncident(
        ctx,
        {
          ...p,
          title: inject.title,
          occurredAt: now.toISOString(),
          reporter: { name: `演练导调 ${r.number}`, unit: '' },
        },
        { exercise: mark },
      );
      return { incidentId: incident.id, incidentNumber: incident.number };
    }
    case 'readings': {
      const p = inject.payload as ReadingsInjectPayload;
      const readings = Array.from({ length: p.count }, (_, k) => ({
        metric: p.metric as Metric,
        ts: new Date(now.getTime() - (p.count - 1 - k) * p.intervalMinutes * MINUTE),
        value: Math.round((p.start + k * p.step) * 1000) / 1000,
      }));
      // kept here, never in the readings table
      await deps.db.transaction((trx) =>
        repo.insertReadings(
          trx,
          readings.map((x) => ({
            exercise_id: r.id,
            inject_id: inject.id,
            device_id: p.deviceId,
            metric: x.metric,
            ts: x.ts,
            value: x.value,
          })),
        ),
      );
      const obs = await deps.monitoring().evaluateSeries(ctx, p.deviceId, readings);
      const transitions = await deps.warnings().observe(obs.map((o) => ({ ...o, exercise: mark })));
      return { readings: readings.length, transitions };
    }
    case 'message': {
      const p = inject.payload as MessageInjectPayload;
      await deps.db.transaction((trx) =>
        deps.alerts.raise(trx, now, {
          source: 'exercise',
          sourceId: r.id,
          severity: 'IV',
          title: {
            zh: `${EXERCISE_TAG.zh}${r.title}：${inject.title}——${p.text}`,
            en: `${EXERCISE_TAG.en}${r.title}: ${inject.title} — ${p.text}`,
          },
          link: `/exercises/${r.id}`,
          visibility: VISIBILITY,
        }),
      );
      deps.afterCommit();
      return {};
    }
  }
}
