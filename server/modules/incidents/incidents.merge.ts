/**
 * Merging a duplicate report into the incident that survives, and undoing it. Nothing is lost either way: the
 * duplicate keeps its status, casualty figures, log and everything else (casualties are NOT summed into the survivor —
 * the two reports may count the same people; the commander corrects the survivor's figures by hand if need be); it
 * gains `merged_into`, which hides it from the default lists, and both logs say so. Unmerge clears it.
 */
import { describeLogEntry } from '../../../contracts/incident-text.ts';
import { type Incident, MergeInput, UnmergeInput } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import './incidents.errors.ts';
import * as repo from './incidents.repository.ts';
import { committed, type IncidentDeps, incidentVisibility, load, toIncidentDto } from './incidents.service.ts';

/** One line on an incident's log with its live event (the audit row is the merge's own). */
async function logFact(
  deps: IncidentDeps,
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  row: repo.IncidentRow,
  kind: 'merged' | 'unmerged' | 'merged_into' | 'merge_undone',
  data: { kind: string; number: string; incidentId: string },
): Promise<void> {
  const id = deps.ids.next();
  const text = describeLogEntry(kind, data, 'zh') ?? kind;
  await repo.insertLog(trx, {
    id,
    incidentId: row.id,
    at: now,
    kind,
    text,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    data,
  });
  await emitEvent(trx, now, {
    type: 'incident.log_added',
    entity: 'incident',
    entityId: row.id,
    payload: { incidentId: row.id, id, kind, text, data, at: now.toISOString(), actor: ctx.actor.name },
    visibility: incidentVisibility(row),
  });
}

async function writeChange(
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  id: string,
  action: 'incident.merged' | 'incident.unmerged',
  before: unknown,
  after: unknown,
): Promise<Incident> {
  const row = (await repo.findIncident(trx, id))!;
  await recordAudit(trx, ctx, now, { action, entity: 'incident', entityId: id, before, after });
  await emitEvent(trx, now, {
    type: 'incident.updated',
    entity: 'incident',
    entityId: id,
    payload: toIncidentDto(row, null),
    visibility: incidentVisibility(row),
  });
  return toIncidentDto(row, ctx);
}

/** `id` is the duplicate; it is merged into `intoId`. Both must be in the caller's scope. */
export async function mergeIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  input: MergeInput,
): Promise<Incident> {
  requirePermission(ctx.actor, 'incidents.merge');
  checkInput(MergeInput, input);
  if (input.intoId === id) throw new AppError('MERGE_INTO_ITSELF', { field: 'intoId' });
  const now = deps.clock.now();
  const dto = await deps.db.transaction(async (trx) => {
    const dup = await load(trx, ctx, id, true);
    const into = await repo.findIncident(trx, input.intoId, true);
    if (!into) throw new AppError('NOT_FOUND', { entity: 'incident', field: 'intoId' });
    requireInScope(ctx.actor, { district: into.district_code, unit: into.created_by_unit }, 'intoId');
    if (input.version !== undefined && input.version !== dup.version) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: dup.version });
    }
    if (dup.merged_into) {
      throw new AppError('ALREADY_MERGED', { field: 'id', number: dup.number, into: dup.merged_into_number ?? '' });
    }
    if (into.merged_into) {
      throw new AppError('MERGE_TARGET_MERGED', {
        field: 'intoId',
        number: into.number,
        into: into.merged_into_number ?? '',
      });
    }
    if (dup.status === 'closed') throw new AppError('INCIDENT_CLOSED', { field: 'status' });
    if (!(await repo.setMergedInto(trx, id, dup.version, { into: into.id, by: ctx.actor.name }, now))) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: dup.version + 1 });
    }
    await logFact(deps, trx, ctx, now, dup, 'merged_into', {
      kind: 'merged_into',
      number: into.number,
      incidentId: into.id,
    });
    // the survivor's log: the same fact other modules write through recordFact, here in the merge's transaction
    await logFact(deps, trx, ctx, now, into, 'merged', { kind: 'merged', number: dup.number, incidentId: dup.id });
    return writeChange(
      trx,
      ctx,
      now,
      id,
      'incident.merged',
      { mergedInto: null },
      { mergedInto: into.id, intoNumber: into.number, number: dup.number },
    );
  });
  committed(deps);
  return dto;
}

/** Undoes a merge: the duplicate is a separate incident again, as it was. */
export async function unmergeIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  input: UnmergeInput = {},
): Promise<Incident> {
  requirePermission(ctx.actor, 'incidents.merge');
  checkInput(UnmergeInput, input);
  const now = deps.clock.now();
  const dto = await deps.db.transaction(async (trx) => {
    const dup = await load(trx, ctx, id, true);
    if (input.version !== undefined && input.version !== dup.version) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: dup.version });
    }
    if (!dup.merged_into) throw new AppError('NOT_MERGED', { field: 'id', number: dup.number });
    const into = (await repo.findIncident(trx, dup.merged_into, true))!;
    if (!(await repo.setMergedInto(trx, id, dup.version, null, now))) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: dup.version + 1 });
    }
    await logFact(deps, trx, ctx, now, dup, 'merge_undone', {
      kind: 'merge_undone',
      number: into.number,
      incidentId: into.id,
    });
    await logFact(deps, trx, ctx, now, into, 'unmerged', { kind: 'unmerged', number: dup.number, incidentId: dup.id });
    return writeChange(
      trx,
      ctx,
      now,
      id,
      'incident.unmerged',
      { mergedInto: into.id, intoNumber: into.number },
      { mergedInto: null, number: dup.number },
    );
  });
  committed(deps);
  return dto;
}
