// `npm run bench`: Anlan's benchmarks (issues #2, #3, #7, #9). They print figures, ratios against anchors measured in
// the same run, and PASS/MISS per target; they never fail. `npm run bench -- list startup memory roads abuse rw events alarm siting forces dispatch command logistics risks` picks some
// (also `list:pglite`, `list:pg`). Results also go to .tmp/bench-latest.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { abuseBench, readsWhileWritesBench } from './abuse.bench.ts';
import { alarmBench } from './alarm.bench.ts';
import { commandBench } from './command.bench.ts';
import { dispatchBench } from './dispatch.bench.ts';
import { eventsBench } from './events.bench.ts';
import { forcesBench } from './forces.bench.ts';
import { gazetteerBench } from './gazetteer.bench.ts';
import { incidentListBench } from './incident-list.bench.ts';
import { ROOT } from './lib/proc.ts';
import { fmt, log, Report } from './lib/report.ts';
import { logisticsBench } from './logistics.bench.ts';
import { memoryBench } from './memory.bench.ts';
import { monitoringBench } from './monitoring.bench.ts';
import { risksBench } from './risks.bench.ts';
import { roadBench } from './road.bench.ts';
import { sitingBench } from './siting.bench.ts';
import { startupBench } from './startup.bench.ts';

const ALL = [
  'list:pglite',
  'list:pg',
  'startup',
  'memory',
  'roads',
  'abuse',
  'rw',
  'events',
  'alarm',
  'gazetteer',
  'monitoring:pglite',
  'monitoring:pg',
  'siting',
  'forces',
  'dispatch',
  'command',
  'logistics',
  'risks',
] as const;
type Part = (typeof ALL)[number];

function selected(args: string[]): Set<Part> {
  if (!args.length) return new Set(ALL);
  const out = new Set<Part>();
  for (const a of args) {
    const hit = ALL.filter((p) => p === a || p.startsWith(`${a}:`));
    if (!hit.length) {
      console.error(`[bench] unknown part "${a}"; parts: ${ALL.join(', ')} (or list)`);
      process.exit(0);
    }
    for (const h of hit) out.add(h);
  }
  return out;
}

const parts = selected(process.argv.slice(2));
const report = new Report();
const workDir = mkdtempSync(join(tmpdir(), 'anlan-bench-run-'));
const t0 = Date.now();
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadBefore = load();
log(`parts: ${[...parts].join(', ')}; ${cpus().length} CPU(s), load average ${loadBefore}, Node.js ${process.version}`);
log(`work dir ${workDir} (removed at the end)`);

async function part(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const msg = (err as Error).stack ?? String(err);
    report.note(`${name} failed: ${msg}`);
    report.row(name, 'error', (err as Error).message.split('\n')[0].slice(0, 60), '', 'MISS');
  }
}

try {
  const engines = (['pglite', 'postgres'] as const).filter((e) =>
    parts.has(e === 'pglite' ? 'list:pglite' : 'list:pg'),
  );
  if (engines.length) await part('incident list', () => incidentListBench(report, workDir, [...engines]));
  let demoDataDir: string | undefined;
  if (parts.has('startup')) {
    await part('start-up', async () => {
      demoDataDir = await startupBench(report, workDir);
    });
  }
  if (parts.has('memory')) await part('memory', () => memoryBench(report, workDir, demoDataDir));
  if (parts.has('roads')) await part('roads', () => roadBench(report, workDir));
  if (parts.has('rw')) await part('reads while writes', () => readsWhileWritesBench(report, workDir));
  if (parts.has('abuse')) await part('abuse', () => abuseBench(report, workDir));
  if (parts.has('events')) await part('events', () => eventsBench(report, workDir));
  if (parts.has('alarm')) await part('alarm', () => alarmBench(report, workDir));
  if (parts.has('gazetteer')) await part('gazetteer', () => gazetteerBench(report, workDir));
  const monEngines = (['pglite', 'postgres'] as const).filter((e) =>
    parts.has(e === 'pglite' ? 'monitoring:pglite' : 'monitoring:pg'),
  );
  if (monEngines.length) await part('monitoring', () => monitoringBench(report, workDir, [...monEngines]));
  if (parts.has('siting')) await part('siting', () => sitingBench(report));
  if (parts.has('forces')) await part('forces', () => forcesBench(report, workDir));
  if (parts.has('dispatch')) await part('dispatch', () => dispatchBench(report, workDir));
  if (parts.has('command')) await part('command activation', () => commandBench(report, workDir));
  if (parts.has('logistics')) await part('logistics', () => logisticsBench(report, workDir));
  if (parts.has('risks')) await part('risks', () => risksBench(report, workDir));
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

const file = join(ROOT, '.tmp', 'bench-latest.json');
const loadAfter = load();
report.write(file, {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage: { before: loadBefore, after: loadAfter },
  parts: [...parts],
});
console.log(
  `\nAnlan benchmarks: ${fmt.s(Date.now() - t0)}, ${cpus().length} CPU(s), load average ${loadBefore} before, ${loadAfter} after (1/5/15 min); loopback only; they never fail\n`,
);
console.log(report.table());
console.log(`\nresults: ${file}`);
process.exit(0);
