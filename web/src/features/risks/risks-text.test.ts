import { describe, expect, it } from 'vitest';
import {
  type CensusFeatureProperties,
  DEFAULT_RISK_GRID_SETTINGS,
  type NearbyRisk,
  RISK_CLASS_INFO,
  type RiskDistrictRow,
} from '../../../../contracts/risks.ts';
import {
  districtChartOption,
  featureRows,
  formatMeters,
  formatQuantity,
  formatShare,
  groupNearby,
  type ProjectFormValues,
  pointOf,
  projectFormValues,
  projectUnit,
  scoreFormula,
  thresholdsText,
  toProjectInput,
  unitIn,
} from './risks-text.ts';

const near = (id: string, role: NearbyRisk['role'], kind: NearbyRisk['kind'], meters: number): NearbyRisk => ({
  id,
  layer: 'L',
  layerName: 'layer',
  kind,
  role,
  name: id,
  meters,
  hazardLevel: null,
  population: null,
  capacity: null,
  geometry: { type: 'Point', coordinates: [122, 37.5] },
});

describe('risks text', () => {
  it('writes distances in metres below a kilometre, else in kilometres', () => {
    expect(formatMeters(0)).toBe('0 m');
    expect(formatMeters(0.4)).toBe('0 m');
    expect(formatMeters(849.6)).toBe('850 m');
    expect(formatMeters(1000)).toBe('1.0 km');
    expect(formatMeters(2345)).toBe('2.3 km');
    expect(formatMeters(12_600)).toBe('13 km');
    expect(formatMeters(Number.NaN)).toBe('—');
  });

  it('writes shares and quantities', () => {
    expect(formatShare(0.456)).toBe('46 %');
    expect(formatShare(null)).toBe('—');
    expect(formatQuantity(101.25, 'en')).toBe('101.25');
    expect(formatQuantity(12_345.678, 'en')).toBe('12,345.68');
    expect(formatQuantity(null, 'zh')).toBe('—');
  });

  it('writes the score formula in force, dropping factors of exponent 0', () => {
    expect(scoreFormula(DEFAULT_RISK_GRID_SETTINGS)).toBe('R = H · E^0.5 · (0.5 + 0.5·V)^0.5');
    expect(scoreFormula({ exponents: { hazard: 2, exposure: 0, vulnerability: 1 }, vulnerabilityFloor: 0 })).toBe(
      'R = H^2 · V',
    );
    // a floor of 1: vulnerability no longer counts
    expect(scoreFormula({ exponents: { hazard: 1, exposure: 1, vulnerability: 1 }, vulnerabilityFloor: 1 })).toBe(
      'R = H · E',
    );
    expect(scoreFormula({ exponents: { hazard: 0, exposure: 0, vulnerability: 0 }, vulnerabilityFloor: 0.2 })).toBe(
      'R = 0',
    );
  });

  it('names the class thresholds in the reader’s language', () => {
    expect(thresholdsText(DEFAULT_RISK_GRID_SETTINGS.thresholds, 'zh')).toBe(
      '重大风险 ≥ 0.6 · 较大风险 ≥ 0.4 · 一般风险 ≥ 0.2 · 低风险 < 0.2',
    );
    expect(thresholdsText({ major: 0.75, large: 0.5, general: 0.25 }, 'en')).toBe(
      'Major risk ≥ 0.75 · Considerable risk ≥ 0.5 · Moderate risk ≥ 0.25 · Low risk < 0.25',
    );
  });

  it('groups nearby risks by role, hazards first, nearest first within a group', () => {
    const groups = groupNearby([
      near('s1', 'shelter', 'shelter', 300),
      near('h2', 'hazard', 'flood_zone', 900),
      near('e1', 'exposure', 'school', 100),
      near('h1', 'hazard', 'geohazard_point', 50),
    ]);
    expect(groups.map((g) => g.role)).toEqual(['hazard', 'exposure', 'shelter']);
    expect(groups[0].items.map((i) => i.id)).toEqual(['h1', 'h2']);
    expect(groupNearby([])).toEqual([]);
  });

  it('stacks the districts’ cells by class in the four colours', () => {
    const row = (district: string, name: string, en: string, counts: RiskDistrictRow['counts']): RiskDistrictRow => ({
      district,
      districtName: name,
      districtNameEn: en,
      cells: counts.major + counts.large + counts.general + counts.low,
      counts,
      meanScore: 0.2,
      maxScore: 0.7,
      population: 1000,
      populationMajor: 10,
      populationLarge: 20,
    });
    const o = districtChartOption(
      [
        row('371002', '环翠区', 'Huancui', { major: 3, large: 5, general: 9, low: 100 }),
        row('371003', '文登区', 'Wendeng', { major: 0, large: 2, general: 4, low: 80 }),
      ],
      'en',
      { cells: 'cells' },
    ) as {
      xAxis: { data: string[] };
      series: { id: string; stack: string; data: number[]; itemStyle: { color: string } }[];
    };
    expect(o.xAxis.data).toEqual(['Huancui', 'Wendeng']);
    expect(o.series.map((s) => s.id)).toEqual(['major', 'large', 'general', 'low']);
    expect(o.series[0].data).toEqual([3, 0]);
    expect(o.series[3].data).toEqual([100, 80]);
    expect(o.series.every((s) => s.stack === 'cells')).toBe(true);
    expect(o.series[0].itemStyle.color).toBe(RISK_CLASS_INFO.major.color);
    expect((o as unknown as { legend: { selected: Record<string, boolean> } }).legend.selected).toEqual({
      'Low risk': false,
    });
  });

  it('lists a feature’s properties: known ones first, then the file’s columns, empty ones left out', () => {
    const p: CensusFeatureProperties = {
      id: 'f',
      layerId: 'l',
      kind: 'shelter',
      name: '环翠公园避难场所',
      population: null,
      capacity: 3000,
      hazardLevel: null,
      attributes: { 设施: '供水、供电', 备注: '', 面积: 12000 },
      demo: true,
    };
    const rows = featureRows(p, 'zh', { kind: '类型', population: '人口', capacity: '容量', hazardLevel: '等级' });
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ['类型', '避难场所'],
      ['容量', '3,000'],
      ['设施', '供水、供电'],
      ['面积', '12000'],
    ]);
  });

  it('reads a point’s coordinates', () => {
    expect(pointOf({ type: 'Point', coordinates: [122.1, 37.5] })).toEqual([122.1, 37.5]);
    expect(pointOf({ type: 'LineString', coordinates: [[1, 2]] })).toBeNull();
    expect(pointOf(null)).toBeNull();
  });
});

describe('the project form', () => {
  it('turns its values into the API’s project and back', () => {
    const values: ProjectFormValues = {
      name: ' 文登区蓄水池 ',
      type: 'water_storage',
      district: '371003',
      targetQuantity: 40,
      unit: ' 个 ',
      responsibleUnit: '文登区应急管理局',
      startDate: '2026-03-01',
      endDate: '2026-11-30',
      location: [122.05, 37.2],
    };
    const input = toProjectInput(values);
    expect(input).toEqual({
      name: '文登区蓄水池',
      type: 'water_storage',
      district: '371003',
      location: { type: 'Point', coordinates: [122.05, 37.2] },
      targetQuantity: 40,
      unit: '个',
      responsibleUnit: '文登区应急管理局',
      startDate: '2026-03-01',
      endDate: '2026-11-30',
      notes: '',
    });
    expect(toProjectInput({ ...values, location: null }).location).toBeNull();
    const back = projectFormValues({
      ...input,
      id: 'p',
      districtName: '文登区',
      location: { type: 'LineString', coordinates: [] },
      notes: null,
      doneQuantity: 10,
      share: 0.25,
      expectedShare: 0.5,
      status: 'behind',
      lastReportDate: null,
      ownerUnit: 'x',
      version: 1,
      demo: false,
      createdAt: '',
      updatedAt: '',
    });
    expect(back.location).toBeNull();
    expect(back.name).toBe('文登区蓄水池');
    expect(back.notes).toBeUndefined();
  });

  it('names the type’s unit in the reader’s language, other units as written', () => {
    expect(projectUnit('fire_road', 'zh')).toBe('公里');
    expect(projectUnit('fire_road', 'en')).toBe('km');
    expect(unitIn('公里', 'fire_road', 'en')).toBe('km');
    expect(unitIn('米', 'fire_road', 'en')).toBe('米');
    expect(unitIn('公里', 'fire_road', 'zh')).toBe('公里');
  });
});
