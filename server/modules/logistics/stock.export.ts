/**
 * Excel exports of part A: the warehouse register (the import's columns first, so that it imports again, then
 * district, fill, stock held) and the ledger of movements (the list's filters and scope). Built in a worker thread
 * like the other registers' exports; each export is audited.
 */
import type { Static } from 'typebox';
import {
  MOVEMENT_KIND_INFO,
  type Movement,
  type MovementQuery,
  RESERVE_TYPE_INFO,
  WAREHOUSE_TIER_INFO,
  type Warehouse,
  type WarehouseQuery,
} from '../../../contracts/logistics.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords, localTime } from '../../platform/excel/export-notes.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { listMovements } from './stock.service.ts';
import { agreementItemsText, WAREHOUSE_COLUMNS } from './warehouses.import.ts';
import { warehousesById } from './warehouses.repository.ts';
import { listWarehouses } from './warehouses.service.ts';

export const EXPORT_MAX = 50_000;
const PAGE = 500;

export function exportFileName(what: 'warehouses' | 'movements', now: Date): string {
  return `${what}-${cityDate(now)}.xlsx`;
}

/** Pages of a list, up to EXPORT_MAX rows. */
async function* pagesOf<R>(
  first: R[],
  next: (offset: number) => Promise<R[]>,
  count: { rows: number },
  signal?: AbortSignal,
): AsyncGenerator<R[]> {
  let page = first;
  while (page.length && count.rows < EXPORT_MAX) {
    signal?.throwIfAborted();
    const take = page.slice(0, EXPORT_MAX - count.rows);
    count.rows += take.length;
    yield take;
    if (page.length < PAGE) break;
    page = await next(count.rows);
  }
}

function importCell(c: ImportColumn, w: Warehouse, lang: Lang): string | number | null {
  const zh = lang === 'zh';
  const a = w.agreement;
  switch (c.key) {
    case 'name':
      return w.name;
    case 'tier':
      return `${w.tier} ${WAREHOUSE_TIER_INFO[w.tier][lang]}`;
    case 'reserveType':
      return `${w.reserveType} ${RESERVE_TYPE_INFO[w.reserveType][lang]}`;
    case 'lon':
      return w.location.coordinates[0] ?? null;
    case 'lat':
      return w.location.coordinates[1] ?? null;
    case 'address':
      return w.address;
    case 'capacityM3':
      return w.capacityM3;
    case 'areaM2':
      return w.areaM2;
    case 'manager':
      return w.manager;
    case 'phones':
      return w.phones.join(zh ? '、' : '; ') || null;
    case 'unitCode':
      return w.unitCode;
    case 'loadingMinutes':
      return w.loadingMinutes;
    case 'partner':
      return a?.partner ?? null;
    case 'partnerContact':
      return a?.contact ?? null;
    case 'partnerPhone':
      return a?.phone ?? null;
    case 'leadTimeHours':
      return a ? a.leadTimeHours : null;
    case 'validUntil':
      return a?.validUntil ?? null;
    case 'agreementItems':
      return a ? agreementItemsText(a.items, zh) || null : null;
    case 'notes':
      return w.notes;
    default:
      return null;
  }
}

export function warehouseExportColumns(lang: Lang): Column<Warehouse>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    ...WAREHOUSE_COLUMNS.map(
      (c): Column<Warehouse> => ({
        header: headerOf(c, lang),
        width: c.width,
        value: (w) => importCell(c, w, lang),
        ...(c.kind === 'lon' || c.kind === 'lat' ? { format: '0.000000' } : {}),
      }),
    ),
    { header: h('编号', 'Number'), width: 18, value: (w) => w.code },
    { header: h('所属区市', 'District'), width: 12, value: (w) => w.district?.name ?? '' },
    { header: h('在用', 'In use'), width: 8, value: (w) => (w.active ? h('是', 'yes') : h('否', 'no')) },
    {
      header: h('库容占用率', 'Fill'),
      width: 10,
      value: (w) => w.fill,
      format: '0.0%',
    },
    {
      header: h('更新时间（北京时间）', 'Updated (Beijing time)'),
      width: 18,
      value: (w) => localTime(w.updatedAt),
    },
  ];
}

export async function exportWarehouses(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: Static<typeof WarehouseQuery>,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listWarehouses(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const count = { rows: 0 };
  const pages = pagesOf(
    first.items,
    async (offset) => (await listWarehouses(deps, ctx, { ...filter, limit: PAGE, offset })).items,
    count,
    signal,
  );
  const zh = ctx.lang === 'zh';
  const lang = ctx.lang;
  const now = deps.clock.now();
  const words = filtersInWords(
    [
      [zh ? '关键词' : 'Text', q.q?.trim() ? `“${q.q.trim()}”` : undefined],
      [zh ? '级别' : 'Tier', q.tier ? WAREHOUSE_TIER_INFO[q.tier][lang] : undefined],
      [zh ? '储备方式' : 'Reserve type', q.reserveType ? RESERVE_TYPE_INFO[q.reserveType][lang] : undefined],
      [zh ? '区市' : 'District', q.district ? deps.districtName(q.district, lang) : undefined],
      [zh ? '物资' : 'Item', q.itemCode],
      [zh ? '在用' : 'In use', q.active === undefined ? undefined : q.active ? (zh ? '是' : 'yes') : zh ? '否' : 'no'],
    ],
    lang,
  );
  const note = exportNote(
    {
      title: { zh: '仓库导出', en: 'warehouse register export' },
      actor: ctx.actor.name,
      now,
      words,
      total: first.total,
      max: EXPORT_MAX,
      unit: '个',
    },
    lang,
    [
      zh
        ? '本表可修改后按“仓库”导入（编号及其后各列导入时忽略；库存不随表导入）。'
        : 'This sheet imports again as a warehouse register (the number and the columns after it are ignored; stock is not imported).',
    ],
  );
  const file = await workbookOf(zh ? '仓库' : 'Warehouses', warehouseExportColumns(lang), pages, note, {
    workers: deps.workers,
    owner: ctx.actor,
    signal,
  });
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'warehouse.exported',
      entity: 'warehouse',
      after: { filters: filterQuery(filter), rows: count.rows, total: first.total },
    }),
  );
  return { file, rows: count.rows, total: first.total };
}

export function movementExportColumns(lang: Lang, names: Map<string, string>): Column<Movement>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    { header: h('时间（北京时间）', 'Time (Beijing)'), width: 18, value: (m) => localTime(m.at) },
    { header: h('单据号', 'Document'), width: 18, value: (m) => m.docNo },
    { header: h('类型', 'Kind'), width: 10, value: (m) => MOVEMENT_KIND_INFO[m.kind][lang] },
    { header: h('仓库', 'Warehouse'), width: 26, value: (m) => names.get(m.warehouseId) ?? m.warehouseId },
    { header: h('物资编码', 'Item code'), width: 14, value: (m) => m.itemCode },
    { header: h('物资名称', 'Item'), width: 20, value: (m) => m.itemName },
    { header: h('批次', 'Batch'), width: 16, value: (m) => m.batch },
    { header: h('数量', 'Quantity'), width: 10, value: (m) => m.quantity },
    { header: h('结存', 'Balance'), width: 10, value: (m) => m.balance },
    { header: h('经办人', 'Operator'), width: 12, value: (m) => m.operator.name },
    { header: h('对方', 'Counterpart'), width: 22, value: (m) => m.counterpart },
    { header: h('备注', 'Note'), width: 24, value: (m) => m.note },
  ];
}

export async function exportMovements(
  deps: LogisticsDeps,
  ctx: RequestCtx,
  q: Static<typeof MovementQuery>,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listMovements(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const count = { rows: 0 };
  const names = new Map<string, string>();
  const lang = ctx.lang;
  const zh = lang === 'zh';
  const remember = async (items: Movement[]) => {
    const missing = [...new Set(items.map((m) => m.warehouseId))].filter((id) => !names.has(id));
    if (missing.length) {
      const rows = await warehousesById(deps.db.kysely, missing);
      for (const r of rows) names.set(r.id, `${r.name}（${r.code}）`);
    }
    return items;
  };
  await remember(first.items);
  const pages = pagesOf(
    first.items,
    async (offset) => remember((await listMovements(deps, ctx, { ...filter, limit: PAGE, offset })).items),
    count,
    signal,
  );
  const now = deps.clock.now();
  const words = filtersInWords(
    [
      [zh ? '仓库' : 'Warehouse', q.warehouseId ? (names.get(q.warehouseId) ?? q.warehouseId) : undefined],
      [zh ? '物资' : 'Item', q.itemCode],
      [zh ? '类型' : 'Kind', q.kind ? MOVEMENT_KIND_INFO[q.kind][lang] : undefined],
      [zh ? '单据号' : 'Document', q.docNo],
      [zh ? '起' : 'From', q.from ? localTime(q.from) : undefined],
      [zh ? '止' : 'To', q.to ? localTime(q.to) : undefined],
    ],
    lang,
  );
  const note = exportNote(
    {
      title: { zh: '物资收发台账', en: 'stock ledger export' },
      actor: ctx.actor.name,
      now,
      words,
      total: first.total,
      max: EXPORT_MAX,
      unit: '条',
    },
    lang,
    [
      zh
        ? '数量：入库为正、出库为负；结存为该仓库该物资在此笔之后的数量。'
        : 'Quantity: in positive, out negative; balance: the item in the warehouse after the movement.',
    ],
  );
  const file = await workbookOf(zh ? '收发台账' : 'Ledger', movementExportColumns(lang, names), pages, note, {
    workers: deps.workers,
    owner: ctx.actor,
    signal,
  });
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'stock.ledger_exported',
      entity: 'warehouse',
      entityId: q.warehouseId ?? null,
      after: { filters: filterQuery(filter), rows: count.rows, total: first.total },
    }),
  );
  return { file, rows: count.rows, total: first.total };
}
