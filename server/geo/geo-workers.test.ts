// Travel questions answered in worker threads through the geo service: a network swap reaches the workers (they
// share the graph the main thread loaded), and a user over their limit of heavy work is refused while others are
// served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsochroneReply, MatrixReply } from '../../contracts/geo.ts';
import { AppError } from '../errors.ts';
import { type RequestCtx, systemCtx } from '../platform/core/context.ts';
import { JsonBytes } from '../platform/workers/json-bytes.ts';
import { ctxAs } from '../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../test/helpers.ts';
import * as geo from './geo.service.ts';
import type { GeoInternal } from './module.ts';
import { NetworkBuilder } from './network-builder.ts';

const LAT = 37.5;
const LON = 122.1;
const KM_LON = 1 / (111.32 * Math.cos((LAT * Math.PI) / 180));
const KM_LAT = 1 / 111.32;

/** A straight 60 km/h road of `km` kilometres from (LON, LAT), eastwards or northwards. */
function road(km: number, dir: 'east' | 'north') {
  const b = new NetworkBuilder(() => 60);
  const v: number[] = [];
  for (let i = 0; i <= km; i++)
    v.push(dir === 'east' ? b.vertex(LON + i * KM_LON, LAT) : b.vertex(LON, LAT + i * KM_LAT));
  for (let i = 0; i < km; i++) b.add(v[i], v[i + 1], 'primary', `${dir} road`, false, 60);
  return b.build();
}

const reply = <T>(r: T | JsonBytes): T => (r instanceof JsonBytes ? r.parse<T>() : r);

describe('travel questions in worker threads', () => {
  let t: TestPlatform;
  let deps: geo.GeoDeps;
  let alice: RequestCtx;
  let bob: RequestCtx;
  beforeAll(async () => {
    t = await startTestPlatform({ ANLAN_JOBS_PER_USER: '1', ANLAN_WORKER_THREADS: '1' });
    const g = t.module<GeoInternal>('geo');
    deps = { db: t.platform.db, networks: g.networks, closures: g.closures, workers: t.platform.workers };
    alice = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
    bob = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
  });
  afterAll(() => t?.stop());

  const install = (name: string, dir: 'east' | 'north') =>
    t.module<GeoInternal>('geo').networks.installNetwork(systemCtx(), road(10, dir), [], {
      name,
      synthetic: true,
      source: 'test',
      attribution: 'test',
    });

  it('answers from the network swapped in, without restarting the workers', async () => {
    await install('east', 'east');
    const ask = async () =>
      reply<IsochroneReply>(await geo.isochrone(deps, alice, { origins: [[LON, LAT]], minutes: 5 }));
    const east = await ask();
    const lons = (r: IsochroneReply) =>
      (r.roads as { geometry: { coordinates: [number, number][][] } }).geometry.coordinates.flat().map((p) => p[0]);
    // 5 minutes at 60 km/h: 5 km along the road to the east
    expect(Math.max(...lons(east)) - LON).toBeCloseTo(5 * KM_LON, 3);
    expect(east.network.name).toBe('east');
    await install('north', 'north');
    const north = await ask();
    expect(north.network.name).toBe('north');
    expect(Math.max(...lons(north))).toBeCloseTo(LON, 6);
    expect(north.areaKm2).toBeCloseTo(east.areaKm2, 1);
  });

  it('refuses a user over the limit with 429 JOB_LIMIT while another user is served', async () => {
    const body = { origins: [[LON, LAT]] as [number, number][], minutes: 3 };
    const [first, second, other] = await Promise.allSettled([
      geo.isochrone(deps, alice, body),
      geo.isochrone(deps, alice, body),
      geo.isochrone(deps, bob, body),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(other.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    const err = (second as PromiseRejectedResult).reason as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('JOB_LIMIT');
    expect(err.status).toBe(429);
    expect(err.message_('en')).toContain('1 long computation');
  });

  it('answers a small matrix in this thread and a large one in a worker, alike', async () => {
    const pts = Array.from({ length: 21 }, (_, i) => [LON, LAT + i * 0.45 * KM_LAT] as [number, number]);
    const small = await geo.matrix(deps, alice, { sources: pts.slice(0, 20), targets: pts.slice(0, 20) });
    expect(small).not.toBeInstanceOf(JsonBytes);
    const large = await geo.matrix(deps, alice, { sources: pts, targets: pts });
    expect(large).toBeInstanceOf(JsonBytes);
    const m = reply<MatrixReply>(large);
    expect(m.seconds.slice(0, 20).map((r) => r.slice(0, 20))).toEqual(reply<MatrixReply>(small).seconds);
  });
});
