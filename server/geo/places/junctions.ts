/**
 * Junctions of named roads, from a compiled network: where roads of two different names meet, a place
 * "X路与Y路交叉口" (English "X Rd & Y Rd" when both roads have English names; else none: no pinyin is invented).
 * One per pair of names within about 100 m, so that a dual carriageway's two crossings are one junction.
 */
import { haversine, type NetworkData, ROAD_CLASSES } from '../road/network.ts';

export interface JunctionPlace {
  ref: string;
  name: string;
  nameEn: string | null;
  kind: 'junction';
  lon: number;
  lat: number;
}

/** junctions of one pair of names closer than this are one */
export const JUNCTION_CLUSTER_METERS = 100;
const FERRY = ROAD_CLASSES.indexOf('ferry');
const LINKS = new Set(ROAD_CLASSES.flatMap((c, i) => (c.endsWith('_link') ? [i] : [])));

export function junctionPlaces(net: NetworkData): JunctionPlace[] {
  const n = net.nodeCount;
  // per vertex: the named segments that touch it (CSR), link roads and ferries left out
  const degree = new Uint32Array(n + 1);
  const named = (s: number) => net.segName[s] >= 0 && net.segClass[s] !== FERRY && !LINKS.has(net.segClass[s]);
  for (let s = 0; s < net.segmentCount; s++) {
    if (!named(s)) continue;
    degree[net.segFrom[s] + 1]++;
    degree[net.segTo[s] + 1]++;
  }
  for (let v = 0; v < n; v++) degree[v + 1] += degree[v];
  const at = degree.slice();
  const segs = new Uint32Array(degree[n]);
  for (let s = 0; s < net.segmentCount; s++) {
    if (!named(s)) continue;
    segs[at[net.segFrom[s]]++] = s;
    segs[at[net.segTo[s]]++] = s;
  }
  // a road's rank: its best class (lower index = more important) over the segments of that name at the vertex
  const kept = new Map<string, [number, number][]>();
  const out: JunctionPlace[] = [];
  for (let v = 0; v < n; v++) {
    if (degree[v + 1] - degree[v] < 2) continue;
    const roads = new Map<string, { en: string | null; cls: number }>();
    for (let k = degree[v]; k < degree[v + 1]; k++) {
      const s = segs[k];
      const i = net.segName[s];
      const name = net.names[i];
      const r = roads.get(name);
      const en = net.namesEn[i] ?? null;
      if (!r) roads.set(name, { en, cls: net.segClass[s] });
      else {
        r.cls = Math.min(r.cls, net.segClass[s]);
        r.en ??= en;
      }
    }
    if (roads.size < 2) continue;
    const list = [...roads].sort((a, b) => a[1].cls - b[1].cls || a[0].localeCompare(b[0], 'zh-CN'));
    const lon = net.nodeLon[v];
    const lat = net.nodeLat[v];
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const [x, rx] = list[a];
        const [y, ry] = list[b];
        const key = x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
        const pts = kept.get(key);
        if (pts?.some(([px, py]) => haversine(px, py, lon, lat) < JUNCTION_CLUSTER_METERS)) continue;
        if (pts) pts.push([lon, lat]);
        else kept.set(key, [[lon, lat]]);
        out.push({
          ref: `v${net.nodeOsmId[v]}`,
          name: `${x}与${y}交叉口`,
          nameEn: rx.en && ry.en ? `${rx.en} & ${ry.en}` : null,
          kind: 'junction',
          lon,
          lat,
        });
      }
    }
  }
  return out;
}
