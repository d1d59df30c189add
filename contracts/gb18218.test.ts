// GB 18218-2018 identification and grading: worked examples by hand, the α bands at the population boundaries, the
// grade boundaries at R = 10, 50, 100 exactly (also where a plain floating-point sum lands just below), and refusals
// naming the substance's field.
import { describe, expect, it } from 'vitest';
import { alphaOf, findSubstance, GB18218_TABLE1, Gb18218Problem, gradeOf, identify } from './gb18218.ts';

function problem(fn: () => unknown): { field: string; zh: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof Gb18218Problem) return { field: e.field, zh: e.reason.zh };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('GB 18218-2018', () => {
  it('holds the 85 substances of Table 1 and finds them by CAS, name, alias, full-width or not', () => {
    expect(GB18218_TABLE1).toHaveLength(85);
    expect(findSubstance({ cas: '7664-41-7' })).toMatchObject({ ok: true, entry: { name: '氨', q: 10 } });
    expect(findSubstance({ name: ' 液氯 ' })).toMatchObject({ ok: true, entry: { name: '氯', q: 5 } });
    expect(findSubstance({ name: '光气' })).toMatchObject({ ok: true, entry: { q: 0.3 } });
    expect(findSubstance({ name: '天然气' })).toMatchObject({ ok: true, entry: { q: 50 } });
    expect(findSubstance({ name: '甲醛' })).toMatchObject({ ok: true, entry: { q: 5 } });
    expect(findSubstance({ cas: '７４－９０－８' })).toMatchObject({ ok: true, entry: { name: '氰化氢' } });
    expect(findSubstance({ name: '硝酸铵' })).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(findSubstance({ cas: '9004-70-0' })).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(findSubstance({ name: '硝酸铵（含可燃物≤0.2%)' })).toMatchObject({ ok: true, entry: { q: 50 } });
    expect(findSubstance({ name: '水' })).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('a single substance at Q is a major hazard (S = 1), just below is not', () => {
    // 氨: Q 10 t (Table 1), β 2 (Table 3); nobody within 500 m: α 0.5 → R = 0.5 × 2 × 1 = 1 → grade 4
    expect(identify([{ name: '氨', quantityT: 10 }], 0)).toMatchObject({
      S: 1,
      isMajorHazard: true,
      alpha: 0.5,
      R: 1,
      grade: 4,
    });
    expect(identify([{ name: '氨', quantityT: 9.99 }], 0)).toMatchObject({
      isMajorHazard: false,
      R: null,
      alpha: null,
      grade: null,
    });
  });

  it('adds a mixture and shows the working per substance', () => {
    // 氯 25 t (Q 5, β 4) + 甲醇 250 t (Q 500, category W5.2 → β 1) + an unlisted W5.1 liquid 5 t (Q 10, β 1.5)
    const r = identify(
      [
        { cas: '7782-50-5', quantityT: 25 },
        { name: '甲醇', category: 'W5.2', quantityT: 250 },
        { name: '示例溶剂', category: 'W5.1', quantityT: 5 },
      ],
      120,
    );
    // S = 5 + 0.5 + 0.5 = 6; R = 2 × (4×5 + 1×0.5 + 1.5×0.5) = 42.5 → grade 3
    expect(r).toMatchObject({ S: 6, isMajorHazard: true, alpha: 2, R: 42.5, grade: 3 });
    expect(r.lines.map((l) => [l.criticalT, l.qSource, l.beta, l.betaSource, l.ratio])).toEqual([
      [5, 'table1', 4, 'table3', 5],
      [500, 'table1', 1, 'table4', 0.5],
      [10, 'table2', 1.5, 'table4', 0.5],
    ]);
    // several hazards: the lowest Q among the categories (4.1.2)
    const two = identify([{ name: '某物质', category: 'W5.3, J2', quantityT: 50 }], 0);
    expect(two.lines[0]).toMatchObject({ criticalT: 50, category: 'J2', ratio: 1 });
    // S of 0.7 + 0.2 + 0.1 (a plain sum gives 0.9999999999999999) is 1: a major hazard
    const s = identify(
      [
        { name: 'a', category: 'W5.2', quantityT: 35 },
        { name: 'b', category: 'W5.2', quantityT: 10 },
        { name: 'c', category: 'W5.2', quantityT: 5 },
      ],
      0,
    );
    expect(s).toMatchObject({ S: 1, isMajorHazard: true });
  });

  it('takes α by the population bands of Table 5', () => {
    const bands: [number, number][] = [
      [0, 0.5],
      [1, 1],
      [29, 1],
      [30, 1.2],
      [49, 1.2],
      [50, 1.5],
      [99, 1.5],
      [100, 2],
    ];
    for (const [people, alpha] of bands) expect([people, alphaOf(people)]).toEqual([people, alpha]);
  });

  it('grades at R = 10, 50, 100 exactly on the right side, also when a plain sum falls just below', () => {
    expect([gradeOf(9.99), gradeOf(10), gradeOf(49.99), gradeOf(50), gradeOf(99.99), gradeOf(100)]).toEqual([
      4, 3, 3, 2, 2, 1,
    ]);
    // 氯 (β 4, Q 5), α 1 (10 people): 12.5 t → R 10; 62.5 t → R 50; 125 t → R 100
    expect(identify([{ name: '氯', quantityT: 12.5 }], 10)).toMatchObject({ R: 10, grade: 3 });
    expect(identify([{ name: '氯', quantityT: 62.5 }], 10)).toMatchObject({ R: 50, grade: 2 });
    expect(identify([{ name: '氯', quantityT: 125 }], 10)).toMatchObject({ R: 100, grade: 1 });
    // ratios 7.6 + 0.7 + 1.7 (W5.2: Q 50, β 1; α 1) sum to 9.999999999999998 in plain floating point
    const w = (q: number) => ({ name: '示例溶剂', category: 'W5.2', quantityT: q });
    expect(identify([w(380), w(35), w(85)], 10)).toMatchObject({ R: 10, grade: 3 });
    expect(identify([w(1615), w(15), w(870)], 10)).toMatchObject({ R: 50, grade: 2 });
    expect(identify([w(3205), w(5), w(1790)], 10)).toMatchObject({ R: 100, grade: 1 });
  });

  it('refuses an unknown substance without category, a missing β category, a bad category, by field', () => {
    expect(
      problem(() =>
        identify(
          [
            { name: '氨', quantityT: 1 },
            { name: '某溶剂', quantityT: 1 },
          ],
          0,
        ),
      ),
    ).toMatchObject({
      field: 'substances.1.category',
    });
    // 甲醇 is in Table 1 but not Table 3: β needs its category
    const m = problem(() => identify([{ name: '甲醇', quantityT: 1 }], 0));
    expect(m.field).toBe('substances.0.category');
    expect(m.zh).toContain('表3');
    expect(problem(() => identify([{ name: '某物质', category: 'W12', quantityT: 1 }], 0)).field).toBe(
      'substances.0.category',
    );
    expect(problem(() => identify([{ name: '硝酸铵', category: 'W9.1', quantityT: 1 }], 0)).field).toBe(
      'substances.0.name',
    );
  });
});
