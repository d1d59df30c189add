import { describe, expect, it } from 'vitest';
import { seededRandom } from './grid-network.ts';
import type { LonLat } from './network.ts';
import { appendCut, cutShape, METERS_PER_DEGREE, projectOnShape, projectSegment, shapeOf } from './road-geometry.ts';
import { at, buildNetwork, testEngine } from './test-networks.ts';

// straight segments, bends, a shape point on a vertex and a segment whose ends coincide in their rounding
const { graph } = testEngine(
  buildNetwork(
    [
      [0, 0],
      [400, 0],
      [800, 0],
      [800, 300],
      [0, 300],
      [400.001, 0.001],
    ],
    [
      { from: 0, to: 1 },
      { from: 1, to: 2, via: [[600, 30]] },
      {
        from: 2,
        to: 3,
        via: [
          [900, 100],
          [900, 100.5],
          [820, 250],
        ],
      },
      {
        from: 3,
        to: 4,
        via: [
          [400, 400],
          [0, 400],
        ],
      },
      {
        from: 4,
        to: 0,
        via: [
          [0, 300],
          [-50, 150],
        ],
      },
      { from: 1, to: 5 },
    ],
  ),
);

describe('reading shapes straight from the graph', () => {
  it('projects a point on a segment as projectOnShape does on its shape, to the last bit', () => {
    const rnd = seededRandom(3);
    for (let k = 0; k < 2000; k++) {
      const [lon, lat] = at(-100 + rnd() * 1100, -100 + rnd() * 600);
      const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
      for (let s = 0; s < graph.segmentCount; s++) {
        const want = projectOnShape(shapeOf(graph, s), lon, lat);
        const out = new Float64Array(3);
        const meters = projectSegment(graph, s, lon, lat, kx, out);
        expect([meters, out[0], out[1], out[2]]).toEqual([want.meters, want.fraction, ...want.point]);
      }
    }
  });

  it('cuts a piece as cutShape does, rounded to 1e-7 degree without repeats', () => {
    const rnd = seededRandom(5);
    const round7 = (p: LonLat): LonLat => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];
    const fractions = [0, 1, 0.5, 1e-9, 1 - 1e-9];
    for (let k = 0; k < 200; k++) fractions.push(rnd());
    for (let s = 0; s < graph.segmentCount; s++) {
      for (let k = 0; k < fractions.length; k++) {
        const f0 = fractions[k];
        const f1 = fractions[(k * 7 + 3) % fractions.length];
        for (const [a, b] of [
          [f0, f1],
          [0, 1],
          [1, 0],
        ]) {
          const want: LonLat[] = [];
          for (const p of cutShape(shapeOf(graph, s), a, b).map(round7)) {
            const last = want[want.length - 1];
            if (!last || last[0] !== p[0] || last[1] !== p[1]) want.push(p);
          }
          const got: LonLat[] = [];
          appendCut(got, graph, s, a, b);
          expect(got).toEqual(want);
        }
      }
    }
  });
});
