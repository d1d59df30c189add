/**
 * Gazetteer places in an OSM extract: nodes and ways whose tags `places.json` names (settlements, hospitals, schools,
 * stations, ports…), with their Chinese and English names. A way (an area or a line) is placed at a representative
 * point: its area's centroid when that lies inside the ring, else the ring's vertex nearest to it.
 */
import { readFileSync } from 'node:fs';
import type { Tags } from './osm-types.ts';

export interface OsmPlace {
  /** the element: n123 or w456 */
  ref: string;
  name: string;
  nameEn: string | null;
  kind: string;
  lon: number;
  lat: number;
}

interface PlaceRules {
  tags: { key: string; values: Record<string, string> }[];
}

const RULES = JSON.parse(readFileSync(new URL('./places.json', import.meta.url), 'utf8')) as PlaceRules;

/** The keys whose ways and nodes the import must be handed. */
export const PLACE_KEYS: ReadonlySet<string> = new Set(RULES.tags.map((t) => t.key));

/** The kind and names of a tagged element, or null when it is no place (or has no name). */
export function placeOf(tags: Tags): { kind: string; name: string; nameEn: string | null } | null {
  let kind: string | undefined;
  for (const t of RULES.tags) {
    const v = tags[t.key];
    if (v !== undefined && t.values[v]) {
      kind = t.values[v];
      break;
    }
  }
  if (!kind) return null;
  const en = tags['name:en']?.trim() || null;
  const name = tags['name:zh']?.trim() || tags.name?.trim() || tags['name:zh-Hans']?.trim() || en;
  if (!name) return null;
  return { kind, name, nameEn: en };
}

/** A representative point of a way's nodes (lon/lat arrays, NaN where the extract lacks a node). */
export function representativePoint(lon: number[], lat: number[]): [number, number] | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < lon.length; i++) {
    if (Number.isFinite(lon[i]) && Number.isFinite(lat[i])) {
      xs.push(lon[i]);
      ys.push(lat[i]);
    }
  }
  const n = xs.length;
  if (n === 0) return null;
  const closed = n >= 4 && xs[0] === xs[n - 1] && ys[0] === ys[n - 1];
  if (!closed) {
    // a line: its middle vertex
    const m = Math.floor((n - 1) / 2);
    return [xs[m], ys[m]];
  }
  // polygon centroid (shoelace), relative to the first vertex for precision
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n - 1; i++) {
    const x0 = xs[i] - xs[0];
    const y0 = ys[i] - ys[0];
    const x1 = xs[i + 1] - xs[0];
    const y1 = ys[i + 1] - ys[0];
    const c = x0 * y1 - x1 * y0;
    a2 += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  let px: number;
  let py: number;
  if (Math.abs(a2) < 1e-18) {
    px = xs.reduce((s, x) => s + x, 0) / n;
    py = ys.reduce((s, y) => s + y, 0) / n;
  } else {
    px = xs[0] + cx / (3 * a2);
    py = ys[0] + cy / (3 * a2);
  }
  if (insideRing(px, py, xs, ys)) return [px, py];
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - px) ** 2 + (ys[i] - py) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return [xs[best], ys[best]];
}

function insideRing(x: number, y: number, xs: number[], ys: number[]): boolean {
  let inside = false;
  for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
    if (ys[i] > y !== ys[j] > y && x < ((xs[j] - xs[i]) * (y - ys[i])) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
  }
  return inside;
}
