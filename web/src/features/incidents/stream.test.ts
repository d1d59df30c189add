import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { StreamContext } from '../../app/manifest.ts';
import { onIncidentCreated } from './stream.ts';

describe('new incidents on the live stream', () => {
  it('each get a notice, until a burst (an imported register) makes one notice that counts them', () => {
    const shown: { key: string; title: string }[] = [];
    const ctx = (n: number) =>
      ({
        event: {
          type: 'incident.created',
          entity: 'incident',
          entityId: `i${n}`,
          at: '',
          payload: { id: `i${n}`, number: `WH-2026-00000${n}`, title: `事件 ${n}` },
        },
        queryClient: new QueryClient(),
        notification: { info: (o: { key: string; title: string }) => shown.push(o) },
        message: {},
        t: (key: string, v: Record<string, unknown>) => `${key} ${JSON.stringify(v)}`,
      }) as unknown as StreamContext;
    for (let n = 1; n <= 50; n++) onIncidentCreated(ctx(n));
    const keys = new Set(shown.map((s) => s.key));
    expect(keys).toEqual(new Set(['incident-i1', 'incident-i2', 'incident-i3', 'incidents-burst']));
    expect(shown.at(-1)?.title).toContain('"count":50');
  });
});
