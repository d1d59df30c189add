/**
 * Road closures: stretches of road closed from a start time until someone clears them. Routing avoids the
 * segments of every closure that has started and is not cleared, at the moment of each query, without a rebuild.
 * A closure past its expected end stays closed ("overdue") until cleared: a duty officer confirms the road is open.
 *
 * Closures live in the one data scope (`platform/access/scope.ts`): a closure belongs to the district its stretch
 * lies in (most) and to the unit that registered it. A district user lists, reads and clears only closures in their
 * scope. Routing avoids every closure for everyone, and the map layer and live events show every closed line and its
 * state to everyone (a driver must know a road is shut, wherever it lies), but the cause, the incident and the
 * creator only to those whose scope holds the closure: those are the other district's records.
 */
import '../geo.errors.ts';
import type { Closure, ClosureFeatureProps, ClosureInput, ClosureState } from '../../../contracts/geo.ts';
import { AppError } from '../../errors.ts';
import { inScope, requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { EntityRegistry } from '../../platform/entities.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { parseTime } from '../../platform/time.ts';
import type { RoadNetworks } from '../network.service.ts';
import type { RoadEngine } from '../road/engine.ts';
import type { LonLat } from '../road/network.ts';
import * as repo from './closures.repository.ts';

export interface ClosureDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  networks: RoadNetworks;
  /** other modules' records a closure names (its incident) */
  entities: EntityRegistry;
  afterCommit?: () => void;
}

/** How close (m) a drawn line must run to a road for the road to count as drawn along. */
export const ALONG_TOLERANCE_M = 25;

type OpenClosure = { id: string; segs: number[]; startsAt: number; networkId: string | null };

function stateOf(
  r: { cleared_at: Date | null; starts_at: Date; expected_end_at: Date | null },
  now: Date,
): ClosureState {
  if (r.cleared_at) return 'cleared';
  if (r.starts_at.getTime() > now.getTime()) return 'scheduled';
  if (r.expected_end_at && r.expected_end_at.getTime() <= now.getTime()) return 'overdue';
  return 'active';
}

function toDto(r: repo.ClosureRow, now: Date): Closure {
  return {
    id: r.id,
    number: r.number,
    cause: r.cause,
    state: stateOf(r, now),
    roadIds: r.segs,
    roadNames: r.road_names,
    geometry: JSON.parse(r.geojson),
    startsAt: r.starts_at.toISOString(),
    expectedEndAt: r.expected_end_at?.toISOString() ?? null,
    clearedAt: r.cleared_at?.toISOString() ?? null,
    clearedBy: r.cleared_by,
    incidentId: r.incident_id,
    district: r.district_code ? { code: r.district_code, name: r.district_name ?? r.district_code } : null,
    createdBy: r.created_by,
    createdByUnit: r.created_by_unit,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}

const ownerOf = (c: Pick<Closure, 'district' | 'createdByUnit'>) => ({
  district: c.district?.code ?? null,
  unit: c.createdByUnit,
});

/**
 * What anyone may know of a closure outside their scope: the closed line and its state, the time it holds, the
 * roads and the district. Not its record (id, number), cause, incident or creator.
 */
export function publicView(c: Closure) {
  return {
    inScope: false as const,
    state: c.state,
    roadIds: c.roadIds,
    roadNames: c.roadNames,
    geometry: c.geometry,
    startsAt: c.startsAt,
    expectedEndAt: c.expectedEndAt,
    clearedAt: c.clearedAt,
    district: c.district,
  };
}

/** The stream's mask of a closure event (its payload is the closure) for a viewer outside the closure's scope. */
export function redactClosure(value: unknown, ctx: RequestCtx): unknown {
  const c = value as Closure | null;
  if (!c || typeof c !== 'object' || !('state' in c)) return value;
  return inScope(ctx.actor, ownerOf(c)) ? { ...c, inScope: true } : publicView(c);
}

/**
 * The closures routing must honour, kept in memory: loaded once, reloaded after a local change, another
 * instance's closure event, or a network swap. `closedNow()` builds the segment mask for the current moment.
 */
export class ClosureIndex {
  #open: OpenClosure[] | null = null;
  #loading: Promise<OpenClosure[]> | null = null;
  #mask: { key: string; mask: Uint8Array | undefined } | null = null;

  constructor(private readonly deps: ClosureDeps) {}

  #generation = 0;

  invalidate(): void {
    this.#generation++;
    this.#open = null;
    this.#loading = null;
    this.#mask = null;
  }

  async #load(): Promise<OpenClosure[]> {
    if (this.#open) return this.#open;
    const generation = this.#generation;
    this.#loading ??= repo.openClosures(this.deps.db.kysely).then((rows) => {
      const open = rows.map((r) => ({
        id: r.id,
        segs: r.segs,
        startsAt: r.starts_at.getTime(),
        networkId: r.network_id,
      }));
      // a change while this read was under way: keep the answer for this query, not for the next ones
      if (generation === this.#generation) this.#open = open;
      return open;
    });
    return this.#loading;
  }

  /** Segments closed at this moment on the current network, or undefined when none. */
  async closedNow(): Promise<Uint8Array | undefined> {
    const cur = this.deps.networks.current();
    if (!cur) return undefined;
    const now = this.deps.clock.now().getTime();
    const started = (await this.#load()).filter((c) => c.startsAt <= now && c.networkId === cur.id);
    if (!started.length) return undefined;
    const key = `${cur.id}|${started.map((c) => c.id).join(',')}`;
    if (this.#mask?.key === key) return this.#mask.mask;
    const mask = new Uint8Array(cur.info.segmentCount);
    for (const c of started) for (const s of c.segs) if (s < mask.length) mask[s] = 1;
    this.#mask = { key, mask };
    return mask;
  }
}

function segsFor(engine: RoadEngine, input: ClosureInput): number[] {
  if (input.roadIds?.length) {
    const n = engine.info.segmentCount;
    input.roadIds.forEach((id, i) => {
      if (id >= n) throw new AppError('VALIDATION', { field: `roadIds.${i}`, reason: `no road ${id} in the network` });
    });
    return [...new Set(input.roadIds)].sort((a, b) => a - b);
  }
  if (input.geometry) {
    const line = input.geometry.coordinates as LonLat[];
    if (line.length < 2)
      throw new AppError('VALIDATION', { field: 'geometry.coordinates', reason: 'at least 2 points' });
    const segs = engine.segmentsAlong(line, ALONG_TOLERANCE_M);
    if (!segs.length) {
      throw new AppError('VALIDATION', {
        field: 'geometry',
        reason: `no road runs along the drawn line (within ${ALONG_TOLERANCE_M} m)`,
      });
    }
    return [...new Set(segs)].sort((a, b) => a - b);
  }
  throw new AppError('VALIDATION', { field: 'roadIds', reason: 'give roadIds or a geometry drawn along the road' });
}

export async function createClosure(
  deps: ClosureDeps,
  index: ClosureIndex,
  ctx: RequestCtx,
  input: ClosureInput,
): Promise<Closure> {
  requirePermission(ctx.actor, 'closures.manage');
  const cause = input.cause.trim();
  if (!cause) throw new AppError('VALIDATION', { field: 'cause', reason: 'required' });
  const now = deps.clock.now();
  const startsAt = input.startsAt ? parseTime(input.startsAt, 'startsAt') : now;
  const expectedEndAt = input.expectedEndAt ? parseTime(input.expectedEndAt, 'expectedEndAt') : null;
  if (expectedEndAt && expectedEndAt.getTime() <= startsAt.getTime()) {
    throw new AppError('VALIDATION', { field: 'expectedEndAt', reason: 'must be after the start' });
  }
  // the incident must exist and be one the user may see: naming it must not reveal or link another district's
  if (input.incidentId) await deps.entities.requireVisible(ctx, 'incident', input.incidentId, 'incidentId');
  const cur = deps.networks.current();
  if (!cur) throw new AppError('NO_ROAD_NETWORK');
  const segs = segsFor(deps.networks.engine(), input);
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const number = await nextNumber(trx, 'FB', startsAt);
    await repo.insertClosure(trx, {
      id,
      number,
      cause,
      networkId: cur.id,
      segs,
      startsAt,
      expectedEndAt,
      incidentId: input.incidentId ?? null,
      by: ctx.actor.name,
      byUnit: ctx.actor.unitCode,
      now,
    });
    const row = await repo.findClosure(trx, id);
    const dto = toDto(row!, now);
    await recordAudit(trx, ctx, now, {
      action: 'closure.created',
      entity: 'closure',
      entityId: id,
      after: {
        number,
        cause,
        roadIds: segs,
        startsAt,
        expectedEndAt,
        incidentId: dto.incidentId,
        district: dto.district?.code ?? null,
      },
    });
    await emitEvent(trx, now, {
      type: 'closure.created',
      entity: 'closure',
      entityId: id,
      payload: dto,
      visibility: { permission: 'geo.read' },
    });
  });
  index.invalidate();
  deps.afterCommit?.();
  return getClosure(deps, ctx, id);
}

/** One closure; 403 OUT_OF_SCOPE outside the user's data scope. */
export async function getClosure(deps: ClosureDeps, ctx: RequestCtx, id: string): Promise<Closure> {
  requirePermission(ctx.actor, 'geo.read');
  const r = await repo.findClosure(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { entity: `closure ${id}` });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.created_by_unit });
  return toDto(r, deps.clock.now());
}

export async function clearClosure(
  deps: ClosureDeps,
  index: ClosureIndex,
  ctx: RequestCtx,
  id: string,
  version?: number,
): Promise<Closure> {
  requirePermission(ctx.actor, 'closures.manage');
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const r = await repo.findClosure(trx, id, true);
    if (!r) throw new AppError('NOT_FOUND', { entity: `closure ${id}` });
    requireInScope(ctx.actor, { district: r.district_code, unit: r.created_by_unit });
    if (version !== undefined && version !== r.version) throw new AppError('VERSION_CONFLICT', { current: r.version });
    if (r.cleared_at) return;
    await repo.clearClosure(trx, id, ctx.actor.name, now);
    await recordAudit(trx, ctx, now, {
      action: 'closure.cleared',
      entity: 'closure',
      entityId: id,
      before: { number: r.number, clearedAt: null },
      after: { clearedAt: now },
    });
    await emitEvent(trx, now, {
      type: 'closure.cleared',
      entity: 'closure',
      entityId: id,
      payload: toDto({ ...r, cleared_at: now, cleared_by: ctx.actor.name, version: r.version + 1 }, now),
      visibility: { permission: 'geo.read' },
    });
  });
  index.invalidate();
  deps.afterCommit?.();
  return getClosure(deps, ctx, id);
}

/** Closures in the user's data scope, newest first. `open`: scheduled, active and overdue. */
export async function listClosures(
  deps: ClosureDeps,
  ctx: RequestCtx,
  q: { state?: ClosureState | 'open' | 'all'; limit?: number; offset?: number },
): Promise<{ items: Closure[]; total: number }> {
  requirePermission(ctx.actor, 'geo.read');
  return listOf(deps, ctx.actor, q);
}

async function listOf(
  deps: ClosureDeps,
  actor: RequestCtx['actor'] | null,
  q: { state?: ClosureState | 'open' | 'all'; limit?: number; offset?: number },
): Promise<{ items: Closure[]; total: number }> {
  const now = deps.clock.now();
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const state = q.state ?? 'open';
  if (state === 'all' || state === 'open' || state === 'cleared') {
    const [rows, total] = await Promise.all([
      repo.listClosures(deps.db.kysely, state, actor, limit, offset),
      repo.countClosures(deps.db.kysely, state, actor),
    ]);
    return { items: rows.map((r) => toDto(r, now)), total };
  }
  // scheduled / active / overdue depend on the clock: filter the open ones (there are few).
  const open = (await repo.listClosures(deps.db.kysely, 'open', actor, MAX_OPEN, 0))
    .map((r) => toDto(r, now))
    .filter((c) => c.state === state);
  return { items: open.slice(offset, offset + limit), total: open.length };
}

/** More open closures than a city ever has at once; the map layer draws up to this many. */
const MAX_OPEN = 10_000;

/**
 * Every open closure (scheduled, active, overdue) as a FeatureCollection for the map layer: the line and state of
 * each, and the details (cause, incident, creator, record) of those in the user's scope.
 */
export async function closuresGeoJson(deps: ClosureDeps, ctx: RequestCtx) {
  requirePermission(ctx.actor, 'geo.read');
  const { items } = await listOf(deps, null, { state: 'open', limit: MAX_OPEN });
  return {
    type: 'FeatureCollection' as const,
    features: items.map((c) => {
      const common = {
        state: c.state,
        startsAt: c.startsAt,
        expectedEndAt: c.expectedEndAt,
        roadNames: c.roadNames.join('、'),
        district: c.district,
      };
      const properties: ClosureFeatureProps = inScope(ctx.actor, ownerOf(c))
        ? {
            id: c.id,
            number: c.number,
            cause: c.cause,
            incidentId: c.incidentId,
            createdBy: c.createdBy,
            inScope: true,
            ...common,
          }
        : { inScope: false, ...common };
      // a feature id (the map's hover and click state) only where the record is the user's to open
      return { type: 'Feature' as const, ...(properties.id ? { id: c.id } : {}), geometry: c.geometry, properties };
    }),
  };
}

/** After a network swap: each open closure is found again on the new network along its stored geometry. */
export async function reResolveClosures(trx: Tx, engine: RoadEngine, networkId: string): Promise<void> {
  for (const c of await repo.openClosures(trx)) {
    const g = JSON.parse(c.geojson) as { coordinates: LonLat[][] };
    const segs = new Set<number>();
    for (const line of g.coordinates) for (const s of engine.segmentsAlong(line, ALONG_TOLERANCE_M)) segs.add(s);
    await repo.moveClosure(
      trx,
      c.id,
      networkId,
      [...segs].sort((a, b) => a - b),
    );
  }
}
