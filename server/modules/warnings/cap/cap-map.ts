/**
 * From a CAP alert read in to what an Anlan warning holds: the info block of the reader's language, the colour of a
 * severity (the writer's mapping turned round), the hazard's GB/T 35561 code when the sender gave one, and the area
 * as one GeoJSON MultiPolygon (polygons as they are, circles as 64-sided polygons on the sphere).
 */
import type { WarningColour } from '../../../../contracts/alerts.ts';
import type { CapAlert, CapInfo, CapSeverity } from './cap-types.ts';
import type { GeoMultiPolygon } from './cap-write.ts';

/** The block in `lang` (`zh` matches zh-CN, zh-Hans…), else English, else the first. */
export function infoFor(alert: CapAlert, lang: 'zh' | 'en'): CapInfo | undefined {
  const is = (i: CapInfo, l: string) => i.language.toLowerCase() === l || i.language.toLowerCase().startsWith(`${l}-`);
  return alert.infos.find((i) => is(i, lang)) ?? alert.infos.find((i) => is(i, 'en')) ?? alert.infos[0];
}

/** Extreme → red, Severe → orange, Moderate → yellow, Minor → blue (as the CMA writes them); Unknown → null. */
export function colourOfSeverity(s: CapSeverity): WarningColour | null {
  switch (s) {
    case 'Extreme':
      return 'red';
    case 'Severe':
      return 'orange';
    case 'Moderate':
      return 'yellow';
    case 'Minor':
      return 'blue';
    default:
      return null;
  }
}

/** The GB/T 35561 type code among the info's event codes (what Anlan writes), if any. */
export function hazardCodeOf(info: CapInfo): string | undefined {
  return info.eventCode.find((c) => /^GB\/?T\s*35561/i.test(c.valueName))?.value;
}

const EARTH_RADIUS_KM = 6371.0088;
const CIRCLE_SIDES = 64;

/** A circle of `radiusKm` around [lng, lat], closed ring. */
export function circleRing(center: [number, number], radiusKm: number): number[][] {
  const [lng, lat] = center;
  const d = radiusKm / EARTH_RADIUS_KM;
  const lat1 = (lat * Math.PI) / 180;
  const lng1 = (lng * Math.PI) / 180;
  const ring: number[][] = [];
  for (let k = 0; k < CIRCLE_SIDES; k++) {
    const bearing = (2 * Math.PI * k) / CIRCLE_SIDES;
    const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
    const lng2 =
      lng1 +
      Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
    ring.push([round((((lng2 * 180) / Math.PI + 540) % 360) - 180), round((lat2 * 180) / Math.PI)]);
  }
  ring.push(ring[0]!);
  return ring;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Every polygon and circle of the info's areas as one MultiPolygon; null when they give only descriptions or codes. */
export function areaGeometry(info: CapInfo): GeoMultiPolygon | null {
  const parts: number[][][][] = [];
  for (const a of info.areas) {
    for (const ring of a.polygons) parts.push([ring]);
    // a circle of radius 0 is a point: no area to draw
    for (const c of a.circles) if (c.radiusKm > 0) parts.push([circleRing(c.center, c.radiusKm)]);
  }
  return parts.length ? { type: 'MultiPolygon', coordinates: parts } : null;
}
