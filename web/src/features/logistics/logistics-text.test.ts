import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DispatchOrder, GapLine } from '../../../../contracts/logistics.ts';
import {
  boardColumns,
  clockAt,
  columnIndex,
  decodeCsv,
  etaClock,
  expiryState,
  gapChartData,
  gapItems,
  hoursMinutes,
  placesFromRows,
  splitCsv,
  xlsxRows,
  yuan,
} from './logistics-text.ts';

describe('clock times of a plan', () => {
  it('says arrivals in Beijing time, with the day added when past midnight', () => {
    // 2026-12-04 22:00 Beijing
    const start = '2026-12-04T14:00:00.000Z';
    expect(etaClock(start, 0)).toBe('22:00');
    expect(etaClock(start, 95 * 60)).toBe('23:35');
    expect(etaClock(start, 3 * 3600)).toBe('01:00 +1d');
    expect(clockAt('2026-12-04T16:30:00.000Z')).toBe('00:30');
  });

  it('writes durations as h:mm', () => {
    expect(hoursMinutes(0)).toBe('0:00');
    expect(hoursMinutes(45 * 60)).toBe('0:45');
    expect(hoursMinutes(12 * 3600 + 5 * 60 + 20)).toBe('12:05');
    expect(hoursMinutes(null)).toBe('—');
  });

  it('writes money in the reader’s way', () => {
    expect(yuan(1234500, 'zh')).toBe('1,234,500 元');
    expect(yuan(1234500, 'en')).toBe('¥1,234,500');
    expect(yuan(null, 'en')).toBe('—');
  });
});

describe('expiry flags', () => {
  it('flags expired and soon-to-expire batches against today', () => {
    expect(expiryState('2026-12-03', '2026-12-04')).toBe('expired');
    expect(expiryState('2026-12-04', '2026-12-04')).toBe('soon');
    expect(expiryState('2027-01-03', '2026-12-04')).toBe('soon');
    expect(expiryState('2027-01-04', '2026-12-04')).toBe('ok');
    expect(expiryState(null, '2026-12-04')).toBeNull();
  });
});

describe('a list of affected places', () => {
  it('reads CSV with Chinese headers, quotes and a BOM', () => {
    const rows = splitCsv(
      '\uFEFF名称,经度,纬度,人数\r\n"环翠区, 东山街道",122.12,37.51,1200\n文登安置点,122.05,37.19,\n',
    );
    expect(rows).toHaveLength(3);
    const r = placesFromRows(rows);
    expect(r.errors).toEqual([]);
    expect(r.places).toEqual([
      { id: 'p1', name: '环翠区, 东山街道', location: { type: 'Point', coordinates: [122.12, 37.51] }, people: 1200 },
      { id: 'p2', name: '文登安置点', location: { type: 'Point', coordinates: [122.05, 37.19] }, people: 0 },
    ]);
  });

  it('reads a CSV that Excel saved in GBK, as the server imports do', () => {
    const gbk = new Uint8Array([
      195, 251, 179, 198, 44, 190, 173, 182, 200, 44, 206, 179, 182, 200, 44, 200, 203, 202, 253, 10, 176, 178, 214,
      195, 181, 227, 44, 49, 50, 50, 46, 49, 44, 51, 55, 46, 53, 44, 56, 10,
    ]).buffer;
    const r = placesFromRows(splitCsv(decodeCsv(gbk)));
    expect(r.errors).toEqual([]);
    expect(r.places).toEqual([
      { id: 'p1', name: '安置点', location: { type: 'Point', coordinates: [122.1, 37.5] }, people: 8 },
    ]);
    // UTF-8 is read as UTF-8
    expect(decodeCsv(new TextEncoder().encode('名称,经度').buffer)).toBe('名称,经度');
  });

  it('reports bad rows by row and column and keeps the good ones, numbered after the places already there', () => {
    const rows = splitCsv('name\tlng\tlat\tpeople\nA\t122.1\t37.5\t10\nB\tabc\t37.5\t10\nC\t122.1\t37.5\t-3\n');
    const r = placesFromRows(rows, 5);
    expect(r.places.map((p) => p.id)).toEqual(['p5']);
    expect(r.errors).toEqual([
      { row: 3, column: 'lng', problem: 'lng' },
      { row: 4, column: 'people', problem: 'people' },
    ]);
  });

  it('refuses a list without coordinate columns', () => {
    expect(
      placesFromRows([
        ['name', 'people'],
        ['A', '3'],
      ]).errors[0].problem,
    ).toBe('columns');
  });

  it('reads the first sheet of an .xlsx file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('受灾点');
    ws.addRow(['名称', '经度', '纬度', '人数']);
    ws.addRow(['荣成 & 石岛', 122.43, 36.9, 800]);
    ws.addRow(['乳山', 121.54, 36.92, 150]);
    const buf = await wb.xlsx.writeBuffer();
    const rows = await xlsxRows(buf as ArrayBuffer);
    expect(rows[0]).toEqual(['名称', '经度', '纬度', '人数']);
    const r = placesFromRows(rows);
    expect(r.errors).toEqual([]);
    expect(r.places.map((p) => [p.name, p.location.coordinates, p.people])).toEqual([
      ['荣成 & 石岛', [122.43, 36.9], 800],
      ['乳山', [121.54, 36.92], 150],
    ]);
    expect(columnIndex('AB12')).toBe(27);
  });
});

const gap = (d: string, tier: GapLine['tier'], item: string, required: number, stock: number): GapLine => ({
  districtCode: d,
  districtName: d.toUpperCase(),
  tier,
  itemCode: item,
  itemName: item,
  unit: '件',
  required,
  stock,
  committed: 0,
  gap: Math.max(0, required - stock),
  ratio: required ? stock / required : null,
});

describe('the gaps chart', () => {
  it('sums one item’s tiers by district, the largest gap first', () => {
    const lines = [
      gap('a', 'district', 'water', 100, 80),
      gap('a', 'town', 'water', 50, 0),
      gap('b', 'district', 'water', 100, 100),
      gap('b', 'district', 'tent', 10, 0),
    ];
    const d = gapChartData(lines, 'water');
    expect(d.districts.map((x) => x.code)).toEqual(['a', 'b']);
    expect(d.gap).toEqual([70, 0]);
    expect(d.held).toEqual([80, 100]);
    expect(d.required).toEqual([150, 100]);
    // the tent lacks all it needs, water 70 of 250
    expect(gapItems(lines).map((x) => x.code)).toEqual(['tent', 'water']);
  });
});

describe('the dispatch board', () => {
  const order = (n: string, state: DispatchOrder['state'], late: boolean, depart: string) =>
    ({ id: n, number: n, state, late, plannedDepartAt: depart }) as DispatchOrder;
  it('puts orders in their state’s column, late ones first, then by departure', () => {
    const cols = boardColumns([
      order('DY-3', 'en_route', false, '2026-12-04T10:00:00Z'),
      order('DY-1', 'en_route', false, '2026-12-04T09:00:00Z'),
      order('DY-2', 'en_route', true, '2026-12-04T11:00:00Z'),
      order('DY-4', 'planned', false, '2026-12-04T09:00:00Z'),
    ]);
    expect(cols.en_route.map((o) => o.number)).toEqual(['DY-2', 'DY-1', 'DY-3']);
    expect(cols.planned.map((o) => o.number)).toEqual(['DY-4']);
    expect(cols.delivered).toEqual([]);
  });
});
