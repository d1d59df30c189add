/**
 * Pure helpers of the forces pages (no React, no network), so that what they decide is tested on its own: shares as
 * percentages, the team form → the API's request, a patch of what changed, the GB/T 38565 code search, the board's
 * chart option, an areas file read into an import body.
 */
import {
  type Equipment,
  type ForcesSummary,
  type MemberInput,
  type Specialty,
  type StationClass,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPE_INFO,
  type Team,
  type TeamInput,
  type TeamPatch,
  type TeamStatus,
  type TeamType,
  type Training,
  type Vehicle,
} from '../../../../contracts/forces.ts';
import type { SupplyCode } from '../../../../contracts/supply-codes.ts';

export type Lang = 'zh' | 'en';
export const nameIn = (info: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? info.en : info.zh);

/** A share (0…1) as a percentage with one decimal, the form the tables and bars show; null stays null. */
export function sharePercent(share: number | null | undefined): number | null {
  if (share === null || share === undefined || !Number.isFinite(share)) return null;
  return Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10;
}

/** `87.3 %`; a zone without a boundary gets the caller's words for it. */
export function formatShare(share: number | null | undefined, none: string): string {
  const p = sharePercent(share);
  return p === null ? none : `${p.toFixed(1)} %`;
}

/** km² with sensible digits: 0.42, 6.8, 123. */
export function formatKm2(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** What the team drawer holds; the API's request is made from it by `toTeamInput`. */
export interface TeamFormValues {
  name: string;
  type: TeamType;
  location: [number, number] | null;
  stationClass?: StationClass;
  suburban?: boolean;
  specialties?: Specialty[];
  radiusKm?: number | null;
  ownerUnit?: string;
  organisation?: string;
  headcount?: number | null;
  capabilities?: string[];
  status?: TeamStatus;
  equipment?: Partial<Equipment>[];
  vehicles?: Partial<Vehicle>[];
  contacts?: { name?: string; role?: string; phone?: string }[];
  notes?: string;
}

const trimmed = (s: string | undefined) => s?.trim() ?? '';

/**
 * The form → `TeamInput`: the type's own fields only (a station class on a fire station, specialties on a
 * professional team, a radius on an aviation base — a field of another type left in the form after the type changed
 * is not sent), empty rows dropped, texts trimmed.
 */
export function toTeamInput(v: TeamFormValues): TeamInput {
  const equipment = (v.equipment ?? [])
    .filter((e) => e?.code && /^\d{7}$/.test(e.code))
    .map((e) => ({
      code: e.code as string,
      quantity: Math.max(0, Math.round(e.quantity ?? 0)),
      ...(trimmed(e.note) ? { note: trimmed(e.note) } : {}),
    }));
  const vehicles = (v.vehicles ?? [])
    .filter((x) => trimmed(x?.model))
    .map((x) => ({
      kind: x.kind ?? 'vehicle',
      model: trimmed(x.model),
      ...(trimmed(x.registration) ? { registration: trimmed(x.registration) } : {}),
      ...(x.quantity ? { quantity: x.quantity } : {}),
      ...(x.kind === 'aircraft' && typeof x.radiusKm === 'number' ? { radiusKm: x.radiusKm } : {}),
    }));
  const contacts = (v.contacts ?? [])
    .filter((c) => trimmed(c?.name) && trimmed(c?.phone))
    .map((c) => ({
      name: trimmed(c.name),
      ...(trimmed(c.role) ? { role: trimmed(c.role) } : {}),
      phone: trimmed(c.phone),
    }));
  return {
    name: v.name.trim(),
    type: v.type,
    location: { type: 'Point', coordinates: [v.location?.[0] ?? 0, v.location?.[1] ?? 0] },
    ...(v.type === 'fire_rescue' && v.stationClass ? { stationClass: v.stationClass } : {}),
    ...(v.type === 'fire_rescue' ? { suburban: !!v.suburban } : {}),
    ...(v.type === 'professional' ? { specialties: [...(v.specialties ?? [])] } : {}),
    ...(v.type === 'aviation' && typeof v.radiusKm === 'number' ? { radiusKm: v.radiusKm } : {}),
    ...(v.ownerUnit ? { ownerUnit: v.ownerUnit } : {}),
    ...(trimmed(v.organisation) ? { organisation: trimmed(v.organisation) } : {}),
    ...(typeof v.headcount === 'number' ? { headcount: v.headcount } : {}),
    capabilities: [...new Set((v.capabilities ?? []).map((c) => c.trim()).filter(Boolean))],
    equipment,
    vehicles,
    contacts,
    ...(v.status ? { status: v.status } : {}),
    notes: trimmed(v.notes),
  };
}

/** A team as the drawer shows it for editing. */
export function teamFormValues(t: Team): TeamFormValues {
  return {
    name: t.name,
    type: t.type,
    location: [t.location.coordinates[0], t.location.coordinates[1]],
    stationClass: t.stationClass ?? undefined,
    suburban: t.suburban,
    specialties: [...t.specialties],
    radiusKm: t.radiusKm,
    ownerUnit: t.ownerUnit?.code,
    organisation: t.organisation,
    headcount: t.headcount,
    capabilities: [...t.capabilities],
    equipment: t.equipment.map((e) => ({ ...e })),
    vehicles: t.vehicles.map((x) => ({ ...x })),
    contacts: t.contacts.map((c) => ({ ...c })),
    notes: t.notes,
  };
}

/**
 * Only what changed, with the version it was made on (stale → 409): the audit names the real changes, and a field
 * someone else changed meanwhile is not overwritten with what the form loaded. Status goes through its own endpoint.
 */
export function teamPatch(before: Team, input: TeamInput): TeamPatch {
  const old = toTeamInput(teamFormValues(before)) as Record<string, unknown>;
  const patch: Record<string, unknown> = { version: before.version };
  for (const [k, val] of Object.entries(input)) {
    if (k === 'status') continue;
    if (JSON.stringify(val) !== JSON.stringify(old[k])) patch[k] = val;
  }
  return patch as TeamPatch;
}

/**
 * GB/T 38565 codes matching what was typed: a code by its leading digits, or a name containing the text; the most
 * specific level first (equipment is recorded at the finest class), then by code.
 */
export function searchSupplyCodes(codes: readonly SupplyCode[], query: string, limit = 30): SupplyCode[] {
  const q = query.trim();
  if (!q) return [];
  const digits = /^\d+$/.test(q);
  const hits = codes.filter((c) => (digits ? c.code.startsWith(q) : c.name.includes(q)));
  return hits.sort((a, b) => b.level - a.level || a.code.localeCompare(b.code)).slice(0, limit);
}

/** The member drawer's values → `MemberInput`: texts trimmed, empty certificate and training rows dropped. */
export function toMemberInput(v: Partial<MemberInput>): MemberInput {
  return {
    name: (v.name ?? '').trim(),
    role: trimmed(v.role),
    phone: trimmed(v.phone),
    certificates: (v.certificates ?? [])
      .filter((c) => trimmed(c?.name))
      .map((c) => ({
        name: trimmed(c.name),
        ...(trimmed(c.number) ? { number: trimmed(c.number) } : {}),
        ...(c.expiresOn ? { expiresOn: c.expiresOn } : {}),
      })),
    training: (v.training ?? [])
      .filter((r) => trimmed(r?.course) && r.date)
      .map((r) => ({ course: trimmed(r.course), hours: Number(r.hours) || 0, date: r.date })),
  };
}

/** A member's training hours in total (the table's footer). */
export function trainingHours(rows: readonly Pick<Training, 'hours'>[] | undefined): number {
  return Math.round((rows ?? []).reduce((sum, r) => sum + (Number.isFinite(r.hours) ? r.hours : 0), 0) * 10) / 10;
}

/**
 * The board's bars: one per team type, stacked by status in the status colours. Built without ECharts (tested
 * without a canvas); `text` colours the axis for the theme.
 */
export function boardChartOption(summary: ForcesSummary, lang: Lang, text = '#595959'): Record<string, unknown> {
  const rows = summary.byType.filter((r) => r.teams > 0);
  return {
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: text } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: text } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => nameIn(TEAM_TYPE_INFO[r.type], lang)),
      axisLabel: { color: text },
    },
    series: TEAM_STATUSES.map((s) => ({
      name: nameIn(TEAM_STATUS_INFO[s], lang),
      type: 'bar',
      stack: 'status',
      barMaxWidth: 22,
      itemStyle: { color: TEAM_STATUS_INFO[s].color },
      data: rows.map((r) => r.byStatus[s] ?? 0),
    })),
  };
}

export type AreaFileResult =
  | { ok: true; collection: { type: 'FeatureCollection'; features: unknown[] }; polygons: number }
  | { ok: false; reason: 'json' | 'notCollection' | 'empty' | 'notPolygons'; index?: number };

/**
 * A GeoJSON file read for the areas import: a FeatureCollection of Polygon / MultiPolygon features. The server
 * checks the geometries again; this catches the wrong file before it is sent, and says which feature is wrong.
 */
export function readAreaFile(text: string): AreaFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'json' };
  }
  const fc = data as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, reason: 'notCollection' };
  if (!fc.features.length) return { ok: false, reason: 'empty' };
  const bad = fc.features.findIndex((f) => {
    const t = (f as { geometry?: { type?: unknown } } | null)?.geometry?.type;
    return t !== 'Polygon' && t !== 'MultiPolygon';
  });
  if (bad >= 0) return { ok: false, reason: 'notPolygons', index: bad };
  return { ok: true, collection: { type: 'FeatureCollection', features: fc.features }, polygons: fc.features.length };
}

/** Seconds since `start` as `42 s` / `1:05`, for the siting run's counter. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The [west, south, east, north] box around every coordinate of some GeoJSON values (null when there is none). */
export function bboxOf(...values: unknown[]): [number, number, number, number] | null {
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
        w = Math.min(w, v[0]);
        e = Math.max(e, v[0]);
        s = Math.min(s, v[1]);
        n = Math.max(n, v[1]);
      } else for (const x of v) walk(x);
      return;
    }
    const o = v as { coordinates?: unknown; geometry?: unknown; features?: unknown; geometries?: unknown };
    walk(o.coordinates);
    walk(o.geometry);
    walk(o.features);
    walk(o.geometries);
  };
  for (const v of values) walk(v);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
