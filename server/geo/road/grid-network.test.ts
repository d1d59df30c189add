import { describe, expect, it } from 'vitest';
import { gridNetwork } from './grid-network.ts';
import { ROAD_CLASSES } from './network.ts';

describe('the generated grid network', () => {
  const opts = { cols: 30, rows: 20, spacingM: 120, origin: [121.9, 37.3] as [number, number], seed: 3 };

  it('is the same for the same seed and differs for another', () => {
    const a = gridNetwork(opts);
    const b = gridNetwork(opts);
    expect(a.nodeLon).toEqual(b.nodeLon);
    expect(a.speedKmh.car.forward).toEqual(b.speedKmh.car.forward);
    expect(gridNetwork({ ...opts, seed: 4 }).nodeLon).not.toEqual(a.nodeLon);
  });

  it('has every street between neighbours, faster arterials and some one-ways', () => {
    const n = gridNetwork({ ...opts, arterialEvery: 5, onewayShare: 0.2 });
    expect(n.nodeCount).toBe(600);
    expect(n.segmentCount).toBe(29 * 20 + 30 * 19);
    const primary = ROAD_CLASSES.indexOf('primary');
    let arterialMin = Number.POSITIVE_INFINITY;
    let streetMax = 0;
    let oneway = 0;
    for (let s = 0; s < n.segmentCount; s++) {
      const kmh = Math.max(n.speedKmh.car.forward[s], n.speedKmh.car.backward[s]);
      if (n.segClass[s] === primary) arterialMin = Math.min(arterialMin, kmh);
      else streetMax = Math.max(streetMax, kmh);
      if (n.speedKmh.car.forward[s] === 0 || n.speedKmh.car.backward[s] === 0) oneway++;
      expect(n.segMeters[s]).toBeGreaterThan(120 * 0.6);
      expect(n.segMeters[s]).toBeLessThan(120 * 1.4);
    }
    expect(arterialMin).toBeGreaterThan(streetMax);
    expect(oneway / n.segmentCount).toBeGreaterThan(0.08);
    expect(oneway / n.segmentCount).toBeLessThan(0.25);
  });
});
