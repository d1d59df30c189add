import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { formatDms, parseCoordinates, toWgs84 } from './coordinates.ts';

const near = (r: ReturnType<typeof parseCoordinates>, lng: number, lat: number) => {
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.lng).toBeCloseTo(lng, 5);
  expect(r.lat).toBeCloseTo(lat, 5);
};

describe('coordinates as people type them', () => {
  // 122°07′24.5″E 37°30′04.4″N = 122.1234722, 37.5012222
  const LNG = 122 + 7 / 60 + 24.5 / 3600;
  const LAT = 37 + 30 / 60 + 4.4 / 3600;

  it.each([
    ['122.1234722, 37.5012222'],
    ['122.1234722 37.5012222'],
    ['37.5012222, 122.1234722'],
    ['37.5012222 122.1234722'],
    ['122.1234722，37.5012222'],
    ['122°07′24.5″E 37°30′04.4″N'],
    [`122°07'24.5"E, 37°30'04.4"N`],
    [`37°30'04.4"N 122°07'24.5"E`],
    ['N37 30 4.4 E122 7 24.5'],
    ['E122°7′24.5″ N37°30′4.4″'],
    ['122 7 24.5 37 30 4.4'],
    ['东经122度7分24.5秒 北纬37度30分4.4秒'],
    ['北纬37°30′04.4″，东经122°07′24.5″'],
    [`122d7'24.5"E 37d30'4.4"N`],
    [`122°07'24.5" 37°30'04.4"`],
  ])('reads %s', (text) => near(parseCoordinates(text), LNG, LAT));

  it('reads degrees and decimal minutes, and the southern and western hemispheres', () => {
    near(parseCoordinates(`37°30.0733'N 122°07.4083'E`), 122 + 7.4083 / 60, 37 + 30.0733 / 60);
    near(parseCoordinates('33°52′S 151°12′E'), 151.2, -(33 + 52 / 60));
    near(parseCoordinates('-74.006, 40.7128'), -74.006, 40.7128);
  });

  it.each([['', 'format'], ['122.1'], ['abc, def'], ['122°75′0″E 37°30′0″N'], ['37°N 38°N'], ['1 2 3']])(
    'refuses %s',
    (text, reason = 'format') => {
      expect(parseCoordinates(text)).toEqual({ ok: false, reason });
    },
  );

  it('refuses values outside the globe', () => {
    expect(parseCoordinates('200, 95')).toEqual({ ok: false, reason: 'range' });
  });

  it('writes degrees, minutes and seconds back', () => {
    expect(formatDms(LNG, 'lng')).toBe('122°07′24.5″E');
    expect(formatDms(LAT, 'lat')).toBe('37°30′04.4″N');
    expect(formatDms(-0.5, 'lng')).toBe('0°30′00.0″W');
  });
});

describe('datums', () => {
  it('takes WGS-84 and CGCS2000 as they are, and converts GCJ-02 (hundreds of metres) as gcoord does', () => {
    expect(toWgs84('wgs84', 122.12, 37.5)).toEqual([122.12, 37.5]);
    expect(toWgs84('cgcs2000', 122.12, 37.5)).toEqual([122.12, 37.5]);
    const [x, y] = toWgs84('gcj02', 122.12, 37.5);
    const [gx, gy] = gcoord.transform([122.12, 37.5], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    expect(x).toBeCloseTo(gx, 6);
    expect(y).toBeCloseTo(gy, 6);
    // the shift is hundreds of metres: what a GCJ-02 point typed as WGS-84 would be off by
    expect(Math.hypot((x - 122.12) * 88_000, (y - 37.5) * 111_000)).toBeGreaterThan(200);
  });
});
