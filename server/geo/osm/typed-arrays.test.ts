import { describe, expect, it } from 'vitest';
import { Grow, indexOfSorted, sortedCursor, sortUnique } from './typed-arrays.ts';

describe('sorted id lookups', () => {
  const ids = sortUnique(Float64Array.from([40, 7, 7, 1e12, -3, 15, 40, 8]));

  it('sorts numerically and drops repeats', () => {
    expect([...ids]).toEqual([-3, 7, 8, 15, 40, 1e12]);
  });

  it('finds ids in ascending, descending and scattered order alike', () => {
    const queries = [-5, -3, 0, 7, 8, 9, 15, 16, 40, 41, 1e12, 2e12];
    const orders = [queries, [...queries].reverse(), [15, -3, 1e12, 9, 7, 41, 8, 0, 40, 2e12, 16, -5]];
    for (const order of orders) {
      const find = sortedCursor(ids);
      for (const q of order) expect(find(q)).toBe(indexOfSorted(ids, q));
    }
    expect(indexOfSorted(ids, 40)).toBe(4);
    expect(indexOfSorted(ids, 41)).toBe(-1);
    expect(sortedCursor(new Float64Array(0))(1)).toBe(-1);
  });
});

describe('Grow', () => {
  it('keeps every value across growth', () => {
    const g = new Grow((n) => new Uint32Array(n), 2);
    for (let i = 0; i < 100; i++) g.push(i);
    g.pushAll([100, 101, 102], 2);
    expect(g.length).toBe(102);
    expect([...g.toArray()]).toEqual(Array.from({ length: 102 }, (_, i) => i));
  });
});
