import { describe, expect, it } from 'vitest';
import { bboxOf, distanceM, formatKm, formatKm2, formatLonLat, lineLengthM, ringAreaM2 } from './geo-math.ts';

describe('map geometry', () => {
  it('measures a degree of latitude as about 111.2 km', () => {
    expect(distanceM([122, 37], [122, 38]) / 1000).toBeCloseTo(111.195, 2);
  });

  it('measures a degree of longitude shorter by the cosine of the latitude', () => {
    const d = distanceM([122, 37], [123, 37]);
    expect(d / distanceM([122, 0], [123, 0])).toBeCloseTo(Math.cos((37 * Math.PI) / 180), 3);
  });

  it('adds up the legs of a polyline', () => {
    const pts = [
      [122, 37],
      [122, 37.01],
      [122.01, 37.01],
    ];
    expect(lineLengthM(pts)).toBeCloseTo(distanceM(pts[0], pts[1]) + distanceM(pts[1], pts[2]), 6);
    expect(lineLengthM([[122, 37]])).toBe(0);
  });

  it('computes the area of a 1 km square near Weihai to within 0.5 %', () => {
    // 1 km north-south and 1 km east-west at 37.5°N
    const dLat = 1000 / 111195;
    const dLon = dLat / Math.cos((37.5 * Math.PI) / 180);
    const ring = [
      [122, 37.5],
      [122 + dLon, 37.5],
      [122 + dLon, 37.5 + dLat],
      [122, 37.5 + dLat],
      [122, 37.5],
    ];
    expect(Math.abs(ringAreaM2(ring) - 1e6) / 1e6).toBeLessThan(0.005);
    // orientation does not matter
    expect(ringAreaM2([...ring].reverse())).toBeCloseTo(ringAreaM2(ring), 3);
  });

  it('formats distances, areas and coordinates for people', () => {
    expect(formatKm(12345)).toBe('12.35 km');
    expect(formatKm2(2_500_000)).toBe('2.50 km²');
    expect(formatLonLat([122.1, 37.5])).toBe('122.100000, 37.500000');
  });

  it('finds the bounding box of nested geometries', () => {
    expect(
      bboxOf({
        type: 'MultiLineString',
        coordinates: [
          [
            [122, 37],
            [122.5, 37.2],
          ],
          [[121.9, 37.4]],
        ],
      }),
    ).toEqual([121.9, 37, 122.5, 37.4]);
    expect(bboxOf({ type: 'MultiLineString', coordinates: [] })).toBeNull();
  });
});
