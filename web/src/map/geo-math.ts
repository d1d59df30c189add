import type { Geometry, Position } from 'geojson';

/** Mean Earth radius (m), as MapLibre's `LngLat.distanceTo` uses. */
const R = 6371008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres between two WGS-84 [lon, lat] points. */
export function distanceM(a: Position, b: Position): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length in metres of a polyline. */
export function lineLengthM(points: Position[]): number {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += distanceM(points[i - 1], points[i]);
  return m;
}

/**
 * Area in m² of a closed ring on the sphere (Chamberlain & Duquette, as used by Turf): good to well under 1 %
 * at the size of a city.
 */
export function ringAreaM2(ring: Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p1 = ring[i];
    const p2 = ring[(i + 1) % n];
    const p3 = ring[(i + 2) % n];
    total += (rad(p3[0]) - rad(p1[0])) * Math.sin(rad(p2[1]));
  }
  return Math.abs((total * R * R) / 2);
}

/** `12.35 km`: kilometres with 2 decimals. */
export function formatKm(m: number): string {
  return `${(m / 1000).toFixed(2)} km`;
}

export function formatKm2(m2: number): string {
  const km2 = m2 / 1e6;
  return `${km2 < 0.01 ? km2.toFixed(4) : km2.toFixed(2)} km²`;
}

/** [west, south, east, north] of any GeoJSON geometry, or null when it has no coordinates. */
export function bboxOf(g: Geometry | null | undefined): [number, number, number, number] | null {
  if (!g) return null;
  const b = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1] as number);
      return;
    }
    for (const x of c) visit(x);
  };
  if (g.type === 'GeometryCollection') for (const x of g.geometries) visit('coordinates' in x ? x.coordinates : []);
  else visit(g.coordinates);
  return Number.isFinite(b[0]) ? [b[0], b[1], b[2], b[3]] : null;
}

/** `122.123456, 37.123456`: WGS-84 longitude, latitude with 6 decimals (about 0.1 m). */
export function formatLonLat(p: Position): string {
  return `${p[0].toFixed(6)}, ${p[1].toFixed(6)}`;
}
