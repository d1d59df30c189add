// Issues #2 and #9, start-up as `npm start` does it (the server compiled ahead): a first start on a fresh DATA_DIR
// with the demo (migrations, boundaries, demo load) and a later start on the same DATA_DIR, each from spawn until the
// server answers; then both again with the test suite running beside them (the load of a busy two-core machine).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startAnlan } from './lib/anlan.ts';
import { ROOT } from './lib/proc.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

export const FIRST_START_TARGET_MS = 60_000;
export const LATER_START_TARGET_MS = 5_000;

/** The server's own progress lines (JSON log lines' `msg`), each with when it arrived after spawn, up to `listening on`. */
function phasesOf(lines: { ms: number; text: string }[]): { ms: number; text: string }[] {
  const out: { ms: number; text: string }[] = [];
  for (const l of lines) {
    let msg: unknown;
    try {
      msg = (JSON.parse(l.text) as { msg?: unknown }).msg;
    } catch {
      continue;
    }
    if (typeof msg !== 'string' || msg === 'request completed' || msg === 'incoming request') continue;
    out.push({ ms: l.ms, text: msg.slice(0, 110) });
    if (msg.includes('listening on')) break;
  }
  return out;
}

/** Returns the DATA_DIR it left behind: migrated, with the demo loaded (the memory benchmark starts on it). */
export async function startupBench(report: Report, workDir: string): Promise<string> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    report.note(
      'web/dist/index.html is missing: the first start below includes building the web (npm run build first)',
    );
  }
  const dataDir = mkdtempSync(join(workDir, 'startup-'));
  log('first start (fresh DATA_DIR, demo on, embedded PGlite)…');
  const first = await startAnlan({ dataDir, demo: true, timeoutMs: 300_000, logLevel: 'info' });
  await first.stop();
  log(`  listening after ${fmt.s(first.readyMs)}`);
  const phases = phasesOf(first.child.lines());
  for (const p of phases) log(`    ${fmt.s(p.ms).padStart(7)}  ${p.text}`);
  log('later start (same DATA_DIR)…');
  const later = await startAnlan({ dataDir, demo: true, logLevel: 'info' });
  await later.stop();
  log(`  listening after ${fmt.s(later.readyMs)}`);
  const laterPhases = phasesOf(later.child.lines());
  for (const p of laterPhases) log(`    ${fmt.s(p.ms).padStart(7)}  ${p.text}`);
  report.row(
    'start-up pglite',
    'first start (migrate, boundaries, demo)',
    fmt.s(first.readyMs),
    '≤ 60 s',
    verdict(first.readyMs <= FIRST_START_TARGET_MS),
  );
  report.row(
    'start-up pglite',
    'later start',
    fmt.s(later.readyMs),
    '≤ 5 s',
    verdict(later.readyMs <= LATER_START_TARGET_MS),
  );
  log('the same beside the test suite (server/ tests, as `npm test` runs them)…');
  const load = startTestLoad();
  let loaded: { firstMs: number; laterMs: number } | undefined;
  try {
    await new Promise((r) => setTimeout(r, 5_000)); // the suite's workers up and busy
    const loadedDir = mkdtempSync(join(workDir, 'startup-loaded-'));
    const a = await startAnlan({ dataDir: loadedDir, demo: true, timeoutMs: 600_000 });
    await a.stop();
    const b = await startAnlan({ dataDir: loadedDir, demo: true });
    await b.stop();
    loaded = { firstMs: a.readyMs, laterMs: b.readyMs };
    log(`  first ${fmt.s(a.readyMs)}, later ${fmt.s(b.readyMs)} (load average ${loadavg()[0].toFixed(1)})`);
  } finally {
    load.kill('SIGTERM');
  }
  report.row(
    'start-up pglite',
    'first start, test suite beside it',
    fmt.s(loaded.firstMs),
    '≤ 60 s',
    verdict(loaded.firstMs <= FIRST_START_TARGET_MS),
  );
  report.row(
    'start-up pglite',
    'later start, test suite beside it',
    fmt.s(loaded.laterMs),
    '≤ 5 s',
    verdict(loaded.laterMs <= LATER_START_TARGET_MS),
  );
  report.data.startup = {
    engine: 'pglite',
    firstMs: first.readyMs,
    laterMs: later.readyMs,
    firstPhases: phases,
    laterPhases,
    loaded,
  };
  return dataDir;
}

/** The server's test suite, restarted whenever it ends, until killed: the load the start-up is measured beside. */
function startTestLoad(): { kill(sig: NodeJS.Signals): void } {
  let child: ChildProcess | undefined;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    child = spawn('npx', ['vitest', 'run', 'server/modules', 'server/platform'], {
      cwd: ROOT,
      stdio: 'ignore',
      detached: true,
    });
    child.on('exit', run);
  };
  run();
  return {
    kill(sig) {
      stopped = true;
      // the whole group: vitest's workers with it
      if (child?.pid) {
        try {
          process.kill(-child.pid, sig);
        } catch {}
      }
    },
  };
}
