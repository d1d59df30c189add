/**
 * The Weihai demo road network — SYNTHETIC (示例路网): no OpenStreetMap extract of Weihai is available offline,
 * so the demo generates, deterministically, arterials between the district centres and towns and a street mesh
 * around each, kept inside Weihai's land area (the district polygons). It exists so that routing, isochrones and
 * coverage can be seen in the demo; it is labelled synthetic in the map and the API, and `npx anlan import osm`
 * with a real extract replaces it.
 */
import { NetworkBuilder } from './network-builder.ts';
import { haversine, type NetworkData, type RoadClass } from './road/network.ts';

type Ring = number[][];
export type LandPolygon = Ring[]; // outer ring then holes

export interface DemoTown {
  name: string;
  center: [number, number];
  /** half-width of the street mesh, metres */
  radiusM: number;
}

/** Towns of the demo network (WGS-84, approximate): district seats and large towns. */
export const DEMO_TOWNS: DemoTown[] = [
  { name: '环翠', center: [122.116, 37.507], radiusM: 3600 },
  { name: '文登', center: [122.054, 37.196], radiusM: 3000 },
  { name: '荣成', center: [122.486, 37.163], radiusM: 2700 },
  { name: '乳山', center: [121.538, 36.918], radiusM: 2700 },
  { name: '石岛', center: [122.419, 36.886], radiusM: 1800 },
  { name: '初村', center: [121.96, 37.43], radiusM: 1500 },
  { name: '崖头', center: [122.43, 37.32], radiusM: 1500 },
  { name: '南海', center: [121.84, 36.99], radiusM: 1500 },
];

/** Arterials between towns (indices into DEMO_TOWNS), with their class and name. */
const ARTERIALS: { a: number; b: number; cls: RoadClass; name: string }[] = [
  { a: 0, b: 5, cls: 'trunk', name: '示例环海大道' },
  { a: 5, b: 1, cls: 'trunk', name: '示例文初路' },
  { a: 0, b: 1, cls: 'primary', name: '示例威文路' },
  { a: 1, b: 7, cls: 'primary', name: '示例文南路' },
  { a: 7, b: 3, cls: 'primary', name: '示例南乳路' },
  { a: 1, b: 6, cls: 'primary', name: '示例文崖路' },
  { a: 6, b: 2, cls: 'primary', name: '示例崖荣路' },
  { a: 2, b: 4, cls: 'trunk', name: '示例荣石路' },
  { a: 1, b: 4, cls: 'secondary', name: '示例文石路' },
  { a: 0, b: 6, cls: 'secondary', name: '示例威崖路' },
];

const SPEED: Partial<Record<RoadClass, number>> = { trunk: 80, primary: 60, secondary: 50, residential: 30 };
const MESH_SPACING_M = 300;
const ARTERIAL_STEP_M = 600;
const M_PER_DEG_LAT = 111_320;

function insideRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function onLand(land: LandPolygon[], x: number, y: number): boolean {
  return land.some((poly) => insideRing(x, y, poly[0]) && !poly.slice(1).some((h) => insideRing(x, y, h)));
}

const ORDINAL = '一二三四五六七八九十';
const ordinal = (i: number) =>
  i < 10 ? ORDINAL[i] : `${i >= 20 ? ORDINAL[Math.floor(i / 10) - 1] : ''}十${i % 10 ? ORDINAL[(i % 10) - 1] : ''}`;

/**
 * The synthetic network on the given land polygons (WGS-84). Deterministic: the same land gives the same network.
 * Streets run every 300 m around each town (every fifth a secondary road; every seventh row one-way eastbound);
 * arterials join towns with a vertex every 600 m; pieces over the sea are left out.
 */
export function syntheticWeihaiNetwork(land: LandPolygon[]): NetworkData {
  const b = new NetworkBuilder((cls, profile) => (SPEED[cls] ?? 30) * (profile === 'emergency' ? 1.2 : 1));
  const centreVertex: (number | undefined)[] = [];
  for (const town of DEMO_TOWNS) {
    const [cx, cy] = town.center;
    const dLat = MESH_SPACING_M / M_PER_DEG_LAT;
    const dLon = dLat / Math.cos((cy * Math.PI) / 180);
    const k = Math.floor(town.radiusM / MESH_SPACING_M);
    const at = (i: number, j: number): number | undefined => {
      const x = cx + i * dLon;
      const y = cy + j * dLat;
      return onLand(land, x, y) ? b.vertex(x, y) : undefined;
    };
    const grid = new Map<string, number | undefined>();
    const g = (i: number, j: number) => {
      const key = `${i},${j}`;
      if (!grid.has(key)) grid.set(key, at(i, j));
      return grid.get(key);
    };
    for (let j = -k; j <= k; j++) {
      for (let i = -k; i <= k; i++) {
        const v = g(i, j);
        if (v === undefined) continue;
        const east = i < k ? g(i + 1, j) : undefined;
        const north = j < k ? g(i, j + 1) : undefined;
        const rowMajor = j % 5 === 0;
        const colMajor = i % 5 === 0;
        if (east !== undefined) {
          const name = `示例${town.name}${ordinal(Math.abs(j))}${j < 0 ? '南' : ''}街`;
          b.add(v, east, rowMajor ? 'secondary' : 'residential', name, !rowMajor && j % 7 === 3);
        }
        if (north !== undefined) {
          const name = `示例${town.name}${ordinal(Math.abs(i))}${i < 0 ? '西' : ''}路`;
          b.add(v, north, colMajor ? 'secondary' : 'residential', name);
        }
      }
    }
    centreVertex.push(g(0, 0));
  }
  for (const a of ARTERIALS) {
    const from = DEMO_TOWNS[a.a].center;
    const to = DEMO_TOWNS[a.b].center;
    const steps = Math.max(1, Math.round(haversine(from[0], from[1], to[0], to[1]) / ARTERIAL_STEP_M));
    let prev = centreVertex[a.a];
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      // a gentle bend, so that arterials do not look ruled
      const bend = Math.sin(Math.PI * t) * 0.02;
      const x = from[0] + (to[0] - from[0]) * t - (to[1] - from[1]) * bend;
      const y = from[1] + (to[1] - from[1]) * t + (to[0] - from[0]) * bend;
      const cur = s === steps ? centreVertex[a.b] : onLand(land, x, y) ? b.vertex(x, y) : undefined;
      if (prev !== undefined && cur !== undefined) b.add(prev, cur, a.cls, a.name);
      prev = cur;
    }
  }
  return b.build();
}

/** Builds the synthetic network on the district polygons in the database and makes it the current network. */
export async function installDemoRoads(
  geo: { networks: { installNetwork: import('./network.service.ts').RoadNetworks['installNetwork'] } },
  ctx: import('../platform/core/context.ts').RequestCtx,
  districts: { geojson: string }[],
): Promise<string> {
  const land: LandPolygon[] = [];
  for (const d of districts) {
    const g = JSON.parse(d.geojson) as { type: string; coordinates: unknown };
    if (g.type === 'Polygon') land.push(g.coordinates as LandPolygon);
    if (g.type === 'MultiPolygon') land.push(...(g.coordinates as LandPolygon[]));
  }
  if (!land.length) return 'demo road network: no district polygons, none built';
  const net = syntheticWeihaiNetwork(land);
  await geo.networks.installNetwork(ctx, net, [], {
    name: '威海示例路网',
    synthetic: true,
    source: 'Anlan demo: synthetic network generated inside Weihai’s district polygons',
    attribution: '示例路网（合成）/ synthetic demo road network',
  });
  return `demo road network (synthetic): ${net.nodeCount} vertices, ${net.segmentCount} segments`;
}
