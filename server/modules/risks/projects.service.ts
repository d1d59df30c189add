/**
 * Disaster-prevention projects (防灾减灾工程项目, the work plan's task 9): register, progress reports, status, summary,
 * Excel export and import. A progress report states the **cumulative** quantity done by its date (contracts/risks.ts
 * ProgressInput): reports by date never go down, and the project's done quantity is its latest report's. Status on a
 * day: done at 100 %; behind when the share done trails the share of time elapsed by more than 10 points (or the end
 * date has passed undone); on track otherwise. District staff see and write their district's projects.
 */
import {
  PROJECT_BEHIND_TOLERANCE,
  PROJECT_TYPE_INFO,
  PROJECT_TYPES,
  type PreventionProject,
  ProgressInput,
  type ProgressReport,
  type ProjectDetail,
  ProjectInput,
  type ProjectListQuery,
  ProjectPatch,
  type ProjectStatus,
  type ProjectSummaryReply,
  type ProjectType,
} from '../../../contracts/risks.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { cityDate } from '../../platform/time.ts';
import type { Geom } from './geometry.ts';
import * as repo from './projects.repository.ts';
import { CITY_UNIT, type RisksDeps } from './risks.deps.ts';
import './risks.errors.ts';

const ENTITY = 'prevention_project';
const DAY_MS = 86_400_000;

const visibility = (r: { district_code: string; owner_unit: string }) => ({
  permission: 'risks.read',
  district: r.district_code,
  unit: r.owner_unit,
});

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;

/** A project's share done, share of time elapsed and status on `today` (YYYY-MM-DD, Beijing). */
export function projectStatus(
  p: { targetQuantity: number; doneQuantity: number; startDate: string; endDate: string },
  today: string,
): { share: number; expectedShare: number; status: ProjectStatus } {
  const share = p.targetQuantity > 0 ? Math.min(1, p.doneQuantity / p.targetQuantity) : 0;
  const start = dayNumber(p.startDate);
  const end = dayNumber(p.endDate);
  const now = dayNumber(today);
  // the days from the start to the end, both counted: on the end date the whole time has elapsed
  const expectedShare = now < start ? 0 : now >= end ? 1 : (now - start + 1) / (end - start + 1);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  if (share >= 1) return { share: 1, expectedShare: round(expectedShare), status: 'done' };
  const behind = now > end || expectedShare - share > PROJECT_BEHIND_TOLERANCE;
  return { share: round(share), expectedShare: round(expectedShare), status: behind ? 'behind' : 'on_track' };
}

function toProject(deps: RisksDeps, r: repo.ProjectRow, today: string): PreventionProject {
  const base = {
    targetQuantity: Number(r.target_quantity),
    doneQuantity: Number(r.done_quantity),
    startDate: r.start_date,
    endDate: r.end_date,
  };
  return {
    id: r.id,
    name: r.name,
    type: r.type as ProjectType,
    district: r.district_code,
    districtName: deps.units().get(r.district_code)?.name ?? r.district_code,
    location: r.geojson ? (JSON.parse(r.geojson) as Geom) : null,
    unit: r.unit,
    responsibleUnit: r.responsible_unit,
    notes: r.notes,
    lastReportDate: r.last_report_date,
    ownerUnit: r.owner_unit,
    version: Number(r.version),
    demo: r.demo,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    ...base,
    ...projectStatus(base, today),
  };
}

function checkDistrict(deps: RisksDeps, code: string): void {
  const u = deps.units().get(code);
  if (!u || (u.kind !== 'district' && u.kind !== 'zone'))
    throw new AppError('PROJECT_DISTRICT', { field: 'district', value: code });
}

async function readProject(ctx: RequestCtx, db: Tx, id: string, forUpdate = false) {
  const r = await repo.findProject(db, id, forUpdate);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return r;
}

export async function listProjects(
  deps: RisksDeps,
  ctx: RequestCtx,
  q: ProjectListQuery,
): Promise<{ items: PreventionProject[]; total: number }> {
  requirePermission(ctx.actor, 'risks.read');
  const today = cityDate(deps.clock.now());
  // projects are few (hundreds): the status is the day's, so it is filtered after computing it
  const rows = await repo.listProjects(deps.db.kysely, ctx.actor, {
    type: q.type,
    district: q.district,
    q: q.q?.trim() || undefined,
  });
  const all = rows.map((r) => toProject(deps, r, today)).filter((p) => !q.status || p.status === q.status);
  const offset = q.offset ?? 0;
  return { items: all.slice(offset, offset + (q.limit ?? 50)), total: all.length };
}

export async function getProject(deps: RisksDeps, ctx: RequestCtx, id: string): Promise<ProjectDetail> {
  requirePermission(ctx.actor, 'risks.read');
  const r = await readProject(ctx, deps.db.kysely, id);
  const p = toProject(deps, r, cityDate(deps.clock.now()));
  const reports = await repo.listProgress(deps.db.kysely, id);
  let previous = 0;
  const out: ProgressReport[] = reports.map((x) => {
    const q = Number(x.quantity);
    const rep = {
      id: x.id,
      date: x.report_date,
      quantity: q,
      increment: Math.round((q - previous) * 1000) / 1000,
      share: p.targetQuantity > 0 ? Math.min(1, Math.round((q / p.targetQuantity) * 10_000) / 10_000) : 0,
      note: x.note,
      reporter: x.reporter,
      createdAt: new Date(x.created_at).toISOString(),
    };
    previous = q;
    return rep;
  });
  return { ...p, reports: out.reverse() };
}

function checkProject(deps: RisksDeps, ctx: RequestCtx, input: ProjectInput): void {
  checkDistrict(deps, input.district);
  requireInScope(ctx.actor, { district: input.district, unit: null }, 'district');
  if (input.endDate < input.startDate) throw new AppError('PROJECT_DATES', { field: 'endDate' });
}

/** Checks a new project without writing (the import's dry run runs exactly this). */
export function prepareProject(deps: RisksDeps, ctx: RequestCtx, input: ProjectInput): ProjectInput {
  requirePermission(ctx.actor, 'projects.manage');
  checkInput(ProjectInput, input);
  checkProject(deps, ctx, input);
  return input;
}

/** Writes a checked project in the caller's transaction. */
export async function insertProject(
  deps: RisksDeps,
  trx: Tx,
  ctx: RequestCtx,
  input: ProjectInput,
  now: Date,
  o: { demo?: boolean; quiet?: boolean } = {},
): Promise<string> {
  const id = deps.ids.next();
  const row = {
    id,
    name: input.name.trim(),
    type: input.type,
    district_code: input.district,
    owner_unit: ctx.actor.unitCode ?? CITY_UNIT,
    target_quantity: input.targetQuantity,
    unit: input.unit.trim(),
    responsible_unit: input.responsibleUnit.trim(),
    start_date: input.startDate,
    end_date: input.endDate,
    notes: input.notes?.trim() || null,
    demo: o.demo ?? false,
    created_by: ctx.actor.id,
    created_at: now,
    updated_at: now,
  };
  await repo.insertProject(trx, row, input.location ? JSON.stringify(input.location) : null);
  if (o.quiet) return id;
  await recordAudit(trx, ctx, now, { action: 'prevention_project.created', entity: ENTITY, entityId: id, after: row });
  await emitEvent(trx, now, {
    type: 'prevention_project.created',
    entity: ENTITY,
    entityId: id,
    payload: { id, name: row.name, type: row.type, district: row.district_code },
    visibility: visibility(row),
  });
  return id;
}

export async function createProject(deps: RisksDeps, ctx: RequestCtx, input: ProjectInput): Promise<PreventionProject> {
  prepareProject(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => insertProject(deps, trx, ctx, input, now));
  deps.afterCommit();
  return (await getProject(deps, ctx, id)) as PreventionProject;
}

export async function updateProject(
  deps: RisksDeps,
  ctx: RequestCtx,
  id: string,
  patch: ProjectPatch,
): Promise<PreventionProject> {
  requirePermission(ctx.actor, 'projects.manage');
  checkInput(ProjectPatch, patch);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const had = await readProject(ctx, trx, id, true);
    if (Number(had.version) !== patch.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: Number(had.version) });
    const { version: _v, ...changes } = patch;
    const merged: ProjectInput = {
      name: changes.name ?? had.name,
      type: changes.type ?? (had.type as ProjectType),
      district: changes.district ?? had.district_code,
      location:
        changes.location === undefined ? (had.geojson ? (JSON.parse(had.geojson) as Geom) : null) : changes.location,
      targetQuantity: changes.targetQuantity ?? Number(had.target_quantity),
      unit: changes.unit ?? had.unit,
      responsibleUnit: changes.responsibleUnit ?? had.responsible_unit,
      startDate: changes.startDate ?? had.start_date,
      endDate: changes.endDate ?? had.end_date,
      notes: changes.notes ?? had.notes ?? undefined,
    };
    checkProject(deps, ctx, merged);
    await repo.updateProject(
      trx,
      id,
      {
        name: merged.name.trim(),
        type: merged.type,
        district_code: merged.district,
        target_quantity: merged.targetQuantity,
        unit: merged.unit.trim(),
        responsible_unit: merged.responsibleUnit.trim(),
        start_date: merged.startDate,
        end_date: merged.endDate,
        notes: merged.notes?.trim() || null,
        updated_at: now,
      },
      merged.location ? JSON.stringify(merged.location) : null,
    );
    const { geojson: _g, ...before } = had;
    await recordAudit(trx, ctx, now, {
      action: 'prevention_project.updated',
      entity: ENTITY,
      entityId: id,
      before,
      after: changes,
    });
    await emitEvent(trx, now, {
      type: 'prevention_project.updated',
      entity: ENTITY,
      entityId: id,
      payload: { id },
      visibility: visibility({ district_code: merged.district, owner_unit: had.owner_unit }),
    });
  });
  deps.afterCommit();
  return (await getProject(deps, ctx, id)) as PreventionProject;
}

export async function deleteProject(deps: RisksDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, 'projects.manage');
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const had = await readProject(ctx, trx, id, true);
    await repo.deleteProject(trx, id);
    const { geojson: _g, ...before } = had;
    await recordAudit(trx, ctx, now, { action: 'prevention_project.deleted', entity: ENTITY, entityId: id, before });
    await emitEvent(trx, now, {
      type: 'prevention_project.deleted',
      entity: ENTITY,
      entityId: id,
      payload: { id },
      visibility: visibility(had),
    });
  });
  deps.afterCommit();
}

/** Records the cumulative quantity done by a date; the project's done quantity is then its latest report's. */
export async function reportProgress(
  deps: RisksDeps,
  ctx: RequestCtx,
  id: string,
  input: ProgressInput,
  o: { quiet?: boolean } = {},
): Promise<ProjectDetail> {
  requirePermission(ctx.actor, 'projects.manage');
  checkInput(ProgressInput, input);
  const now = deps.clock.now();
  const today = cityDate(now);
  await deps.db.transaction(async (trx) => {
    const had = await readProject(ctx, trx, id, true);
    if (input.date < had.start_date || input.date > today)
      throw new AppError('PROGRESS_DATE', { field: 'date', date: input.date, start: had.start_date });
    const reports = await repo.listProgress(trx, id);
    const before = reports.filter((r) => r.report_date <= input.date).at(-1);
    const after = reports.find((r) => r.report_date > input.date);
    if (before && input.quantity < Number(before.quantity))
      throw new AppError('PROGRESS_DECREASE', {
        field: 'quantity',
        quantity: input.quantity,
        previous: Number(before.quantity),
        date: input.date,
      });
    if (after && input.quantity > Number(after.quantity))
      throw new AppError('PROGRESS_DECREASE', {
        field: 'quantity',
        quantity: Number(after.quantity),
        previous: input.quantity,
        date: after.report_date,
      });
    const reportId = deps.ids.next();
    await repo.insertProgress(trx, {
      id: reportId,
      project_id: id,
      report_date: input.date,
      quantity: input.quantity,
      note: input.note?.trim() || null,
      reporter: input.reporter?.trim() || ctx.actor.name,
      created_by: ctx.actor.id,
      created_at: now,
    });
    await repo.refreshDone(trx, id, now);
    if (o.quiet) return;
    await recordAudit(trx, ctx, now, {
      action: 'prevention_project.progress',
      entity: ENTITY,
      entityId: id,
      after: { reportId, ...input },
    });
    await emitEvent(trx, now, {
      type: 'prevention_project.progress',
      entity: ENTITY,
      entityId: id,
      payload: { id, date: input.date, quantity: input.quantity },
      visibility: visibility(had),
    });
  });
  deps.afterCommit();
  return getProject(deps, ctx, id);
}

/** Per type and per district within it: target, done, share, projects by status (within the reader's scope). */
export async function summary(deps: RisksDeps, ctx: RequestCtx): Promise<ProjectSummaryReply> {
  const projects = (await listProjects(deps, ctx, { limit: Number.MAX_SAFE_INTEGER, offset: 0 })).items;
  const items: ProjectSummaryReply['items'] = [];
  for (const type of PROJECT_TYPES) {
    const mine = projects.filter((p) => p.type === type);
    if (!mine.length) continue;
    const groups: [string | null, PreventionProject[]][] = [[null, mine]];
    for (const d of [...new Set(mine.map((p) => p.district))].sort())
      groups.push([d, mine.filter((p) => p.district === d)]);
    for (const [district, ps] of groups) {
      const target = ps.reduce((s, p) => s + p.targetQuantity, 0);
      const done = ps.reduce((s, p) => s + Math.min(p.doneQuantity, p.targetQuantity), 0);
      items.push({
        type,
        district,
        districtName: district ? (deps.units().get(district)?.name ?? district) : null,
        unit: ps[0].unit || PROJECT_TYPE_INFO[type].unit,
        target,
        done,
        share: target > 0 ? Math.round((done / target) * 10_000) / 10_000 : 0,
        projects: ps.length,
        behind: ps.filter((p) => p.status === 'behind').length,
        onTrack: ps.filter((p) => p.status === 'on_track').length,
        finished: ps.filter((p) => p.status === 'done').length,
      });
    }
  }
  return { items, total: items.length };
}
