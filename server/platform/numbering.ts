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
