// Issue #2, start-up: a first start on a fresh DATA_DIR with the demo (migrations, boundaries, demo load) and a
// later start on the same DATA_DIR, each from spawn to the line containing `listening on`.
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { startAnlan } from './lib/anlan.ts';
import { ROOT } from './lib/proc.ts';
import { fmt, log, type Report, verdict } from './lib/report.ts';

export const FIRST_START_TARGET_MS = 60_000;
export const LATER_START_TARGET_MS = 10_000;

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
  const first = await startAnlan({ dataDir, demo: true, timeoutMs: 300_000 });
  await first.stop();
  log(`  listening after ${fmt.s(first.readyMs)}`);
  const phases = phasesOf(first.child.lines());
  for (const p of phases) log(`    ${fmt.s(p.ms).padStart(7)}  ${p.text}`);
  log('later start (same DATA_DIR)…');
  const later = await startAnlan({ dataDir, demo: true });
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
    '≤ 10 s',
    verdict(later.readyMs <= LATER_START_TARGET_MS),
  );
  report.data.startup = {
    engine: 'pglite',
    firstMs: first.readyMs,
    laterMs: later.readyMs,
    firstPhases: phases,
    laterPhases,
  };
  return dataDir;
}
