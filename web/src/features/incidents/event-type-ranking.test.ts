// The type picker (issue 9 §4): what it offers for what a duty officer types, and in which order.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventTypeName, isLeafType } from '../../api/contracts.ts';
import { type KeyValueStore, rankEventTypes, recentTypes, rememberType } from './event-type-ranking.ts';

const codes = (q: string, o: Partial<Parameters<typeof rankEventTypes>[1]> = {}) =>
  rankEventTypes(q, { lang: 'zh', leafOnly: true, ...o }).map((t) => t.code);

function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

describe('the type picker', () => {
  it('never offers a class that has types of its own for a record, but a class without any', () => {
    expect(codes('11G00')).not.toContain('11G00');
    expect(codes('11G')).toEqual(['11G01', '11G02', '11G03', '11G04', '11G05', '11G06', '11G07', '11G08']);
    expect(isLeafType('11G00')).toBe(false);
    expect(isLeafType('11G01')).toBe(true);
    // 12U00 能源供应中断事故 has no types under it: it is what a report is filed under
    expect(codes('12U00')).toEqual(['12U00']);
    expect(codes('')).not.toContain('12000');
    expect(codes('').every(isLeafType)).toBe(true);
  });

  it('lets a filter name a class or a 大类', () => {
    expect(codes('11G00', { leafOnly: false })[0]).toBe('11G00');
    expect(codes('自然灾害', { leafOnly: false })[0]).toBe('11000');
  });

  it('puts the exact match first, then leading matches, then names that contain the text', () => {
    expect(codes('洪水')[0]).toBe('11A01'); // exact name
    expect(codes('11b03')[0]).toBe('11B03'); // exact code, any case
    const fog = codes('大雾');
    expect(fog[0]).toBe('11B17');
    const rain = codes('暴');
    // 暴雨事件 and 暴雪事件 begin with it; 沙尘暴事件 and 暴狱事件 … come after the leading ones
    expect(rain.indexOf('11B03')).toBeLessThan(rain.indexOf('11B07'));
  });

  it('offers the building fires of 12G before the forest fires for "火灾"', () => {
    const fire = codes('火灾');
    expect(fire.slice(0, 8)).toEqual(['12G01', '12G02', '12G03', '12G04', '12G05', '12G06', '12G07', '12G99']);
    expect(fire).toContain('11G01');
  });

  it("puts the user's recent types on top of what matches, the latest first", () => {
    const store = memoryStore();
    rememberType(store, 'u1', '12G03');
    rememberType(store, 'u1', '11G01');
    expect(recentTypes(store, 'u1')).toEqual(['11G01', '12G03']);
    expect(recentTypes(store, 'u2')).toEqual([]);
    const recent = recentTypes(store, 'u1');
    expect(codes('火灾', { recent }).slice(0, 3)).toEqual(['11G01', '12G03', '12G01']);
    // a recent type the query does not match is not offered; without a query the recent ones come first
    expect(codes('暴雨', { recent })).not.toContain('11G01');
    expect(codes('', { recent }).slice(0, 2)).toEqual(['11G01', '12G03']);
  });

  it('searches English names in English mode, and codes in both', () => {
    const en = (q: string) => codes(q, { lang: 'en' });
    expect(en('rainstorm')[0]).toBe('11B03');
    expect(en('Typhoon')[0]).toBe('11B01');
    expect(en('oil spill')[0]).toBe('12Q04');
    expect(en('fire').slice(0, 3)).toEqual(['12G01', '12G02', '12G03']);
    expect(en('12H02')[0]).toBe('12H02');
    expect(codes('12H02')[0]).toBe('12H02');
  });

  it('has an English name for every type, of our own words (the Chinese name stays the standard one)', () => {
    expect(EVENT_TYPES).toHaveLength(371);
    for (const t of EVENT_TYPES) {
      expect(t.nameEn, t.code).toMatch(/^[A-Z][A-Za-z0-9 ,;/()'-]+$/);
      expect(t.nameEn, t.code).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(new Set(EVENT_TYPES.map((t) => t.nameEn)).size).toBe(371);
    expect(eventTypeName('11B03', 'en')).toBe('Rainstorm');
    expect(eventTypeName('11B03', 'zh')).toBe('暴雨事件');
  });
});
