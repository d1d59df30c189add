/**
 * Relief plans (issue 13 part 5): who ships what from where so that the affected places get their relief by the
 * deadline. The needs are given, or counted from the relief norms × people × days; the supply is what the active
 * warehouses hold on the start day (part A's `supplyFor`: stock not expired, agreements' uncalled commitments with
 * their lead time); the travel times are the road engine's (emergency profile, the closures in force), asked through
 * the geo door in a worker thread. Each item is solved exactly (relief/mcf.ts): least unmet need first, then least
 * Σ quantity × arrival time. The nearest-warehouse-first greedy plan on the same input is answered beside it.
 *
 * No road network loaded: refused (NO_ROAD_NETWORK), not estimated — a plan promises arrivals against a deadline, and
 * straight lines would promise what the roads may not keep. Places off the network are answered as unreachable
 * (their need unmet); warehouses off the network ship nothing.
 *
 * A plan is kept (number JZ-…, request and answer whole, audit row and event in one transaction) unless `dryRun`.
 */
import { performance } from 'node:perf_hooks';
import {
  PLAN_ROUTES_MAX,
  type Plan,
  PlanQuery,
  PlanRequest,
  type PlanRoutes,
  type PlanSummary,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import type { LonLat } from '../../geo/index.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { siblingModule } from '../../platform/core/source-file.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { getNorms } from './norms.service.ts';
import * as repo from './plans.repository.ts';
import { answerRelief, type ReliefAnswer } from './relief/relief.worker.ts';
import type { ReliefInput, ReliefWarehouse } from './relief/relief-plan.ts';
import { supplyFor } from './stock.service.ts';
import './plans.errors.ts';

const PLAN_ENTITY = { zh: '调运方案', en: 'relief plan' };
/** warehouses × places one plan may compute (the matrix and the solver's arcs) */
export const PLAN_MAX_PAIRS = 1_000_000;
const PROFILE = 'emergency';
export const PLAN_METHOD = 'min-cost flow per item (network simplex), least unmet first';

/** plans up to this many warehouse × place pairs are solved in this thread; larger ones in a worker thread */
export const PLAN_IN_PROCESS_PAIRS = 20_000;
const RELIEF_WORKER = siblingModule(import.meta.url, './relief/relief.worker');

/**
 * The exact plan and the greedy one: in a worker thread under the caller's limit of heavy work (the travel matrix
 * is moved, not copied), or here when small or asked (`inThread`).
 */
export async function solveRelief(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  input: ReliefInput,
  o: { signal?: AbortSignal; inThread?: boolean } = {},
): Promise<ReliefAnswer> {
  const pairs = input.warehouses.length * input.places.length;
  if (o.inThread ?? pairs <= PLAN_IN_PROCESS_PAIRS) return answerRelief(input);
  const bytes = await deps.workers.run<Uint8Array>(ctx.actor, {
    entry: RELIEF_WORKER,
    task: input,
    transferList: [input.travelSeconds.buffer as ArrayBuffer],
    signal: o.signal,
  });
  return JSON.parse(new TextDecoder().decode(bytes)) as ReliefAnswer;
}

function planVisibility(district: string | null, unit: string) {
  return { permission: 'logistics.plan', district, unit };
}

interface Prepared {
  req: PlanRequest;
  startAt: Date;
  deadlineHours: number;
  warehouses: (repo.WarehouseRow & { loading: number; lead: number })[];
  needs: { placeId: string; itemCode: string; quantity: number }[];
}

/** The checks beyond the schema, each naming its field; the needs counted; the warehouses read. */
async function prepareRequest(deps: LogisticsDeps, input: PlanRequest): Promise<Prepared> {
  const places = new Map<string, number>();
  input.places.forEach((p, i) => {
    const [lng, lat] = p.location.coordinates;
    if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
      throw new AppError('COORDINATES_OUT_OF_RANGE', { field: `places.${i}.location` });
    if (places.has(p.id)) throw new AppError('PLAN_DUPLICATE_PLACE', { field: `places.${i}.id`, value: p.id });
    places.set(p.id, i);
  });
  const startAt = input.startAt ? new Date(input.startAt) : deps.clock.now();
  const deadlineHours = input.deadlineHours ?? 12;
  const days = input.days ?? 1;
  let needs: Prepared['needs'];
  if (input.needs) {
    needs = input.needs.map((n, k) => {
      if (!places.has(n.placeId))
        throw new AppError('PLAN_UNKNOWN_PLACE', { field: `needs.${k}.placeId`, value: n.placeId });
      return { placeId: n.placeId, itemCode: n.itemCode, quantity: n.quantity };
    });
  } else {
    const norms = await getNorms(deps);
    const only = input.itemCodes ? new Set(input.itemCodes) : null;
    const relief = norms.relief.filter((r) => !only || only.has(r.itemCode));
    needs = [];
    for (const p of input.places) {
      if (!p.people) continue;
      for (const r of relief) {
        const quantity = Math.ceil(r.perPersonPerDay * p.people * (r.once ? 1 : days) - 1e-9);
        if (quantity > 0) needs.push({ placeId: p.id, itemCode: r.itemCode, quantity });
      }
    }
  }
  if (needs.length === 0) {
    const items = input.itemCodes?.length ? `: ${input.itemCodes.join(', ')}` : '';
    throw new AppError('PLAN_NO_NEED', { field: input.needs ? 'needs' : 'places', items });
  }
  const rows = await repo.activeWarehouses(deps.db.kysely, input.warehouseIds);
  const byId = new Map(rows.map((w) => [w.id, w]));
  input.warehouseIds?.forEach((id, i) => {
    if (!byId.has(id)) throw new AppError('PLAN_UNKNOWN_WAREHOUSE', { field: `warehouseIds.${i}`, value: id });
  });
  const loading = input.loadingMinutes;
  if (loading !== undefined && typeof loading === 'object') {
    for (const id of Object.keys(loading))
      if (!byId.has(id)) throw new AppError('PLAN_UNKNOWN_WAREHOUSE', { field: `loadingMinutes.${id}`, value: id });
  }
  if (rows.length * input.places.length > PLAN_MAX_PAIRS) {
    throw new AppError('PLAN_TOO_LARGE', {
      field: input.warehouseIds ? 'warehouseIds' : 'places',
      warehouses: rows.length,
      places: input.places.length,
      max: PLAN_MAX_PAIRS,
    });
  }
  const warehouses = rows.map((w) => ({
    ...w,
    loading:
      typeof loading === 'number'
        ? loading
        : loading && loading[w.id] !== undefined
          ? loading[w.id]
          : w.loading_minutes,
    lead: agreementLead(w),
  }));
  return { req: input, startAt, deadlineHours, warehouses, needs };
}

/** an agreement or capacity reserve's lead time in hours (0 for stock held) */
function agreementLead(w: repo.WarehouseRow): number {
  if (w.reserve_type !== 'agreement' && w.reserve_type !== 'capacity') return 0;
  const a = (typeof w.agreement === 'string' ? JSON.parse(w.agreement) : w.agreement) as {
    leadTimeHours?: number;
  } | null;
  return Number(a?.leadTimeHours ?? 0) || 0;
}

/** POST /api/v1/logistics/plan */
export async function makePlan(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  input: PlanRequest,
  signal?: AbortSignal,
): Promise<Plan> {
  requirePermission(ctx.actor, 'logistics.plan');
  checkInput(PlanRequest, input);
  const pre = await prepareRequest(deps, input);
  const { startAt, deadlineHours, warehouses, needs } = pre;
  const itemCodes = [...new Set(needs.map((n) => n.itemCode))].sort();
  const supply = await supplyFor(deps, { warehouseIds: warehouses.map((w) => w.id), itemCodes, at: startAt });
  // the lead time the supply rows carry (agreements' uncalled commitments) wins over the warehouse's record
  const lead = new Map<string, number>();
  for (const s of supply)
    if (s.leadTimeHours > (lead.get(s.warehouseId) ?? 0)) lead.set(s.warehouseId, s.leadTimeHours);

  const t0 = performance.now();
  const travel = await deps.geo().matrix(
    ctx,
    {
      sources: warehouses.map((w) => [w.lng, w.lat] as LonLat),
      targets: input.places.map((p) => p.location.coordinates as LonLat),
      profile: PROFILE,
    },
    signal,
  );
  const matrixMs = performance.now() - t0;

  const reliefInput: ReliefInput = {
    warehouses: warehouses.map(
      (w): ReliefWarehouse => ({ id: w.id, loadingMinutes: w.loading, leadTimeHours: lead.get(w.id) ?? w.lead }),
    ),
    places: input.places.map((p) => p.id),
    supply,
    needs,
    travelSeconds: travel.seconds,
    startAt,
    deadlineSeconds: Math.round(deadlineHours * 3600),
  };
  const { best, greedy, ms } = await solveRelief(deps, ctx, reliefInput, { signal });
  const anySupply = supply.some((s) => s.quantity > 0 && itemCodes.includes(s.itemCode));

  const now = deps.clock.now();
  const plan: Plan = {
    id: null,
    number: null,
    name: input.name ?? null,
    incidentId: input.incidentId ?? null,
    startAt: startAt.toISOString(),
    deadlineAt: new Date(startAt.getTime() + Math.round(deadlineHours * 3600) * 1000).toISOString(),
    deadlineHours,
    feasibleWithinDeadline: best.feasibleWithinDeadline,
    solver: {
      status: anySupply ? 'optimal' : 'no-supply',
      method: PLAN_METHOD,
      ms: Math.round(ms * 10) / 10,
      matrixMs: Math.round(matrixMs * 10) / 10,
    },
    places: input.places,
    shipments: best.shipments,
    unmet: best.unmet,
    extraStock: best.extraStock,
    totals: best.totals,
    greedy,
    unreachablePlaces: input.places.filter((_, j) => travel.targetsOffNetwork[j]).map((p) => p.id),
    createdAt: null,
    createdBy: null,
  };
  if (input.dryRun) return plan;

  const district = await districtOfPlaces(deps, input);
  const ownerUnit = ctx.actor.unitCode ?? 'system';
  const id = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const number = await nextNumber(trx, 'JZ', now);
    Object.assign(plan, {
      id,
      number,
      createdAt: now.toISOString(),
      createdBy: { id: ctx.actor.id ?? 'system', name: ctx.actor.name },
    });
    await repo.insertPlan(trx, {
      id,
      number,
      name: plan.name,
      incident_id: plan.incidentId,
      district_code: district,
      owner_unit: ownerUnit,
      start_at: startAt,
      deadline_at: new Date(plan.deadlineAt),
      feasible: plan.feasibleWithinDeadline,
      request: input,
      answer: plan,
      created_by: ctx.actor.id ?? 'system',
      created_at: now,
    });
    await recordAudit(trx, ctx, now, {
      action: 'relief_plan.created',
      entity: 'relief_plan',
      entityId: id,
      after: {
        number,
        name: plan.name,
        incidentId: plan.incidentId,
        startAt: plan.startAt,
        deadlineAt: plan.deadlineAt,
        places: input.places.length,
        warehouses: warehouses.length,
        feasibleWithinDeadline: plan.feasibleWithinDeadline,
        totals: plan.totals,
      },
    });
    await emitEvent(trx, now, {
      type: 'relief_plan.created',
      entity: 'relief_plan',
      entityId: id,
      payload: { id, number, feasibleWithinDeadline: plan.feasibleWithinDeadline, unmet: plan.totals.unmet },
      visibility: planVisibility(district, ownerUnit),
    });
  });
  deps.afterCommit();
  return plan;
}

/** the district holding every place, when they all lie in one (the plan's scope); else none */
async function districtOfPlaces(deps: LogisticsDeps, input: PlanRequest): Promise<string | null> {
  const codes = await deps.geo().districtsOf(input.places.map((p) => p.location.coordinates as [number, number]));
  const first = codes[0] ?? null;
  return first !== null && codes.every((c) => c === first) ? first : null;
}

async function readPlan(deps: LogisticsDeps, ctx: RequestCtx, id: string): Promise<Plan> {
  requirePermission(ctx.actor, 'logistics.plan');
  const r = await repo.findPlan(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: PLAN_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.owner_unit }, 'id');
  return (typeof r.answer === 'string' ? JSON.parse(r.answer) : r.answer) as Plan;
}

/** GET /api/v1/logistics/plans/{id} */
export async function getPlan(deps: LogisticsDeps, ctx: RequestCtx, id: string): Promise<Plan> {
  return readPlan(deps, ctx, id);
}

/** GET /api/v1/logistics/plans: newest first, within the reader's scope */
export async function listPlans(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: PlanQuery,
): Promise<{ items: PlanSummary[]; total: number }> {
  requirePermission(ctx.actor, 'logistics.plan');
  checkInput(PlanQuery, q);
  const { rows, total } = await repo.listPlans(deps.db.kysely, ctx.actor, {
    incidentId: q.incidentId,
    feasible: q.feasible,
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  const json = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      name: r.name,
      incidentId: r.incident_id,
      startAt: r.start_at.toISOString(),
      deadlineAt: r.deadline_at.toISOString(),
      feasibleWithinDeadline: r.feasible,
      places: Number(r.place_count),
      shipments: Number(r.shipment_count),
      totals: json<PlanSummary['totals']>(r.totals),
      createdAt: r.created_at.toISOString(),
      createdBy: json<PlanSummary['createdBy']>(r.created_by),
    })),
    total,
  };
}

/**
 * GET /api/v1/logistics/plans/{id}/routes: one road line per warehouse → place pair of the shipments (most goods
 * first, at most PLAN_ROUTES_MAX), by road as it is now (emergency profile, closures in force); a straight line where
 * no road leads now or an end lies off the network.
 */
export async function planRoutes(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  id: string,
  signal?: AbortSignal,
): Promise<PlanRoutes> {
  const plan = await readPlan(deps, ctx, id);
  const pairs = new Map<string, { warehouseId: string; placeId: string; items: Map<string, number>; eta: number }>();
  for (const s of plan.shipments) {
    const key = `${s.warehouseId}\u0000${s.placeId}`;
    let p = pairs.get(key);
    if (!p) {
      p = { warehouseId: s.warehouseId, placeId: s.placeId, items: new Map(), eta: s.etaSeconds };
      pairs.set(key, p);
    }
    p.items.set(s.itemCode, (p.items.get(s.itemCode) ?? 0) + s.quantity);
    p.eta = Math.max(p.eta, s.etaSeconds);
  }
  const total = (p: { items: Map<string, number> }) => [...p.items.values()].reduce((a, b) => a + b, 0);
  const all = [...pairs.values()].sort((a, b) => total(b) - total(a) || a.eta - b.eta);
  const chosen = all.slice(0, PLAN_ROUTES_MAX);
  const warehouses = new Map(
    (await repo.warehousesById(deps.db.kysely, [...new Set(chosen.map((p) => p.warehouseId))])).map((w) => [w.id, w]),
  );
  const places = new Map(plan.places.map((p) => [p.id, p]));
  const geo = deps.geo();
  const engine = geo.engine();
  const closed = await geo.closedNow();
  const features: PlanRoutes['features'] = [];
  for (let k = 0; k < chosen.length; k++) {
    if (signal?.aborted) throw new AppError('BAD_REQUEST', { reason: 'the client went away' });
    // let other requests in between routes: one route at most holds the event loop (on a network without a
    // hierarchy a long route is a plain search of tens of milliseconds)
    if (k > 0) await new Promise((r) => setImmediate(r));
    const p = chosen[k];
    const w = warehouses.get(p.warehouseId);
    const place = places.get(p.placeId);
    if (!w || !place) continue;
    const from: LonLat = [w.lng, w.lat];
    const to = place.location.coordinates as LonLat;
    let line: LonLat[] = [from, to];
    let seconds: number | null = null;
    let meters: number | null = null;
    try {
      const r = engine.route(from, to, { profile: PROFILE, closed });
      if (r) {
        line = r.geometry.coordinates;
        seconds = r.seconds;
        meters = r.meters;
      }
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'OFF_NETWORK')) throw err;
    }
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: line },
      properties: {
        warehouseId: p.warehouseId,
        warehouseName: w.name,
        placeId: p.placeId,
        placeName: place.name ?? null,
        items: [...p.items].map(([itemCode, quantity]) => ({ itemCode, quantity })),
        etaSeconds: p.eta,
        seconds,
        meters,
        straight: seconds === null,
      },
    });
  }
  return { type: 'FeatureCollection', features, omitted: all.length - chosen.length };
}
