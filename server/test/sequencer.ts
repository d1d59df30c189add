/**
 * The order of test files (vitest.config.ts). Vitest runs the slowest files of its last run first, and files it
 * has not seen by size; on a clean clone (CI) it has seen none, and a small file that starts processes (the CLI
 * tests, minutes on a loaded machine) could start last and run alone at the end. Such files go first when Vitest
 * has no time for them. `--sequence.shuffle` shuffles the files (with `--sequence.seed`) as it does without this.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class FileSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { shuffle, seed } = this.ctx.config.sequence;
    if (shuffle) return shuffled(files, seed);
    const sorted = await super.sort(files);
    const unseenSpawner = (f: TestSpecification) =>
      !this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`) &&
      /from 'node:child_process'/.test(readFileSync(f.moduleId, 'utf8'));
    return [...sorted.filter(unseenSpawner), ...sorted.filter((f) => !unseenSpawner(f))];
  }
}

/** Fisher–Yates with a small seeded generator (mulberry32): the same seed gives the same order. */
function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
