import { describe, expect, it } from 'vitest';
import { TEAM_STATUS_INFO, type Team } from '../../../../contracts/forces.ts';
import { SUPPLY_CODES } from '../../../../contracts/supply-codes.ts';
import {
  bboxOf,
  boardChartOption,
  elapsedText,
  formatShare,
  readAreaFile,
  searchSupplyCodes,
  sharePercent,
  type TeamFormValues,
  teamFormValues,
  teamPatch,
  toMemberInput,
  toTeamInput,
  trainingHours,
} from './forces-text.ts';

const base: TeamFormValues = {
  name: '  环翠区消防救援站 ',
  type: 'fire_rescue',
  location: [122.12, 37.5],
  stationClass: 'class1',
  suburban: false,
  specialties: ['mine'],
  radiusKm: 120,
  capabilities: [' 高层 ', '高层', ''],
  equipment: [{ code: '1060301', quantity: 4 }, { code: '', quantity: 2 }, {}],
  vehicles: [
    { kind: 'vehicle', model: ' 水罐消防车 ', quantity: 2 },
    { kind: 'vehicle', model: '  ' },
  ],
  contacts: [{ name: '值班室', phone: '0631-5200119' }, { name: '无电话' }],
  notes: ' ',
};

describe('shares', () => {
  it('shows a share as a percentage with one decimal, and a zone without boundary in words', () => {
    expect(sharePercent(0.87349)).toBe(87.3);
    expect(sharePercent(1)).toBe(100);
    expect(sharePercent(null)).toBeNull();
    expect(formatShare(0.5, '无边界')).toBe('50.0 %');
    expect(formatShare(null, '无边界')).toBe('无边界');
  });
});

describe('the team form → the API request', () => {
  it('sends a fire station its class and suburban flag, not another type’s fields, and drops empty rows', () => {
    const input = toTeamInput(base);
    expect(input.name).toBe('环翠区消防救援站');
    expect(input.location).toEqual({ type: 'Point', coordinates: [122.12, 37.5] });
    expect(input.stationClass).toBe('class1');
    expect(input.suburban).toBe(false);
    expect(input).not.toHaveProperty('specialties');
    expect(input).not.toHaveProperty('radiusKm');
    expect(input.capabilities).toEqual(['高层']);
    expect(input.equipment).toEqual([{ code: '1060301', quantity: 4 }]);
    expect(input.vehicles).toEqual([{ kind: 'vehicle', model: '水罐消防车', quantity: 2 }]);
    expect(input.contacts).toEqual([{ name: '值班室', phone: '0631-5200119' }]);
  });

  it('sends an aviation base its radius and a professional team its specialties only', () => {
    const aviation = toTeamInput({ ...base, type: 'aviation' });
    expect(aviation.radiusKm).toBe(120);
    expect(aviation).not.toHaveProperty('stationClass');
    expect(aviation).not.toHaveProperty('specialties');
    const pro = toTeamInput({ ...base, type: 'professional' });
    expect(pro.specialties).toEqual(['mine']);
    expect(pro).not.toHaveProperty('radiusKm');
    expect(pro).not.toHaveProperty('suburban');
  });

  it('patches only what changed, with the version it was made on', () => {
    const team = {
      id: 't1',
      name: 'A站',
      type: 'fire_rescue',
      location: { type: 'Point', coordinates: [122, 37] },
      district: null,
      ownerUnit: null,
      organisation: '',
      stationClass: 'class2',
      suburban: false,
      specialties: [],
      radiusKm: null,
      headcount: 20,
      memberCount: 0,
      capabilities: [],
      equipment: [],
      vehicles: [],
      contacts: [],
      status: 'available',
      statusNote: '',
      statusConfirmedAt: '',
      dispatchable: true,
      flags: { staleStatus: false, expiringCertificates: 0, expiredCertificates: 0 },
      notes: '',
      demo: false,
      version: 7,
      createdAt: '',
      updatedAt: '',
    } as Team;
    const values = teamFormValues(team);
    expect(teamPatch(team, toTeamInput(values))).toEqual({ version: 7 });
    const patch = teamPatch(team, toTeamInput({ ...values, headcount: 25, stationClass: 'class1' }));
    expect(patch).toEqual({ version: 7, headcount: 25, stationClass: 'class1' });
  });
});

describe('members', () => {
  it('trims texts, drops empty certificate and training rows, and totals the hours', () => {
    const input = toMemberInput({
      name: ' 张建国 ',
      certificates: [{ name: '驾驶资格', expiresOn: '2027-01-01' }, { name: ' ' }],
      training: [
        { course: '高层灭火', hours: 8, date: '2026-03-01' },
        { course: '', hours: 3, date: '2026-03-02' },
      ],
    });
    expect(input.name).toBe('张建国');
    expect(input.certificates).toEqual([{ name: '驾驶资格', expiresOn: '2027-01-01' }]);
    expect(input.training).toHaveLength(1);
    expect(trainingHours([{ hours: 8 }, { hours: 2.5 }, { hours: Number.NaN }])).toBe(10.5);
  });
});

describe('the GB/T 38565 code picker', () => {
  it('finds codes by their leading digits and by a word of the name, finest level first', () => {
    const byDigits = searchSupplyCodes(SUPPLY_CODES, '101');
    expect(byDigits.length).toBeGreaterThan(0);
    expect(byDigits.every((c) => c.code.startsWith('101'))).toBe(true);
    expect(byDigits[0].level).toBeGreaterThanOrEqual(byDigits[byDigits.length - 1].level);
    const byName = searchSupplyCodes(SUPPLY_CODES, '大米');
    expect(byName.map((c) => c.code)).toContain('1010200');
    expect(searchSupplyCodes(SUPPLY_CODES, '  ')).toEqual([]);
  });
});

describe('the board chart', () => {
  it('stacks the statuses of each type that has teams, in the status colours', () => {
    const option = boardChartOption(
      {
        byType: [
          { type: 'fire_rescue', teams: 3, headcount: 90, byStatus: { available: 2, deployed: 1 } },
          { type: 'aviation', teams: 0, headcount: 0, byStatus: {} },
        ],
        byDistrict: [],
        flagged: { stale: 0, expiring: 0 },
        staleAfterDays: 7,
      },
      'en',
    ) as { yAxis: { data: string[] }; series: { name: string; data: number[]; itemStyle: { color: string } }[] };
    expect(option.yAxis.data).toEqual(['Fire and rescue']);
    const available = option.series.find((s) => s.name === 'Available');
    expect(available?.data).toEqual([2]);
    expect(available?.itemStyle.color).toBe(TEAM_STATUS_INFO.available.color);
    expect(option.series.find((s) => s.name === 'Deployed')?.data).toEqual([1]);
    expect(option.series.find((s) => s.name === 'Resting')?.data).toEqual([0]);
  });
});

describe('an areas file', () => {
  const poly = {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  };
  it('takes a FeatureCollection of polygons and names the first feature that is not one', () => {
    const ok = readAreaFile(
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: poly }] }),
    );
    expect(ok.ok && ok.polygons).toBe(1);
    expect(readAreaFile('{oops')).toEqual({ ok: false, reason: 'json' });
    expect(readAreaFile(JSON.stringify(poly))).toEqual({ ok: false, reason: 'notCollection' });
    expect(readAreaFile(JSON.stringify({ type: 'FeatureCollection', features: [] }))).toEqual({
      ok: false,
      reason: 'empty',
    });
    const bad = readAreaFile(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ geometry: poly }, { geometry: { type: 'Point', coordinates: [0, 0] } }],
      }),
    );
    expect(bad).toEqual({ ok: false, reason: 'notPolygons', index: 1 });
  });
});

describe('map and counter helpers', () => {
  it('boxes every coordinate of features, geometries and points', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [122.1, 37.5] } }],
    };
    const multi = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [121.5, 36.9],
            [122.5, 36.9],
            [122.5, 37.2],
            [121.5, 36.9],
          ],
        ],
      ],
    };
    expect(bboxOf(fc, multi)).toEqual([121.5, 36.9, 122.5, 37.5]);
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
  it('counts seconds, then minutes and seconds', () => {
    expect(elapsedText(42_900)).toBe('42 s');
    expect(elapsedText(65_000)).toBe('1:05');
  });
});
