// Every package Anlan installs runs on the oldest Node the README and `engines` promise (issue 9: `npm ci` printed
// 15 engine warnings from three packages wanting Node 22; package.json's overrides pin versions that declare Node 20).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8'));

describe('Node versions', () => {
  it('no installed package asks for a newer Node than package.json promises', () => {
    const promised = semver.minVersion(read('package.json').engines.node)?.version;
    expect(promised).toBe('20.19.0');
    const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } }> };
    const wanting = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node && !semver.satisfies(promised as string, p.engines.node))
      .map(([name, p]) => `${name} (${p.engines?.node})`);
    expect(wanting).toEqual([]);
  });
});
