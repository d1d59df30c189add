/**
 * Common relief items described on every installation, so that stock, norms and plans have units, weights, volumes,
 * shelf lives and prices to work with from the first day. EVERY FIGURE HERE IS AN ASSUMPTION (typical retail packs
 * and prices as of 2026, not verified against any contract, standard or weighing): the basis says so, the catalogue
 * page shows it, and an administrator who describes the item again replaces it.
 */
import type { SupplyItemInput } from '../../../contracts/logistics.ts';
import { systemCtx } from '../../platform/core/context.ts';
import * as repo from './catalogue.repository.ts';
import { putItem } from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';

export const SEED_BASIS =
  '假设值（ASSUMPTION）：按常见市售包装和 2026 年市场价估计，未经合同、标准或称重核实，仅供库容、运力和采购估算；' +
  '请按本地合同价和实物核定后修改。 / Assumed figures: typical retail packs and 2026 market prices, not verified ' +
  'against a contract, a standard or a weighing; for volume, transport and cost estimates only — replace them.';

/** The seeded items (codes other parts may rely on: water 1100401, instant noodles 1100105-FBM, quilt 1110203-MB …). */
export const SEED_ITEMS: SupplyItemInput[] = [
  {
    code: '1100401',
    name: '瓶装饮用水（550 mL×24 瓶）',
    nameEn: 'Bottled water (24 × 550 mL)',
    unit: '箱',
    unitWeightKg: 13.8,
    unitVolumeM3: 0.022,
    shelfLifeDays: 540,
    unitPriceYuan: 30,
  },
  {
    code: '1100105-FBM',
    name: '方便面（24 包）',
    nameEn: 'Instant noodles (24 packs)',
    unit: '箱',
    unitWeightKg: 2.6,
    unitVolumeM3: 0.045,
    shelfLifeDays: 180,
    unitPriceYuan: 65,
  },
  {
    code: '1100106',
    name: '压缩饼干（24 块）',
    nameEn: 'Compressed biscuits (24 bars)',
    unit: '箱',
    unitWeightKg: 3.2,
    unitVolumeM3: 0.008,
    shelfLifeDays: 1095,
    unitPriceYuan: 110,
  },
  {
    code: '1110203-MB',
    name: '棉被',
    nameEn: 'Cotton quilt',
    unit: '床',
    unitWeightKg: 3,
    unitVolumeM3: 0.05,
    shelfLifeDays: null,
    unitPriceYuan: 120,
  },
  {
    code: '1110203-SD',
    name: '睡袋',
    nameEn: 'Sleeping bag',
    unit: '个',
    unitWeightKg: 1.8,
    unitVolumeM3: 0.02,
    shelfLifeDays: null,
    unitPriceYuan: 150,
  },
  {
    code: '1110202',
    name: '毛毯',
    nameEn: 'Blanket',
    unit: '床',
    unitWeightKg: 2,
    unitVolumeM3: 0.015,
    shelfLifeDays: null,
    unitPriceYuan: 80,
  },
  {
    code: '1110101-MDY',
    name: '棉大衣',
    nameEn: 'Padded cotton coat',
    unit: '件',
    unitWeightKg: 2,
    unitVolumeM3: 0.02,
    shelfLifeDays: null,
    unitPriceYuan: 160,
  },
  {
    code: '1120100-12',
    name: '12 m² 单帐篷',
    nameEn: 'Single tent, 12 m²',
    unit: '顶',
    unitWeightKg: 45,
    unitVolumeM3: 0.2,
    shelfLifeDays: null,
    unitPriceYuan: 1800,
  },
  {
    code: '1120200-12',
    name: '12 m² 棉帐篷',
    nameEn: 'Insulated tent, 12 m²',
    unit: '顶',
    unitWeightKg: 70,
    unitVolumeM3: 0.35,
    shelfLifeDays: null,
    unitPriceYuan: 3500,
  },
  {
    code: '1130501',
    name: '折叠床',
    nameEn: 'Folding bed',
    unit: '张',
    unitWeightKg: 12,
    unitVolumeM3: 0.08,
    shelfLifeDays: null,
    unitPriceYuan: 180,
  },
  {
    // the standard's own table reads 移动怯简易厕所 (a misprint of 式), as the default relief norms use it
    code: '1140100',
    name: '移动式简易厕所',
    nameEn: 'Mobile toilet',
    unit: '座',
    unitWeightKg: 80,
    unitVolumeM3: 2.2,
    shelfLifeDays: null,
    unitPriceYuan: 3500,
  },
  {
    code: '2070201',
    name: '手电筒',
    nameEn: 'Torch',
    unit: '只',
    unitWeightKg: 0.3,
    unitVolumeM3: 0.001,
    shelfLifeDays: null,
    unitPriceYuan: 25,
  },
];

/** Describes the seeded items an installation does not have yet (an item described by hand is left as it is). */
export async function seedCatalogue(deps: LogisticsDeps): Promise<string | undefined> {
  const have = new Set(
    (
      await repo.itemsByCode(
        deps.db.kysely,
        SEED_ITEMS.map((i) => i.code),
      )
    ).map((r) => r.code),
  );
  const missing = SEED_ITEMS.filter((i) => !have.has(i.code));
  if (missing.length === 0) return undefined;
  await deps.db.transaction(async (trx) => {
    for (const i of missing) await putItem(deps, systemCtx(), i.code, { ...i, basis: SEED_BASIS }, { trx });
  });
  deps.afterCommit();
  return `${missing.length} supply items described (assumed figures)`;
}
