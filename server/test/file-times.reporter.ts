/**
 * A Vitest reporter for CI (`--reporter=./server/test/file-times.reporter.ts`): each test file's time, slowest
 * first: its import, and its tests with their hooks (where a file opens its database). Vitest's JSON report counts
 * the tests alone, which hides what a file really costs.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class FileTimesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules.map((m) => {
      const d = m.diagnostic();
      return {
        file: m.relativeModuleId,
        tests: [...m.children.allTests()].length,
        import: d.collectDuration / 1000,
        run: d.duration / 1000,
      };
    });
    if (!rows.length) return;
    rows.sort((a, b) => b.import + b.run - (a.import + a.run));
    const s = (n: number) => n.toFixed(1).padStart(7);
    const lines = rows.map(
      (r) => `${s(r.import + r.run)} ${s(r.import)} ${s(r.run)} ${String(r.tests).padStart(5)}  ${r.file}`,
    );
    const sum = rows.reduce((a, r) => a + r.import + r.run, 0);
    console.log(
      [
        '',
        'time per test file, seconds (import + tests with their hooks), slowest first:',
        '  total  import   tests count  file',
        ...lines,
        `${s(sum)}  in ${rows.length} files (the sum over the workers, not the wall-clock time)`,
      ].join('\n'),
    );
  }
}
