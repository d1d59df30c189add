/**
 * Water areas for the basemap: closed ways and multipolygon relations tagged as water. Only outer rings are kept
 * (islands show as water; fine for a basemap background). Ways of a relation are joined end to end into rings;
 * a ring left open by the extract's edge is closed with a straight line.
 */
import type { AreaFeature } from '../road/network.ts';
import type { Tags } from './osm-types.ts';

export function isWater(tags: Tags): boolean {
  return (
    tags.natural === 'water' ||
    tags.waterway === 'riverbank' ||
    tags.landuse === 'reservoir' ||
    tags.landuse === 'basin'
  );
}

/** Joins way node lists (OSM ids) into closed rings; open chains of 3+ nodes are closed straight. */
export function joinRings(parts: Float64Array[]): number[][] {
  const rings: number[][] = [];
  const open: number[][] = [];
  for (const p of parts) {
    if (p.length < 2) continue;
    if (p[0] === p[p.length - 1]) {
      if (p.length >= 4) rings.push(Array.from(p));
    } else open.push(Array.from(p));
  }
  const byEnd = new Map<number, number[]>();
  const note = (id: number, i: number) => {
    const list = byEnd.get(id);
    if (list) list.push(i);
    else byEnd.set(id, [i]);
  };
  open.forEach((p, i) => {
    note(p[0], i);
    note(p[p.length - 1], i);
  });
  const used = new Uint8Array(open.length);
  for (let i = 0; i < open.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const ring = open[i].slice();
    for (;;) {
      const end = ring[ring.length - 1];
      if (end === ring[0]) break;
      const next = (byEnd.get(end) ?? []).find((j) => !used[j]);
      if (next === undefined) break;
      used[next] = 1;
      const part = open[next];
      const piece = part[0] === end ? part : part.slice().reverse();
      for (let k = 1; k < piece.length; k++) ring.push(piece[k]);
    }
    if (ring[ring.length - 1] !== ring[0]) ring.push(ring[0]);
    if (ring.length >= 4) rings.push(ring);
  }
  return rings;
}

/** Turns rings of node ids into an area; nodes without coordinates are left out, rings under 4 points dropped. */
export function toArea(
  rings: number[][],
  name: string | null,
  coord: (id: number) => [number, number] | null,
): AreaFeature | null {
  const polys: number[][][][] = [];
  for (const ring of rings) {
    const pts: number[][] = [];
    for (const id of ring) {
      const c = coord(id);
      if (c) pts.push(c);
    }
    if (pts.length < 3) continue;
    const [a, b] = [pts[0], pts[pts.length - 1]];
    if (a[0] !== b[0] || a[1] !== b[1]) pts.push([a[0], a[1]]);
    if (pts.length >= 4) polys.push([pts]);
  }
  if (polys.length === 0) return null;
  if (polys.length === 1) return { kind: 'water', name, geometry: { type: 'Polygon', coordinates: polys[0] } };
  return { kind: 'water', name, geometry: { type: 'MultiPolygon', coordinates: polys } };
}
