/**
 * The HiGHS runtime (WebAssembly, loaded from the package's own `highs.wasm`: no network). Instantiating it costs
 * tens of milliseconds and a few MB, so each thread loads it once and keeps it: a module-level promise is per thread,
 * which makes this "once per worker thread" in the siting worker and once for the process elsewhere (tests, bench).
 */
import loadHighs, { type Highs, type ModelStatusCode } from 'highs';

let runtime: Promise<Highs> | null = null;

export function highsRuntime(): Promise<Highs> {
  runtime ??= loadHighs().catch((err: unknown) => {
    // a failed load is not cached: the next call tries again
    runtime = null;
    throw err;
  });
  return runtime;
}

/** HiGHS' own words for its model statuses (Highs::modelStatusToString), so a reply reads like the solver's log. */
const STATUS_TEXT: Record<number, string> = {
  0: 'Not Set',
  1: 'Load error',
  2: 'Model error',
  3: 'Presolve error',
  4: 'Solve error',
  5: 'Postsolve error',
  6: 'Empty',
  7: 'Optimal',
  8: 'Infeasible',
  9: 'Primal infeasible or unbounded',
  10: 'Unbounded',
  11: 'Bound on objective reached',
  12: 'Target for objective reached',
  13: 'Time limit reached',
  14: 'Iteration limit reached',
  15: 'Unknown',
  16: 'Solution limit reached',
  17: 'Interrupted by user',
};

export function statusText(code: ModelStatusCode | number): string {
  return STATUS_TEXT[code] ?? `Status ${code}`;
}
