import { describe, expect, it } from 'vitest';
import { ChangeCache } from './change-cache.ts';

describe('ChangeCache', () => {
  it('keeps values until cleared or until the change version moves', () => {
    let version = 1;
    const c = new ChangeCache<number>(() => version);
    c.set('a', 1);
    expect(c.get('a')).toBe(1);
    version = 2;
    expect(c.get('a')).toBeUndefined();
    c.set('a', 2);
    c.clear();
    expect(c.get('a')).toBeUndefined();
  });
  it('holds at most `max` entries', () => {
    const c = new ChangeCache<number>(() => 0, 2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')).toBe(3);
  });
});
