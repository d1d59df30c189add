/**
 * Receipts from a spreadsheet (入库导入): one row per batch received, each checked as a receipt by hand would be
 * (`checkReceipt`: the warehouse by its CK number within the importer's scope, the item, the expiry) and written as
 * one in the import's transaction. Rows with the same document number form one document; rows without one share the
 * `WZ-…` number the import takes for them. All rows or none.
 */
import type { ReceiptInput } from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { ImportColumn } from '../../platform/imports/columns.ts';
import type { ImportDeclaration } from '../../platform/imports/imports.service.ts';
import { nextNumber } from '../../platform/numbering.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { checkReceipt, receive } from './stock.service.ts';
import './stock.errors.ts';
import { findWarehouseByCode } from './warehouses.repository.ts';
import { WAREHOUSE_ENTITY } from './warehouses.service.ts';

export const RECEIPT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'warehouse',
    zh: '仓库编号',
    en: 'Warehouse number',
    kind: 'text',
    max: 40,
    required: true,
    field: 'warehouse',
    noteZh: '仓库的 CK- 编号（仓库列表中可见）',
    noteEn: "the warehouse's CK- number (shown in the warehouse list)",
    example: 'CK-2026-000001',
    width: 18,
  },
  {
    key: 'itemCode',
    zh: '物资编码',
    en: 'Item code',
    kind: 'text',
    max: 20,
    required: true,
    field: 'items.0.itemCode',
    noteZh: 'GB/T 38565-2020 编码或目录中的本地物资编码',
    noteEn: 'a GB/T 38565-2020 code or a local item of the catalogue',
    example: '1100401',
    width: 14,
  },
  {
    key: 'quantity',
    zh: '数量',
    en: 'Quantity',
    kind: 'integer',
    min: 1,
    max: 1_000_000_000,
    required: true,
    field: 'items.0.quantity',
    noteZh: '按目录中该物资的计量单位',
    noteEn: "in the item's unit of the catalogue",
    example: 500,
    width: 10,
  },
  {
    key: 'batch',
    zh: '批次',
    en: 'Batch',
    kind: 'text',
    max: 64,
    field: 'items.0.batch',
    noteZh: '留空为单据号',
    noteEn: 'empty: the document number',
    example: '20260801A',
    width: 14,
  },
  {
    key: 'producedOn',
    zh: '生产日期',
    en: 'Produced on',
    kind: 'text',
    max: 20,
    field: 'items.0.producedOn',
    noteZh: '日期，如 2026-08-01',
    noteEn: 'a day, e.g. 2026-08-01',
    width: 12,
  },
  {
    key: 'expiresOn',
    zh: '有效期至',
    en: 'Expires on',
    kind: 'text',
    max: 20,
    field: 'items.0.expiresOn',
    noteZh: '日期；留空时按生产日期加目录中的保质期计算，无保质期的物资不填',
    noteEn: "a day; empty: the production day plus the item's shelf life (none for items that do not expire)",
    example: '2028-02-01',
    width: 12,
  },
  {
    key: 'docNo',
    zh: '单据号',
    en: 'Document number',
    kind: 'text',
    max: 64,
    field: 'docNo',
    noteZh: '纸质入库单号；同一单据号的行为一张单据，留空的行共用一个系统编号',
    noteEn: 'the paper receipt’s number; rows of one number are one document, empty ones share a number given',
    width: 16,
  },
  { key: 'note', zh: '备注', en: 'Note', kind: 'text', max: 500, field: 'note', width: 20 },
];

export interface ReceiptRow {
  warehouse: string;
  input: ReceiptInput;
}

type Values = Record<string, unknown>;
const text = (v: Values, k: string) => {
  const x = v[k];
  return x === null || x === undefined || String(x).trim() === '' ? undefined : String(x).trim();
};
/** a day as written, or an Excel date cell's `YYYY-MM-DD 00:00` */
const day = (v: Values, k: string) => {
  const t = text(v, k);
  return t ? (/^\d{4}-\d{2}-\d{2}(?: 00:00)?$/.test(t) ? t.slice(0, 10) : t) : undefined;
};

export function receiptRowOf(v: Values): ReceiptRow {
  const opt = <K extends string>(k: K, x: unknown) => (x === undefined ? {} : { [k]: x });
  return {
    warehouse: text(v, 'warehouse') ?? '',
    input: {
      ...opt('docNo', text(v, 'docNo')),
      ...opt('note', text(v, 'note')),
      items: [
        {
          itemCode: (text(v, 'itemCode') ?? '').toUpperCase(),
          quantity: typeof v.quantity === 'number' ? v.quantity : 0,
          ...opt('batch', text(v, 'batch')),
          ...opt('producedOn', day(v, 'producedOn')),
          ...opt('expiresOn', day(v, 'expiresOn')),
        },
      ],
    },
  };
}

/** the number a commit gives the rows without one: one per import transaction */
const sharedNumbers = new WeakMap<object, string>();

export function receiptImport(
  deps: LogisticsDeps,
): ImportDeclaration<ReceiptRow, { warehouseId: string; row: ReceiptRow }> {
  const resolve = async (ctx: RequestCtx, row: ReceiptRow, db: Tx) => {
    const w = await findWarehouseByCode(db, row.warehouse);
    if (!w) throw new AppError('NOT_FOUND', { field: 'warehouse', entity: WAREHOUSE_ENTITY });
    await checkReceipt(deps, ctx, w.id, row.input, db);
    return w.id;
  };
  return {
    registry: 'stock-receipts',
    zh: '物资入库',
    en: 'Stock receipts',
    entity: 'warehouse',
    noteZh:
      '每行一个批次，按手工入库的同一规则检查：仓库须在导入人的数据范围内且在用，物资须在目录中，有效期不能已过。' +
      '任何一行有错，整个文件都不导入。',
    noteEn:
      'One batch per row, checked by the same rules as a receipt by hand: the warehouse in the importer’s scope and in ' +
      'use, the item in the catalogue, the expiry not past. One bad row and nothing of the file is imported.',
    permission: 'stock.move',
    columns: RECEIPT_COLUMNS,
    maxRows: 5000,
    toInput: receiptRowOf,
    async prepare(ctx, row) {
      return { warehouseId: await resolve(ctx, row, deps.db.kysely), row };
    },
    async write(trx, ctx, p, now) {
      let docNo = p.row.input.docNo;
      if (!docNo) {
        docNo = sharedNumbers.get(trx) ?? (await nextNumber(trx, 'WZ', now));
        sharedNumbers.set(trx, docNo);
      }
      return receive(deps, ctx, p.warehouseId, { ...p.row.input, docNo }, { trx });
    },
    committed: () => deps.afterCommit(),
  };
}
