/**
 * A generated street grid (for benchmarks and tests): `cols × rows` vertices about `spacingM` apart (jittered),
 * every `arterialEvery`-th row and column an arterial (primary, ~60 km/h), the rest residential streets
 * (30–50 km/h), a share of the residential streets one-way. Deterministic for a seed; built straight into typed
 * arrays, so a million segments take well under a second.
 */
import { allocateNetwork, haversine, type NetworkData, ROAD_CLASSES } from './network.ts';

export interface GridOptions {
  cols: number;
  rows: number;
  spacingM: number;
  /** [lon, lat] of the south-west corner */
  origin: [number, number];
  seed: number;
  /** every n-th row and column is an arterial (default 10; 0 = none) */
  arterialEvery?: number;
  /** share of residential streets that are one-way (default 0.1) */
  onewayShare?: number;
}

const METERS_PER_DEGREE = 111_195.08;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gridNetwork(o: GridOptions): NetworkData {
  const { cols, rows, spacingM, origin } = o;
  const arterialEvery = o.arterialEvery ?? 10;
  const onewayShare = o.onewayShare ?? 0.1;
  const rand = seededRandom(o.seed);
  const n = cols * rows;
  const lonPerM = 1 / (METERS_PER_DEGREE * Math.cos((origin[1] * Math.PI) / 180));
  const latPerM = 1 / METERS_PER_DEGREE;
  const S = (cols - 1) * rows + cols * (rows - 1);
  const net = allocateNetwork(n, S, 2 * S);
  const { nodeLon, nodeLat, nodeOsmId, segFrom, segTo, segMeters, segClass, segWayId, segName } = net;
  const { shapeStart, shapeLon, shapeLat, names, namesEn } = net;
  const { forward: carF, backward: carB } = net.speedKmh.car;
  const { forward: emF, backward: emB } = net.speedKmh.emergency;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const x = c * spacingM + (rand() - 0.5) * 0.3 * spacingM;
      const y = r * spacingM + (rand() - 0.5) * 0.3 * spacingM;
      nodeLon[i] = origin[0] + x * lonPerM;
      nodeLat[i] = origin[1] + y * latPerM;
      nodeOsmId[i] = i + 1;
    }
  }
  const primary = ROAD_CLASSES.indexOf('primary');
  const residential = ROAD_CLASSES.indexOf('residential');
  for (let r = 0; r < rows; r++) {
    names.push(`东西${r + 1}路`);
    namesEn.push(`East-West Road ${r + 1}`);
  }
  for (let c = 0; c < cols; c++) {
    names.push(`南北${c + 1}路`);
    namesEn.push(`North-South Road ${c + 1}`);
  }
  let s = 0;
  const add = (a: number, b: number, line: number, arterial: boolean) => {
    segFrom[s] = a;
    segTo[s] = b;
    segMeters[s] = haversine(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]);
    segClass[s] = arterial ? primary : residential;
    segWayId[s] = line + 1;
    segName[s] = line;
    shapeStart[s] = 2 * s;
    shapeLon[2 * s] = nodeLon[a];
    shapeLat[2 * s] = nodeLat[a];
    shapeLon[2 * s + 1] = nodeLon[b];
    shapeLat[2 * s + 1] = nodeLat[b];
    const kmh = arterial ? 55 + rand() * 15 : 30 + rand() * 20;
    let f = kmh;
    let bw = kmh;
    if (!arterial && rand() < onewayShare) {
      if (rand() < 0.5) bw = 0;
      else f = 0;
    }
    carF[s] = f;
    carB[s] = bw;
    emF[s] = f * 1.25;
    emB[s] = bw * 1.25;
    s++;
  };
  for (let r = 0; r < rows; r++) {
    const arterial = arterialEvery > 0 && r % arterialEvery === 0;
    for (let c = 0; c + 1 < cols; c++) add(r * cols + c, r * cols + c + 1, r, arterial);
  }
  for (let c = 0; c < cols; c++) {
    const arterial = arterialEvery > 0 && c % arterialEvery === 0;
    for (let r = 0; r + 1 < rows; r++) add(r * cols + c, (r + 1) * cols + c, rows + c, arterial);
  }
  shapeStart[S] = 2 * S;
  return net;
}
