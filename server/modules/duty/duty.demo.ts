/**
 * The demo's roster: the city command centre (市应急局) on 24-hour shifts from 08:00, this month and the next, the
 * demo duty officer on every shift and the demo commander as the leader on duty — so the duty board shows who is on
 * shift and a duty-aware escalation policy reaches someone. Marked demo by its pattern's name.
 */
import { systemCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import { createPattern, type DutyDeps, generateMonth, listPatterns } from './duty.service.ts';

const PATTERN_NAME = '24 小时值班（演示）';

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export async function loadDutyDemo(deps: DutyDeps): Promise<string> {
  const ctx = systemCtx();
  if (!deps.units().has('yjj')) return 'duty: no command centre unit, no demo roster';
  // a load interrupted half-way is finished by loading again: the pattern is made once
  const had = (await listPatterns(deps, ctx, 'yjj')).find((p) => p.name === PATTERN_NAME);
  const users = await deps.access.listUsers(ctx, { unitCode: 'yjj', limit: 200 });
  const officers = users.items.filter((u) => u.demo && u.roles.includes('duty_officer')).map((u) => u.id);
  const leaders = users.items.filter((u) => u.demo && u.roles.includes('commander')).map((u) => u.id);
  if (!officers.length || !leaders.length) return 'duty: no demo duty officer or commander, no demo roster';
  const pattern =
    had ??
    (await createPattern(deps, ctx, {
      unit: 'yjj',
      name: PATTERN_NAME,
      slots: [{ key: 'day', name: '全天', start: '08:00', end: '08:00' }],
    }));
  const first = cityDate(deps.clock.now()).slice(0, 7);
  let shifts = 0;
  for (const month of [first, nextMonth(first)])
    for (const [role, rotation] of [
      ['officer', officers],
      ['leader', leaders],
    ] as const) {
      const r = await generateMonth(deps, ctx, {
        unit: 'yjj',
        patternId: pattern.id,
        month,
        role,
        rotation,
        replace: true,
      });
      shifts += r.created;
    }
  return `duty: demo roster of the command centre, ${shifts} shifts`;
}
