// The server compiled ahead (`npm start`, scripts/build-server.mjs) finds its worker entries, its migrations and the
// project root as the TypeScript sources do.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without types
import { buildServer, ROOT } from '../../../scripts/build-server.mjs';
import { entryExecArgv, projectRoot, RUNNING_COMPILED, siblingModule } from './source-file.ts';

describe('the server’s own files, from the sources', () => {
  it('names a sibling in the caller’s form and finds the project root', () => {
    expect(RUNNING_COMPILED).toBe(false);
    expect(siblingModule('file:///a/b/excel.ts', './excel.worker').href).toBe('file:///a/b/excel.worker.ts');
    expect(siblingModule('file:///a/dist/b/excel.js', './excel.worker').href).toBe('file:///a/dist/b/excel.worker.js');
    expect(projectRoot()).toBe(ROOT);
  });

  it('gives a worker of the sources the TypeScript loader, once', () => {
    expect(entryExecArgv([])).toEqual(['--import', 'tsx']);
    expect(entryExecArgv(['--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(entryExecArgv(['--import=tsx/esm', '--max-old-space-size=4096'])).toEqual([
      '--import=tsx/esm',
      '--max-old-space-size=4096',
    ]);
  });
});

describe('the server compiled ahead', () => {
  const out = join(ROOT, '.tmp', `dist-test-${process.pid}`);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('compiles every file, copies what the code reads beside itself, and loads without a TypeScript loader', async () => {
    await buildServer({ quiet: true, outDir: out });
    for (const f of [
      'server/main.js',
      'server/platform/excel/excel.worker.js',
      'server/geo/road/road.worker.js',
      'server/geo/network-import.child.js',
      'server/migrations/0001_create_org_and_access.sql',
      'server/geo/osm/profiles.json',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    // a plain node, as `npm start` runs it: the app module and what it imports load, and know they are compiled
    const probe = `
      const sf = await import(${JSON.stringify(pathToFileURL(join(out, 'server/platform/core/source-file.js')).href)});
      await import(${JSON.stringify(pathToFileURL(join(out, 'server/app.js')).href)});
      console.log(JSON.stringify({ compiled: sf.RUNNING_COMPILED, root: sf.projectRoot(), argv: sf.entryExecArgv([]) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ compiled: true, root: ROOT, argv: [] });
  }, 60_000);
});
