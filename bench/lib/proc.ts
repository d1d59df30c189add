import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every child this benchmark started and has not yet seen exit: killed on any way out. */
const children = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: stopping ${children.size} child process(es)`);
      for (const c of children) c.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** everything the child printed so far (stdout and stderr, interleaved) */
  output(): string;
  /** complete lines so far, each with the milliseconds since spawn at which it arrived */
  lines(): { ms: number; text: string }[];
  /** resolves with the first line containing `needle`, rejects if the child exits first or time runs out */
  waitForLine(needle: string, timeoutMs: number): Promise<string>;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node --import tsx script` from the repository root with extra environment variables. */
export function spawnNode(script: string, env: Record<string, string>): Child {
  hookExit();
  // plain JavaScript (scripts/start.mjs runs the server compiled ahead) needs no TypeScript loader
  const proc = spawn(process.execPath, script.endsWith('.mjs') ? [script] : ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${script}`);
  children.add(proc);
  const t0 = performance.now();
  let out = '';
  let partial = '';
  const lines: { ms: number; text: string }[] = [];
  let gone = false;
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    const text = b.toString('utf8');
    out += text;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    const ms = performance.now() - t0;
    for (const l of parts) if (lines.length < 1000) lines.push({ ms, text: l });
    if (out.length > 200_000) out = out.slice(-100_000);
    for (const w of waiters) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exit = new Promise<void>((resolve) => {
    proc.on('exit', () => {
      gone = true;
      children.delete(proc);
      for (const w of waiters) w();
      resolve();
    });
  });
  return {
    proc,
    pid: proc.pid,
    output: () => out,
    lines: () => lines,
    exited: () => gone,
    waitForLine(needle, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find((l) => l.includes(needle));
          if (line !== undefined) done(() => resolve(line));
          else if (gone) done(() => reject(new Error(`${script} exited (code ${proc.exitCode}):\n${tail(out)}`)));
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`no "${needle}" from ${script} within ${timeoutMs / 1000} s:\n${tail(out)}`))),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 15_000) {
      if (gone) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

export function tail(s: string, lines = 15): string {
  return s.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A port that was free a moment ago (listen on 0, close, hand it out). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
