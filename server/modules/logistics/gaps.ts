/**
 * The gap analysis and the procurement proposal as pure functions of the norms, the holdings and the item names.
 *
 * Required reserve (the rule, also said in words by `GAP_RULE`):
 * - city tier: the city's residents (its population row; else the sum of the districts') × the city norm per 1,000,
 *   against the city-tier stock wherever in the city its warehouses stand;
 * - district tier and town tier: each district's (or zone's) residents × that tier's norm per 1,000, against the
 *   stock of that tier's warehouses in the district (the towns' own residents are not known: a district's town
 *   warehouses together answer for the district);
 * - rounded up to whole units; held = stock (not expired) + committed (agreement and capacity reserves, uncalled).
 * Stock of a tier in a district without a population row (or in no district) is listed with nothing required.
 *
 * Procurement: per line, the target is the norm where one is set, else what is held now (kept like for like); buy
 * what the target lacks once the batches expiring within the year are gone: max(0, target − (held − expiring)).
 * Of that, `gap` closes the shortfall today and the rest is rotation.
 */
import {
  type GapLine,
  type Norms,
  type ProcurementLine,
  WAREHOUSE_TIERS,
  type WarehouseTier,
} from '../../../contracts/logistics.ts';

/** what part A's `holdings` answers, per district, tier and item */
export interface Holding {
  districtCode: string | null;
  tier: WarehouseTier;
  itemCode: string;
  stock: number;
  committed: number;
  expiringWithinYear: number;
}

export interface ItemNames {
  name: string;
  unit: string;
  unitPriceYuan?: number | null;
}

export interface AreaNames {
  /** the city's code (the city tier's area) */
  cityCode: string;
  /** a code's name in the reader's language; '' for stock in no district */
  name(code: string): string;
  /** kind of a unit code: 'city', 'district', 'zone' … (undefined: unknown) */
  kind(code: string): string | undefined;
}

export const GAP_RULE = {
  zh:
    '应储数量 = 常住人口 × 每千人储备定额（向上取整）：市级按全市人口、对全市市级仓库；区县级和镇街级按各区市（功能区）人口、' +
    '对该区市内本级仓库。现有 = 未过期库存 + 协议/产能储备未调用的承诺量；缺口 = 应储 − 现有（不小于 0）。',
  en:
    'Required = residents × reserve norm per 1,000 (rounded up): the city tier on the whole city against every city ' +
    "warehouse; the district and town tiers on each district's (zone's) residents against that tier's warehouses " +
    'in it. Held = stock not expired + uncalled agreement or capacity commitments; gap = required − held, not below 0.',
};

/** a gap line with what procurement needs besides: the stock expiring within the year */
export interface GapCalc extends GapLine {
  expiring: number;
}

const NO_DISTRICT = '';

export function computeGaps(
  norms: Norms,
  holdings: readonly Holding[],
  items: (code: string) => ItemNames,
  areas: AreaNames,
): GapCalc[] {
  // held by area key: city tier → the city; others → their district
  const held = new Map<string, { stock: number; committed: number; expiring: number }>();
  const key = (district: string, tier: WarehouseTier, item: string) => `${tier}\t${district}\t${item}`;
  for (const h of holdings) {
    const district = h.tier === 'city' ? areas.cityCode : (h.districtCode ?? NO_DISTRICT);
    const k = key(district, h.tier, h.itemCode);
    const had = held.get(k) ?? { stock: 0, committed: 0, expiring: 0 };
    had.stock += h.stock;
    had.committed += h.committed;
    had.expiring += h.expiringWithinYear;
    held.set(k, had);
  }

  const people = new Map(norms.population.map((p) => [p.districtCode, p.people]));
  const districts = norms.population
    .map((p) => p.districtCode)
    .filter((c) => c !== areas.cityCode && areas.kind(c) !== 'city');
  const cityPeople = people.get(areas.cityCode) ?? districts.reduce((s, c) => s + (people.get(c) ?? 0), 0);

  const required = new Map<string, number>();
  for (const r of norms.reserve) {
    if (r.perThousand <= 0) continue;
    const areasOf =
      r.tier === 'city'
        ? [[areas.cityCode, cityPeople] as const]
        : districts.map((c) => [c, people.get(c) ?? 0] as const);
    for (const [code, n] of areasOf) required.set(key(code, r.tier, r.itemCode), Math.ceil((n * r.perThousand) / 1000));
  }

  const lines: GapCalc[] = [];
  for (const k of new Set([...required.keys(), ...held.keys()])) {
    const [tier, districtCode, itemCode] = k.split('\t') as [WarehouseTier, string, string];
    const req = required.get(k) ?? 0;
    const h = held.get(k) ?? { stock: 0, committed: 0, expiring: 0 };
    const have = h.stock + h.committed;
    const info = items(itemCode);
    lines.push({
      districtCode,
      districtName: districtCode === NO_DISTRICT ? areas.name(NO_DISTRICT) : areas.name(districtCode),
      tier,
      itemCode,
      itemName: info.name,
      unit: info.unit,
      required: req,
      stock: h.stock,
      committed: h.committed,
      gap: Math.max(0, req - have),
      ratio: req > 0 ? Math.round((have / req) * 1000) / 1000 : null,
      expiring: h.expiring,
    });
  }
  const order = new Map(norms.population.map((p, i) => [p.districtCode, i]));
  const tierOrder = (t: WarehouseTier) => WAREHOUSE_TIERS.indexOf(t);
  lines.sort(
    (a, b) =>
      tierOrder(a.tier) - tierOrder(b.tier) ||
      (order.get(a.districtCode) ?? 1e9) - (order.get(b.districtCode) ?? 1e9) ||
      a.districtCode.localeCompare(b.districtCode) ||
      a.itemCode.localeCompare(b.itemCode),
  );
  return lines;
}

/** What to buy in the year per item, where it goes, and its estimated cost (see the rule above). */
export function procurementOf(lines: readonly GapCalc[], items: (code: string) => ItemNames): ProcurementLine[] {
  const byItem = new Map<string, ProcurementLine>();
  for (const l of lines) {
    const have = l.stock + l.committed;
    const target = l.required > 0 ? l.required : have;
    const quantity = Math.max(0, target - (have - l.expiring));
    if (quantity === 0) continue;
    const gapPart = Math.min(quantity, l.gap);
    let p = byItem.get(l.itemCode);
    if (!p) {
      const info = items(l.itemCode);
      p = {
        itemCode: l.itemCode,
        itemName: info.name,
        unit: info.unit,
        quantity: 0,
        unitPriceYuan: info.unitPriceYuan ?? null,
        costYuan: null,
        to: [],
        rotation: 0,
      };
      byItem.set(l.itemCode, p);
    }
    p.quantity += quantity;
    p.rotation += quantity - gapPart;
    p.to.push({ districtCode: l.districtCode, tier: l.tier, quantity });
  }
  const out = [...byItem.values()];
  for (const p of out)
    p.costYuan = p.unitPriceYuan === null ? null : Math.round(p.quantity * p.unitPriceYuan * 100) / 100;
  return out.sort((a, b) => a.itemCode.localeCompare(b.itemCode));
}
