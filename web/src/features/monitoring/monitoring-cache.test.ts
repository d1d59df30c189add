import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../contracts/monitoring.ts';
import type { ListReply } from '../../api/contracts.ts';
import { applyDeviceStatus, deviceKeys, upsertDeviceInCache } from './monitoring-api.ts';

const gauge: Device = {
  id: 'd1',
  name: '米山水库水位站',
  code: 'WL-001',
  kind: 'water_level',
  metrics: ['water_level_m'],
  location: { type: 'Point', coordinates: [122.0046, 37.2012] },
  district: { code: '371003', name: '文登区' },
  ownerUnit: null,
  params: { warning_level_m: 28 },
  streamUrl: null,
  offlineAfterMinutes: 30,
  enabled: true,
  status: 'offline',
  lastSeenAt: '2026-07-01T07:00:00Z',
  latest: { water_level_m: { value: 27.9, ts: '2026-07-01T07:00:00Z' } },
  warningColour: null,
  notes: '',
  demo: false,
  version: 3,
  createdAt: '2026-06-01T00:00:00Z',
};

describe('a device in the cached views', () => {
  it('takes a reading’s status and latest value in place, in the register, the map and its page', () => {
    const qc = new QueryClient();
    const page = deviceKeys.list({}, 20, 0);
    qc.setQueryData<ListReply<Device>>(page, { items: [gauge], total: 1 });
    qc.setQueryData<ListReply<Device>>(deviceKeys.map, { items: [gauge], total: 1 });
    qc.setQueryData(deviceKeys.detail('d1'), gauge);
    applyDeviceStatus(qc, {
      id: 'd1',
      status: 'online',
      lastSeenAt: '2026-07-01T08:00:00Z',
      latest: { water_level_m: { value: 28.2, ts: '2026-07-01T08:00:00Z' } },
    });
    for (const key of [page, deviceKeys.map]) {
      const d = qc.getQueryData<ListReply<Device>>(key)?.items[0];
      expect(d?.status).toBe('online');
      expect(d?.latest.water_level_m.value).toBe(28.2);
    }
    expect(qc.getQueryData<Device>(deviceKeys.detail('d1'))?.lastSeenAt).toBe('2026-07-01T08:00:00Z');
    // nothing is read again for a reading
    expect(qc.getQueryState(page)?.isInvalidated).toBe(false);
  });

  it('adds a new device to the map and keeps a newer version against a late older one', () => {
    const qc = new QueryClient();
    qc.setQueryData<ListReply<Device>>(deviceKeys.map, { items: [gauge], total: 1 });
    upsertDeviceInCache(qc, { ...gauge, id: 'd2', name: '新雨量站', kind: 'rain_gauge' });
    upsertDeviceInCache(qc, { ...gauge, name: '旧名', version: 2 });
    const items = qc.getQueryData<ListReply<Device>>(deviceKeys.map)?.items ?? [];
    expect(items.map((d) => d.name)).toEqual(['米山水库水位站', '新雨量站']);
  });
});
