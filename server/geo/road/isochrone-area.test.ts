// The isochrone outline (contourAtRadius, adapted from d3-contour for one threshold) against d3-contour itself on
// the same squared-distance grids: the same rings, point for point, in the same order. The grids come from random
// "roads" (cells at distance 0) through the real distance transform, so they have the outlines isochrones have:
// several polygons, holes, rings touching the grid's edge.
import { contours } from 'd3-contour';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './grid-network.ts';
import { contourAtRadius, distanceTransform } from './isochrone-area.ts';

const BIG = 1e20;

function roadsGrid(cols: number, rows: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const g = new Float64Array(cols * rows).fill(BIG);
  for (let k = 0; k < 4 + Math.floor(rnd() * 6); k++) {
    // a straight road between two random cells, drawn cell by cell
    const x0 = Math.floor(rnd() * cols);
    const y0 = Math.floor(rnd() * rows);
    const x1 = Math.floor(rnd() * cols);
    const y1 = Math.floor(rnd() * rows);
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let i = 0; i <= n; i++) {
      g[Math.round(y0 + ((y1 - y0) * i) / n) * cols + Math.round(x0 + ((x1 - x0) * i) / n)] = 0;
    }
  }
  distanceTransform(g, cols, rows);
  return g;
}

describe('the isochrone outline', () => {
  it.each([
    [40, 30, 4, 1],
    [64, 64, 6.5, 2],
    [90, 50, 3, 3],
    [33, 77, 9, 4],
    [120, 120, 5, 5],
  ])('on a %i × %i grid at radius %f (seed %i) is the outline d3-contour draws', (cols, rows, r, seed) => {
    const sq = roadsGrid(cols, rows, seed);
    const values = Array.from(sq, (d) => r - Math.sqrt(d));
    const reference = contours().size([cols, rows]).contour(values, 0).coordinates;
    const ours = contourAtRadius(sq, cols, rows, r);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(reference);
  });
});
