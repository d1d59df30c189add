import { describe, expect, it } from 'vitest';
import { gridNetwork, seededRandom } from './grid-network.ts';
import type { LonLat } from './network.ts';
import { testEngine } from './test-networks.ts';

// One backward search from the target must answer what a matrix column answers (a search per source), with the
// turn model, one-ways, closures; `nearest` must keep the nearest answers exact.
describe('manyToOne (one backward search)', () => {
  const net = gridNetwork({ cols: 25, rows: 20, spacingM: 150, origin: [122.0, 37.4], seed: 7, onewayShare: 0.2 });
  const { engine } = testEngine(net, { turnModel: true });
  const rand = seededRandom(11);
  const [w, s, e, n] = engine.info.bbox;
  const point = (): LonLat => [w + (e - w) * (0.02 + 0.96 * rand()), s + (n - s) * (0.02 + 0.96 * rand())];
  const sources = Array.from({ length: 60 }, point);
  const target = point();

  function expectColumn(opts: { profile?: 'car' | 'emergency'; closed?: Uint8Array }) {
    const col = engine.matrix(sources, [target], opts);
    const one = engine.manyToOne(sources, target, opts);
    expect(one.complete).toBe(true);
    let reached = 0;
    sources.forEach((_, i) => {
      const want = col.seconds[i][0];
      if (want === null) expect(one.seconds[i]).toBeNull();
      else {
        reached++;
        expect(one.seconds[i]).toBeCloseTo(want, 1);
        expect(one.meters[i]).toBeCloseTo(col.meters[i][0] as number, 0);
      }
    });
    expect(reached).toBeGreaterThan(50);
  }

  it('gives the matrix column, car and emergency', () => {
    expectColumn({ profile: 'car' });
    expectColumn({ profile: 'emergency' });
  });

  it('gives the matrix column around closures', () => {
    const closed = new Uint8Array(engine.info.segmentCount);
    for (let k = 0; k < closed.length; k += 7) closed[k] = 1;
    expectColumn({ profile: 'emergency', closed });
  });

  it('with nearest: k stops early and keeps the k fastest exact', () => {
    const all = engine.manyToOne(sources, target, { profile: 'emergency' });
    const few = engine.manyToOne(sources, target, { profile: 'emergency', nearest: 5 });
    expect(few.complete).toBe(false);
    const order = (xs: (number | null)[]) =>
      xs
        .map((t, i) => [t, i] as const)
        .filter((x): x is readonly [number, number] => x[0] !== null)
        .sort((a, b) => a[0] - b[0]);
    const want = order(all.seconds).slice(0, 5);
    const got = order(few.seconds).slice(0, 5);
    expect(got).toEqual(want);
    expect(few.seconds.filter((t) => t !== null).length).toBeLessThan(sources.length);
  });

  it('flags sources off the network and refuses a target off it', () => {
    const far: LonLat = [w - 0.5, s - 0.5];
    const r = engine.manyToOne([far, sources[0]], target);
    expect(r.offNetwork).toEqual([true, false]);
    expect(r.seconds[0]).toBeNull();
    expect(r.seconds[1]).not.toBeNull();
    expect(() => engine.manyToOne(sources, far)).toThrow(/OFF_NETWORK|network/i);
  });
});
