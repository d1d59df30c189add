/**
 * The norms an installation starts with, until an administrator saves its own (`PUT /api/v1/logistics/norms`).
 *
 * Every quantity here is an ASSUMPTION: the national per-person relief quantities (litres of water a day, quilts and
 * clothes per person, people per tent) are not verified (standards-facts.md §7: the 自然灾害救助条例 names the kinds
 * of relief, not their quantities; GB 21734, GB 51143, 建标121-2009 or a province's reserve norms may hold them, and
 * none was obtained). The populations are the 7th census city total and approximate district splits.
 *
 * Quantities are counted in the unit the basis names (a bottle of 550 mL, a pack, a set, a kg): the catalogue's unit
 * of the same code must agree, or the norm must be edited.
 */
import type { Norms, ReliefNorm, ReserveNorm, WarehouseTier } from '../../../contracts/logistics.ts';

const NOT_VERIFIED = '国家人均定额未核实（standards-facts §7）';

const relief = (itemCode: string, perPersonPerDay: number, basis: string, once?: true): ReliefNorm => ({
  itemCode,
  perPersonPerDay,
  ...(once ? { once } : {}),
  basis: `假设：${basis}；${NOT_VERIFIED}`,
  assumption: true,
});

export const DEFAULT_RELIEF_NORMS: ReliefNorm[] = [
  relief('1100401', 6, '饮用水每人每天约 3 L，按 550 mL 瓶计 6 瓶'),
  relief('1100105', 3, '即食食品（方便面、自热食品）每人每天 3 份（每餐 1 份）'),
  relief('1110203', 1, '棉被（寝具）每人 1 床，发放一次', true),
  relief('1110101', 1, '御寒衣物（棉衣裤）每人 1 套，发放一次', true),
  relief('1120100', 0.2, '救灾单帐篷（12 m²）每顶安置 5 人，发放一次', true),
  relief('1130501', 1, '折叠床每人 1 张，发放一次', true),
  relief('1140100', 0.02, '移动简易厕所每 50 人 1 座，发放一次', true),
];

/**
 * Reserve per 1,000 residents of the area a tier serves: the city tier the whole city, the district and town tiers
 * their district. The figures assume about 1 % of residents needing relief at once, the city holding the largest
 * share (it backs every district), the district tier the next, the towns the first hours.
 */
const RESERVE_PER_THOUSAND: [string, string, Record<WarehouseTier, number>][] = [
  ['1100401', '饮用水（550 mL 瓶）', { city: 60, district: 30, town: 20 }],
  ['1100105', '即食食品（份）', { city: 30, district: 15, town: 10 }],
  ['1010200', '大米（kg，持续救助时集中供餐）', { city: 15, district: 10, town: 5 }],
  ['1110203', '棉被（床）', { city: 10, district: 5, town: 2 }],
  ['1110101', '棉衣裤（套）', { city: 10, district: 5, town: 2 }],
  ['1120100', '单帐篷（顶）', { city: 2, district: 1, town: 0.5 }],
  ['1130501', '折叠床（张）', { city: 5, district: 3, town: 1 }],
  ['1140100', '移动简易厕所（座）', { city: 0.2, district: 0.1, town: 0 }],
];

export const DEFAULT_RESERVE_NORMS: ReserveNorm[] = RESERVE_PER_THOUSAND.flatMap(([itemCode, what, per]) =>
  (['city', 'district', 'town'] as const).map(
    (tier): ReserveNorm => ({
      itemCode,
      tier,
      perThousand: per[tier],
      basis: `假设：${what}，按约 1% 常住人口同时需救助、市级储备为主估算；${NOT_VERIFIED}`,
      assumption: true,
    }),
  ),
);

const CENSUS = '第七次全国人口普查（2020）威海市常住人口 2,906,548 人';

/**
 * Residents: the city (the city tier's base) from the 7th census; the districts and zones approximate. The census
 * counts the zones within their administrative districts (高区、经区、临港区 in 环翠区, 南海新区 in 文登区); here each
 * zone is split off its district so that a district's warehouses and a zone's are not both counted for the same
 * residents. The splits are estimates and sum to the census total.
 */
export const DEFAULT_POPULATION: Norms['population'] = [
  { districtCode: '371000', people: 2_906_548, basis: CENSUS },
  {
    districtCode: '371002',
    people: 575_000,
    basis: `约数：环翠区（不含高区、经区、临港区）；${CENSUS}，区内拆分为估算`,
  },
  { districtCode: 'gaoqu', people: 250_000, basis: `约数：火炬高技术产业开发区；从环翠区拆分的估算` },
  { districtCode: 'jingqu', people: 240_000, basis: `约数：经济技术开发区；从环翠区拆分的估算` },
  { districtCode: 'lingang', people: 70_000, basis: `约数：临港经济技术开发区；从环翠区拆分的估算` },
  { districtCode: '371003', people: 477_000, basis: `约数：文登区（不含南海新区）；${CENSUS}，区内拆分为估算` },
  { districtCode: 'nanhai', people: 80_000, basis: `约数：南海新区；从文登区拆分的估算` },
  { districtCode: '371082', people: 714_000, basis: `约数：荣成市；${CENSUS}，区县数为约数` },
  { districtCode: '371083', people: 500_548, basis: `约数：乳山市；${CENSUS}，区县数为约数（与上列合计等于全市）` },
];

export const DEFAULT_NORMS: Norms = {
  relief: DEFAULT_RELIEF_NORMS,
  reserve: DEFAULT_RESERVE_NORMS,
  population: DEFAULT_POPULATION,
};
