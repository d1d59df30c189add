/** Device API tokens (placeholder until the mqtt branch lands: same names and format). */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceToken(token: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(token, salt, 101, 64, 'sha512');
  return `$7$101$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyDeviceToken(token: string, stored: string): boolean {
  const [, kind, iter, salt, hash] = stored.split('$');
  if (kind !== '7' || !iter || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = pbkdf2Sync(token, Buffer.from(salt, 'base64'), Number(iter), want.length, 'sha512');
  return got.length === want.length && timingSafeEqual(got, want);
}
