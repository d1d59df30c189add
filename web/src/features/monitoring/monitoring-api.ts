/**
 * The monitoring module's API as the web uses it: devices, readings, rules, dead letters, the broker's status,
 * and how a changed device (a write or the live stream) reaches every cached view.
 */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type {
  DeadLetter,
  Device,
  DeviceCreated,
  DeviceInput,
  DevicePatch,
  DeviceStatus,
  Metric,
  ReadingsReply,
  Rule,
  RuleInput,
  RulePatch,
} from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export type DeviceFilters = { q?: string; kind?: string; status?: string; district?: string };

/** How the broker runs: embedded (on `port`), external (at `url`), or off (`reason`: the port was taken …). */
export interface MqttStatus {
  mode: string;
  port?: number;
  url?: string;
  reason?: string;
}

export const deviceKeys = {
  all: ['devices'] as const,
  lists: ['devices', 'list'] as const,
  list: (f: DeviceFilters, limit: number, offset: number) => ['devices', 'list', f, limit, offset] as const,
  map: ['devices', 'map'] as const,
  mqtt: ['devices', 'mqtt'] as const,
  detail: (id: string) => ['device', id] as const,
  readings: (id: string, metric: string, from: string, to: string, resolution: string) =>
    ['device', id, 'readings', metric, from, to, resolution] as const,
  warnings: (id: string) => ['device', id, 'warnings'] as const,
  deadLetters: (deviceId: string | undefined, limit: number, offset: number) =>
    ['devices', 'dead-letters', deviceId ?? '', limit, offset] as const,
};
export const RULES_KEY = ['rules'] as const;

const enc = encodeURIComponent;
/**
 * The stream tells a device's status when it changes (`device.status`), not every reading: what shows latest values
 * and charts reads again this often while it is open.
 */
export const LIVE_MS = 60_000;

export function useDeviceList(filters: DeviceFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: deviceKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Device>>('/devices', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
    refetchInterval: LIVE_MS,
  });
}

/** Every device the user may see, for the map (the list's upper limit). */
export function useMapDevices(enabled = true) {
  return useQuery({
    queryKey: deviceKeys.map,
    queryFn: ({ signal }) => api.get<ListReply<Device>>('/devices', { limit: 2000 }, signal),
    enabled,
    refetchInterval: LIVE_MS,
  });
}

export function useDevice(id: string) {
  return useQuery({
    queryKey: deviceKeys.detail(id),
    queryFn: ({ signal }) => api.get<Device>(`/devices/${enc(id)}`, undefined, signal),
    refetchInterval: LIVE_MS,
  });
}

export function useMqttStatus() {
  return useQuery({
    queryKey: deviceKeys.mqtt,
    queryFn: ({ signal }) => api.get<MqttStatus>('/devices/mqtt', undefined, signal),
    staleTime: 60_000,
    retry: false,
  });
}

/** Readings from `from` to `to`, or up to now and kept current (`to` null: a preset range ending now). */
export function useReadings(
  id: string,
  metric: Metric | undefined,
  from: string,
  to: string | null,
  resolution: 'raw' | 'hour',
) {
  return useQuery({
    queryKey: deviceKeys.readings(id, metric ?? '', from, to ?? 'now', resolution),
    queryFn: ({ signal }) =>
      api.get<ReadingsReply>(`/devices/${enc(id)}/readings`, { metric, from, to, resolution }, signal),
    enabled: !!metric,
    placeholderData: (prev) => (prev?.metric === metric ? prev : undefined),
    refetchInterval: to ? false : LIVE_MS,
  });
}

/** The device's warnings: the active ones and the most recent lifted ones. */
export function useDeviceWarnings(id: string, enabled: boolean) {
  return useQuery({
    queryKey: deviceKeys.warnings(id),
    queryFn: ({ signal }) => api.get<ListReply<Warning>>('/warnings', { deviceId: id, limit: 20 }, signal),
    enabled,
  });
}

export function useDeadLetters(deviceId: string | undefined, limit: number, offset: number) {
  return useQuery({
    queryKey: deviceKeys.deadLetters(deviceId, limit, offset),
    queryFn: ({ signal }) =>
      api.get<ListReply<DeadLetter>>('/devices/dead-letters', { deviceId, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useRules() {
  return useQuery({
    queryKey: RULES_KEY,
    queryFn: ({ signal }) => api.get<ListReply<Rule>>('/rules', undefined, signal),
  });
}

export const createDevice = (input: DeviceInput) => api.post<DeviceCreated>('/devices', input);
export const patchDevice = (id: string, patch: DevicePatch) => api.patch<Device>(`/devices/${enc(id)}`, patch);
export const rotateToken = (id: string) => api.post<{ token: string }>(`/devices/${enc(id)}/token`);
export const createRule = (input: RuleInput) => api.post<Rule>('/rules', input);
export const patchRule = (id: string, patch: RulePatch) => api.patch<Rule>(`/rules/${enc(id)}`, patch);
export const resetRule = (id: string) => api.post<Rule>(`/rules/${enc(id)}/reset`);

/** The MQTT topic a device publishes its readings to (its username on the embedded broker is its id). */
export const readingsTopic = (deviceId: string) => `anlan/v1/devices/${deviceId}/readings`;

/**
 * A changed device (a write, `device.created`, `device.updated`) in every cached view: its page and the map's list
 * (an older version never replaces a newer one); the register's pages are read again.
 */
export function upsertDeviceInCache(qc: QueryClient, device: Device): void {
  const current = qc.getQueryData<Device>(deviceKeys.detail(device.id));
  if (!current || current.version <= device.version) qc.setQueryData(deviceKeys.detail(device.id), device);
  qc.setQueryData<ListReply<Device>>(deviceKeys.map, (old) => {
    if (!old) return old;
    const idx = old.items.findIndex((d) => d.id === device.id);
    if (idx < 0) return { items: [...old.items, device], total: old.total + 1 };
    if (old.items[idx].version > device.version) return old;
    const items = old.items.slice();
    items[idx] = device;
    return { ...old, items };
  });
  void qc.invalidateQueries({ queryKey: deviceKeys.lists });
}

/** What `device.status` carries: a device's status and latest values changed (no new version: no refetch). */
export interface DeviceStatusChange {
  id: string;
  status: DeviceStatus;
  lastSeenAt: string | null;
  latest: Device['latest'];
}

/**
 * A status change patched into the cached views in place: readings arrive often, and a refetch of every open list
 * per reading would cost more than the reading.
 */
export function applyDeviceStatus(qc: QueryClient, change: DeviceStatusChange): void {
  const patch = (d: Device): Device =>
    d.id === change.id
      ? { ...d, status: change.status, lastSeenAt: change.lastSeenAt, latest: { ...d.latest, ...change.latest } }
      : d;
  qc.setQueryData<Device>(deviceKeys.detail(change.id), (old) => (old ? patch(old) : old));
  qc.setQueriesData<ListReply<Device>>({ queryKey: deviceKeys.all }, (old) => {
    if (!old?.items?.some((d) => d.id === change.id)) return old;
    return { ...old, items: old.items.map(patch) };
  });
}
