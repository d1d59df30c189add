// The OASIS schemas Anlan ships are the official ones, byte for byte, and the compiled start (dist/) finds them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without types
import { buildServer, ROOT } from '../../../../scripts/build-server.mjs';
import { SHARED_DATA } from '../../../test/template.ts';
import { SCHEMA_DIR, SCHEMA_FILES } from './cap-schemas.ts';

describe('the shipped schemas', () => {
  it('are byte-identical to the copies in ../shared/data/cap, with their notice', () => {
    const shipped = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.xsd'))
      .sort();
    expect(shipped).toEqual(['cap10.xsd', 'cap11.xsd', 'cap12.xsd', 'edxlde-1_0.xsd']);
    expect(Object.values(SCHEMA_FILES).sort()).toEqual(shipped);
    for (const f of shipped) {
      const ours = readFileSync(join(SCHEMA_DIR, f));
      const theirs = readFileSync(join(SHARED_DATA, 'cap', 'google-cap-library', 'schema', f));
      expect(ours.equals(theirs), f).toBe(true);
    }
    const notice = readFileSync(join(SCHEMA_DIR, 'NOTICE.md'), 'utf8');
    expect(notice).toContain('Copyright © OASIS Open');
    for (const f of shipped) expect(notice).toContain(`\`${f}\``);
  });
});

describe('the compiled start', () => {
  const out = join(ROOT, '.tmp', `dist-cap-test-${process.pid}`);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('copies the schemas beside the compiled reader, which validates with them under a plain node', async () => {
    await buildServer({ quiet: true, outDir: out });
    for (const f of Object.values(SCHEMA_FILES))
      expect(existsSync(join(out, 'server/modules/warnings/cap/schemas', f)), f).toBe(true);
    const file = join(SHARED_DATA, 'cap', 'google-cap-library', 'testdata', 'bushfire_invalid.edxlde');
    const probe = `
      const m = await import(${JSON.stringify(pathToFileURL(join(out, 'server/modules/warnings/cap/cap-read.js')).href)});
      const s = await import(${JSON.stringify(pathToFileURL(join(out, 'server/modules/warnings/cap/cap-schemas.js')).href)});
      const { readFileSync } = await import('node:fs');
      let reasons = [];
      try { m.readCap(readFileSync(${JSON.stringify(file)})); } catch (e) { reasons = e.reasons; }
      console.log(JSON.stringify({ dir: s.SCHEMA_DIR, reasons }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout.trim()) as { dir: string; reasons: string[] };
    expect(got.dir).toBe(`${join(out, 'server/modules/warnings/cap/schemas')}/`);
    expect(got.reasons.map((x) => x.slice(0, 8))).toEqual(['line 94:', 'line 115']);
  }, 60_000);
});
