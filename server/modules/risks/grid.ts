/**
 * The risk grid, pure (run in a worker thread by grid.worker.ts): the city's H3 cells (each district's polyfill:
 * a cell belongs to the district holding its centre), and for every census feature its part of each cell's raw
 * hazard H, exposure E, vulnerable exposure and shelter capacity; then H and E normalised by the city's percentile,
 * V, the score and the class (the formula is documented on `RiskGridSettings` in contracts/risks.ts).
 *
 * The same per-feature functions give a single cell's contributions (`cellContributions`), so the parts shown for a
 * cell add up to its stored raw values.
 */
import { cellToLatLng, getHexagonEdgeLengthAvg, gridDisk, latLngToCell, polygonToCells, UNITS } from 'h3-js';
import {
  CENSUS_KIND_INFO,
  type CensusKind,
  type ContributionPart,
  RISK_CLASSES,
  type RiskClass,
  type RiskGridSettings,
} from '../../../contracts/risks.ts';
import {
  centreOf,
  distanceToGeomM,
  type Geom,
  geometryClass,
  type Position,
  pathsOf,
  pointDistanceM,
  polygonsOf,
  positions,
} from './geometry.ts';

export interface GridFeature {
  id: string;
  kind: CensusKind;
  geometry: Geom;
  population: number | null;
  capacity: number | null;
  level: number | null;
}

export interface GridInput {
  settings: RiskGridSettings;
  districts: { code: string; geometry: Geom }[];
  features: GridFeature[];
}

export interface GridOutput {
  resolution: number;
  h3: string[];
  district: (string | null)[];
  h: Float64Array;
  e: Float64Array;
  v: Float64Array;
  score: Float64Array;
  cls: RiskClass[];
  rawHazard: Float64Array;
  rawExposure: Float64Array;
  population: Float64Array;
  vulnerable: Float64Array;
  shelter: Float64Array;
  norms: { hazard: number; exposure: number };
  counts: Record<RiskClass, number>;
}

/** the mean edge (m) of a cell at the resolution: a feature within it of a cell's centre touches the cell */
export const edgeM = (res: number) => getHexagonEdgeLengthAvg(res, UNITS.m);

const centreCache = new Map<string, Position>();
/** a cell's centre as [lon, lat] (remembered: the same cells are asked for again and again) */
export function centre(h: string): Position {
  let c = centreCache.get(h);
  if (!c) {
    const [lat, lon] = cellToLatLng(h);
    c = [lon, lat];
    if (centreCache.size > 500_000) centreCache.clear();
    centreCache.set(h, c);
  }
  return c;
}

/** The cells of the city (each district's polyfill at `res`), with the district of each. */
export function cellsOfArea(districts: GridInput['districts'], res: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of districts)
    for (const poly of polygonsOf(d.geometry))
      for (const h of polygonToCells(poly as number[][][], res, true)) if (!out.has(h)) out.set(h, d.code);
  return out;
}

/** Cells a geometry touches: the polyfill of its polygons, and the cells of its positions densified along its lines. */
export function touchedCells(g: Geom, res: number): Set<string> {
  const out = new Set<string>();
  for (const poly of polygonsOf(g)) for (const h of polygonToCells(poly as number[][][], res, true)) out.add(h);
  const step = edgeM(res);
  const paths = pathsOf(g);
  if (!paths.length) for (const [x, y] of positions(g)) out.add(latLngToCell(y, x, res));
  for (const path of paths) {
    for (let i = 0; i < path.length; i++) {
      out.add(latLngToCell(path[i][1], path[i][0], res));
      if (i === 0) continue;
      const n = Math.floor(pointDistanceM(path[i - 1], path[i]) / step);
      for (let k = 1; k < n; k++) {
        const t = k / n;
        const x = path[i - 1][0] + t * (path[i][0] - path[i - 1][0]);
        const y = path[i - 1][1] + t * (path[i][1] - path[i - 1][1]);
        out.add(latLngToCell(y, x, res));
      }
    }
  }
  return out;
}

/** Cells within `radiusM` (plus a cell) of the geometry: its touched cells grown by enough rings. */
function reach(g: Geom, res: number, radiusM: number): Set<string> {
  const touched = touchedCells(g, res);
  const k = Math.ceil((radiusM + edgeM(res)) / (edgeM(res) * Math.sqrt(3)));
  if (k <= 0) return touched;
  const out = new Set<string>();
  for (const h of touched) for (const n of gridDisk(h, k)) out.add(n);
  return out;
}

export function levelFactor(s: RiskGridSettings, level: number | null): number {
  const key = level && level >= 1 && level <= 4 ? (String(level) as '1' | '2' | '3' | '4') : 'none';
  return s.levelFactors[key];
}

const kindParams = (s: RiskGridSettings, k: CensusKind) =>
  s.kinds[k] ?? { weight: CENSUS_KIND_INFO[k].weight, radiusM: CENSUS_KIND_INFO[k].radiusM };

/**
 * A hazard feature's part of each cell's raw H: weight × level factor × decay, where decay is 1 when the feature
 * lies within one cell edge of the cell's centre and falls linearly to 0 at `radiusM` beyond that.
 */
export function hazardParts(
  f: GridFeature,
  s: RiskGridSettings,
  res: number,
): { h: string; value: number; m: number }[] {
  const { weight, radiusM } = kindParams(s, f.kind);
  const base = weight * levelFactor(s, f.level);
  if (base <= 0) return [];
  const e = edgeM(res);
  const out: { h: string; value: number; m: number }[] = [];
  const point = geometryClass(f.geometry.type) === 'point' && f.geometry.type === 'Point';
  const p0 = point ? (f.geometry.coordinates as Position) : null;
  for (const h of reach(f.geometry, res, radiusM)) {
    const c = centre(h);
    const d = p0 ? pointDistanceM(c, p0) : distanceToGeomM(c, f.geometry);
    const beyond = Math.max(0, d - e);
    const decay = beyond === 0 ? 1 : radiusM > 0 ? Math.max(0, 1 - beyond / radiusM) : 0;
    if (decay > 0) out.push({ h, value: base * decay, m: Math.round(d) });
  }
  return out;
}

/** an exposed feature's person-equivalents: its population where given, else its kind's weight */
export function exposureValue(f: GridFeature, s: RiskGridSettings): number {
  if (f.population !== null && f.population > 0) return f.population;
  return f.kind === 'population_grid' ? 0 : kindParams(s, f.kind).weight;
}

/** An exposed feature's cells and its share in each: its polygon's cells equally, else the cell of its centre. */
export function exposureCells(f: GridFeature, res: number): { h: string; share: number }[] {
  const cells = geometryClass(f.geometry.type) === 'polygon' ? [...touchedCells(f.geometry, res)] : [];
  if (!cells.length) {
    const [x, y] = f.geometry.type === 'Point' ? (f.geometry.coordinates as Position) : centreOf(f.geometry);
    return [{ h: latLngToCell(y, x, res), share: 1 }];
  }
  return cells.map((h) => ({ h, share: 1 / cells.length }));
}

/** the cells a shelter serves: within its kind's radius */
export function shelterCells(f: GridFeature, s: RiskGridSettings, res: number): string[] {
  return [...reach(f.geometry, res, kindParams(s, f.kind).radiusM)].filter(
    (h) => distanceToGeomM(centre(h), f.geometry) <= kindParams(s, f.kind).radiusM + edgeM(res),
  );
}

/** the value at percentile p of the positive values (1 when there are none) */
export function percentileOf(values: Float64Array, p: number): number {
  const pos: number[] = [];
  for (const v of values) if (v > 0) pos.push(v);
  if (!pos.length) return 1;
  pos.sort((a, b) => a - b);
  const i = Math.min(pos.length - 1, Math.max(0, Math.ceil((p / 100) * pos.length) - 1));
  return pos[i];
}

export function classOf(s: RiskGridSettings, r: number): RiskClass {
  if (r >= s.thresholds.major) return 'major';
  if (r >= s.thresholds.large) return 'large';
  if (r >= s.thresholds.general) return 'general';
  return 'low';
}

/** V: the vulnerable share of the exposure, less the shelters' credit, within 0–1 */
export function vulnerabilityOf(
  s: RiskGridSettings,
  raw: { exposure: number; vulnerable: number; population: number; shelter: number },
): number {
  if (raw.exposure <= 0) return 0;
  const coverage = raw.population > 0 ? Math.min(1, raw.shelter / raw.population) : 0;
  return Math.min(1, Math.max(0, raw.vulnerable / raw.exposure - s.shelterCredit * coverage));
}

export function scoreOf(s: RiskGridSettings, h: number, e: number, v: number): number {
  const f = s.vulnerabilityFloor;
  const r = h ** s.exponents.hazard * e ** s.exponents.exposure * (f + (1 - f) * v) ** s.exponents.vulnerability;
  return h > 0 && e > 0 ? Math.min(1, r) : 0;
}

export function computeGrid(input: GridInput): GridOutput {
  const s = input.settings;
  const res = s.resolution;
  const area = cellsOfArea(input.districts, res);
  const h3 = [...area.keys()];
  const district = h3.map((h) => area.get(h) ?? null);
  const index = new Map<string, number>();
  for (const [i, h] of h3.entries()) index.set(h, i);
  const n = h3.length;
  const rawHazard = new Float64Array(n);
  const rawExposure = new Float64Array(n);
  const population = new Float64Array(n);
  const vulnerable = new Float64Array(n);
  const shelter = new Float64Array(n);
  const shelters: GridFeature[] = [];
  for (const f of input.features) {
    const role = CENSUS_KIND_INFO[f.kind]?.role;
    if (role === 'hazard') {
      for (const p of hazardParts(f, s, res)) {
        const i = index.get(p.h);
        if (i !== undefined) rawHazard[i] += p.value;
      }
    } else if (role === 'exposure') {
      const value = exposureValue(f, s);
      const vul = CENSUS_KIND_INFO[f.kind].vulnerable;
      const people = f.population !== null && f.population > 0 ? f.population : 0;
      for (const c of exposureCells(f, res)) {
        const i = index.get(c.h);
        if (i === undefined) continue;
        rawExposure[i] += value * c.share;
        if (f.kind === 'population_grid' || f.kind === 'residential_area') population[i] += people * c.share;
        if (vul) vulnerable[i] += value * c.share;
      }
    } else if (role === 'shelter') shelters.push(f);
  }
  // shelters: capacity shared among the cells they serve in proportion to the people living there
  for (const f of shelters) {
    const cap = f.capacity ?? 0;
    if (cap <= 0) continue;
    const served = shelterCells(f, s, res)
      .map((h) => index.get(h))
      .filter((i): i is number => i !== undefined);
    let people = 0;
    for (const i of served) people += population[i];
    if (people <= 0) continue;
    for (const i of served) shelter[i] += (cap * population[i]) / people;
  }
  const hn = percentileOf(rawHazard, s.percentile);
  const en = percentileOf(rawExposure, s.percentile);
  const h = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const score = new Float64Array(n);
  const cls: RiskClass[] = new Array(n);
  const counts = Object.fromEntries(RISK_CLASSES.map((c) => [c, 0])) as Record<RiskClass, number>;
  for (let i = 0; i < n; i++) {
    h[i] = Math.min(1, rawHazard[i] / hn);
    e[i] = Math.min(1, rawExposure[i] / en);
    v[i] = vulnerabilityOf(s, {
      exposure: rawExposure[i],
      vulnerable: vulnerable[i],
      population: population[i],
      shelter: shelter[i],
    });
    score[i] = scoreOf(s, h[i], e[i], v[i]);
    cls[i] = classOf(s, score[i]);
    counts[cls[i]]++;
  }
  return {
    resolution: res,
    h3,
    district,
    h,
    e,
    v,
    score,
    cls,
    rawHazard,
    rawExposure,
    population,
    vulnerable,
    shelter,
    norms: { hazard: hn, exposure: en },
    counts,
  };
}

export interface CellContribution {
  featureId: string;
  kind: CensusKind;
  part: ContributionPart;
  value: number;
  meters: number | null;
}

/**
 * What each feature gives one cell (the features near it, read by the caller within the largest radius): hazard
 * parts, exposure (and vulnerability) parts, shelter capacity — computed exactly as `computeGrid` does, so each part's
 * values add up to the cell's raw value. `populationOf` gives the stored population of other cells (a shelter's
 * capacity is shared among the cells it serves by their population).
 */
export function cellContributions(
  cell: string,
  features: readonly GridFeature[],
  s: RiskGridSettings,
  populationOf: (cells: string[]) => Map<string, number>,
): CellContribution[] {
  const res = s.resolution;
  const out: CellContribution[] = [];
  for (const f of features) {
    const role = CENSUS_KIND_INFO[f.kind]?.role;
    if (role === 'hazard') {
      const p = hazardParts(f, s, res).find((x) => x.h === cell);
      if (p) out.push({ featureId: f.id, kind: f.kind, part: 'hazard', value: p.value, meters: p.m });
    } else if (role === 'exposure') {
      const c = exposureCells(f, res).find((x) => x.h === cell);
      if (!c) continue;
      const value = exposureValue(f, s) * c.share;
      if (value > 0) out.push({ featureId: f.id, kind: f.kind, part: 'exposure', value, meters: 0 });
      if (CENSUS_KIND_INFO[f.kind].vulnerable && value > 0)
        out.push({ featureId: f.id, kind: f.kind, part: 'vulnerability', value, meters: 0 });
    } else if (role === 'shelter') {
      const cap = f.capacity ?? 0;
      if (cap <= 0) continue;
      const served = shelterCells(f, s, res);
      if (!served.includes(cell)) continue;
      const pops = populationOf(served);
      let people = 0;
      for (const h of served) people += pops.get(h) ?? 0;
      const mine = pops.get(cell) ?? 0;
      if (people > 0 && mine > 0)
        out.push({
          featureId: f.id,
          kind: f.kind,
          part: 'shelter',
          value: (cap * mine) / people,
          meters: Math.round(distanceToGeomM(centre(cell), f.geometry)),
        });
    }
  }
  return out.sort((a, b) => b.value - a.value);
}

/** the largest distance at which any feature reaches a cell: the detail's search radius */
export function maxReachM(s: RiskGridSettings): number {
  let m = 0;
  for (const k of Object.keys(CENSUS_KIND_INFO) as CensusKind[]) m = Math.max(m, kindParams(s, k).radiusM);
  return m + 2 * edgeM(s.resolution);
}
