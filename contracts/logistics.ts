/**
 * Supplies and relief logistics (物资保障): the item catalogue (GB/T 38565-2020 codes and local items under them),
 * warehouses of three tiers and four reserve types, stock by batch and its movements, relief and reserve norms, gaps
 * and the procurement proposal, relief plans (who ships what from where, within the deadline) and their dispatch
 * orders. Shared by the server (schemas) and the web (types, names).
 */
import { type Static, Type as T } from 'typebox';
import { Count, paging, Version } from './common.ts';
import { Point } from './incidents.ts';
import { findSupplyCode, type SupplyCode } from './supply-codes.ts';

export const WAREHOUSE_TIERS = ['city', 'district', 'town'] as const;
export type WarehouseTier = (typeof WAREHOUSE_TIERS)[number];
export const WAREHOUSE_TIER_INFO: Record<WarehouseTier, { zh: string; en: string }> = {
  city: { zh: '市级', en: 'City' },
  district: { zh: '区县级', en: 'District' },
  town: { zh: '镇街级', en: 'Town' },
};

/**
 * 政府实物储备, 协议储备 (an enterprise holds stock for us), 产能储备 (an enterprise produces on call), 社会储备.
 * Agreement and capacity reserves supply their committed quantities after their lead time; the others their stock.
 */
export const RESERVE_TYPES = ['government', 'agreement', 'capacity', 'social'] as const;
export type ReserveType = (typeof RESERVE_TYPES)[number];
export const RESERVE_TYPE_INFO: Record<ReserveType, { zh: string; en: string; committed: boolean }> = {
  government: { zh: '政府实物储备', en: 'Government stock', committed: false },
  agreement: { zh: '企业协议储备', en: 'Enterprise agreement', committed: true },
  capacity: { zh: '产能储备', en: 'Production capacity', committed: true },
  social: { zh: '社会储备', en: 'Social reserve', committed: false },
};

/**
 * An item code: a GB/T 38565 code (7 digits), or a local item under one: the code, a hyphen and up to 8 letters or
 * digits (1120100-12 for a 12 m² single tent under 单帐篷).
 */
export const ITEM_CODE_PATTERN = '^[1-3][0-9]{6}(-[0-9A-Z]{1,8})?$';
export const ItemCode = T.String({
  pattern: ITEM_CODE_PATTERN,
  description: 'GB/T 38565 code, or a local code under one',
});

/** The GB/T 38565 code an item code stands under (itself for a standard code). */
export function standardCodeOf(itemCode: string): SupplyCode | undefined {
  return findSupplyCode(itemCode.split('-')[0]);
}

/** A whole quantity of an item's unit (bottles, boxes, tents). */
export const Quantity = (opts: { description?: string; minimum?: number } = {}) =>
  T.Integer({
    minimum: opts.minimum ?? 1,
    maximum: 1_000_000_000,
    ...(opts.description ? { description: opts.description } : {}),
  });
const Day = T.String({ format: 'date', description: 'YYYY-MM-DD' });
const Uuid = T.String({ format: 'uuid' });

// ---- catalogue ----

export const SupplyItemInput = T.Object({
  /** a GB/T 38565 code (to give it a unit, weight …) or a new local code under one */
  code: ItemCode,
  /** required for a local code; a standard code keeps the standard's name when empty */
  name: T.Optional(T.String({ minLength: 1, maxLength: 100 })),
  nameEn: T.Optional(T.String({ maxLength: 100 })),
  /** 件, 箱, 顶, 床, 瓶, kg … */
  unit: T.String({ minLength: 1, maxLength: 20 }),
  unitWeightKg: T.Optional(T.Number({ minimum: 0, maximum: 100_000 })),
  unitVolumeM3: T.Optional(T.Number({ minimum: 0, maximum: 10_000 })),
  /** none: does not expire */
  shelfLifeDays: T.Optional(T.Union([T.Integer({ minimum: 1, maximum: 36_500 }), T.Null()])),
  /** estimated price per unit in yuan, for the procurement proposal */
  unitPriceYuan: T.Optional(T.Number({ minimum: 0, maximum: 100_000_000 })),
  active: T.Optional(T.Boolean()),
  /** where the figures come from (a contract, a weighing); empty: entered by hand */
  basis: T.Optional(T.String({ maxLength: 300 })),
  /** the version the change was made on (an item already described); stale → 409 */
  version: T.Optional(Version()),
});
export type SupplyItemInput = Static<typeof SupplyItemInput>;

export const SupplyItem = T.Object({
  code: T.String(),
  /** the GB/T 38565 code it stands under (itself for a standard code) */
  standardCode: T.String(),
  standardName: T.String(),
  local: T.Boolean(),
  name: T.String(),
  nameEn: T.Union([T.String(), T.Null()]),
  unit: T.String(),
  unitWeightKg: T.Union([T.Number(), T.Null()]),
  unitVolumeM3: T.Union([T.Number(), T.Null()]),
  shelfLifeDays: T.Union([T.Integer(), T.Null()]),
  unitPriceYuan: T.Union([T.Number(), T.Null()]),
  active: T.Boolean(),
  version: T.Integer(),
  /** the standard's description of its code (what it includes), when it has one */
  standardNote: T.Union([T.String(), T.Null()]),
  /** described in the catalogue (unit, weight …); a bare standard code is not, and counts in 件 */
  described: T.Boolean(),
  /** where the figures come from; the seeded items' figures are assumptions and say so */
  basis: T.Union([T.String(), T.Null()]),
});
export type SupplyItem = Static<typeof SupplyItem>;

export const SupplyItemQuery = T.Object({
  /** code prefix, name, pinyin initials */
  q: T.Optional(T.String({ maxLength: 100 })),
  /** only items described in the catalogue (a unit given), not every bare standard code */
  described: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 1000 }),
});
export type SupplyItemQuery = Static<typeof SupplyItemQuery>;

// ---- warehouses ----

export const AgreementItem = T.Object({ itemCode: ItemCode, quantity: Quantity() });
export const Agreement = T.Object({
  partner: T.String({ minLength: 1, maxLength: 200 }),
  contact: T.Optional(T.String({ maxLength: 100 })),
  phone: T.Optional(T.String({ maxLength: 40 })),
  /** hours from the call to the goods being ready at the partner's site */
  leadTimeHours: T.Number({ minimum: 0, maximum: 720 }),
  validUntil: T.Optional(T.Union([Day, T.Null()])),
  /** what the partner holds or produces for us, per call */
  items: T.Array(AgreementItem, { maxItems: 500 }),
});
export type Agreement = Static<typeof Agreement>;

export const WarehouseInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  tier: T.Enum(WAREHOUSE_TIERS),
  reserveType: T.Enum(RESERVE_TYPES),
  location: Point,
  address: T.Optional(T.String({ maxLength: 300 })),
  /** usable volume in m³ */
  capacityM3: T.Optional(T.Union([T.Number({ minimum: 0, maximum: 10_000_000 }), T.Null()])),
  areaM2: T.Optional(T.Union([T.Number({ minimum: 0, maximum: 10_000_000 }), T.Null()])),
  manager: T.Optional(T.String({ maxLength: 100 })),
  phones: T.Optional(T.Array(T.String({ minLength: 3, maxLength: 40 }), { maxItems: 3 })),
  /** the unit that runs it (default: the creator's) */
  unitCode: T.Optional(T.String({ maxLength: 64 })),
  /** required for agreement and capacity reserves */
  agreement: T.Optional(T.Union([Agreement, T.Null()])),
  /** minutes to load a vehicle here (relief plans' default for this warehouse) */
  loadingMinutes: T.Optional(T.Integer({ minimum: 0, maximum: 1440 })),
  active: T.Optional(T.Boolean()),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type WarehouseInput = Static<typeof WarehouseInput>;

/** A change of a warehouse: what is given replaces what it had; `agreement: null` removes the agreement. */
export const WarehousePatch = T.Object({
  ...T.Partial(WarehouseInput).properties,
  version: Version(),
});
export type WarehousePatch = Static<typeof WarehousePatch>;

/** Removing a warehouse: one that never held or moved anything is deleted, any other is deactivated (kept). */
export const WarehouseRemoval = T.Object({ version: Version() });
export const WarehouseRemoved = T.Object({
  id: Uuid,
  outcome: T.Union([T.Literal('deleted'), T.Literal('deactivated')]),
});

export const Warehouse = T.Object({
  id: Uuid,
  code: T.String({ description: 'CK-… number (仓库)' }),
  name: T.String(),
  tier: T.Enum(WAREHOUSE_TIERS),
  reserveType: T.Enum(RESERVE_TYPES),
  location: Point,
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  address: T.Union([T.String(), T.Null()]),
  capacityM3: T.Union([T.Number(), T.Null()]),
  areaM2: T.Union([T.Number(), T.Null()]),
  manager: T.Union([T.String(), T.Null()]),
  phones: T.Array(T.String()),
  unitCode: T.String(),
  agreement: T.Union([Agreement, T.Null()]),
  loadingMinutes: T.Integer(),
  active: T.Boolean(),
  notes: T.Union([T.String(), T.Null()]),
  /** stock volume over capacity, 0–1+; null without capacity or volumes */
  fill: T.Union([T.Number(), T.Null()]),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Warehouse = Static<typeof Warehouse>;

/** The warehouses map layer: the active warehouses the caller may see, as points with what the map labels. */
export const WarehouseLayer = T.Object({
  type: T.Literal('FeatureCollection'),
  features: T.Array(
    T.Object({
      type: T.Literal('Feature'),
      geometry: Point,
      properties: T.Object({
        id: Uuid,
        code: T.String(),
        name: T.String(),
        tier: T.Enum(WAREHOUSE_TIERS),
        reserveType: T.Enum(RESERVE_TYPES),
        districtCode: T.Union([T.String(), T.Null()]),
        /** the legend's colour of its reserve type */
        color: T.String(),
      }),
    }),
  ),
});
export type WarehouseLayer = Static<typeof WarehouseLayer>;

/** the warehouses layer's colour by reserve type (the map legend) */
export const RESERVE_TYPE_COLORS: Record<ReserveType, string> = {
  government: '#1677ff',
  agreement: '#52c41a',
  capacity: '#fa8c16',
  social: '#722ed1',
};

export const WarehouseQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100 })),
  tier: T.Optional(T.Enum(WAREHOUSE_TIERS)),
  reserveType: T.Optional(T.Enum(RESERVE_TYPES)),
  district: T.Optional(T.String({ maxLength: 64 })),
  /** holds this item (in stock or committed) */
  itemCode: T.Optional(ItemCode),
  active: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500 }),
});
export type WarehouseQuery = Static<typeof WarehouseQuery>;

// ---- stock and movements ----

export const MOVEMENT_KINDS = [
  'receive',
  'issue',
  'transfer_out',
  'transfer_in',
  'adjust',
  'writeoff',
  'call',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const MOVEMENT_KIND_INFO: Record<MovementKind, { zh: string; en: string }> = {
  receive: { zh: '入库', en: 'Received' },
  issue: { zh: '出库', en: 'Issued' },
  transfer_out: { zh: '调出', en: 'Transferred out' },
  transfer_in: { zh: '调入', en: 'Transferred in' },
  adjust: { zh: '盘点调整', en: 'Adjusted' },
  writeoff: { zh: '报废核销', en: 'Written off' },
  call: { zh: '协议调用', en: 'Called from agreement' },
};

export const Batch = T.Object({
  batch: T.String(),
  quantity: T.Integer(),
  producedOn: T.Union([T.String(), T.Null()]),
  expiresOn: T.Union([T.String(), T.Null()]),
  /** past its expiry (Beijing day): not issued, not supplied to plans; to be written off */
  expired: T.Boolean(),
  /** expires within EXPIRY_SOON_DAYS days */
  expiringSoon: T.Boolean(),
});
export type Batch = Static<typeof Batch>;

export const StockLine = T.Object({
  warehouseId: Uuid,
  itemCode: T.String(),
  itemName: T.String(),
  unit: T.String(),
  quantity: T.Integer(),
  /** agreement and capacity reserves: what is committed and not yet called */
  committed: T.Integer(),
  batches: T.Array(Batch),
  /** the earliest expiry among its batches */
  nextExpiry: T.Union([T.String(), T.Null()]),
  /** of `quantity`, what is past its expiry (not issued, not supplied) */
  expired: T.Integer(),
});
export type StockLine = Static<typeof StockLine>;

/** batches expiring within this many days are flagged (and alarmed once) */
export const EXPIRY_SOON_DAYS = 30;

export const StockQuery = T.Object({
  itemCode: T.Optional(ItemCode),
  /** batches expiring within this many days */
  expiringWithinDays: T.Optional(T.Integer({ minimum: 0, maximum: 3650 })),
  ...paging({ maxLimit: 1000 }),
});
export type StockQuery = Static<typeof StockQuery>;

export const ReceiptInput = T.Object({
  docNo: T.Optional(T.String({ minLength: 1, maxLength: 64, description: 'the paper document; generated when empty' })),
  note: T.Optional(T.String({ maxLength: 500 })),
  items: T.Array(
    T.Object({
      itemCode: ItemCode,
      quantity: Quantity(),
      batch: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
      producedOn: T.Optional(Day),
      expiresOn: T.Optional(Day),
    }),
    { minItems: 1, maxItems: 500 },
  ),
});
export type ReceiptInput = Static<typeof ReceiptInput>;

export const IssueInput = T.Object({
  docNo: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  note: T.Optional(T.String({ maxLength: 500 })),
  /** whom for (a place, an incident number, a unit) */
  recipient: T.Optional(T.String({ maxLength: 200 })),
  items: T.Array(T.Object({ itemCode: ItemCode, quantity: Quantity() }), { minItems: 1, maxItems: 500 }),
});
export type IssueInput = Static<typeof IssueInput>;

export const TransferInput = T.Object({
  ...IssueInput.properties,
  toWarehouseId: Uuid,
});
export type TransferInput = Static<typeof TransferInput>;

/** adjust: a batch's quantity set to what was counted; writeoff: a batch's quantity taken out (expired, damaged) */
export const AdjustInput = T.Object({
  docNo: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  reason: T.String({ minLength: 1, maxLength: 500 }),
  kind: T.Union([T.Literal('adjust'), T.Literal('writeoff')]),
  items: T.Array(
    T.Object({
      itemCode: ItemCode,
      batch: T.String({ minLength: 1, maxLength: 64 }),
      quantity: Quantity({ minimum: 0 }),
    }),
    { minItems: 1, maxItems: 500 },
  ),
});
export type AdjustInput = Static<typeof AdjustInput>;

export const Movement = T.Object({
  id: Uuid,
  docNo: T.String(),
  kind: T.Enum(MOVEMENT_KINDS),
  warehouseId: Uuid,
  itemCode: T.String(),
  itemName: T.String(),
  batch: T.Union([T.String(), T.Null()]),
  /** signed: into the warehouse positive */
  quantity: T.Integer(),
  /** the balance of the item in the warehouse after the movement */
  balance: T.Integer(),
  operator: T.Object({ id: T.String(), name: T.String() }),
  at: T.String(),
  note: T.Union([T.String(), T.Null()]),
  /** the other warehouse of a transfer, the dispatch order of an issue at loading */
  counterpart: T.Union([T.String(), T.Null()]),
});
export type Movement = Static<typeof Movement>;

/** A stock document as written: its number and its movements. */
export const StockDocument = T.Object({ docNo: T.String(), movements: T.Array(Movement) });
export type StockDocument = Static<typeof StockDocument>;

export const MovementQuery = T.Object({
  warehouseId: T.Optional(Uuid),
  itemCode: T.Optional(ItemCode),
  kind: T.Optional(T.Enum(MOVEMENT_KINDS)),
  docNo: T.Optional(T.String({ maxLength: 64 })),
  from: T.Optional(T.String({ format: 'date-time' })),
  to: T.Optional(T.String({ format: 'date-time' })),
  ...paging({ maxLimit: 500 }),
});
export type MovementQuery = Static<typeof MovementQuery>;

/** A stocktake: every batch counted; the differences are shown, and applied as one adjustment when confirmed. */
export const StocktakeInput = T.Object({
  docNo: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  /** false: only report the differences */
  apply: T.Optional(T.Boolean()),
  items: T.Array(
    T.Object({
      itemCode: ItemCode,
      batch: T.String({ minLength: 1, maxLength: 64 }),
      counted: Quantity({ minimum: 0 }),
    }),
    { minItems: 1, maxItems: 5000 },
  ),
});
export type StocktakeInput = Static<typeof StocktakeInput>;
export const StocktakeReply = T.Object({
  docNo: T.Union([T.String(), T.Null()]),
  applied: T.Boolean(),
  differences: T.Array(
    T.Object({
      itemCode: T.String(),
      batch: T.String(),
      book: T.Integer(),
      counted: T.Integer(),
      difference: T.Integer(),
    }),
  ),
});
export type StocktakeReply = Static<typeof StocktakeReply>;

// ---- norms, gaps, procurement ----

/** Per person per day relief norms: defaults are ASSUMPTIONS (standards-facts §7: national quantities not verified). */
export const ReliefNorm = T.Object({
  itemCode: ItemCode,
  perPersonPerDay: T.Number({ minimum: 0, maximum: 1000 }),
  /** a norm counted once, not per day (a quilt, a tent place) */
  once: T.Optional(T.Boolean()),
  basis: T.String({ maxLength: 300 }),
  assumption: T.Boolean(),
});
export type ReliefNorm = Static<typeof ReliefNorm>;

/** Reserve norm: what a tier keeps per 1,000 residents of the area it serves (ASSUMPTIONS unless a basis is given). */
export const ReserveNorm = T.Object({
  itemCode: ItemCode,
  tier: T.Enum(WAREHOUSE_TIERS),
  perThousand: T.Number({ minimum: 0, maximum: 1_000_000 }),
  basis: T.String({ maxLength: 300 }),
  assumption: T.Boolean(),
});
export type ReserveNorm = Static<typeof ReserveNorm>;

export const Norms = T.Object({
  relief: T.Array(ReliefNorm, { maxItems: 200 }),
  reserve: T.Array(ReserveNorm, { maxItems: 600 }),
  /** residents per district code (the gap analysis' base); the demo's figures are approximate */
  population: T.Array(
    T.Object({ districtCode: T.String({ maxLength: 64 }), people: Count(), basis: T.String({ maxLength: 300 }) }),
    { maxItems: 100 },
  ),
});
export type Norms = Static<typeof Norms>;

export const GapLine = T.Object({
  districtCode: T.String(),
  districtName: T.String(),
  tier: T.Enum(WAREHOUSE_TIERS),
  itemCode: T.String(),
  itemName: T.String(),
  unit: T.String(),
  required: T.Integer(),
  stock: T.Integer(),
  committed: T.Integer(),
  /** required − stock − committed, not below 0 */
  gap: T.Integer(),
  /** (stock + committed) / required; null when nothing is required */
  ratio: T.Union([T.Number(), T.Null()]),
});
export type GapLine = Static<typeof GapLine>;

export const ProcurementLine = T.Object({
  itemCode: T.String(),
  itemName: T.String(),
  unit: T.String(),
  quantity: T.Integer(),
  unitPriceYuan: T.Union([T.Number(), T.Null()]),
  costYuan: T.Union([T.Number(), T.Null()]),
  /** where it should go: district code and tier, quantity each */
  to: T.Array(T.Object({ districtCode: T.String(), tier: T.Enum(WAREHOUSE_TIERS), quantity: T.Integer() })),
  /** batches to replace: expiring within the plan's year */
  rotation: T.Integer(),
});
export type ProcurementLine = Static<typeof ProcurementLine>;

// ---- relief plans ----

export const PlanPlace = T.Object({
  id: T.String({ minLength: 1, maxLength: 64 }),
  name: T.Optional(T.String({ maxLength: 200 })),
  location: Point,
  people: T.Optional(Count()),
});
export type PlanPlace = Static<typeof PlanPlace>;

export const PlanRequest = T.Object({
  places: T.Array(PlanPlace, { minItems: 1, maxItems: 5000 }),
  /** explicit needs; without them, needs are the relief norms × people × days */
  needs: T.Optional(
    T.Array(
      T.Object({ placeId: T.String({ minLength: 1, maxLength: 64 }), itemCode: ItemCode, quantity: Quantity() }),
      {
        maxItems: 100_000,
      },
    ),
  ),
  /** norms only for these items (default: every relief norm) */
  itemCodes: T.Optional(T.Array(ItemCode, { maxItems: 200, uniqueItems: true })),
  days: T.Optional(T.Integer({ minimum: 1, maximum: 30, default: 1 })),
  startAt: T.Optional(T.String({ format: 'date-time' })),
  deadlineHours: T.Optional(T.Number({ minimum: 0.25, maximum: 240, default: 12 })),
  /** only these warehouses (default: every active one) */
  warehouseIds: T.Optional(T.Array(Uuid, { maxItems: 2000, uniqueItems: true })),
  /** minutes to load: one figure for all, or per warehouse id (default: each warehouse's own) */
  loadingMinutes: T.Optional(
    T.Union([
      T.Integer({ minimum: 0, maximum: 1440 }),
      T.Record(T.String({ format: 'uuid' }), T.Integer({ minimum: 0, maximum: 1440 })),
    ]),
  ),
  incidentId: T.Optional(Uuid),
  name: T.Optional(T.String({ maxLength: 200 })),
  /** compute and answer, but do not keep the plan */
  dryRun: T.Optional(T.Boolean()),
});
export type PlanRequest = Static<typeof PlanRequest>;

export const Shipment = T.Object({
  warehouseId: Uuid,
  placeId: T.String(),
  itemCode: T.String(),
  quantity: T.Integer(),
  /** when the vehicle leaves the warehouse (after loading, and an agreement's lead time) */
  departAt: T.String(),
  /** seconds from startAt to arrival */
  etaSeconds: T.Integer(),
});
export type Shipment = Static<typeof Shipment>;

export const Unmet = T.Object({ placeId: T.String(), itemCode: T.String(), quantity: T.Integer() });
export type Unmet = Static<typeof Unmet>;

/** Extra stock that would close an unmet need: at the warehouse that reaches the places soonest (null: none can). */
export const ExtraStock = T.Object({
  warehouseId: T.Union([Uuid, T.Null()]),
  itemCode: T.String(),
  quantity: T.Integer(),
  placeIds: T.Array(T.String()),
});

export const PlanTotals = T.Object({
  need: T.Integer(),
  delivered: T.Integer(),
  unmet: T.Integer(),
  /** Σ quantity × etaSeconds */
  weightedSeconds: T.Number(),
  /** the latest arrival, seconds from startAt */
  lastArrivalSeconds: T.Union([T.Integer(), T.Null()]),
});

/** optimal: every item solved exactly; no-supply: nothing asked for is held anywhere (no road network: refused) */
export const SOLVER_STATUSES = ['optimal', 'no-supply'] as const;

export const Plan = T.Object({
  id: T.Union([Uuid, T.Null()]),
  number: T.Union([T.String(), T.Null()]),
  name: T.Union([T.String(), T.Null()]),
  incidentId: T.Union([Uuid, T.Null()]),
  startAt: T.String(),
  deadlineAt: T.String(),
  deadlineHours: T.Number(),
  feasibleWithinDeadline: T.Boolean(),
  solver: T.Object({
    status: T.Enum(SOLVER_STATUSES),
    method: T.String({ description: 'min-cost flow per item' }),
    ms: T.Number(),
    matrixMs: T.Number(),
  }),
  places: T.Array(PlanPlace),
  shipments: T.Array(Shipment),
  unmet: T.Array(Unmet),
  extraStock: T.Array(ExtraStock),
  totals: PlanTotals,
  /** the nearest-warehouse-first greedy plan on the same input, for comparison */
  greedy: PlanTotals,
  /** places no road reaches (snapped nowhere): their need is unmet */
  unreachablePlaces: T.Array(T.String()),
  createdAt: T.Union([T.String(), T.Null()]),
  createdBy: T.Union([T.Object({ id: T.String(), name: T.String() }), T.Null()]),
});
export type Plan = Static<typeof Plan>;

// ---- dispatch orders ----

export const ORDER_STATES = ['planned', 'loaded', 'en_route', 'delivered', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const ORDER_STATE_INFO: Record<OrderState, { zh: string; en: string }> = {
  planned: { zh: '待装车', en: 'Planned' },
  loaded: { zh: '已装车', en: 'Loaded' },
  en_route: { zh: '在途', en: 'En route' },
  delivered: { zh: '已送达', en: 'Delivered' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};
/** the next states an order may take */
export const ORDER_NEXT: Record<OrderState, readonly OrderState[]> = {
  planned: ['loaded', 'cancelled'],
  loaded: ['en_route', 'cancelled'],
  en_route: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const DispatchOrder = T.Object({
  id: Uuid,
  number: T.String({ description: 'DY-… number (调运单)' }),
  planId: Uuid,
  warehouseId: Uuid,
  warehouseName: T.String(),
  placeId: T.String(),
  placeName: T.Union([T.String(), T.Null()]),
  destination: Point,
  lines: T.Array(T.Object({ itemCode: T.String(), itemName: T.String(), unit: T.String(), quantity: T.Integer() })),
  state: T.Enum(ORDER_STATES),
  plannedDepartAt: T.String(),
  etaAt: T.String(),
  loadedAt: T.Union([T.String(), T.Null()]),
  departedAt: T.Union([T.String(), T.Null()]),
  deliveredAt: T.Union([T.String(), T.Null()]),
  /** en route past its ETA, or delivered after it */
  late: T.Boolean(),
  vehicle: T.Union([T.String(), T.Null()]),
  driver: T.Union([T.String(), T.Null()]),
  proof: T.Union([
    T.Object({ receivedBy: T.String(), note: T.Union([T.String(), T.Null()]), fileIds: T.Array(T.String()) }),
    T.Null(),
  ]),
  version: T.Integer(),
});
export type DispatchOrder = Static<typeof DispatchOrder>;

export const OrderTransition = T.Object({
  state: T.Enum(ORDER_STATES),
  version: Version(),
  vehicle: T.Optional(T.String({ maxLength: 64 })),
  driver: T.Optional(T.String({ maxLength: 100 })),
  /** delivered: who signed for it */
  receivedBy: T.Optional(T.String({ minLength: 1, maxLength: 100 })),
  note: T.Optional(T.String({ maxLength: 500 })),
  /** delivered: photos uploaded through /api/v1/files to the order */
  fileIds: T.Optional(T.Array(Uuid, { maxItems: 10 })),
});
export type OrderTransition = Static<typeof OrderTransition>;

/** What a plan still owes: need − delivered, per place and item, after its orders so far. */
export const PlanProgress = T.Object({
  planId: Uuid,
  orders: T.Object({
    planned: T.Integer(),
    loaded: T.Integer(),
    en_route: T.Integer(),
    delivered: T.Integer(),
    cancelled: T.Integer(),
    late: T.Integer(),
  }),
  remaining: T.Array(
    T.Object({
      placeId: T.String(),
      itemCode: T.String(),
      need: T.Integer(),
      delivered: T.Integer(),
      remaining: T.Integer(),
    }),
  ),
});
export type PlanProgress = Static<typeof PlanProgress>;

// ---- norms settings, gap and procurement replies, order lists (part C) ----

/** The norms as stored (`logistics.norms`), with the settings row's version; `defaults`: nothing saved yet. */
export const NormsSettings = T.Object({
  ...Norms.properties,
  version: T.Integer(),
  defaults: T.Boolean(),
  updatedAt: T.Union([T.String(), T.Null()]),
});
export type NormsSettings = Static<typeof NormsSettings>;

/** PUT: the whole norms; `version` as read (stale → 409) */
export const NormsInput = T.Object({ ...Norms.properties, version: T.Optional(Version()) });
export type NormsInput = Static<typeof NormsInput>;

const ExportFormat = T.Optional(T.Union([T.Literal('json'), T.Literal('xlsx')], { description: 'xlsx: download' }));

export const GapQuery = T.Object({
  /** a district code (city tier: the city's code) */
  district: T.Optional(T.String({ maxLength: 64 })),
  tier: T.Optional(T.Enum(WAREHOUSE_TIERS)),
  itemCode: T.Optional(ItemCode),
  /** only lines with a gap */
  short: T.Optional(T.Boolean()),
  format: ExportFormat,
});
export type GapQuery = Static<typeof GapQuery>;

export const GapReport = T.Object({
  /** when stock was read */
  at: T.String(),
  items: T.Array(GapLine),
  total: T.Integer(),
  /** how required is counted, in words (zh, en) */
  rule: T.Object({ zh: T.String(), en: T.String() }),
});
export type GapReport = Static<typeof GapReport>;

export const ProcurementQuery = T.Object({
  /** the plan's year (Beijing); default the current year */
  year: T.Optional(T.Integer({ minimum: 2000, maximum: 2100 })),
  format: ExportFormat,
});
export type ProcurementQuery = Static<typeof ProcurementQuery>;

export const ProcurementProposal = T.Object({
  year: T.Integer(),
  /** stock counted as of this instant; rotation: batches expiring within a year of it */
  at: T.String(),
  items: T.Array(ProcurementLine),
  total: T.Integer(),
  /** Σ costYuan of the priced lines */
  costYuan: T.Number(),
  /** item codes without a unit price in the catalogue (their cost is not in costYuan) */
  unpriced: T.Array(T.String()),
});
export type ProcurementProposal = Static<typeof ProcurementProposal>;

export const OrderQuery = T.Object({
  planId: T.Optional(Uuid),
  state: T.Optional(T.Enum(ORDER_STATES)),
  warehouseId: T.Optional(Uuid),
  /** only late orders (true) or only those on time (false) */
  late: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500 }),
});
export type OrderQuery = Static<typeof OrderQuery>;

// ---- relief plan lists and routes (part B) ----

/** A stored plan in a list: its verdict and totals without the shipments. */
export const PlanSummary = T.Object({
  id: Uuid,
  number: T.String({ description: 'JZ-… number (救灾物资调运方案)' }),
  name: T.Union([T.String(), T.Null()]),
  incidentId: T.Union([Uuid, T.Null()]),
  startAt: T.String(),
  deadlineAt: T.String(),
  feasibleWithinDeadline: T.Boolean(),
  places: T.Integer(),
  shipments: T.Integer(),
  totals: PlanTotals,
  createdAt: T.String(),
  createdBy: T.Object({ id: T.String(), name: T.String() }),
});
export type PlanSummary = Static<typeof PlanSummary>;

export const PlanQuery = T.Object({
  incidentId: T.Optional(Uuid),
  /** only plans that meet (true) or miss (false) the deadline */
  feasible: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 200 }),
});
export type PlanQuery = Static<typeof PlanQuery>;

/** GET …/plans/{id}/routes: the shipments' roads, one line per warehouse → place pair (at most 500, most goods first). */
export const PLAN_ROUTES_MAX = 500;
export const PlanRoutes = T.Object({
  type: T.Literal('FeatureCollection'),
  features: T.Array(
    T.Object({
      type: T.Literal('Feature'),
      geometry: T.Object({ type: T.Literal('LineString'), coordinates: T.Array(T.Array(T.Number())) }),
      properties: T.Object({
        warehouseId: T.String(),
        warehouseName: T.String(),
        placeId: T.String(),
        placeName: T.Union([T.String(), T.Null()]),
        items: T.Array(T.Object({ itemCode: T.String(), quantity: T.Integer() })),
        etaSeconds: T.Integer(),
        /** by road now (closures in force); null: no road leads there now, the line is straight */
        seconds: T.Union([T.Number(), T.Null()]),
        meters: T.Union([T.Number(), T.Null()]),
        straight: T.Boolean(),
      }),
    }),
  ),
  /** pairs beyond the first 500 are left out */
  omitted: T.Integer(),
});
export type PlanRoutes = Static<typeof PlanRoutes>;
