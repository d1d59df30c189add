/**
 * The rescue team register as an Excel workbook: the import's columns under the import's headers (so that an export
 * imports again as it is), then district, dispatchability, the flags (stale status, certificates expiring or
 * expired), members, the last status confirmation and the vehicles. The same filters and data scope as the list;
 * built in a worker thread like the devices' export; the export itself is audited.
 */
import {
  SPECIALTY_INFO,
  STATION_CLASS_INFO,
  type TEAM_FLAGS,
  TEAM_STATUS_INFO,
  TEAM_TYPE_INFO,
  type Team,
  type TeamListQuery,
  VEHICLE_KIND_INFO,
} from '../../../contracts/forces.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { exportNote, filterQuery, filtersInWords, localTime } from '../../platform/excel/export-notes.ts';
import { headerOf, type ImportColumn } from '../../platform/imports/columns.ts';
import { cityDate } from '../../platform/time.ts';
import { type ForcesDeps, listTeams } from './forces.service.ts';
import { contactsText, equipmentText, TEAM_COLUMNS } from './teams.import.ts';

/** At most this many rows in one export; the notes sheet says when the filter matched more. */
export const TEAM_EXPORT_MAX = 50_000;
const PAGE = 1000;

/** `teams-YYYY-MM-DD.xlsx`, the day in the city's time zone */
export function teamExportFileName(now: Date): string {
  return `teams-${cityDate(now)}.xlsx`;
}

/** A team's cell in an import column, written the way the import reads it back. */
function importCell(c: ImportColumn, t: Team, lang: Lang): string | number | null {
  const zh = lang === 'zh';
  const fire = t.type === 'fire_rescue';
  switch (c.key) {
    case 'name':
      return t.name;
    case 'type':
      return `${t.type} ${TEAM_TYPE_INFO[t.type][lang]}`;
    case 'stationClass':
      return t.stationClass ? `${t.stationClass} ${STATION_CLASS_INFO[t.stationClass][lang]}` : null;
    case 'suburban':
      // only a fire station has it: another team's cell stays empty rather than saying "no" about nothing
      return fire ? (t.suburban ? (zh ? '是' : 'yes') : zh ? '否' : 'no') : null;
    case 'specialties':
      return t.specialties.map((s) => SPECIALTY_INFO[s][lang]).join(zh ? '、' : ', ') || null;
    case 'radiusKm':
      return t.radiusKm;
    case 'lon':
      return t.location.coordinates[0] ?? null;
    case 'lat':
      return t.location.coordinates[1] ?? null;
    case 'ownerUnit':
      return t.ownerUnit?.code ?? null;
    case 'organisation':
      return t.organisation || null;
    case 'headcount':
      return t.headcount;
    case 'capabilities':
      return t.capabilities.join(zh ? '、' : ', ') || null;
    case 'equipment':
      return equipmentText(t.equipment, zh) || null;
    case 'status':
      return `${t.status} ${TEAM_STATUS_INFO[t.status][lang]}`;
    case 'contactName':
      return contactsText(t.contacts, zh).names || null;
    case 'contactPhone':
      return contactsText(t.contacts, zh).phones || null;
    case 'notes':
      return t.notes || null;
    default:
      return null;
  }
}

/** `水罐消防车 ×2（鲁K12345）`: what a reader of the sheet needs to know of each vehicle. */
function vehiclesText(t: Team, lang: Lang): string {
  const zh = lang === 'zh';
  return t.vehicles
    .map((v) => {
      const reg = v.registration ? (zh ? `（${v.registration}）` : ` (${v.registration})`) : '';
      return `${VEHICLE_KIND_INFO[v.kind][lang]} ${v.model} ×${v.quantity ?? 1}${reg}`;
    })
    .join(zh ? '；' : '; ');
}

/** The export's extra headers: none may spell an import column, or the export would not import again. */
export function teamExportColumns(lang: Lang): Column<Team>[] {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const yes = (b: boolean) => (b ? h('是', 'yes') : h('否', 'no'));
  return [
    ...TEAM_COLUMNS.map(
      (c): Column<Team> => ({
        header: headerOf(c, lang),
        width: c.width,
        value: (t) => importCell(c, t, lang),
        ...(c.kind === 'lon' || c.kind === 'lat' ? { format: '0.000000' } : {}),
      }),
    ),
    { header: h('所属区市', 'District'), width: 12, value: (t) => t.district?.name ?? '' },
    { header: h('可调派', 'Dispatchable'), width: 8, value: (t) => yes(t.dispatchable) },
    { header: h('状态待确认', 'Status stale'), width: 10, value: (t) => yes(t.flags.staleStatus) },
    {
      header: h('证书30日内到期', 'Certificates expiring in 30 days'),
      width: 12,
      value: (t) => t.flags.expiringCertificates,
    },
    { header: h('证书已过期', 'Certificates expired'), width: 10, value: (t) => t.flags.expiredCertificates },
    { header: h('队员人数', 'Members'), width: 10, value: (t) => t.memberCount },
    {
      header: h('状态确认时间（北京时间）', 'Status confirmed (Beijing time)'),
      width: 18,
      value: (t) => localTime(t.statusConfirmedAt),
    },
    { header: h('状态说明', 'Status note'), width: 20, value: (t) => t.statusNote },
    { header: h('车辆、航空器、船艇', 'Vehicles, aircraft, vessels'), width: 36, value: (t) => vehiclesText(t, lang) },
  ];
}

/** The list's filter in words, as the notes sheet states it. */
export function describeTeamFilters(q: TeamListQuery, lang: Lang, districtName: (code: string) => string): string {
  const zh = lang === 'zh';
  const h = (a: string, b: string) => (zh ? a : b);
  const flag: Record<(typeof TEAM_FLAGS)[number], string> = {
    stale: h('状态待确认', 'status stale'),
    expiring: h('证书到期', 'certificates expiring'),
  };
  const parts: [string, string | undefined][] = [
    [h('关键词', 'Text'), q.q?.trim() ? `“${q.q.trim()}”` : undefined],
    [h('类型', 'Type'), q.type ? TEAM_TYPE_INFO[q.type][lang] : undefined],
    [h('状态', 'Status'), q.status ? TEAM_STATUS_INFO[q.status][lang] : undefined],
    [h('区市', 'District'), q.district ? districtName(q.district) : undefined],
    [h('能力', 'Capability'), q.capability?.trim() || undefined],
    [h('消防站类别', 'Station class'), q.stationClass ? STATION_CLASS_INFO[q.stationClass][lang] : undefined],
    [
      h('可调派', 'Dispatchable'),
      q.dispatchable === undefined ? undefined : q.dispatchable ? h('是', 'yes') : h('否', 'no'),
    ],
    [h('标记', 'Flag'), q.flag ? flag[q.flag] : undefined],
  ];
  return filtersInWords(parts, lang);
}

/** The register as the viewer sees it (same filters, same data scope), as an Excel workbook. */
export async function exportTeams(
  deps: ForcesDeps,
  ctx: RequestCtx,
  q: TeamListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _limit, offset: _offset, ...filter } = q;
  const first = await listTeams(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  const total = first.total;
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < TEAM_EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, TEAM_EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await listTeams(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const zh = ctx.lang === 'zh';
  const filters = filterQuery(filter);
  const now = deps.clock.now();
  const words = describeTeamFilters(q, ctx.lang, (code) => deps.districtName(code));
  const note = exportNote(
    {
      title: { zh: '救援队伍导出', en: 'rescue team register export' },
      actor: ctx.actor.name,
      now,
      words,
      total,
      max: TEAM_EXPORT_MAX,
      unit: '支',
    },
    ctx.lang,
    [
      zh
        ? '本表可修改后按“救援队伍”导入（所属区市及其后各列导入时忽略；队员与车辆不随表导入）。' +
          '无个人信息查看权限者导出的联系电话已脱敏，不能再导入。'
        : 'This sheet imports again as a rescue team register (district and the columns after it are ignored; ' +
          'members and vehicles are not imported). Phones exported by a user without personal data access are masked ' +
          'and do not import again.',
    ],
  );
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(
    zh ? '救援队伍' : 'Rescue teams',
    teamExportColumns(ctx.lang),
    pages(),
    note,
    offThread,
  );
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, { action: 'team.exported', entity: 'team', after: { filters, rows, total } }),
  );
  return { file, rows, total };
}
