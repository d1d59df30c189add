import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../../contracts/warnings.ts';
import { boardColumns, levelDots } from './board.ts';
import { matches } from './warnings-api.ts';

let n = 0;
function warning(p: Partial<Warning>): Warning {
  n += 1;
  return {
    id: `w${n}`,
    number: `YJ-2026-${String(n).padStart(6, '0')}`,
    hazardCode: '11B03',
    colour: 'blue',
    status: 'raised',
    source: 'rule',
    deviceId: 'd1',
    deviceName: '米山水库',
    ruleId: 'r1',
    title: '暴雨',
    titleEn: 'Rainstorm',
    description: '',
    raisedAt: '2026-07-01T08:00:00Z',
    lastHeldAt: null,
    district: { code: '371002', name: '环翠区' },
    area: null,
    location: null,
    levelHistory: [],
    acknowledgedAt: null,
    acknowledgedBy: null,
    liftedAt: null,
    liftedBy: null,
    liftedReason: null,
    publishedAt: null,
    publishedBy: null,
    capIdentifier: null,
    capSender: null,
    senderName: null,
    expiresAt: null,
    incidentId: null,
    exercise: null,
    version: 1,
    ...p,
  };
}

describe('the warnings board', () => {
  it('has a column per colour from red to blue, lifted warnings left to the history', () => {
    const items = [
      warning({ colour: 'blue' }),
      warning({ colour: 'red' }),
      warning({ colour: 'yellow', status: 'lifted' }),
      warning({ colour: 'orange', status: 'acknowledged' }),
    ];
    const cols = boardColumns(items);
    expect(cols.map((c) => c.colour)).toEqual(['red', 'orange', 'yellow', 'blue']);
    expect(cols.map((c) => c.items.length)).toEqual([1, 1, 0, 1]);
    expect(cols.map((c) => c.unacknowledged)).toEqual([1, 0, 0, 1]);
  });

  it('lists what awaits acknowledgement first, the newest first', () => {
    const old = warning({ colour: 'red', raisedAt: '2026-07-01T06:00:00Z' });
    const acked = warning({ colour: 'red', status: 'acknowledged', raisedAt: '2026-07-01T09:00:00Z' });
    const recent = warning({ colour: 'red', raisedAt: '2026-07-01T07:00:00Z' });
    expect(boardColumns([old, acked, recent])[0].items.map((w) => w.id)).toEqual([recent.id, old.id, acked.id]);
  });

  it('draws the level history as one dot per change, oldest first', () => {
    const w = warning({
      colour: 'yellow',
      levelHistory: [
        { colour: 'orange', at: '2026-07-01T09:00:00Z' },
        { colour: 'blue', at: '2026-07-01T07:00:00Z' },
        { colour: 'orange', at: '2026-07-01T08:00:00Z' },
        { colour: 'yellow', at: '2026-07-01T10:00:00Z' },
      ],
    });
    expect(levelDots(w).map((d) => d.colour)).toEqual(['blue', 'orange', 'yellow']);
    expect(levelDots(warning({ colour: 'red' }))).toEqual([{ colour: 'red', at: '2026-07-01T08:00:00Z' }]);
  });

  it('knows which lists a changed warning belongs to', () => {
    const lifted = warning({ status: 'lifted', colour: 'orange' });
    expect(matches({ status: 'active' }, lifted)).toBe(false);
    expect(matches({ status: 'lifted' }, lifted)).toBe(true);
    expect(matches({ status: 'active' }, warning({ status: 'acknowledged' }))).toBe(true);
    expect(matches({ hazardCode: '11B00' }, warning({ hazardCode: '11B03' }))).toBe(true);
    expect(matches({ hazardCode: '11000' }, warning({ hazardCode: '13A01' }))).toBe(false);
    expect(matches({ district: '371082' }, warning({}))).toBe(false);
  });
});
