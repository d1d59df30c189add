import { describe, expect, it } from 'vitest';
import { METERS_PER_DEGREE, shapeOf } from './road-geometry.ts';
import { at, buildNetwork, testEngine } from './test-networks.ts';

describe('compiling shapes', () => {
  it('leaves out shape points within 2 m of the line, keeps bends, and keeps the length of the road as mapped', () => {
    const net = buildNetwork(
      [
        [0, 0],
        [400, 0],
        [800, 0],
      ],
      [
        // a straight road mapped with a little noise
        {
          from: 0,
          to: 1,
          via: [
            [100, 0.5],
            [200, -0.8],
            [300, 1.5],
          ],
        },
        // a real bend
        { from: 1, to: 2, via: [[600, 30]] },
      ],
    );
    const { graph, engine } = testEngine(net);
    expect(graph.shapeStart[1] - graph.shapeStart[0]).toBe(0);
    // the bend is kept (stored as ~1 m steps; a step longer than 127 units is split into collinear steps)
    const bend = at(600, 30);
    const pts = shapeOf(graph, 1);
    const near = [];
    for (let i = 0; i < pts.length; i += 2) {
      const dx = (pts[i] - bend[0]) * METERS_PER_DEGREE * Math.cos((bend[1] * Math.PI) / 180);
      const dy = (pts[i + 1] - bend[1]) * METERS_PER_DEGREE;
      near.push(Math.hypot(dx, dy));
    }
    expect(Math.min(...near)).toBeLessThan(1);
    const r = engine.route([net.nodeLon[0], net.nodeLat[0]], [net.nodeLon[1], net.nodeLat[1]]);
    expect(r!.geometry.coordinates).toHaveLength(2);
    expect(r!.meters).toBeCloseTo(net.segMeters[0], 1);
    expect(net.segMeters[0]).toBeGreaterThan(400);
  });
});
