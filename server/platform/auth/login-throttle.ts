/**
 * Per-address and per-username throttling of sign-ins, in this instance's memory (the lockout that must hold across
 * instances lives in the database: login_failures). An attempt takes a point from both its client address and the
 * name it tries; a successful sign-in gives them back, so an office behind one address signing in at shift change
 * is never throttled, while a guesser runs out. Beyond the budget: 429 TOO_MANY_REQUESTS with the seconds to wait.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.ts';

export interface ThrottleLimits {
  /** failed attempts one address may make per window, then it waits `blockSeconds` */
  perAddress: number;
  /** failed attempts on one username per window, whatever the addresses (a spread-out guesser) */
  perUser: number;
  windowSeconds: number;
  blockSeconds: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { perAddress: 20, perUser: 10, windowSeconds: 60, blockSeconds: 300 };

/** The key a username is counted and locked under: trimmed, lower case, bounded (as stored in login_failures). */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 200);
}

export class LoginThrottle {
  readonly #address: RateLimiterMemory;
  readonly #user: RateLimiterMemory;

  constructor(limits: ThrottleLimits = DEFAULT_LIMITS) {
    this.#address = new RateLimiterMemory({
      keyPrefix: 'addr',
      points: limits.perAddress,
      duration: limits.windowSeconds,
      blockDuration: limits.blockSeconds,
    });
    this.#user = new RateLimiterMemory({
      keyPrefix: 'user',
      points: limits.perUser,
      duration: limits.windowSeconds,
      blockDuration: limits.blockSeconds,
    });
  }

  /** Takes one point from the address and one from the name, or throws 429 with the seconds to wait. */
  async take(address: string | null, key: string): Promise<void> {
    try {
      await this.#address.consume(address ?? 'unknown');
      await this.#user.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new AppError('TOO_MANY_REQUESTS', { seconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) });
    }
  }

  /** A successful sign-in: its attempt does not count against the address or the name. */
  async giveBack(address: string | null, key: string): Promise<void> {
    await this.#address.reward(address ?? 'unknown');
    await this.#user.reward(key);
  }
}
