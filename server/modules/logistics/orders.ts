/**
 * Dispatch orders as pure functions: a stored plan's shipments grouped into one order per warehouse × place, the late
 * rule, and what a plan still owes after its delivered orders.
 */
import type { OrderState, PlanPlace, PlanProgress, Shipment, Unmet } from '../../../contracts/logistics.ts';

/** what orders are made from: the stored plan's answer (part B's `Plan`) */
export interface StoredPlanAnswer {
  startAt: string;
  places: PlanPlace[];
  shipments: Shipment[];
  unmet: Unmet[];
}

export interface OrderDraft {
  warehouseId: string;
  placeId: string;
  placeName: string | null;
  destination: [number, number];
  lines: { itemCode: string; quantity: number }[];
  /** the latest departure of its shipments: the vehicle leaves when every line is loaded */
  plannedDepartAt: Date;
  /** the latest arrival of its shipments */
  etaAt: Date;
}

/**
 * One order per warehouse and place, its lines the items shipped (summed, by code); orders by departure, then
 * warehouse and place. A shipment to a place the plan does not list is an error of the stored plan (thrown).
 */
export function ordersFromPlan(a: StoredPlanAnswer): OrderDraft[] {
  const start = new Date(a.startAt).getTime();
  const places = new Map(a.places.map((p) => [p.id, p]));
  const groups = new Map<string, OrderDraft & { qty: Map<string, number> }>();
  for (const s of a.shipments) {
    if (s.quantity <= 0) continue;
    const place = places.get(s.placeId);
    if (!place) throw new Error(`the plan ships to ${s.placeId}, which is not among its places`);
    const k = `${s.warehouseId}\t${s.placeId}`;
    const depart = new Date(s.departAt);
    const eta = new Date(start + s.etaSeconds * 1000);
    let g = groups.get(k);
    if (!g) {
      g = {
        warehouseId: s.warehouseId,
        placeId: s.placeId,
        placeName: place.name ?? null,
        destination: [place.location.coordinates[0], place.location.coordinates[1]],
        lines: [],
        plannedDepartAt: depart,
        etaAt: eta,
        qty: new Map(),
      };
      groups.set(k, g);
    }
    if (depart > g.plannedDepartAt) g.plannedDepartAt = depart;
    if (eta > g.etaAt) g.etaAt = eta;
    g.qty.set(s.itemCode, (g.qty.get(s.itemCode) ?? 0) + s.quantity);
  }
  return [...groups.values()]
    .map(({ qty, ...g }) => ({
      ...g,
      lines: [...qty.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([itemCode, quantity]) => ({ itemCode, quantity })),
    }))
    .sort(
      (x, y) =>
        x.plannedDepartAt.getTime() - y.plannedDepartAt.getTime() ||
        x.warehouseId.localeCompare(y.warehouseId) ||
        x.placeId.localeCompare(y.placeId),
    );
}

/** the states in which an order is still owed to its place */
export const OPEN_STATES: readonly OrderState[] = ['planned', 'loaded', 'en_route'];

/**
 * Late: still owed (planned, loaded or en route) past its ETA, or delivered after it. An order not yet loaded when its
 * ETA passes is as late for the people waiting as one stuck on the road.
 */
export function isLate(o: { state: string; etaAt: Date; deliveredAt: Date | null }, now: Date): boolean {
  if ((OPEN_STATES as readonly string[]).includes(o.state)) return now.getTime() > o.etaAt.getTime();
  if (o.state === 'delivered') return !!o.deliveredAt && o.deliveredAt.getTime() > o.etaAt.getTime();
  return false;
}

/**
 * What the plan still owes per place and item: its need (shipped + unmet in the plan) minus what delivered orders
 * brought. Cancelled and undelivered orders bring nothing.
 */
export function progressOf(
  planId: string,
  a: StoredPlanAnswer,
  orders: { state: string; placeId: string; lines: { itemCode: string; quantity: number }[]; late: boolean }[],
): PlanProgress {
  const need = new Map<string, number>();
  const add = (m: Map<string, number>, placeId: string, itemCode: string, q: number) => {
    const k = `${placeId}\t${itemCode}`;
    m.set(k, (m.get(k) ?? 0) + q);
  };
  for (const s of a.shipments) add(need, s.placeId, s.itemCode, s.quantity);
  for (const u of a.unmet) add(need, u.placeId, u.itemCode, u.quantity);
  const delivered = new Map<string, number>();
  const counts = { planned: 0, loaded: 0, en_route: 0, delivered: 0, cancelled: 0, late: 0 };
  for (const o of orders) {
    if (o.state in counts) counts[o.state as OrderState] += 1;
    if (o.late) counts.late += 1;
    if (o.state === 'delivered') for (const l of o.lines) add(delivered, o.placeId, l.itemCode, l.quantity);
  }
  const placeOrder = new Map(a.places.map((p, i) => [p.id, i]));
  const remaining = [...need.entries()]
    .map(([k, n]) => {
      const [placeId, itemCode] = k.split('\t') as [string, string];
      const d = delivered.get(k) ?? 0;
      return { placeId, itemCode, need: n, delivered: d, remaining: Math.max(0, n - d) };
    })
    .sort(
      (x, y) =>
        (placeOrder.get(x.placeId) ?? 0) - (placeOrder.get(y.placeId) ?? 0) || x.itemCode.localeCompare(y.itemCode),
    );
  return { planId, orders: counts, remaining };
}
