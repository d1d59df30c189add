/**
 * Where the server's own files are, whether it runs from its TypeScript sources (tsx, tests) or compiled ahead into
 * dist/ (`npm start`, scripts/build-server.mjs): worker and child-process entries are named without an extension.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** true when this process runs the JavaScript compiled into dist/ */
export const RUNNING_COMPILED = import.meta.url.endsWith('.js');

/** A module beside the caller, in the form the caller runs in (`./excel.worker` → `.ts` or `.js`). */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

/** The project's root (the folder with package.json holding `"name": "anlan"`), from the sources or from dist/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'anlan') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('the project root (package.json of anlan) was not found');
    dir = up;
  }
}

/** Node's flags for a worker or child process that runs one of the server's files. */
export function entryExecArgv(parent: readonly string[] = process.execArgv): string[] {
  if (RUNNING_COMPILED) return [...parent];
  const hasTsx = parent.some(
    (a, i) =>
      /^--(import|loader)=tsx(\/|$)/.test(a) ||
      (/^--(import|loader)$/.test(a) && /^tsx(\/|$)/.test(parent[i + 1] ?? '')),
  );
  return hasTsx ? [...parent] : ['--import', 'tsx'];
}
