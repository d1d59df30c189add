import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}
export interface Ids {
  /** A UUID v7: time-ordered, made in the application (PostgreSQL 15 has no uuidv7()). */
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

/** the last millisecond an id was made in, and the counter within it (RFC 9562 §6.2, method 1) */
let lastMs = -1;
let seq = 0;

/**
 * A UUID v7. Ids made within the same millisecond carry a 12-bit counter in `rand_a` (started at a random value in
 * its lower half), so they sort in the order they were made, as rows ordered by (created_at, id) expect.
 */
export function uuidv7(ms: number = Date.now()): string {
  const b = randomBytes(16);
  if (ms === lastMs && seq < 0xfff) seq++;
  else {
    lastMs = ms;
    seq = b.readUInt16BE(6) & 0x7ff;
  }
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidIds(clock: Clock = systemClock): Ids {
  return { next: () => uuidv7(clock.now().getTime()) };
}
