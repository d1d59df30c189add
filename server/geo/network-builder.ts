/** Builds NetworkData from vertices and straight segments: the synthetic demo network and hand-made test networks. */
import {
  allocateNetwork,
  haversine,
  type NetworkData,
  PROFILES,
  type Profile,
  ROAD_CLASSES,
  type RoadClass,
} from './road/network.ts';

/** Speed (km/h) of a road class for a profile. */
export type SpeedOf = (cls: RoadClass, profile: Profile) => number;

/** Accumulates vertices (merged by coordinates) and straight segments, then packs them into NetworkData. */
export class NetworkBuilder {
  #lon: number[] = [];
  #lat: number[] = [];
  #key = new Map<string, number>();
  #seg: { from: number; to: number; cls: RoadClass; name: number; oneway: boolean; speed?: number }[] = [];
  #names: string[] = [];
  #nameIdx = new Map<string, number>();

  constructor(private readonly speedOf: SpeedOf) {}

  vertex(x: number, y: number): number {
    const k = `${x.toFixed(7)},${y.toFixed(7)}`;
    let v = this.#key.get(k);
    if (v === undefined) {
      v = this.#lon.length;
      this.#lon.push(x);
      this.#lat.push(y);
      this.#key.set(k, v);
    }
    return v;
  }

  #name(n: string | null): number {
    if (n === null) return -1;
    let i = this.#nameIdx.get(n);
    if (i === undefined) {
      i = this.#names.length;
      this.#names.push(n);
      this.#nameIdx.set(n, i);
    }
    return i;
  }

  /** A straight segment; `oneway` allows only from → to; `speed` (km/h, all profiles) overrides the class speed. */
  add(from: number, to: number, cls: RoadClass, name: string | null, oneway = false, speed?: number): number {
    if (from === to) return -1;
    this.#seg.push({ from, to, cls, name: this.#name(name), oneway, speed });
    return this.#seg.length - 1;
  }

  build(): NetworkData {
    const lon = this.#lon;
    const lat = this.#lat;
    const n = lon.length;
    const m = this.#seg.length;
    const net = allocateNetwork(n, m, 2 * m);
    net.nodeLon.set(lon);
    net.nodeLat.set(lat);
    for (let i = 0; i < n; i++) net.nodeOsmId[i] = i + 1;
    net.names = this.#names;
    net.namesEn = this.#names.map(() => null);
    const speed = net.speedKmh;
    this.#seg.forEach((s, i) => {
      net.segFrom[i] = s.from;
      net.segTo[i] = s.to;
      net.segMeters[i] = haversine(lon[s.from], lat[s.from], lon[s.to], lat[s.to]);
      net.segClass[i] = ROAD_CLASSES.indexOf(s.cls);
      net.segWayId[i] = i + 1;
      net.segName[i] = s.name;
      net.shapeStart[i] = 2 * i;
      net.shapeLon[2 * i] = lon[s.from];
      net.shapeLat[2 * i] = lat[s.from];
      net.shapeLon[2 * i + 1] = lon[s.to];
      net.shapeLat[2 * i + 1] = lat[s.to];
      for (const p of PROFILES) {
        const v = s.speed ?? this.speedOf(s.cls, p);
        speed[p].forward[i] = v;
        speed[p].backward[i] = s.oneway ? 0 : v;
      }
    });
    net.shapeStart[m] = 2 * m;
    return net;
  }
}
