/**
 * Building a network's artefacts from NetworkData: the compiled graph (binary, loaded at start-up) and the road
 * rows for PostGIS (map, search, closures). Pure: the same code runs in the server (synthetic demo network) and in
 * the import child process (OSM files), so that a long import never blocks the server's event loop.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoadRow } from './network.repository.ts';
import type { OsmPlace } from './osm/osm-places.ts';
import { junctionPlaces } from './places/junctions.ts';
import { type AreaFeature, type NetworkData, type NetworkMeta, ROAD_CLASSES } from './road/network.ts';
import { compileGraph, serializeGraph } from './road/road-engine.ts';

export interface BuildProgress {
  phase: string;
  done: number;
  total: number;
}

export interface BuiltNetwork {
  id: string;
  meta: NetworkMeta;
  nodeCount: number;
  segmentCount: number;
  bbox: [number, number, number, number];
  /** file holding the serialized graph */
  graphFile: string;
  roads: RoadRow[];
  areas: { id: number; kind: string; name: string | null; geojson: string }[];
  /** the network's gazetteer places: those read from the file and the junctions of its named roads */
  places: NetworkPlace[];
  stats: unknown;
}

export interface NetworkPlace {
  source: 'osm' | 'junction';
  ref: string;
  name: string;
  nameEn: string | null;
  kind: string;
  lon: number;
  lat: number;
}

export function networkDir(dataDir: string): string {
  return join(dataDir, 'networks');
}

/** One segment's direction for the car profile, as the map and closures list say it. */
function onewayOf(net: NetworkData, i: number): string {
  const f = net.speedKmh.car.forward[i] > 0;
  const b = net.speedKmh.car.backward[i] > 0;
  return f && !b ? 'forward' : b && !f ? 'backward' : 'both';
}

export function roadRows(net: NetworkData): RoadRow[] {
  const rows: RoadRow[] = new Array(net.segmentCount);
  for (let i = 0; i < net.segmentCount; i++) {
    const a = net.shapeStart[i];
    const b = net.shapeStart[i + 1];
    const pts: string[] = [];
    for (let k = a; k < b; k++) pts.push(`${net.shapeLon[k].toFixed(7)} ${net.shapeLat[k].toFixed(7)}`);
    const n = net.segName[i];
    rows[i] = {
      seg: i,
      wayId: Number.isFinite(net.segWayId[i]) ? net.segWayId[i] : null,
      name: n >= 0 ? net.names[n] : null,
      nameEn: n >= 0 ? (net.namesEn[n] ?? null) : null,
      cls: ROAD_CLASSES[net.segClass[i]] ?? 'road',
      oneway: onewayOf(net, i),
      meters: net.segMeters[i],
      wkt: `LINESTRING(${pts.join(',')})`,
    };
  }
  return rows;
}

export function bboxOf(net: NetworkData): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (let i = 0; i < net.nodeCount; i++) {
    const x = net.nodeLon[i];
    const y = net.nodeLat[i];
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

/** Compiles and writes the graph file (written beside, then renamed: a crash never leaves half a file). */
export function buildNetwork(
  net: NetworkData,
  areas: AreaFeature[],
  o: {
    id: string;
    meta: NetworkMeta;
    dataDir: string;
    builtAt: string;
    stats?: unknown;
    /** places read from the file (OSM) */
    places?: OsmPlace[];
    onProgress?: (p: BuildProgress) => void;
  },
): BuiltNetwork {
  if (net.segmentCount === 0) throw new Error('the file holds no drivable roads');
  const graph = compileGraph(net, { ...o.meta, id: o.id, builtAt: o.builtAt }, { onProgress: o.onProgress });
  const dir = networkDir(o.dataDir);
  mkdirSync(dir, { recursive: true });
  const graphFile = join(dir, `${o.id}.graph`);
  writeFileSync(`${graphFile}.part`, serializeGraph(graph));
  renameSync(`${graphFile}.part`, graphFile);
  return {
    id: o.id,
    meta: o.meta,
    nodeCount: net.nodeCount,
    segmentCount: net.segmentCount,
    bbox: bboxOf(net),
    graphFile,
    roads: roadRows(net),
    areas: areas.map((a, i) => ({ id: i, kind: a.kind, name: a.name, geojson: JSON.stringify(a.geometry) })),
    places: [
      ...(o.places ?? []).map((p) => ({ source: 'osm' as const, ...p })),
      ...junctionPlaces(net).map((p) => ({ source: 'junction' as const, ...p })),
    ],
    stats: o.stats ?? null,
  };
}
