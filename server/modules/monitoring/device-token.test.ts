import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashDeviceToken, newDeviceToken, verifyDeviceToken } from './device-token.ts';

describe('device tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const t = newDeviceToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(newDeviceToken()).not.toBe(t);
  });

  it('are hashed in Mosquitto 2’s $7$ format with a fresh salt each time, and verified', () => {
    const t = newDeviceToken();
    const h = hashDeviceToken(t);
    expect(h).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(hashDeviceToken(t)).not.toBe(h);
    expect(verifyDeviceToken(t, h)).toBe(true);
    expect(verifyDeviceToken(t, h)).toBe(true);
    expect(verifyDeviceToken(newDeviceToken(), h)).toBe(false);
    expect(verifyDeviceToken(t, hashDeviceToken(newDeviceToken()))).toBe(false);
    expect(verifyDeviceToken(t, 'not a hash')).toBe(false);
    expect(verifyDeviceToken(t, h.replace('$7$101$', '$6$'))).toBe(false);
  });

  it('verify a hash made by mosquitto_passwd itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anlan-passwd-'));
    try {
      const t = newDeviceToken();
      const file = join(dir, 'passwd');
      execFileSync('/usr/bin/mosquitto_passwd', ['-c', '-b', file, 'device-1', t]);
      const [user, hash] = readFileSync(file, 'utf8').trim().split(':');
      expect(user).toBe('device-1');
      expect(hash).toMatch(/^\$7\$/);
      expect(verifyDeviceToken(t, hash)).toBe(true);
      expect(verifyDeviceToken(`${t}x`, hash)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
