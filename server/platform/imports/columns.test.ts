import { describe, expect, it } from 'vitest';
import { headerKey, type ImportColumn, parseCell, parseDateTime } from './columns.ts';
import { decodeText, readTable, unzippedSize } from './read-file.ts';

describe('date-time cells', () => {
  it.each([
    ['2026-07-01 08:30', '2026-07-01T00:30:00.000Z'],
    ['2026/7/1 8:30', '2026-07-01T00:30:00.000Z'],
    ['2026年7月1日 8时30分', '2026-07-01T00:30:00.000Z'],
    ['2026-07-01', '2026-06-30T16:00:00.000Z'],
    ['２０２６－０７－０１ ０８：３０', '2026-07-01T00:30:00.000Z'],
    ['2026-07-01T08:30:00Z', '2026-07-01T08:30:00.000Z'],
    ['2026-07-01 08:30:00+09:00', '2026-06-30T23:30:00.000Z'],
  ])('%s is Beijing time unless it says otherwise → %s', (text, iso) => {
    expect(parseDateTime(text)).toBe(iso);
  });

  it('reads Excel date cells and serial numbers as Beijing wall time', () => {
    expect(parseDateTime(new Date('2026-07-01T08:30:00Z'))).toBe('2026-07-01T00:30:00.000Z');
    expect(parseDateTime(46204.354166666664)).toBe('2026-07-01T00:30:00.000Z');
  });

  it.each(['2026-02-30', '2026-07-01 25:00', 'yesterday', '7/1', '', '2026-13-01'])('refuses %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});

describe('cells', () => {
  const int: ImportColumn = { key: 'n', zh: '人数', en: 'People', kind: 'integer', min: 0, max: 100 };
  const phone: ImportColumn = { key: 'p', zh: '电话', en: 'Phone', kind: 'phone' };
  const text: ImportColumn = { key: 't', zh: '标题', en: 'Title', kind: 'text', max: 3, required: true };

  it('numbers from text, with thousands separators and full-width digits', () => {
    expect(parseCell({ ...int, max: 10_000 }, '1,200')).toEqual({ value: 1200 });
    expect(parseCell(int, '１２')).toEqual({ value: 12 });
    expect(parseCell(int, '1.5')).toMatchObject({ problem: { code: 'IMPORT_NOT_AN_INTEGER' } });
    expect(parseCell(int, '101')).toMatchObject({ problem: { code: 'IMPORT_OUT_OF_RANGE' } });
    expect(parseCell(int, '十二')).toMatchObject({ problem: { code: 'IMPORT_NOT_A_NUMBER' } });
    expect(parseCell(int, null)).toEqual({ value: null });
  });

  it('phones as people write them; a number cell is a phone too', () => {
    for (const p of ['13806311234', '0631-5212345', '+86 138 0631 1234', '(0631)5212345转8001', '12345'])
      expect(parseCell(phone, p)).toEqual({ value: p });
    expect(parseCell(phone, 13806311234)).toEqual({ value: '13806311234' });
    expect(parseCell(phone, 'call me')).toMatchObject({ problem: { code: 'IMPORT_BAD_PHONE' } });
  });

  it('text: required, counted in characters, without control characters', () => {
    expect(parseCell(text, '  ')).toMatchObject({ problem: { code: 'IMPORT_REQUIRED' } });
    expect(parseCell(text, '山体滑')).toEqual({ value: '山体滑' });
    expect(parseCell(text, '𠀀𠀀𠀀')).toEqual({ value: '𠀀𠀀𠀀' });
    expect(parseCell(text, '山体滑坡')).toMatchObject({ problem: { code: 'IMPORT_TOO_LONG' } });
    expect(parseCell(text, 'a\u0000b')).toMatchObject({ problem: { code: 'IMPORT_CONTROL_CHARACTER' } });
  });

  it('headers compare without case, spaces, full-width forms or a trailing asterisk', () => {
    expect(headerKey('Occurred At *')).toBe(headerKey('occurredat'));
    expect(headerKey('直接经济损失(万元)')).toBe(headerKey('直接经济损失（万元）'));
  });
});

describe('reading files', () => {
  it('decodes UTF-8 with a BOM, UTF-16 with a BOM (Excel’s Unicode text, tab-separated) and GB18030', async () => {
    expect(decodeText(Buffer.from('\uFEFF标题', 'utf8'))).toBe('标题');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('标题\t类型\r\n甲\t乙\r\n', 'utf16le')]);
    const t = await readTable(utf16);
    expect(t.format).toBe('csv');
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['标题', '类型'],
      ['甲', '乙'],
    ]);
    expect(decodeText(Buffer.from([0xb1, 0xea, 0xcc, 0xe2]))).toBe('标题');
  });

  it('knows a truncated zip by its missing directory', () => {
    expect(unzippedSize(Buffer.from('PK\u0003\u0004 not really a zip'))).toBeUndefined();
  });
});
