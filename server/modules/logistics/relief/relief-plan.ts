/**
 * A relief plan from what is where, what is needed where, and how long the roads take (pure: no database, no
 * engine). Without vehicle capacities each item is its own transportation problem, solved exactly by `mcf.ts`: an arc
 * from a warehouse to a place exists when the goods would arrive by the deadline, arriving
 *   loading minutes + the agreement's lead time (agreement and capacity reserves) + travel seconds
 * after the start. First the least unmet need, then the least Σ quantity × arrival seconds. Times are whole seconds
 * (travel rounded up, so a promised arrival is never earlier than the road engine's).
 *
 * Unmet need is then attributed to the warehouse that would reach the place soonest within the deadline (extra stock
 * there would close the gap); null when no warehouse can reach it in time — more stock anywhere would not help.
 */
import { solveTransport } from './mcf.ts';

export interface ReliefWarehouse {
  id: string;
  loadingMinutes: number;
  /** hours from the call to the goods being ready (agreement and capacity reserves; 0 for stock) */
  leadTimeHours: number;
}

export interface ReliefInput {
  /** the travel matrix's rows */
  warehouses: ReliefWarehouse[];
  /** the travel matrix's columns: place ids */
  places: string[];
  /** available quantities (SupplyRow carries these fields); rows of warehouses not listed are ignored */
  supply: readonly { warehouseId: string; itemCode: string; quantity: number }[];
  needs: readonly { placeId: string; itemCode: string; quantity: number }[];
  /** seconds, row-major warehouses × places; Infinity (or NaN) where no road leads */
  travelSeconds: Float64Array;
  startAt: Date;
  deadlineSeconds: number;
}

export interface ReliefShipment {
  warehouseId: string;
  placeId: string;
  itemCode: string;
  quantity: number;
  departAt: string;
  etaSeconds: number;
}

export interface ReliefUnmet {
  placeId: string;
  itemCode: string;
  quantity: number;
}

export interface ReliefTotals {
  need: number;
  delivered: number;
  unmet: number;
  weightedSeconds: number;
  lastArrivalSeconds: number | null;
}

export interface ReliefPlan {
  shipments: ReliefShipment[];
  unmet: ReliefUnmet[];
  extraStock: { warehouseId: string | null; itemCode: string; quantity: number; placeIds: string[] }[];
  totals: ReliefTotals;
  feasibleWithinDeadline: boolean;
  /** simplex pivots over all items (for the log and the bench) */
  pivots: number;
}

/** One item's problem in matrix indices: who has how much, who needs how much. */
export interface ItemProblem {
  itemCode: string;
  /** per warehouse row */
  supply: Float64Array;
  /** per place column */
  need: Float64Array;
}

/** The shared part of a plan's input: arrival seconds per warehouse × place (−1: not in time), departures. */
export interface Prepared {
  W: number;
  P: number;
  /** row-major; −1 where the goods cannot arrive by the deadline */
  eta: Float64Array;
  /** seconds from the start until each warehouse's vehicles leave */
  departSeconds: Float64Array;
  items: ItemProblem[];
  needTotal: number;
}

export function prepare(input: ReliefInput): Prepared {
  const W = input.warehouses.length;
  const P = input.places.length;
  if (input.travelSeconds.length !== W * P)
    throw new Error(`relief plan: the travel matrix has ${input.travelSeconds.length} cells, not ${W} × ${P}`);
  const departSeconds = new Float64Array(W);
  for (let i = 0; i < W; i++) {
    const w = input.warehouses[i];
    departSeconds[i] = Math.round(w.loadingMinutes * 60 + w.leadTimeHours * 3600);
  }
  const eta = new Float64Array(W * P).fill(-1);
  for (let i = 0; i < W; i++) {
    for (let j = 0; j < P; j++) {
      const t = input.travelSeconds[i * P + j];
      if (!Number.isFinite(t) || t < 0) continue;
      const at = departSeconds[i] + Math.ceil(t);
      if (at <= input.deadlineSeconds) eta[i * P + j] = at;
    }
  }
  const wIndex = new Map(input.warehouses.map((w, i) => [w.id, i]));
  const pIndex = new Map(input.places.map((p, j) => [p, j]));
  const byItem = new Map<string, ItemProblem>();
  const item = (code: string) => {
    let it = byItem.get(code);
    if (!it) {
      it = { itemCode: code, supply: new Float64Array(W), need: new Float64Array(P) };
      byItem.set(code, it);
    }
    return it;
  };
  let needTotal = 0;
  for (const n of input.needs) {
    const j = pIndex.get(n.placeId);
    if (j === undefined) throw new Error(`relief plan: a need names no place (${n.placeId})`);
    if (n.quantity <= 0) continue;
    item(n.itemCode).need[j] += n.quantity;
    needTotal += n.quantity;
  }
  for (const s of input.supply) {
    const i = wIndex.get(s.warehouseId);
    const it = byItem.get(s.itemCode);
    // supply of an item nobody needs plays no part
    if (i === undefined || !it || s.quantity <= 0) continue;
    it.supply[i] += s.quantity;
  }
  const items = [...byItem.values()].sort((a, b) => a.itemCode.localeCompare(b.itemCode));
  return { W, P, eta, departSeconds, items, needTotal };
}

/** The min-cost-flow plan: every item solved exactly. */
export function reliefPlan(input: ReliefInput): ReliefPlan {
  const pre = prepare(input);
  const shipments: ReliefShipment[] = [];
  const unmet: ReliefUnmet[] = [];
  let pivots = 0;
  for (const it of pre.items) {
    const r = solveItem(pre, it);
    pivots += r.pivots;
    for (const s of r.sends) shipments.push(shipmentOf(input, pre, it.itemCode, s.i, s.j, s.q));
    for (let j = 0; j < pre.P; j++)
      if (r.unmet[j] > 0) unmet.push({ placeId: input.places[j], itemCode: it.itemCode, quantity: r.unmet[j] });
  }
  return finish(input, pre, shipments, unmet, pivots);
}

/** One item through the solver: its arcs are the warehouse × place pairs in time where there is supply and need. */
export function solveItem(
  pre: Prepared,
  it: ItemProblem,
): { sends: { i: number; j: number; q: number }[]; unmet: Float64Array; pivots: number } {
  const { W, P, eta } = pre;
  let count = 0;
  for (let i = 0; i < W; i++) {
    if (it.supply[i] <= 0) continue;
    for (let j = 0; j < P; j++) if (it.need[j] > 0 && eta[i * P + j] >= 0) count++;
  }
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  const cost = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < W; i++) {
    if (it.supply[i] <= 0) continue;
    for (let j = 0; j < P; j++) {
      const e = eta[i * P + j];
      if (it.need[j] > 0 && e >= 0) {
        from[k] = i;
        to[k] = j;
        cost[k] = e;
        k++;
      }
    }
  }
  const sol = solveTransport({ supply: it.supply, demand: it.need, from, to, cost });
  const sends: { i: number; j: number; q: number }[] = [];
  for (let a = 0; a < count; a++) if (sol.flow[a] > 0) sends.push({ i: from[a], j: to[a], q: sol.flow[a] });
  return { sends, unmet: sol.unmet, pivots: sol.pivots };
}

export function shipmentOf(
  input: ReliefInput,
  pre: Prepared,
  itemCode: string,
  i: number,
  j: number,
  q: number,
): ReliefShipment {
  return {
    warehouseId: input.warehouses[i].id,
    placeId: input.places[j],
    itemCode,
    quantity: q,
    departAt: new Date(input.startAt.getTime() + pre.departSeconds[i] * 1000).toISOString(),
    etaSeconds: pre.eta[i * pre.P + j],
  };
}

/** Totals, the verdict and the extra stock that would close what is unmet; shipments in order of arrival. */
export function finish(
  input: ReliefInput,
  pre: Prepared,
  shipments: ReliefShipment[],
  unmet: ReliefUnmet[],
  pivots: number,
): ReliefPlan {
  shipments.sort(
    (a, b) =>
      a.etaSeconds - b.etaSeconds ||
      a.warehouseId.localeCompare(b.warehouseId) ||
      a.placeId.localeCompare(b.placeId) ||
      a.itemCode.localeCompare(b.itemCode),
  );
  const totals = totalsOf(pre.needTotal, shipments);
  return {
    shipments,
    unmet,
    extraStock: extraStockFor(input, pre, unmet),
    totals,
    feasibleWithinDeadline: totals.unmet === 0,
    pivots,
  };
}

export function totalsOf(need: number, shipments: readonly ReliefShipment[]): ReliefTotals {
  let delivered = 0;
  let weighted = 0;
  let last: number | null = null;
  for (const s of shipments) {
    delivered += s.quantity;
    weighted += s.quantity * s.etaSeconds;
    if (last === null || s.etaSeconds > last) last = s.etaSeconds;
  }
  return { need, delivered, unmet: need - delivered, weightedSeconds: weighted, lastArrivalSeconds: last };
}

function extraStockFor(input: ReliefInput, pre: Prepared, unmet: readonly ReliefUnmet[]): ReliefPlan['extraStock'] {
  const pIndex = new Map(input.places.map((p, j) => [p, j]));
  const soonest = new Map<number, number>();
  const soonestOf = (j: number) => {
    let best = soonest.get(j);
    if (best !== undefined) return best;
    best = -1;
    let bestEta = Number.POSITIVE_INFINITY;
    for (let i = 0; i < pre.W; i++) {
      const e = pre.eta[i * pre.P + j];
      if (e >= 0 && e < bestEta) {
        bestEta = e;
        best = i;
      }
    }
    soonest.set(j, best);
    return best;
  };
  const groups = new Map<
    string,
    { warehouseId: string | null; itemCode: string; quantity: number; placeIds: string[]; seen: Set<string> }
  >();
  for (const u of unmet) {
    const i = soonestOf(pIndex.get(u.placeId) as number);
    const warehouseId = i >= 0 ? input.warehouses[i].id : null;
    const key = `${warehouseId ?? ''}\u0000${u.itemCode}`;
    const g = groups.get(key);
    if (g) {
      g.quantity += u.quantity;
      if (!g.seen.has(u.placeId)) {
        g.seen.add(u.placeId);
        g.placeIds.push(u.placeId);
      }
    } else {
      const seen = new Set([u.placeId]);
      groups.set(key, { warehouseId, itemCode: u.itemCode, quantity: u.quantity, placeIds: [u.placeId], seen });
    }
  }
  return [...groups.values()]
    .map(({ seen: _s, ...g }) => g)
    .sort(
      (a, b) =>
        (a.warehouseId === null ? 1 : 0) - (b.warehouseId === null ? 1 : 0) ||
        b.quantity - a.quantity ||
        a.itemCode.localeCompare(b.itemCode),
    );
}
