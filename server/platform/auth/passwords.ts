/**
 * Password hashing, bounded. Each argon2id hash costs tens of milliseconds of a core and 64 MiB: a flood of
 * sign-ins (wrong passwords for names that do not even exist cost the same) must not take every core from the rest
 * of the server, so hashes run a few at a time behind a short queue, and beyond it a request is refused at once
 * (429 TOO_MANY_REQUESTS with the seconds to wait) rather than wait behind the flood.
 */
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { AppError } from '../../errors.ts';

/**
 * One lane (one thread) per hash: with the library's default of four, a single hash took every core of a two-core
 * machine. Hashes made with other settings still verify (the settings are in the hash) and are redone at the next
 * sign-in (`needsRehash`).
 */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

/** At most `limit` tasks at once and `queue` waiting; a task beyond that is refused at once with 429. */
export class WorkQueue {
  #running = 0;
  #waiting: (() => void)[] = [];
  /** a running mean of task durations (ms), for the seconds a refused caller is told to wait */
  #meanMs = 100;

  constructor(
    readonly limit: number,
    readonly queue: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.limit) {
      this.#running++;
    } else {
      if (this.#waiting.length >= this.queue) {
        const seconds = Math.max(1, Math.ceil(((this.#waiting.length + 1) * this.#meanMs) / this.limit / 1000));
        throw new AppError('TOO_MANY_REQUESTS', { seconds });
      }
      // The slot is handed over by the task that ends (the running count does not change in between).
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    const t0 = this.now();
    try {
      return await task();
    } finally {
      this.#meanMs = 0.8 * this.#meanMs + 0.2 * (this.now() - t0);
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

/** Every argon2 computation of this process goes through here: one hash per core but one, 16 waiting. */
export const passwordWork = new WorkQueue(Math.max(1, availableParallelism() - 1), 16);

export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => argon2.hash(password, HASH_OPTIONS));
}

/** Whether the password matches the hash (false for a malformed hash); counts against the same bound. */
export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return passwordWork.run(() => verifyHeld(hash, password));
}

/** `verifyPassword` for a caller already inside `passwordWork.run` (sign-in counts the attempt in the same slot). */
export function verifyHeld(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, HASH_OPTIONS);
  } catch {
    return false;
  }
}

// Made on first need, not at start-up (a hash costs tens of milliseconds); with the same settings as real hashes.
let dummy: Promise<string> | null = null;
/** A hash no password matches (verified against for names that do not exist: the same cost as a real check). */
export function dummyHash(): Promise<string> {
  dummy ??= argon2.hash(`no user has this password ${Math.random()}`, HASH_OPTIONS);
  return dummy;
}
