/**
 * Pure helpers of the risks pages: names in the reader's language, distances, shares, the scoring rule as a formula,
 * nearby risks grouped by role, the districts' stacked-bar option, a feature's properties as rows.
 */
import {
  CENSUS_KIND_INFO,
  CENSUS_ROLES,
  type CensusFeatureProperties,
  type CensusRole,
  type NearbyRisk,
  PROJECT_TYPE_INFO,
  type PreventionProject,
  type ProjectInput,
  type ProjectType,
  RISK_CLASS_INFO,
  RISK_CLASSES,
  type RiskClass,
  type RiskDistrictRow,
  type RiskGridSettings,
} from '../../../../contracts/risks.ts';

export type Lang = 'zh' | 'en';

export const nameIn = (info: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? info.en : info.zh);

/** A distance as people read it: metres below a kilometre, else kilometres with one decimal. */
export function formatMeters(m: number): string {
  if (!Number.isFinite(m)) return '—';
  if (m < 1) return '0 m';
  if (m < 1000) return `${Math.round(m)} m`;
  return `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}

/** A share 0–1 as a whole percentage. */
export const formatShare = (share: number | null | undefined) =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${Math.round(share * 100)} %`;

/** A quantity with at most two decimals, grouped by thousands in the reader's language. */
export function formatQuantity(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 });
}

/** A score 0–1 with three decimals. */
export const formatScore = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(3);

const trim = (n: number) => String(Number(n.toFixed(3)));

/**
 * The score formula in force: `R = H^1 · E^0.5 · (0.5 + 0.5·V)^0.5` — an exponent of 1 is written as the factor
 * alone, 0 drops the factor; the vulnerability factor is written with its floor.
 */
export function scoreFormula(s: Pick<RiskGridSettings, 'exponents' | 'vulnerabilityFloor'>): string {
  const pow = (base: string, e: number) => (e === 1 ? base : `${base}^${trim(e)}`);
  const f = s.vulnerabilityFloor;
  const v = f === 0 ? 'V' : f === 1 ? '' : `(${trim(f)} + ${trim(1 - f)}·V)`;
  const parts = [
    s.exponents.hazard > 0 ? pow('H', s.exponents.hazard) : '',
    s.exponents.exposure > 0 ? pow('E', s.exponents.exposure) : '',
    s.exponents.vulnerability > 0 && v ? pow(v, s.exponents.vulnerability) : '',
  ].filter(Boolean);
  return `R = ${parts.length ? parts.join(' · ') : '0'}`;
}

/** The class thresholds in force: `重大 ≥ 0.6 · 较大 ≥ 0.4 · 一般 ≥ 0.2 · 低 < 0.2`. */
export function thresholdsText(t: RiskGridSettings['thresholds'], lang: Lang): string {
  const name = (c: RiskClass) => nameIn(RISK_CLASS_INFO[c], lang);
  return [
    `${name('major')} ≥ ${trim(t.major)}`,
    `${name('large')} ≥ ${trim(t.large)}`,
    `${name('general')} ≥ ${trim(t.general)}`,
    `${name('low')} < ${trim(t.general)}`,
  ].join(' · ');
}

/** The groups of the nearby panel, in this order, hazards first; only the groups that have items. */
export function groupNearby(items: readonly NearbyRisk[]): { role: CensusRole; items: NearbyRisk[] }[] {
  const by = new Map<CensusRole, NearbyRisk[]>();
  for (const it of items) {
    const list = by.get(it.role) ?? [];
    list.push(it);
    by.set(it.role, list);
  }
  return CENSUS_ROLES.filter((r) => by.has(r)).map((role) => ({
    role,
    items: [...(by.get(role) ?? [])].sort((a, b) => a.meters - b.meters),
  }));
}

/**
 * The districts' stacked bar: cells per class by district, the four colours, most severe at the bottom of each bar.
 * `districtName` gives the label in the reader's language.
 */
export function districtChartOption(
  rows: readonly RiskDistrictRow[],
  lang: Lang,
  labels: { cells: string },
  dark = false,
): Record<string, unknown> {
  const text = dark ? '#d9d9d9' : '#595959';
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // the blue cells are most of the city and would flatten the others: shown when the legend asks
    legend: { top: 0, textStyle: { color: text }, selected: { [nameIn(RISK_CLASS_INFO.low, lang)]: false } },
    grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => (lang === 'en' ? r.districtNameEn || r.districtName : r.districtName)),
      axisLabel: { color: text, interval: 0, rotate: rows.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', name: labels.cells, nameTextStyle: { color: text }, axisLabel: { color: text } },
    series: RISK_CLASSES.map((c) => ({
      id: c,
      name: nameIn(RISK_CLASS_INFO[c], lang),
      type: 'bar',
      stack: 'cells',
      barMaxWidth: 42,
      itemStyle: { color: RISK_CLASS_INFO[c].color },
      emphasis: { focus: 'series' },
      data: rows.map((r) => r.counts[c]),
    })),
  };
}

/** A census feature's properties as label/value rows: the known ones first, then the file's own columns. */
export function featureRows(
  p: CensusFeatureProperties,
  lang: Lang,
  labels: { kind: string; population: string; capacity: string; hazardLevel: string },
): { key: string; label: string; value: string }[] {
  const rows: { key: string; label: string; value: string }[] = [
    { key: 'kind', label: labels.kind, value: nameIn(CENSUS_KIND_INFO[p.kind], lang) },
  ];
  if (p.population !== null)
    rows.push({ key: 'population', label: labels.population, value: formatQuantity(p.population, lang) });
  if (p.capacity !== null)
    rows.push({ key: 'capacity', label: labels.capacity, value: formatQuantity(p.capacity, lang) });
  if (p.hazardLevel !== null)
    rows.push({ key: 'hazardLevel', label: labels.hazardLevel, value: String(p.hazardLevel) });
  for (const [k, v] of Object.entries(p.attributes ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    rows.push({ key: `a:${k}`, label: k, value: typeof v === 'object' ? JSON.stringify(v) : String(v) });
  }
  return rows;
}

/** `[lon, lat]` of a GeoJSON point-ish value, else null. */
export function pointOf(g: { type?: string; coordinates?: unknown } | null | undefined): [number, number] | null {
  if (g?.type !== 'Point' || !Array.isArray(g.coordinates)) return null;
  const [x, y] = g.coordinates as unknown[];
  return typeof x === 'number' && typeof y === 'number' ? [x, y] : null;
}

/** The project form's values with its dates as `YYYY-MM-DD` (the drawer converts its date pickers). */
export interface ProjectFormValues {
  name: string;
  type: ProjectType;
  district: string;
  targetQuantity: number;
  unit: string;
  responsibleUnit: string;
  startDate: string;
  endDate: string;
  location: [number, number] | null;
  notes?: string;
}

/** The form's values → the API's project (trimmed; a point location, or none). */
export function toProjectInput(v: ProjectFormValues): ProjectInput {
  return {
    name: v.name.trim(),
    type: v.type,
    district: v.district,
    location: v.location ? { type: 'Point', coordinates: v.location } : null,
    targetQuantity: v.targetQuantity,
    unit: v.unit.trim(),
    responsibleUnit: v.responsibleUnit.trim(),
    startDate: v.startDate,
    endDate: v.endDate,
    notes: (v.notes ?? '').trim(),
  };
}

/** A project → the form's values (a line or polygon location is kept as it is: the form edits points only). */
export function projectFormValues(p: PreventionProject): ProjectFormValues {
  return {
    name: p.name,
    type: p.type,
    district: p.district,
    targetQuantity: p.targetQuantity,
    unit: p.unit,
    responsibleUnit: p.responsibleUnit,
    startDate: p.startDate.slice(0, 10),
    endDate: p.endDate.slice(0, 10),
    location: pointOf(p.location),
    notes: p.notes ?? undefined,
  };
}

/** The unit a type's projects are counted in, in the reader's language (its Chinese unit is what the server keeps). */
export function projectUnit(type: ProjectType, lang: Lang): string {
  const info = PROJECT_TYPE_INFO[type];
  return lang === 'en' ? info.unitEn : info.unit;
}

/** The unit as stored, in the reader's language when it is the type's own (公里 → km), else as written. */
export function unitIn(unit: string, type: ProjectType, lang: Lang): string {
  return lang === 'en' && unit === PROJECT_TYPE_INFO[type].unit ? PROJECT_TYPE_INFO[type].unitEn : unit;
}
