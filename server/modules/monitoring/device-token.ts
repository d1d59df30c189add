/**
 * Device API tokens: used as the MQTT password (embedded broker), the bearer of HTTP ingestion, and in the password
 * file of an external Mosquitto. The stored hash is Mosquitto 2's own format (mosquitto_passwd's default
 * `sha512-pbkdf2`): `$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512>` with a 12-byte salt, a 64-byte key,
 * 101 iterations and standard base64 with padding, so the database's hash is written into that file as it is.
 * 101 iterations are weak for a person's password but not for a token of 256 random bits: nobody can guess it, and
 * stealing the hash does not help either.
 */
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const ITERATIONS = 101;
const SALT_BYTES = 12;
const KEY_BYTES = 64;

/** A new token: 32 random bytes, base64url (43 characters, no padding). */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token's hash as stored in the database and written into a Mosquitto password file. */
export function hashDeviceToken(token: string): string {
  const salt = randomBytes(SALT_BYTES);
  const key = pbkdf2Sync(token, salt, ITERATIONS, KEY_BYTES, 'sha512');
  return `$7$${ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whether `token` matches `hash`. A match is remembered (by the hash and the token's SHA-256, not the token), so
 * HTTP ingestion at thousands of requests a second pays the PBKDF2 once per device and token; a rotated token has
 * a new hash, so the old pair is never asked for again. Misses are not remembered: a wrong token costs a PBKDF2
 * (about 0.1 ms at 101 iterations) each time.
 */
export function verifyDeviceToken(token: string, hash: string): boolean {
  const key = `${hash}\n${createHash('sha256').update(token).digest('base64')}`;
  if (verified.has(key)) return true;
  const m = /^\$7\$(\d{1,7})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(hash);
  if (!m) return false;
  const iterations = Number(m[1]);
  const salt = Buffer.from(m[2], 'base64');
  const expected = Buffer.from(m[3], 'base64');
  if (iterations < 1 || expected.length !== KEY_BYTES) return false;
  const actual = pbkdf2Sync(token, salt, iterations, KEY_BYTES, 'sha512');
  if (!timingSafeEqual(actual, expected)) return false;
  verified.set(key, true);
  return true;
}

const verified = new LRUCache<string, true>({ max: 100_000 });
