import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { COLOUR_INFO } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';
import { areaFeatures, titleIn } from './map-areas.ts';

// Weihai's districts as published (DataV), read from ../shared/data: a hand-entered area warning takes the boundary
// of its district.
const BOUNDARIES = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'data', 'boundaries');
const weihai = JSON.parse(readFileSync(join(BOUNDARIES, 'datav_371000_full.json'), 'utf8')) as {
  features: { properties: { adcode: number; name: string }; geometry: MultiPolygon }[];
};
const district = (adcode: number) => {
  const f = weihai.features.find((x) => x.properties.adcode === adcode);
  if (!f) throw new Error(`no district ${adcode} in the boundaries file`);
  return f;
};

const base: Warning = {
  id: 'w1',
  number: 'YJ-2026-000001',
  hazardCode: '11B06',
  colour: 'orange',
  status: 'raised',
  source: 'manual',
  deviceId: null,
  deviceName: null,
  ruleId: null,
  title: '文登区大风橙色预警',
  titleEn: 'Gale orange warning, Wendeng',
  description: '',
  raisedAt: '2026-07-01T08:00:00Z',
  lastHeldAt: null,
  district: { code: '371003', name: '文登区' },
  area: district(371003).geometry,
  location: null,
  levelHistory: [{ colour: 'orange', at: '2026-07-01T08:00:00Z' }],
  acknowledgedAt: null,
  acknowledgedBy: null,
  liftedAt: null,
  liftedBy: null,
  liftedReason: null,
  publishedAt: null,
  publishedBy: null,
  capIdentifier: null,
  capSender: null,
  senderName: null,
  expiresAt: null,
  incidentId: null,
  exercise: null,
  version: 1,
};

describe('the active warnings on the command map', () => {
  it('draws an area warning as its district boundary in the warning colour', () => {
    const fc = areaFeatures([base]);
    expect(fc.features).toHaveLength(1);
    const [f] = fc.features;
    expect(f.geometry).toBe(district(371003).geometry);
    expect(f.geometry.type).toBe('MultiPolygon');
    expect(f.properties).toEqual({ id: 'w1', color: COLOUR_INFO.orange.color, rank: 3 });
  });

  it("leaves out a device's warning (the devices layer rings it) and a lifted one", () => {
    const device: Warning = {
      ...base,
      id: 'w2',
      source: 'rule',
      deviceId: 'd1',
      deviceName: '文登雨量站',
      area: null,
      location: { type: 'Point', coordinates: [122.05, 37.19] },
    };
    const lifted: Warning = { ...base, id: 'w3', status: 'lifted', liftedAt: '2026-07-01T10:00:00Z' };
    expect(areaFeatures([device, lifted, base]).features.map((f) => f.properties.id)).toEqual(['w1']);
  });

  it('draws a higher colour over a lower one where the areas overlap', () => {
    const red: Warning = { ...base, id: 'red', colour: 'red', area: district(371002).geometry };
    const blue: Warning = { ...base, id: 'blue', colour: 'blue', area: district(371082).geometry };
    const yellow: Warning = { ...base, id: 'yellow', colour: 'yellow', area: district(371083).geometry };
    const fc = areaFeatures([red, base, blue, yellow]);
    expect(fc.features.map((f) => f.properties.id)).toEqual(['blue', 'yellow', 'w1', 'red']);
    expect(fc.features.map((f) => f.properties.rank)).toEqual([1, 2, 3, 4]);
  });

  it('titles the popup in the UI language, the Chinese title when there is no English one', () => {
    expect(titleIn(base, 'en')).toBe('Gale orange warning, Wendeng');
    expect(titleIn(base, 'zh')).toBe('文登区大风橙色预警');
    expect(titleIn({ ...base, titleEn: '' }, 'en')).toBe('文登区大风橙色预警');
  });
});
