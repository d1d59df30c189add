// What package.json promises (issue 9 §6): every package installed runs on the oldest Node `engines` names (`npm ci`
// printed 15 engine warnings from three packages wanting Node 22: overrides pin releases that declare Node 20), and
// `npm start` stops on SIGTERM (npm signals its shell, which died and left the server running: the script `exec`s
// node, so the server is npm's child; checked by hand: SIGTERM to `npm start` logs "SIGTERM: shutting down…").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8'));

describe('package.json', () => {
  it('no installed package asks for a newer Node than package.json promises', () => {
    const promised = semver.minVersion(read('package.json').engines.node)?.version;
    expect(promised).toBe('20.19.0');
    const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } }> };
    const wanting = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node && !semver.satisfies(promised as string, p.engines.node))
      .map(([name, p]) => `${name} (${p.engines?.node})`);
    expect(wanting).toEqual([]);
  });

  it("npm start runs the server in place of its shell, so that npm's signals reach it", () => {
    expect(read('package.json').scripts.start).toMatch(/^exec node /);
  });
});
