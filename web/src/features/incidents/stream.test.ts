import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { StreamContext } from '../../app/manifest.ts';
import { onIncidentCreated } from './stream.ts';

describe('new incidents on the live stream', () => {
  it('go into the caches without a notice of their own: the alarm (by level) tells the user', () => {
    const shown: unknown[] = [];
    const qc = new QueryClient();
    const ctx = (n: number) =>
      ({
        event: {
          type: 'incident.created',
          entity: 'incident',
          entityId: `i${n}`,
          at: '',
          payload: { id: `i${n}`, number: `WH-2026-00000${n}`, title: `事件 ${n}` },
        },
        queryClient: qc,
        notification: { info: (o: unknown) => shown.push(o) },
        message: {},
        t: (key: string) => key,
      }) as unknown as StreamContext;
    for (let n = 1; n <= 5; n++) onIncidentCreated(ctx(n));
    expect(shown).toEqual([]);
  });
});
