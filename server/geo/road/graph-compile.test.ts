import { describe, expect, it } from 'vitest';
import { buildNetwork, testEngine } from './test-networks.ts';

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
    expect(graph.shapeStart[2] - graph.shapeStart[1]).toBe(1);
    const r = engine.route([net.nodeLon[0], net.nodeLat[0]], [net.nodeLon[1], net.nodeLat[1]]);
    expect(r!.geometry.coordinates).toHaveLength(2);
    expect(r!.meters).toBeCloseTo(net.segMeters[0], 1);
    expect(net.segMeters[0]).toBeGreaterThan(400);
  });
});
