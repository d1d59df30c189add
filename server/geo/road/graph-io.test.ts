import { describe, expect, it } from 'vitest';
import { gridNetwork } from './grid-network.ts';
import { compileGraph, createRoadEngine, deserializeGraph, graphBytes, serializeGraph } from './road-engine.ts';
import { matrixVertices, routeVertices } from './search.ts';
import { at, TEST_META } from './test-networks.ts';

describe('the road graph binary form', () => {
  const net = gridNetwork({ cols: 12, rows: 10, spacingM: 150, origin: [121.5, 31.2], seed: 3, arterialEvery: 4 });
  // a few turn restrictions, so that the file carries them too
  net.restrictions = [
    { fromSeg: 0, viaNode: 1, toSeg: 1, kind: 'no' },
    { fromSeg: 13, viaNode: 14, toSeg: 14, kind: 'only' },
    // a via-way restriction, so that copies of segment directions are in the file too
    { fromSeg: 2, viaNode: 3, viaSegs: [3], toSeg: 4, kind: 'no' },
  ];
  const graph = compileGraph(net, TEST_META);
  const buf = serializeGraph(graph);

  it('loads back to a graph that answers the same', () => {
    const loaded = deserializeGraph(buf);
    expect(loaded.meta).toEqual(graph.meta);
    expect(graphBytes(loaded)).toBe(graphBytes(graph));
    expect(loaded.meta.restrictionsUsed).toBeGreaterThan(1);
    expect(loaded.graphNodeCount).toBeGreaterThan(2 * loaded.segmentCount);
    for (const [a, b] of [
      [0, 119],
      [5, 77],
      [119, 3],
      [60, 61],
    ]) {
      expect(routeVertices(loaded, 'car', a, b, 'time')).toEqual(routeVertices(graph, 'car', a, b, 'time'));
      expect(routeVertices(loaded, 'emergency', a, b, 'distance')).toEqual(
        routeVertices(graph, 'emergency', a, b, 'distance'),
      );
    }
    expect(matrixVertices(loaded, 'car', [0, 50, 100], [7, 80])).toEqual(
      matrixVertices(graph, 'car', [0, 50, 100], [7, 80]),
    );
    const e1 = createRoadEngine(graph);
    const e2 = createRoadEngine(loaded);
    const from = at(120, 80, [121.5, 31.2]);
    const to = at(1300, 1100, [121.5, 31.2]);
    expect(e2.route(from, to)).toEqual(e1.route(from, to));
    expect(e2.isochrone([from], 2)).toEqual(e1.isochrone([from], 2));
    expect(e2.segmentsNear(to, 200)).toEqual(e1.segmentsNear(to, 200));
    expect(e2.info).toEqual(e1.info);
  });

  it('loads from a buffer at any byte offset', () => {
    const shifted = Buffer.alloc(buf.length + 3);
    buf.copy(shifted, 3);
    const loaded = deserializeGraph(shifted.subarray(3));
    expect(routeVertices(loaded, 'car', 0, 119, 'time')).toEqual(routeVertices(graph, 'car', 0, 119, 'time'));
  });

  it('refuses a corrupt, truncated, foreign or other-version buffer', () => {
    const corrupt = Buffer.from(buf);
    corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
    expect(() => deserializeGraph(corrupt)).toThrow(/checksum/);
    expect(() => deserializeGraph(buf.subarray(0, buf.length - 100))).toThrow(/truncated/);
    expect(() => deserializeGraph(Buffer.from('PK\u0003\u0004 not a road graph at all, a zip file'))).toThrow(
      /not a road graph/,
    );
    const other = Buffer.from(buf);
    other.writeUInt32LE(other.readUInt32LE(8) + 1, 8);
    expect(() => deserializeGraph(other)).toThrow(/format version/);
    expect(() => deserializeGraph(Buffer.alloc(10))).toThrow(/too short/);
  });
});
