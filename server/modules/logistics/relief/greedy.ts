/**
 * The plan a dispatcher would make by hand, for comparison: places in the order given, each served from the
 * warehouse that gets the item there soonest (within the deadline) while it has stock, then the next soonest.
 * Same input and the same arrival times as the min-cost flow (relief-plan.ts); never better than it.
 */
import {
  finish,
  prepare,
  type ReliefInput,
  type ReliefPlan,
  type ReliefShipment,
  type ReliefUnmet,
  shipmentOf,
} from './relief-plan.ts';

export function greedyPlan(input: ReliefInput): ReliefPlan {
  const pre = prepare(input);
  const { W, P, eta } = pre;
  // per place, the warehouses in time, soonest first (the same for every item)
  const order: Int32Array[] = [];
  for (let j = 0; j < P; j++) {
    const ws: number[] = [];
    for (let i = 0; i < W; i++) if (eta[i * P + j] >= 0) ws.push(i);
    ws.sort((a, b) => eta[a * P + j] - eta[b * P + j] || a - b);
    order.push(Int32Array.from(ws));
  }
  const shipments: ReliefShipment[] = [];
  const unmet: ReliefUnmet[] = [];
  for (const it of pre.items) {
    const left = Float64Array.from(it.supply);
    for (let j = 0; j < P; j++) {
      let need = it.need[j];
      if (need <= 0) continue;
      for (const i of order[j]) {
        if (need === 0) break;
        const q = Math.min(need, left[i]);
        if (q <= 0) continue;
        left[i] -= q;
        need -= q;
        shipments.push(shipmentOf(input, pre, it.itemCode, i, j, q));
      }
      if (need > 0) unmet.push({ placeId: input.places[j], itemCode: it.itemCode, quantity: need });
    }
  }
  return finish(input, pre, shipments, unmet, 0);
}
