/**
 * An analysis's answer as a file: an Excel workbook (one table — the districts, then the stations, areas, parks or
 * sites — and the notes sheet) or GeoJSON (what the map draws: cells, reach, points). The answer is computed once by
 * the route and only reshaped here.
 */

import type {
  AviationCoverageReply,
  ChemicalParksReply,
  DistrictShare,
  FireCoverageReply,
  ForestCoverageReply,
  StationSitingReply,
} from '../../../contracts/forces.ts';
import { STATION_CLASS_INFO } from '../../../contracts/forces.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import { cityDate } from '../../platform/time.ts';
import type { AnalysesDeps } from './analyses.service.ts';

type Row = [string, string, string, number | null, number | null, number | null, string];

const TITLES: Record<string, { zh: string; en: string }> = {
  'fire-coverage': { zh: '消防救援5分钟覆盖分析', en: 'Fire rescue coverage' },
  'forest-coverage': { zh: '森林消防覆盖分析', en: 'Forest fire coverage' },
  'aviation-coverage': { zh: '航空救援覆盖分析', en: 'Aviation rescue coverage' },
  'chemical-parks': { zh: '化工园区救援力量分析', en: 'Chemical park rescue' },
  'station-siting': { zh: '消防站选址分析', en: 'Fire station siting' },
};

/** Why a district has no share: no boundary loaded, or nothing measured lies in it. */
function districtNote(d: DistrictShare, zh: boolean): string {
  if (!d.hasBoundary) return zh ? '无区县边界' : 'no boundary';
  return d.coveredShare === null ? (zh ? '区内无分析对象' : 'nothing to measure here') : '';
}

function rowsOf(kind: string, out: unknown, lang: Lang): { rows: Row[]; note: string } {
  const zh = lang === 'zh';
  const D = zh ? '区县' : 'District';
  const districtRows = (ds: DistrictShare[]) =>
    ds.map((d): Row => [D, d.code, d.name, d.coveredShare, d.areaKm2, d.coveredKm2, districtNote(d, zh)]);
  if (kind === 'fire-coverage') {
    const r = out as FireCoverageReply;
    const S = zh ? '消防站' : 'Station';
    return {
      rows: [
        [zh ? '全市' : 'City', '', '', r.coveredShare, r.areaKm2, r.coveredKm2, ''],
        ...districtRows(r.districts),
        ...r.stations.map(
          (s): Row => [
            S,
            s.id,
            s.name,
            null,
            s.districtKm2,
            null,
            [
              s.stationClass ? STATION_CLASS_INFO[s.stationClass][lang] : '',
              s.limitKm2 !== null ? `${zh ? '辖区上限' : 'limit'} ${s.limitKm2} km²` : '',
              s.withinLimit === false ? (zh ? '超出辖区面积上限' : 'district above the limit') : '',
              s.offNetwork ? (zh ? '不在路网上，未计入' : 'off the road network, not counted') : '',
            ]
              .filter(Boolean)
              .join('；'),
          ],
        ),
      ],
      note: zh
        ? `出动 ${r.turnoutMinutes} 分钟 + 行驶 ${r.driveMinutes} 分钟（应急车辆，计入当前封闭路段）；面积列：区县为建成区面积，消防站为其辖区（最先到达的建成区）。`
        : `Turnout ${r.turnoutMinutes} min + ${r.driveMinutes} min driving (emergency vehicles, current closures); area: a district's built-up land, a station's district (the land it reaches first).`,
    };
  }
  if (kind === 'forest-coverage') {
    const r = out as ForestCoverageReply;
    return {
      rows: [
        [zh ? '全市' : 'City', '', '', r.coveredShare, r.areaKm2, r.coveredKm2, ''],
        ...r.districts.map(
          (d): Row => [
            D,
            d.code,
            d.name,
            d.coveredShare,
            d.areaKm2,
            d.coveredKm2,
            d.missing.length ? `${zh ? '未到达：' : 'not reached: '}${d.missing.join('、')}` : districtNote(d, zh),
          ],
        ),
        ...r.areas.map(
          (a): Row => [
            zh ? '林区' : 'Forest',
            a.id ?? '',
            a.name,
            a.coveredShare,
            a.areaKm2,
            null,
            [
              a.reached ? (zh ? '可到达' : 'reached') : zh ? '不可到达' : 'not reached',
              a.approximate ? (zh ? '范围为示意' : 'approximate') : '',
            ]
              .filter(Boolean)
              .join('；'),
          ],
        ),
      ],
      note: zh ? `行驶 ${r.minutes} 分钟内到达。` : `Reached within ${r.minutes} minutes.`,
    };
  }
  if (kind === 'aviation-coverage') {
    const r = out as AviationCoverageReply;
    return {
      rows: [
        [
          zh ? '全市' : 'City',
          '',
          '',
          r.coveredShare,
          r.areaKm2,
          r.coveredKm2,
          r.includeSea ? (zh ? '含海域' : 'sea included') : '',
        ],
        ...districtRows(r.districts),
        ...r.bases.map(
          (b): Row => [
            zh ? '航空基地' : 'Base',
            b.id,
            b.name,
            null,
            null,
            null,
            `${zh ? '半径' : 'radius'} ${b.radiusKm} km`,
          ],
        ),
      ],
      note: zh ? '按 WGS-84 椭球大地线距离计算作业半径。' : 'Radius measured along the WGS-84 ellipsoid (geodesic).',
    };
  }
  if (kind === 'chemical-parks') {
    const r = out as ChemicalParksReply;
    return {
      rows: r.items.map(
        (p): Row => [
          zh ? '化工园区' : 'Park',
          p.id,
          p.name,
          null,
          null,
          null,
          p.compliant
            ? p.teams
                .map(
                  (t) =>
                    `${t.name}（${t.inside ? (zh ? '园区内' : 'inside') : `${t.minutes} ${zh ? '分钟' : 'min'}`}）`,
                )
                .join('；')
            : zh
              ? '无救援队伍'
              : 'no rescue team',
        ],
      ),
      note: zh
        ? `园区内或 ${r.minutes} 分钟内可到达的企业、危化品救援队伍。`
        : `Enterprise or hazardous-chemicals teams inside or within ${r.minutes} minutes.`,
    };
  }
  const r = out as StationSitingReply;
  return {
    rows: [
      [zh ? '现状' : 'Before', '', '', r.coveredShareBefore, null, null, ''],
      ...r.sites.map(
        (s, i): Row => [
          zh ? '新站点' : 'New site',
          String(i + 1),
          `${s.location[0]}, ${s.location[1]}`,
          s.marginalShare,
          s.marginalGain,
          null,
          '',
        ],
      ),
      [
        zh ? '规划后' : 'After',
        '',
        '',
        r.coveredShareAfter,
        r.objective,
        null,
        r.optimal ? (zh ? '已证明最优' : 'proven optimal') : `gap ${r.gap}`,
      ],
      [zh ? '贪心法' : 'Greedy', '', '', r.greedy.coveredShareAfter, r.greedy.objective, null, `gap ${r.greedy.gap}`],
    ],
    note: zh
      ? `候选点 ${r.candidates} 个，需求单元 ${r.demandCells} 个（H3 9级）。`
      : `${r.candidates} candidates, ${r.demandCells} demand cells (H3 res. 9).`,
  };
}

function geojsonOf(kind: string, out: unknown): unknown {
  const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
  const point = (p: number[], properties: Record<string, unknown>) => ({
    type: 'Feature',
    properties,
    geometry: { type: 'Point', coordinates: p },
  });
  const cells = (c: unknown, covered: boolean) =>
    ((c as { features: { properties: object }[] }).features ?? []).map((f) => ({
      ...f,
      properties: { ...f.properties, covered },
    }));
  if (kind === 'fire-coverage') {
    const r = out as FireCoverageReply;
    return fc([
      ...cells(r.uncovered, false),
      ...cells(r.covered, true),
      ...r.stations.map((s) =>
        point(s.location, { id: s.id, name: s.name, districtKm2: s.districtKm2, limitKm2: s.limitKm2 }),
      ),
    ]);
  }
  if (kind === 'forest-coverage') {
    const r = out as ForestCoverageReply;
    return fc([...cells(r.uncovered, false), ...cells(r.covered, true)]);
  }
  if (kind === 'aviation-coverage') {
    const r = out as AviationCoverageReply;
    return fc([
      { type: 'Feature', properties: { covered: false }, geometry: r.uncovered },
      ...((r.reach as { features: unknown[] }).features ?? []),
      ...r.bases.map((b) => point(b.location, { id: b.id, name: b.name, radiusKm: b.radiusKm })),
    ]);
  }
  if (kind === 'chemical-parks') {
    const r = out as ChemicalParksReply;
    return fc(
      r.items.map((p) => ({
        type: 'Feature',
        properties: { ...p, teams: p.teams.map((t) => t.name) },
        geometry: null,
      })),
    );
  }
  const r = out as StationSitingReply;
  return fc([
    ...r.sites.map((s, i) =>
      point(s.location, { site: i + 1, marginalGain: s.marginalGain, marginalShare: s.marginalShare }),
    ),
    ...((r.reach as { features: unknown[] }).features ?? []),
  ]);
}

export async function analysisFile(
  kind: string,
  out: unknown,
  format: 'xlsx' | 'geojson',
  ctx: RequestCtx,
  deps: AnalysesDeps,
): Promise<{ name: string; body: Buffer }> {
  const now = deps.clock.now();
  const name = `${kind}-${cityDate(now)}.${format}`;
  await recordAudit(deps.db.kysely, ctx, now, {
    action: 'analysis.exported',
    entity: 'analysis',
    entityId: kind,
    after: { format },
  });
  if (format === 'geojson') return { name, body: Buffer.from(JSON.stringify(geojsonOf(kind, out))) };
  const lang: Lang = ctx.lang === 'en' ? 'en' : 'zh';
  const zh = lang === 'zh';
  const { rows, note } = rowsOf(kind, out, lang);
  const col = (header: string, i: number, width = 14, format?: string): Column<Row> => ({
    header,
    width,
    format,
    value: (r) => r[i],
  });
  const columns = [
    col(zh ? '类别' : 'Kind', 0, 12),
    col(zh ? '编码' : 'Code', 1, 38),
    col(zh ? '名称' : 'Name', 2, 28),
    col(zh ? '覆盖率' : 'Covered share', 3, 12, '0.0%'),
    col(zh ? '面积（km²）' : 'Area (km²)', 4, 12, '0.00'),
    col(zh ? '已覆盖（km²）' : 'Covered (km²)', 5, 14, '0.00'),
    col(zh ? '说明' : 'Notes', 6, 60),
  ];
  const title = TITLES[kind] ?? { zh: kind, en: kind };
  const pages = (async function* () {
    yield rows;
  })();
  const file = await workbookOf(
    title[lang],
    columns,
    pages,
    `${title[lang]}\n${note}\n${zh ? '导出人' : 'By'}: ${ctx.actor.name}`,
  );
  return { name, body: file };
}
