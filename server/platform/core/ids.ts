import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}
export interface Ids {
  /** A UUID v7: time-ordered, made in the application (PostgreSQL 15 has no uuidv7()). */
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

export function uuidv7(ms: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function uuidIds(clock: Clock = systemClock): Ids {
  return { next: () => uuidv7(clock.now().getTime()) };
}
