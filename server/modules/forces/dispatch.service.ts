/**
 * Dispatch (issue 12 part 5): the teams nearest an incident by road, orders sending them, arrival and release, and
 * the positions teams report.
 *
 * Nearest teams: every team of the city in the statuses asked (dispatchable by default) whatever the asker's scope —
 * dispatch is the commander's, as the analyses count every team — ranked by the road travel time to the incident
 * with the emergency profile and the closures in force, in ONE backward search from the incident (the road engine's
 * `manyToOne`, stopped once the `limit` fastest are known). A team starts from its last reported position when that
 * is fresh (POSITION_FRESH_MINUTES), else from its base. Where the team or the incident is off the road network (or
 * no network is loaded), the time is a straight-line estimate: the line × ESTIMATE_DETOUR_FACTOR at
 * ESTIMATE_SPEED_KMH, marked `estimated`.
 *
 * A dispatch records the order (route and ETA as computed when sent), sets the team `deployed` through the status
 * machinery (history, audit, `team.status`), emits `team.dispatched` and writes `team_dispatched` on the incident's
 * log. One open order per team (a unique index backs the check). Arrival keeps the team deployed; release makes it
 * available again.
 *
 * Positions are telemetry, like device readings: kept (the latest on the team, a week of history), streamed as
 * `team.position`, not written to the audit log one by one (a unit reporting every few seconds would bury it).
 */
import {
  type Dispatch,
  DispatchAction,
  DispatchInput,
  ESTIMATE_DETOUR_FACTOR,
  ESTIMATE_SPEED_KMH,
  type NearestTeam,
  NearestTeamsQuery,
  type NearestTeamsReply,
  POSITION_FRESH_MINUTES,
  POSITION_FUTURE_SECONDS,
  POSITION_MAX_AGE_HOURS,
  PositionInput,
  type PositionReply,
  type TeamPositionEvent,
} from '../../../contracts/dispatch.ts';
import { DISPATCHABLE, TEAM_STATUS_INFO, type TeamStatus, type TeamType } from '../../../contracts/forces.ts';
import type { Incident } from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import type { LonLat, RoadEngine } from '../../geo/index.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { AnalysesDeps } from './analyses.service.ts';
import * as repo from './dispatch.repository.ts';
import * as forcesRepo from './forces.repository.ts';
import { certificateDays, TEAM_ENTITY, teamVisibility, writeStatus } from './forces.service.ts';
import './forces.errors.ts';

export interface DispatchDeps extends AnalysesDeps {
  incidents(): IncidentsApi;
}

const DISPATCH_ENTITY = { zh: '调派令', en: 'dispatch order' };
const PROFILE = 'emergency';

/** metres along the great circle (haversine) */
export function straightMeters(a: LonLat, b: LonLat): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** the straight-line estimate: the line × the detour factor at the stated speed */
export function estimate(a: LonLat, b: LonLat): { seconds: number; meters: number } {
  const meters = straightMeters(a, b) * ESTIMATE_DETOUR_FACTOR;
  return {
    meters: Math.round(meters * 100) / 100,
    seconds: Math.round((meters / (ESTIMATE_SPEED_KMH / 3.6)) * 1000) / 1000,
  };
}

/** where a team starts from: its fresh reported position, else its base */
function originOf(r: repo.CandidateRow, now: Date): { at: LonLat; from: 'base' | 'position' } {
  const fresh =
    r.position_at !== null &&
    r.pos_lng !== null &&
    r.pos_lat !== null &&
    now.getTime() - r.position_at.getTime() <= POSITION_FRESH_MINUTES * 60_000;
  return fresh
    ? { at: [r.pos_lng as number, r.pos_lat as number], from: 'position' }
    : { at: [r.lng, r.lat], from: 'base' };
}

async function incidentPoint(deps: DispatchDeps, ctx: RequestCtx, id: string): Promise<{ inc: Incident; at: LonLat }> {
  const inc = await deps.incidents().getIncident(ctx, id);
  const c = inc.location?.coordinates;
  if (!c) throw new AppError('INCIDENT_NO_LOCATION', { field: 'id' });
  return { inc, at: [c[0], c[1]] };
}

/** the current engine and closures, or none (no network loaded: everything is estimated) */
async function roads(deps: DispatchDeps): Promise<{ engine: RoadEngine; closed: Uint8Array | undefined } | null> {
  let engine: RoadEngine;
  try {
    engine = deps.geo().engine();
  } catch (err) {
    if (err instanceof AppError && err.code === 'NO_ROAD_NETWORK') return null;
    throw err;
  }
  return { engine, closed: await deps.geo().closedNow() };
}

export async function nearestTeams(
  deps: DispatchDeps,
  ctx: RequestCtx,
  incidentId: string,
  q: NearestTeamsQuery,
): Promise<NearestTeamsReply> {
  requirePermission(ctx.actor, 'forces.dispatch');
  checkInput(NearestTeamsQuery, q);
  const limit = q.limit ?? 20;
  const { at: target } = await incidentPoint(deps, ctx, incidentId);
  const rows = await repo.candidates(deps.db.kysely, q.status ?? DISPATCHABLE, q.type);
  const now = deps.clock.now();
  const origins = rows.map((r) => originOf(r, now));
  const net = await roads(deps);
  let seconds: (number | null)[] = rows.map(() => null);
  let meters: (number | null)[] = rows.map(() => null);
  let estimated = rows.map(() => true);
  let incidentOffNetwork = net === null;
  // false: the search stopped at the nearest `limit`; teams it left unanswered are farther and not listed
  let complete = true;
  if (net && rows.length > 0) {
    try {
      const r = net.engine.manyToOne(
        origins.map((o) => o.at),
        target,
        { profile: PROFILE, closed: net.closed, nearest: limit },
      );
      seconds = r.seconds;
      meters = r.meters;
      estimated = r.offNetwork;
      complete = r.complete;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'OFF_NETWORK')) throw err;
      incidentOffNetwork = true;
    }
  }
  const items: (NearestTeam & { rank: number })[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let eta = seconds[i];
    let m = meters[i];
    if (estimated[i] || incidentOffNetwork) {
      const e = estimate(origins[i].at, target);
      eta = e.seconds;
      m = e.meters;
    } else if (eta === null && !complete) continue;
    items.push({
      id: r.id,
      name: r.name,
      type: r.type as TeamType,
      status: r.status as TeamStatus,
      etaSeconds: eta,
      meters: m,
      estimated: estimated[i] || incidentOffNetwork,
      from: origins[i].from,
      location: { type: 'Point', coordinates: origins[i].at },
      positionAt: origins[i].from === 'position' ? (r.position_at as Date).toISOString() : null,
      rank: eta ?? Number.POSITIVE_INFINITY,
    });
  }
  items.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const info = net?.engine.info;
  return {
    items: items.slice(0, limit).map(({ rank: _r, ...it }) => it),
    total: rows.length,
    incidentOffNetwork,
    network: info ? { name: info.name, synthetic: info.synthetic } : null,
    closures: !!net?.closed?.some((c) => c !== 0),
    estimate: { detourFactor: ESTIMATE_DETOUR_FACTOR, speedKmh: ESTIMATE_SPEED_KMH },
  };
}

function toDispatch(r: repo.DispatchRow): Dispatch {
  const expected = r.eta_seconds === null ? null : new Date(r.dispatched_at.getTime() + r.eta_seconds * 1000);
  return {
    id: r.id,
    incidentId: r.incident_id,
    team: { id: r.team_id, name: r.team_name, type: r.team_type as TeamType },
    state: r.released_at ? 'released' : r.arrived_at ? 'arrived' : 'en_route',
    note: r.note,
    route: r.route as Dispatch['route'],
    etaSeconds: r.eta_seconds,
    meters: r.meters,
    estimated: r.estimated,
    from: r.from_kind === 'position' ? 'position' : 'base',
    dispatchedAt: r.dispatched_at.toISOString(),
    dispatchedBy: r.dispatched_by ? { id: r.dispatched_by, displayName: r.dispatched_by_name ?? '' } : null,
    expectedAt: expected ? expected.toISOString() : null,
    arrivedAt: r.arrived_at ? r.arrived_at.toISOString() : null,
    releasedAt: r.released_at ? r.released_at.toISOString() : null,
    releaseNote: r.release_note,
  };
}

/** The route from the team to the incident as it is now: by road when both are on the network, else a straight line. */
async function routeOf(
  deps: DispatchDeps,
  from: LonLat,
  to: LonLat,
): Promise<{ route: Dispatch['route']; seconds: number | null; meters: number | null; estimated: boolean }> {
  const net = await roads(deps);
  if (net) {
    try {
      const r = net.engine.route(from, to, { profile: PROFILE, closed: net.closed });
      if (r) return { route: r.geometry, seconds: r.seconds, meters: r.meters, estimated: false };
      // on the network but cut off (closures, one-ways): no road time to promise
      return { route: { type: 'LineString', coordinates: [from, to] }, seconds: null, meters: null, estimated: false };
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'OFF_NETWORK')) throw err;
    }
  }
  const e = estimate(from, to);
  return {
    route: { type: 'LineString', coordinates: [from, to] },
    seconds: e.seconds,
    meters: e.meters,
    estimated: true,
  };
}

async function readDispatch(deps: DispatchDeps, id: string): Promise<repo.DispatchRow> {
  const d = await repo.findDispatch(deps.db.kysely, id);
  if (!d) throw new AppError('NOT_FOUND', { field: 'id', entity: DISPATCH_ENTITY });
  return d;
}

export async function listDispatches(
  deps: DispatchDeps,
  ctx: RequestCtx,
  incidentId: string,
): Promise<{ items: Dispatch[]; total: number }> {
  requirePermission(ctx.actor, 'forces.read');
  await deps.incidents().getIncident(ctx, incidentId);
  const rows = await repo.listDispatches(deps.db.kysely, incidentId);
  return { items: rows.map(toDispatch), total: rows.length };
}

export async function getDispatch(deps: DispatchDeps, ctx: RequestCtx, id: string): Promise<Dispatch> {
  requirePermission(ctx.actor, 'forces.read');
  const d = await readDispatch(deps, id);
  await deps.incidents().getIncident(ctx, d.incident_id);
  return toDispatch(d);
}

/** the number of the incident a team is already sent to (read as the system: the caller may not see it) */
async function incidentNumber(deps: DispatchDeps, id: string): Promise<string> {
  try {
    return (await deps.incidents().getIncident(systemCtx(), id)).number;
  } catch {
    return id;
  }
}

export async function dispatchTeam(
  deps: DispatchDeps,
  ctx: RequestCtx,
  incidentId: string,
  input: DispatchInput,
): Promise<Dispatch> {
  requirePermission(ctx.actor, 'forces.dispatch');
  checkInput(DispatchInput, input);
  const { inc, at: target } = await incidentPoint(deps, ctx, incidentId);
  if (inc.status === 'closed') throw new AppError('INCIDENT_CLOSED', { field: 'id' });
  const db = deps.db.kysely;
  const team = await forcesRepo.findTeam(db, input.teamId, certificateDays(deps.clock.now()));
  const cand = team ? await repo.findCandidate(db, input.teamId) : undefined;
  if (!team || !cand) throw new AppError('NOT_FOUND', { field: 'teamId', entity: TEAM_ENTITY });
  const open = await repo.openDispatchOf(db, team.id);
  if (open)
    throw new AppError('TEAM_ALREADY_DISPATCHED', {
      field: 'teamId',
      value: await incidentNumber(deps, open.incident_id),
    });
  if (!TEAM_STATUS_INFO[team.status as TeamStatus]?.dispatchable)
    throw new AppError('TEAM_NOT_DISPATCHABLE', { field: 'teamId', value: team.status });
  const now = deps.clock.now();
  const origin = originOf(cand, now);
  const route = await routeOf(deps, origin.at, target);
  const id = deps.ids.next();
  const note = input.note?.trim() ?? '';
  await deps.db.transaction(async (trx) => {
    // the team's row locked: two dispatchers sending it at once queue here, the second sees the first's order
    const locked = await repo.lockTeam(trx, team.id);
    if (!locked) throw new AppError('NOT_FOUND', { field: 'teamId', entity: TEAM_ENTITY });
    const other = await repo.openDispatchOf(trx, team.id);
    if (other) throw new AppError('TEAM_ALREADY_DISPATCHED', { field: 'teamId', value: other.incident_id });
    if (!TEAM_STATUS_INFO[locked.status as TeamStatus]?.dispatchable)
      throw new AppError('TEAM_NOT_DISPATCHABLE', { field: 'teamId', value: locked.status });
    await repo.insertDispatch(trx, {
      id,
      incidentId,
      teamId: team.id,
      note,
      route: route.route,
      etaSeconds: route.seconds,
      meters: route.meters,
      estimated: route.estimated,
      from: origin.from,
      by: ctx.actor.id,
      at: now,
    });
    await writeStatus(deps, trx, ctx, team, 'deployed', `${inc.number}${note ? ` ${note}` : ''}`, now);
    await recordAudit(trx, ctx, now, {
      action: 'team.dispatched',
      entity: 'team',
      entityId: team.id,
      after: { dispatch: id, incident: incidentId, etaSeconds: route.seconds, estimated: route.estimated, note },
    });
    await emitEvent(trx, now, {
      type: 'team.dispatched',
      entity: 'team',
      entityId: team.id,
      payload: { dispatchId: id, teamId: team.id, incidentId, etaSeconds: route.seconds },
      visibility: teamVisibility(team),
    });
  });
  deps.afterCommit();
  await deps.incidents().recordFact(ctx, incidentId, {
    kind: 'team_dispatched',
    teamName: team.name,
    etaSeconds: route.seconds,
  });
  return toDispatch(await readDispatch(deps, id));
}

/** who may report arrival and release: the dispatchers, or the team's own people (status in its scope) */
async function mayAct(deps: DispatchDeps, ctx: RequestCtx, d: repo.DispatchRow) {
  const team = await forcesRepo.findTeam(deps.db.kysely, d.team_id, certificateDays(deps.clock.now()));
  if (!team) throw new AppError('NOT_FOUND', { field: 'id', entity: TEAM_ENTITY });
  if (!can(ctx.actor, 'forces.dispatch')) {
    requirePermission(ctx.actor, 'forces.status');
    requireInScope(ctx.actor, teamVisibility(team), 'id');
  }
  return team;
}

export function arrive(deps: DispatchDeps, ctx: RequestCtx, id: string, body: DispatchAction = {}): Promise<Dispatch> {
  return dispatchStep(deps, ctx, id, 'arrived', body);
}

export function release(deps: DispatchDeps, ctx: RequestCtx, id: string, body: DispatchAction = {}): Promise<Dispatch> {
  return dispatchStep(deps, ctx, id, 'released', body);
}

/**
 * Arrival or release of a dispatched team: the order marked once (a repeat is 409), a release makes the team
 * available again through the status machinery; audited, `team.arrived`/`team.released`, and the fact on the
 * incident's log.
 */
async function dispatchStep(
  deps: DispatchDeps,
  ctx: RequestCtx,
  id: string,
  step: 'arrived' | 'released',
  body: DispatchAction,
): Promise<Dispatch> {
  checkInput(DispatchAction, body);
  const d = await readDispatch(deps, id);
  const team = await mayAct(deps, ctx, d);
  if (d.released_at) throw new AppError('DISPATCH_RELEASED', { field: 'id' });
  if (step === 'arrived' && d.arrived_at) throw new AppError('DISPATCH_ARRIVED', { field: 'id' });
  const now = deps.clock.now();
  const note = body.note?.trim() ?? '';
  const type = step === 'arrived' ? 'team.arrived' : 'team.released';
  await deps.db.transaction(async (trx) => {
    if (step === 'arrived') {
      if (!(await repo.markArrived(trx, id, ctx.actor.id, now)))
        throw new AppError('DISPATCH_ARRIVED', { field: 'id' });
    } else {
      if (!(await repo.markReleased(trx, id, ctx.actor.id, note, now)))
        throw new AppError('DISPATCH_RELEASED', { field: 'id' });
      await writeStatus(deps, trx, ctx, team, 'available', note, now);
    }
    await recordAudit(trx, ctx, now, {
      action: type,
      entity: 'team',
      entityId: team.id,
      after: { dispatch: id, incident: d.incident_id, note },
    });
    await emitEvent(trx, now, {
      type,
      entity: 'team',
      entityId: team.id,
      payload: { dispatchId: id, teamId: team.id, incidentId: d.incident_id },
      visibility: teamVisibility(team),
    });
  });
  deps.afterCommit();
  await deps
    .incidents()
    .recordFact(
      withCityScope(ctx),
      d.incident_id,
      { kind: step === 'arrived' ? 'team_arrived' : 'team_released', teamName: team.name },
      { allowClosed: true },
    );
  return toDispatch(await readDispatch(deps, id));
}

/**
 * The incident's log is written as the acting user, but a team's own reporter may not see the incident (another
 * district's): the fact is the team's, so it is written with the city's scope under the same name.
 */
function withCityScope(ctx: RequestCtx): RequestCtx {
  return { ...ctx, actor: { ...ctx.actor, scope: 'city' } };
}

export async function reportPosition(
  deps: DispatchDeps,
  ctx: RequestCtx,
  teamId: string,
  input: PositionInput,
  via: 'http' | 'mqtt' = 'http',
): Promise<PositionReply> {
  requirePermission(ctx.actor, 'forces.status');
  checkInput(PositionInput, input);
  const team = await forcesRepo.findTeam(deps.db.kysely, teamId, certificateDays(deps.clock.now()));
  if (!team) throw new AppError('NOT_FOUND', { field: 'id', entity: TEAM_ENTITY });
  requireInScope(ctx.actor, teamVisibility(team), 'id');
  const [lng, lat] = input.location.coordinates as [number, number];
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('VALIDATION', { field: 'location.coordinates', reason: '[longitude, latitude] in degrees' });
  const now = deps.clock.now();
  const ts = new Date(input.ts);
  if (Number.isNaN(ts.getTime())) throw new AppError('VALIDATION', { field: 'ts', reason: 'an ISO 8601 time' });
  if (ts.getTime() > now.getTime() + POSITION_FUTURE_SECONDS * 1000)
    throw new AppError('POSITION_IN_FUTURE', { field: 'ts', value: POSITION_FUTURE_SECONDS });
  if (ts.getTime() < now.getTime() - POSITION_MAX_AGE_HOURS * 3_600_000)
    throw new AppError('POSITION_TOO_OLD', { field: 'ts', value: POSITION_MAX_AGE_HOURS });
  const latest = await deps.db.transaction(async (trx) => {
    const newest = await repo.insertPosition(trx, {
      id: deps.ids.next(),
      teamId,
      ts,
      lng,
      lat,
      at: now,
      by: ctx.actor.id,
      via,
    });
    if (newest) {
      const payload: TeamPositionEvent = { teamId, ts: ts.toISOString(), lng, lat };
      await emitEvent(trx, now, {
        type: 'team.position',
        entity: 'team',
        entityId: teamId,
        payload,
        visibility: teamVisibility(team),
      });
    }
    return newest;
  });
  deps.afterCommit();
  return { accepted: true, latest };
}

export async function prunePositions(deps: DispatchDeps, retentionDays: number): Promise<number> {
  return repo.prunePositions(deps.db.kysely, new Date(deps.clock.now().getTime() - retentionDays * 86_400_000));
}
