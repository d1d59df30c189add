import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.ts';

describe('uuidv7', () => {
  it('sorts ids made within one millisecond in the order they were made, and keeps the version and variant', () => {
    const ms = Date.UTC(2026, 11, 5, 2, 20);
    const ids = Array.from({ length: 2048 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // the time stays the one given: the first 48 bits
    expect(Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
    // a later millisecond sorts after
    expect(uuidv7(ms + 1) > ids.at(-1)!).toBe(true);
  });
});
