/**
 * The device register as an Excel workbook: the import's columns under the import's headers (so that an export
 * imports again as it is), then status, district, last seen and the latest values with their units. The same filters
 * and data scope as the list; built in a worker thread like the incidents' export; the export itself is audited.
 */
import {
  DEVICE_KIND_INFO,
  DEVICE_STATUS_INFO,
  type Device,
  type DeviceListQuery,
  type DeviceParam,
  isMetric,
  METRIC_INFO,
} from '../../../contracts/monitoring.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords, localTime } from '../../platform/excel/export-notes.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import { DEVICE_COLUMNS } from './devices.import.ts';
import { listDevices, type MonitoringDeps } from './monitoring.service.ts';

/** At most this many rows in one export; the notes sheet says when the filter matched more. */
export const DEVICE_EXPORT_MAX = 50_000;
const PAGE = 1000;

/** `devices-YYYY-MM-DD.xlsx`, the day in the city's time zone */
export function deviceExportFileName(now: Date): string {
  return `devices-${cityDate(now)}.xlsx`;
}

/** The latest value of each metric with its unit and time: `降雨量 1.2 mm（2026-12-04 08:00）；…`. */
export function latestText(d: Device, lang: Lang): string {
  const zh = lang === 'zh';
  const order = [...d.metrics, ...Object.keys(d.latest).filter((m) => !(d.metrics as string[]).includes(m))];
  return order
    .filter((m) => d.latest[m])
    .map((m) => {
      const v = d.latest[m]!;
      const info = isMetric(m) ? METRIC_INFO[m] : undefined;
      const unit = info?.unit ? ` ${info.unit}` : '';
      const name = info ? info[lang] : m;
      return zh ? `${name} ${v.value}${unit}（${localTime(v.ts)}）` : `${name} ${v.value}${unit} (${localTime(v.ts)})`;
    })
    .join(zh ? '；' : '; ');
}

/** A device's cell in an import column, written the way the import reads it back. */
function importCell(c: ImportColumn, d: Device, lang: Lang): string | number | null {
  const zh = lang === 'zh';
  switch (c.key) {
    case 'name':
      return d.name;
    case 'code':
      return d.code;
    case 'kind':
      return `${d.kind} ${DEVICE_KIND_INFO[d.kind][lang]}`;
    case 'metrics':
      // an empty list where the kind has defaults is said, or the import would give the defaults back
      if (!d.metrics.length) return DEVICE_KIND_INFO[d.kind].metrics.length ? (zh ? '无' : 'none') : null;
      return d.metrics.join(zh ? '、' : ', ');
    case 'lon':
      return d.location.coordinates[0] ?? null;
    case 'lat':
      return d.location.coordinates[1] ?? null;
    case 'ownerUnit':
      return d.ownerUnit?.code ?? null;
    case 'streamUrl':
      return d.streamUrl;
    case 'offlineAfterMinutes':
      return d.offlineAfterMinutes;
    case 'enabled':
      return d.enabled ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
    case 'notes':
      return d.notes;
    default:
      return d.params[c.key as DeviceParam] ?? null;
  }
}

function columns(lang: Lang): Column<Device>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  return [
    ...DEVICE_COLUMNS.map(
      (c): Column<Device> => ({
        header: headerOf(c, lang),
        width: c.width,
        value: (d) => importCell(c, d, lang),
        ...(c.kind === 'lon' || c.kind === 'lat' ? { format: '0.000000' } : {}),
      }),
    ),
    { header: h('状态', 'Status'), width: 10, value: (d) => DEVICE_STATUS_INFO[d.status][lang] },
    { header: h('所属区市', 'District'), width: 12, value: (d) => d.district?.name ?? '' },
    {
      header: h('最后上报（北京时间）', 'Last seen (Beijing time)'),
      width: 18,
      value: (d) => (d.lastSeenAt ? localTime(d.lastSeenAt) : ''),
    },
    { header: h('最新数据', 'Latest values'), width: 48, value: (d) => latestText(d, lang) },
  ];
}

/** The list's filter in words, as the notes sheet states it. */
export function describeDeviceFilters(q: DeviceListQuery, lang: Lang, districtName: (code: string) => string): string {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const parts: [string, string | undefined][] = [
    [h('关键词', 'Text'), q.q?.trim() ? `“${q.q.trim()}”` : undefined],
    [h('类型', 'Kind'), q.kind ? DEVICE_KIND_INFO[q.kind][lang] : undefined],
    [h('状态', 'Status'), q.status ? DEVICE_STATUS_INFO[q.status][lang] : undefined],
    [h('区市', 'District'), q.district ? districtName(q.district) : undefined],
  ];
  return filtersInWords(parts, lang);
}

/** The register as the viewer sees it (same filters, same data scope), as an Excel workbook. */
export async function exportDevices(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  q: DeviceListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _limit, offset: _offset, ...filter } = q;
  const first = await listDevices(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const total = first.total;
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < DEVICE_EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, DEVICE_EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await listDevices(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const zh = ctx.lang === 'zh';
  const filters = filterQuery(filter);
  const now = deps.clock.now();
  const words = describeDeviceFilters(q, ctx.lang, (code) => deps.districtName(code));
  const note = exportNote(
    {
      title: { zh: '监测设备导出', en: 'device register export' },
      actor: ctx.actor.name,
      now,
      words,
      total,
      max: DEVICE_EXPORT_MAX,
      unit: '台',
    },
    ctx.lang,
    [
      zh
        ? '本表可修改后按“监测设备”导入（状态、区市、最后上报、最新数据列导入时忽略）；导出不含设备令牌。'
        : 'This sheet imports again as a device register (status, district, last seen and latest values are ignored); it holds no device tokens.',
    ],
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(zh ? '监测设备' : 'Devices', columns(ctx.lang), pages(), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, { action: 'device.exported', entity: 'device', after: { filters, rows, total } }),
  );
  return { file, rows, total };
}
