/**
 * The warehouse register's import: one row per warehouse, mapped to `WarehouseInput` and checked and written by the
 * same rules as a warehouse registered by hand (`prepareWarehouse` / `writeWarehouse`): the district from the point,
 * the owner unit, the data scope, an agreement for agreement and capacity reserves with its items as
 * `code×quantity`. All rows or none (the platform's import contract). The export writes the same columns first.
 */
import { Type as T } from 'typebox';
import {
  Agreement,
  RESERVE_TYPE_INFO,
  RESERVE_TYPES,
  WAREHOUSE_TIER_INFO,
  WAREHOUSE_TIERS,
  type WarehouseInput,
  WarehouseInput as WarehouseInputSchema,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import './stock.errors.ts';
import { type PreparedWarehouse, prepareWarehouse, writeWarehouse } from './warehouses.service.ts';

const props = WarehouseInputSchema.properties;
const max = (s: unknown) => (s as { maxLength?: number }).maxLength ?? 1000;

export const WAREHOUSE_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'name',
    zh: '仓库名称',
    en: 'Name',
    kind: 'text',
    max: max(props.name),
    required: true,
    field: 'name',
    example: '文登区救灾物资储备库',
    width: 28,
  },
  {
    key: 'tier',
    zh: '级别',
    en: 'Tier',
    kind: 'enum',
    options: WAREHOUSE_TIERS.map((k) => ({ value: k, zh: WAREHOUSE_TIER_INFO[k].zh, en: WAREHOUSE_TIER_INFO[k].en })),
    required: true,
    field: 'tier',
    example: '区县级',
    width: 10,
  },
  {
    key: 'reserveType',
    zh: '储备方式',
    en: 'Reserve type',
    kind: 'enum',
    options: RESERVE_TYPES.map((k) => ({ value: k, zh: RESERVE_TYPE_INFO[k].zh, en: RESERVE_TYPE_INFO[k].en })),
    required: true,
    field: 'reserveType',
    noteZh: '企业协议储备和产能储备须填写协议单位、响应时间和承诺物资',
    noteEn: 'enterprise agreements and production capacity need the partner, the lead time and the items committed',
    example: '政府实物储备',
    width: 14,
  },
  {
    key: 'lon',
    zh: '经度',
    en: 'Longitude',
    kind: 'lon',
    point: 'location',
    field: 'location',
    required: true,
    noteZh: '仓库位置，用于判定所属区市',
    noteEn: "the warehouse's position, which places it in its district",
    example: 122.058,
    width: 12,
  },
  {
    key: 'lat',
    zh: '纬度',
    en: 'Latitude',
    kind: 'lat',
    point: 'location',
    field: 'location',
    required: true,
    example: 37.2,
    width: 12,
  },
  {
    key: 'address',
    zh: '地址',
    en: 'Address',
    kind: 'text',
    max: max(props.address),
    field: 'address',
    width: 30,
  },
  {
    key: 'capacityM3',
    zh: '库容（立方米）',
    en: 'Capacity (m³)',
    kind: 'number',
    min: 0,
    max: 10_000_000,
    decimals: 1,
    field: 'capacityM3',
    example: 3000,
    width: 12,
  },
  {
    key: 'areaM2',
    zh: '面积（平方米）',
    en: 'Area (m²)',
    kind: 'number',
    min: 0,
    max: 10_000_000,
    decimals: 1,
    field: 'areaM2',
    width: 12,
  },
  {
    key: 'manager',
    zh: '负责人',
    en: 'Manager',
    kind: 'text',
    max: max(props.manager),
    field: 'manager',
    width: 12,
  },
  {
    key: 'phones',
    zh: '联系电话',
    en: 'Phones',
    kind: 'text',
    max: 200,
    field: 'phones',
    noteZh: '最多 3 个，以顿号或分号分隔',
    noteEn: 'at most 3, separated by semicolons',
    example: '0631-8451234',
    width: 18,
  },
  {
    key: 'unitCode',
    zh: '所属单位代码',
    en: 'Owner unit code',
    kind: 'text',
    max: 64,
    field: 'unitCode',
    noteZh: '组织机构中的单位代码，如 371003；留空为导入人所在单位',
    noteEn: 'the unit code of the organisation, e.g. 371003; empty: the importer’s unit',
    example: '371003',
    width: 14,
  },
  {
    key: 'loadingMinutes',
    zh: '装车时间（分钟）',
    en: 'Loading (minutes)',
    kind: 'integer',
    min: 0,
    max: 1440,
    field: 'loadingMinutes',
    noteZh: '留空为 30',
    noteEn: 'empty: 30',
    width: 12,
  },
  {
    key: 'partner',
    zh: '协议单位',
    en: 'Partner',
    kind: 'text',
    max: 200,
    field: 'agreement.partner',
    width: 22,
  },
  {
    key: 'partnerContact',
    zh: '协议联系人',
    en: 'Partner contact',
    kind: 'text',
    max: 100,
    field: 'agreement.contact',
    width: 12,
  },
  {
    key: 'partnerPhone',
    zh: '协议联系电话',
    en: 'Partner phone',
    kind: 'text',
    max: 40,
    field: 'agreement.phone',
    width: 16,
  },
  {
    key: 'leadTimeHours',
    zh: '响应时间（小时）',
    en: 'Lead time (hours)',
    kind: 'number',
    min: 0,
    max: 720,
    decimals: 1,
    field: 'agreement.leadTimeHours',
    noteZh: '自调用至货物在协议单位备妥的小时数',
    noteEn: 'hours from the call to the goods being ready at the partner',
    width: 12,
  },
  {
    key: 'validUntil',
    zh: '协议有效期至',
    en: 'Agreement valid until',
    kind: 'text',
    max: 20,
    field: 'agreement.validUntil',
    noteZh: '日期，如 2027-12-31；留空为长期',
    noteEn: 'a day, e.g. 2027-12-31; empty: open-ended',
    width: 14,
  },
  {
    key: 'agreementItems',
    zh: '承诺物资',
    en: 'Items committed',
    kind: 'text',
    max: 10_000,
    field: 'agreement.items',
    noteZh: '物资编码×数量（每次调用），以顿号或逗号分隔，如 1100401×500、1110203-MB×200',
    noteEn: 'item code×quantity (per call), separated by commas, e.g. 1100401×500, 1110203-MB×200',
    width: 30,
  },
  {
    key: 'notes',
    zh: '备注',
    en: 'Notes',
    kind: 'text',
    max: max(props.notes),
    field: 'notes',
    width: 24,
  },
];

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => {
  const x = v[k];
  return x === null || x === undefined || String(x).trim() === '' ? undefined : String(x).trim();
};
const num = (v: Values, k: string) => (typeof v[k] === 'number' ? v[k] : undefined);

/** A list cell's items: commas (full- or half-width), 顿号, semicolons and line breaks separate. */
function listOf(cell: string | undefined, seps = /[,、;\n]+/): string[] {
  return (cell ?? '')
    .normalize('NFKC')
    .split(seps)
    .map((x) => x.trim())
    .filter(Boolean);
}

const ITEM = /^([1-3]\d{6}(?:-[0-9A-Z]{1,8})?)\s*[×xX*]\s*(\d+)$/;

/** `1100401×500、1110203-MB×200` as agreement items; an item not in that form keeps quantity −1 for `prepare`. */
export function agreementItemsOf(cell: string | undefined): { itemCode: string; quantity: number }[] {
  return listOf(cell).map((s) => {
    const m = ITEM.exec(s.toUpperCase().replace(/\s+/g, ''));
    return m ? { itemCode: m[1]!, quantity: Number(m[2]) } : { itemCode: s, quantity: -1 };
  });
}

export function agreementItemsText(items: readonly { itemCode: string; quantity: number }[], zh: boolean): string {
  return items.map((i) => `${i.itemCode}×${i.quantity}`).join(zh ? '、' : ', ');
}

/** A row's values as the warehouse a user would have registered in the form. */
export function warehouseInputOf(v: Values): WarehouseInput {
  const loc = v.location as { lng: number; lat: number } | null;
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  const type = text(v, 'reserveType');
  const hasAgreement =
    ['partner', 'leadTimeHours', 'agreementItems', 'partnerContact', 'partnerPhone', 'validUntil'].some(
      (k) => v[k] !== null && v[k] !== undefined && String(v[k]).trim() !== '',
    ) ||
    type === 'agreement' ||
    type === 'capacity';
  const validUntil = text(v, 'validUntil');
  const phones = listOf(text(v, 'phones'), /[、;；\n]+/);
  return {
    name: text(v, 'name') ?? '',
    tier: (text(v, 'tier') ?? '') as WarehouseInput['tier'],
    reserveType: (type ?? '') as WarehouseInput['reserveType'],
    location: loc
      ? { type: 'Point', coordinates: [loc.lng, loc.lat] }
      : (null as unknown as WarehouseInput['location']),
    ...opt('address', text(v, 'address')),
    ...opt('capacityM3', num(v, 'capacityM3')),
    ...opt('areaM2', num(v, 'areaM2')),
    ...opt('manager', text(v, 'manager')),
    ...(phones.length ? { phones } : {}),
    ...opt('unitCode', text(v, 'unitCode')),
    ...opt('loadingMinutes', num(v, 'loadingMinutes')),
    ...(hasAgreement
      ? {
          agreement: {
            partner: text(v, 'partner') ?? '',
            ...opt('contact', text(v, 'partnerContact')),
            ...opt('phone', text(v, 'partnerPhone')),
            leadTimeHours: num(v, 'leadTimeHours') ?? 0,
            ...(validUntil ? { validUntil: /^\d{4}-\d{2}-\d{2}/.exec(validUntil)?.[0] ?? validUntil } : {}),
            items: agreementItemsOf(text(v, 'agreementItems')),
          },
        }
      : {}),
    ...opt('notes', text(v, 'notes')),
  };
}

/** The service's schema with the items cell loosened: a malformed item is named as written by `prepare`. */
const ImportSchema = T.Object({
  ...props,
  agreement: T.Optional(
    T.Union([
      T.Object({
        ...Agreement.properties,
        items: T.Array(T.Object({ itemCode: T.String({ maxLength: 10_000 }), quantity: T.Integer({ minimum: -1 }) }), {
          maxItems: 500,
        }),
      }),
      T.Null(),
    ]),
  ),
});

export const WAREHOUSE_IMPORT_NOTE = {
  zh:
    '每行一个仓库，按手工登记的同一规则检查：所属区市由经纬度判定，所属单位须在组织机构中，位置须在导入人的数据范围内；' +
    '企业协议储备和产能储备须有协议单位和承诺物资（物资编码须为 GB/T 38565-2020 编码或目录中的本地物资）。' +
    '任何一行有错，整个文件都不导入。库存不在此表中，请在仓库页面入库。',
  en:
    'One warehouse per row, checked by the same rules as a warehouse registered by hand: the district follows from the ' +
    'point, the owner unit must exist and the warehouse must lie in the importer’s data scope; agreement and capacity ' +
    'reserves need a partner and the items committed (GB/T 38565-2020 codes or local items of the catalogue). One bad ' +
    'row and nothing of the file is imported. Stock is not in this sheet: receive it on the warehouse’s page.',
};

export function warehouseImport(deps: LogisticsDeps): ImportDeclaration<WarehouseInput, PreparedWarehouse> {
  return {
    registry: 'warehouses',
    zh: '仓库',
    en: 'Warehouse register',
    entity: 'warehouse',
    permission: 'supplies.manage',
    columns: WAREHOUSE_COLUMNS,
    noteZh: WAREHOUSE_IMPORT_NOTE.zh,
    noteEn: WAREHOUSE_IMPORT_NOTE.en,
    schema: ImportSchema,
    maxRows: 2000,
    toInput: warehouseInputOf,
    async prepare(ctx, input) {
      const bad = input.agreement?.items.find((i) => i.quantity < 0);
      if (bad)
        throw new AppError('VALIDATION', {
          field: 'agreement.items',
          reason: {
            zh: `应写作“编码×数量”，如 1100401×500：${bad.itemCode}`,
            en: `write "code×quantity", e.g. 1100401×500: ${bad.itemCode}`,
          },
        });
      return prepareWarehouse(deps, ctx, input);
    },
    async write(trx, ctx, prepared, now) {
      return writeWarehouse(deps, trx, ctx, prepared, now);
    },
    committed: () => deps.afterCommit(),
  };
}
