import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../../contracts/warnings.ts';
import type { ListReply } from '../../api/contracts.ts';
import { upsertWarningInCache, warningKeys } from './warnings-api.ts';

const base: Warning = {
  id: 'w1',
  number: 'YJ-2026-000001',
  hazardCode: '11B03',
  colour: 'orange',
  status: 'raised',
  source: 'rule',
  deviceId: 'd1',
  deviceName: '市区雨量站',
  ruleId: 'r1',
  title: '暴雨橙色预警',
  titleEn: 'Rainstorm orange warning',
  description: '',
  raisedAt: '2026-07-01T08:00:00Z',
  lastHeldAt: '2026-07-01T08:00:00Z',
  district: { code: '371002', name: '环翠区' },
  area: null,
  location: null,
  levelHistory: [{ colour: 'orange', at: '2026-07-01T08:00:00Z' }],
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
};

function cached() {
  const qc = new QueryClient();
  const active = warningKeys.list({ status: 'active' }, 500, 0);
  const lifted = warningKeys.list({ status: 'lifted' }, 50, 0);
  qc.setQueryData<ListReply<Warning>>(active, { items: [base], total: 1 });
  qc.setQueryData<ListReply<Warning>>(lifted, { items: [], total: 0 });
  return { qc, active, lifted };
}

describe('a changed warning in the cached lists', () => {
  it('turns red in place on the board', () => {
    const { qc, active } = cached();
    const red = { ...base, colour: 'red' as const, version: 2 };
    upsertWarningInCache(qc, red);
    expect(qc.getQueryData<ListReply<Warning>>(active)?.items[0].colour).toBe('red');
    expect(qc.getQueryData(warningKeys.detail('w1'))).toEqual(red);
  });

  it('leaves the board when lifted, and the history is read again', () => {
    const { qc, active, lifted } = cached();
    upsertWarningInCache(qc, { ...base, status: 'lifted', version: 3 });
    expect(qc.getQueryData<ListReply<Warning>>(active)).toEqual({ items: [], total: 0 });
    expect(qc.getQueryState(lifted)?.isInvalidated).toBe(true);
  });

  it('is never replaced by an older version arriving late', () => {
    const { qc, active } = cached();
    upsertWarningInCache(qc, { ...base, status: 'acknowledged', version: 4 });
    upsertWarningInCache(qc, { ...base, colour: 'yellow', version: 2 });
    expect(qc.getQueryData<ListReply<Warning>>(active)?.items[0]).toMatchObject({
      status: 'acknowledged',
      colour: 'orange',
    });
    expect(qc.getQueryData<Warning>(warningKeys.detail('w1'))?.version).toBe(4);
  });
});
