/**
 * Hand-drawn road networks for the driving-rules tests, in the form the routing field writes its own tests in
 * (OSRM's cucumber features, GraphHopper's tests): a node map drawn in characters, its ways, node tags and relations.
 * The drawing becomes an OSM XML file that goes through the real importer (`readOsmNetwork`), the real compiler and
 * the real engine, so a case checks what a user of the whole chain would see, not an internal function.
 *
 *   a---b---c        letters (a–z, A–Z) are OSM nodes; digits (0–9) are points to route from or to, not nodes;
 *       |            every other character is decoration. One character cell is `gridMeters` east–west and one line
 *       d            is `gridMeters` north–south (as in OSRM's node maps), so `a---b` is 400 m at the default 100 m.
 *
 * The map is placed near Weihai (122.1°E, 37.5°N), where Anlan's users drive.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OsmImportStats, readOsmNetwork } from '../osm/osm-import.ts';
import { DEFAULT_PROFILES_FILE, type ProfileConfig, validateProfiles } from '../osm/profiles.ts';
import type { RouteResult } from './engine.ts';
import { type LonLat, type NetworkData, type Profile, ROAD_CLASSES } from './network.ts';
import { compileGraph, createRoadEngine, type RoadGraph } from './road-engine.ts';

type Tags = Record<string, string>;

export const ASCII_ORIGIN: LonLat = [122.1, 37.5];
/** metres per degree of latitude on the mean sphere (the importer measures on the same sphere) */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

export interface AsciiWay {
  /** node letters in order, e.g. 'abc' */
  nodes: string;
  tags: Tags;
}

/** A relation member: a way by its `name` tag (or, for an unnamed way, its node letters), a node by its letter. */
export interface AsciiMember {
  type: 'way' | 'node';
  ref: string;
  role: string;
}

export interface AsciiRelation {
  tags: Tags;
  members: AsciiMember[];
}

export interface AsciiSpec {
  map: string;
  ways: AsciiWay[];
  /** tags per node letter, e.g. `{b: {barrier: 'bollard'}}` */
  nodes?: Record<string, Tags>;
  relations?: AsciiRelation[];
  /** metres per character cell and per line (default 100) */
  gridMeters?: number;
}

/**
 * A turn restriction relation: `from`/`to` are way names (several for no_entry / no_exit), `via` a node letter
 * (one character) or way names (a via-way restriction).
 */
export function restriction(
  value: string,
  from: string | string[],
  via: string | string[],
  to: string | string[],
  extra: Tags = {},
): AsciiRelation {
  const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);
  const viaNode = typeof via === 'string' && via.length === 1;
  return {
    tags: { type: 'restriction', restriction: value, ...extra },
    members: [
      ...list(from).map((ref) => ({ type: 'way' as const, ref, role: 'from' })),
      ...(viaNode
        ? [{ type: 'node' as const, ref: via, role: 'via' }]
        : list(via).map((ref) => ({ type: 'way' as const, ref, role: 'via' }))),
      ...list(to).map((ref) => ({ type: 'way' as const, ref, role: 'to' })),
    ],
  };
}

/** A point of the map: a letter or digit, optionally moved `east`/`north` metres (to sit beside a road). */
export type AsciiPoint = string | { at: string; east?: number; north?: number };

interface Placed {
  /** position by character: metres east and north of the map's top-left cell */
  cells: Map<string, [number, number]>;
}

function place(map: string, grid: number): Placed {
  const lines = map.split('\n');
  // drop the template literal's first empty line and the indentation common to all lines
  while (lines.length && lines[0].trim() === '') lines.shift();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const cells = new Map<string, [number, number]>();
  lines.forEach((line, row) => {
    [...line.slice(indent)].forEach((ch, col) => {
      if (!/[A-Za-z0-9]/.test(ch)) return;
      if (cells.has(ch)) throw new Error(`ascii map: "${ch}" drawn twice`);
      cells.set(ch, [col * grid, -row * grid]);
    });
  });
  return { cells };
}

function toLonLat(east: number, north: number, origin: LonLat = ASCII_ORIGIN): LonLat {
  return [origin[0] + east / (M_PER_DEG * Math.cos((origin[1] * Math.PI) / 180)), origin[1] + north / M_PER_DEG];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const tagsXml = (tags: Tags) =>
  Object.entries(tags)
    .map(([k, v]) => `    <tag k="${esc(k)}" v="${esc(v)}"/>\n`)
    .join('');

/** The drawing as an OSM XML document, and where each character lies. */
export function asciiOsmXml(spec: AsciiSpec): { xml: string; points: Map<string, LonLat> } {
  const grid = spec.gridMeters ?? 100;
  const { cells } = place(spec.map, grid);
  const points = new Map<string, LonLat>();
  for (const [ch, [e, n]] of cells) points.set(ch, toLonLat(e, n));
  const letters = [...cells.keys()].filter((c) => /[A-Za-z]/.test(c)).sort();
  const nodeId = new Map(letters.map((c, i) => [c, i + 1]));
  for (const c of Object.keys(spec.nodes ?? {})) {
    if (!nodeId.has(c)) throw new Error(`ascii map: node tags for "${c}", which is not drawn`);
  }
  const wayId = (i: number) => 100 + i;
  const wayRef = (ref: string) => {
    let i = spec.ways.findIndex((w) => w.tags.name === ref);
    if (i < 0) i = spec.ways.findIndex((w) => w.nodes === ref);
    if (i < 0) throw new Error(`ascii map: no way named "${ref}"`);
    return wayId(i);
  };

  let x = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="anlan ascii-network">\n';
  for (const c of letters) {
    const [lon, lat] = points.get(c) as LonLat;
    const tags = spec.nodes?.[c];
    const head = `  <node id="${nodeId.get(c)}" version="1" lat="${lat.toFixed(9)}" lon="${lon.toFixed(9)}"`;
    x += tags ? `${head}>\n${tagsXml(tags)}  </node>\n` : `${head}/>\n`;
  }
  spec.ways.forEach((w, i) => {
    const refs = [...w.nodes].map((c) => {
      const id = nodeId.get(c);
      if (id === undefined) throw new Error(`ascii map: way ${w.nodes} uses "${c}", which is not drawn`);
      return `    <nd ref="${id}"/>\n`;
    });
    x += `  <way id="${wayId(i)}" version="1">\n${refs.join('')}${tagsXml(w.tags)}  </way>\n`;
  });
  (spec.relations ?? []).forEach((r, i) => {
    const members = r.members.map((m) => {
      const ref = m.type === 'node' ? nodeId.get(m.ref) : wayRef(m.ref);
      if (ref === undefined) throw new Error(`ascii map: relation member "${m.ref}" is not drawn`);
      return `    <member type="${m.type}" ref="${ref}" role="${m.role}"/>\n`;
    });
    x += `  <relation id="${1000 + i}" version="1">\n${members.join('')}${tagsXml(r.tags)}  </relation>\n`;
  });
  return { xml: `${x}</osm>\n`, points };
}

/**
 * The default profiles (profiles.json), with a speed of 0 (never used) for any road class of the network contract the
 * file does not list yet: issue 8 added `ferry` to the contract before the importer's profile file learnt it, and the
 * driving rules must then fail on their rule (no ferry taken), not on a profile file that does not load. Once the file
 * lists every class this is exactly loadProfiles().
 */
export function currentProfiles(): ProfileConfig {
  const json = JSON.parse(readFileSync(DEFAULT_PROFILES_FILE, 'utf8'));
  for (const p of Object.values(json.profiles) as { speedsKmh: Record<string, number> }[]) {
    for (const c of ROAD_CLASSES) p.speedsKmh[c] ??= 0;
  }
  return validateProfiles(json, 'profiles.json');
}

export interface AsciiRoute {
  /** names of the roads driven, consecutive repeats collapsed ('?' for an unnamed road) */
  names: string[];
  seconds: number;
  meters: number;
  /** the road classes driven, in order, repeats collapsed */
  classes: string[];
  result: RouteResult;
}

export interface AsciiNetwork {
  network: NetworkData;
  stats: OsmImportStats;
  graph: RoadGraph;
  point(p: AsciiPoint): LonLat;
  /** the route as a driver reads it, or null for "no route" */
  route(from: AsciiPoint, to: AsciiPoint, profile?: Profile): AsciiRoute | null;
  /** seconds from each `from` to each `to` as the travel-time matrix gives them (null: unreachable) */
  matrix(from: AsciiPoint[], to: AsciiPoint[], profile?: Profile): (number | null)[][];
  /** the road pieces an isochrone of `seconds` from `from` reaches */
  reached(from: AsciiPoint, seconds: number, profile?: Profile): LonLat[][];
  /** name of a road id (segment) */
  nameOf(seg: number): string;
}

/** Metres from a point to the nearest of some lines (local plane: the drawings span a few kilometres). */
export function metresToLines(p: LonLat, lines: LonLat[][]): number {
  const kx = M_PER_DEG * Math.cos((p[1] * Math.PI) / 180);
  let best = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const ax = (line[i][0] - p[0]) * kx;
      const ay = (line[i][1] - p[1]) * M_PER_DEG;
      const b = line[Math.min(i + 1, line.length - 1)];
      const bx = (b[0] - p[0]) * kx;
      const by = (b[1] - p[1]) * M_PER_DEG;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
    }
  }
  return best;
}

/**
 * Imports the drawing through the OSM importer, compiles it and opens an engine on it. `prepare` may change the
 * imported network before it is compiled (e.g. its turn costs).
 */
export async function asciiNetwork(
  spec: AsciiSpec,
  opts: { prepare?: (n: NetworkData) => void; maxSnapMeters?: number } = {},
): Promise<AsciiNetwork> {
  const { xml, points } = asciiOsmXml(spec);
  const dir = mkdtempSync(join(tmpdir(), 'anlan-ascii-'));
  let network: NetworkData;
  let stats: OsmImportStats;
  try {
    const file = join(dir, 'drawn.osm');
    writeFileSync(file, xml);
    ({ network, stats } = await readOsmNetwork(file, { profiles: currentProfiles() }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  opts.prepare?.(network);
  const graph = compileGraph(network, {
    id: 'ascii',
    builtAt: new Date(0).toISOString(),
    name: 'drawn network',
    synthetic: true,
    source: 'hand-drawn test network',
    attribution: '',
  });
  const engine = createRoadEngine(graph, { maxSnapMeters: opts.maxSnapMeters });
  const nameOf = (s: number) => (network.segName[s] >= 0 ? network.names[network.segName[s]] : '?');
  const point = (p: AsciiPoint): LonLat => {
    const ch = typeof p === 'string' ? p : p.at;
    const at = points.get(ch);
    if (!at) throw new Error(`ascii map: no point "${ch}"`);
    if (typeof p === 'string') return at;
    const lat = at[1] + (p.north ?? 0) / M_PER_DEG;
    const lon = at[0] + (p.east ?? 0) / (M_PER_DEG * Math.cos((at[1] * Math.PI) / 180));
    return [lon, lat];
  };
  const collapse = (xs: string[]) => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
  return {
    network,
    stats,
    graph,
    point,
    nameOf,
    reached(from, seconds, profile = 'car') {
      return engine.isochrone([point(from)], seconds / 60, { profile }).roads.coordinates;
    },
    matrix(from, to, profile = 'car') {
      return engine.matrix(from.map(point), to.map(point), { profile }).seconds;
    },
    route(from, to, profile = 'car') {
      const result = engine.route(point(from), point(to), { profile });
      if (!result) return null;
      return {
        names: collapse(result.segments.map(nameOf)),
        classes: collapse(result.segments.map((s) => ROAD_CLASSES[network.segClass[s]])),
        seconds: result.seconds,
        meters: result.meters,
        result,
      };
    },
  };
}
