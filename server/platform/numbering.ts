import type { Tx } from './db/index.ts';
import { cityDate } from './time.ts';

/**
 * The next human number of a register, by series and year in Beijing time: `WH-2026-000123`. Numbers are given
 * inside the writer's transaction (the counter row is locked until it commits), so they never repeat; a rolled-back
 * write leaves a gap, as paper registers do.
 */
export async function nextNumber(trx: Tx, series: string, at: Date): Promise<string> {
  const year = Number(cityDate(at).slice(0, 4));
  const r = await trx
    .insertInto('number_counters')
    .values({ series, year, last: 1 })
    .onConflict((oc) =>
      oc.columns(['series', 'year']).doUpdateSet((eb) => ({ last: eb('number_counters.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return formatNumber(series, year, r.last);
}

export function formatNumber(series: string, year: number, n: number): string {
  return `${series}-${year}-${String(n).padStart(6, '0')}`;
}

/**
 * The next number of a register numbered by day in Beijing time: `YH-20261204-001` (at least `digits` digits; the
 * counter row is `series` + the day, locked until the writer commits, as `nextNumber`).
 */
export async function nextDailyNumber(trx: Tx, series: string, at: Date, digits = 3): Promise<string> {
  const day = cityDate(at).replaceAll('-', '');
  const r = await trx
    .insertInto('number_counters')
    .values({ series: `${series}-${day}`, year: Number(day.slice(0, 4)), last: 1 })
    .onConflict((oc) =>
      oc.columns(['series', 'year']).doUpdateSet((eb) => ({ last: eb('number_counters.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${series}-${day}-${String(r.last).padStart(digits, '0')}`;
}
