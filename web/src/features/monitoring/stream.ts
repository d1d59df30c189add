import type { Device } from '../../../../contracts/monitoring.ts';
import type { StreamContext } from '../../app/manifest.ts';
import {
  applyDeviceStatus,
  type DeviceStatusChange,
  deviceKeys,
  RULES_KEY,
  upsertDeviceInCache,
} from './monitoring-api.ts';

/** A new or changed device goes into every cached view: the register, its page and the map. */
export function onDeviceChanged({ event, queryClient }: StreamContext): void {
  const device = event.payload as Device | undefined;
  if (device?.id && device.location) upsertDeviceInCache(queryClient, device);
  else void queryClient.invalidateQueries({ queryKey: deviceKeys.all });
}

/** Status and latest values change with every reading: patched in place, no list read again. */
export function onDeviceStatus({ event, queryClient }: StreamContext): void {
  const change = event.payload as DeviceStatusChange | undefined;
  if (change?.id) applyDeviceStatus(queryClient, change);
}

/** A rule changed: the rule list and the thresholds drawn on the charts. */
export function onRuleChanged({ queryClient }: StreamContext): void {
  void queryClient.invalidateQueries({ queryKey: RULES_KEY });
  void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'device' && q.queryKey[2] === 'readings' });
}

/**
 * A device's warning rose, changed colour or was lifted: the device's ring on the map and in the register follows,
 * and its page lists the warning.
 */
export function onDeviceWarning({ event, queryClient }: StreamContext): void {
  const deviceId = (event.payload as { deviceId?: string | null } | undefined)?.deviceId;
  if (!deviceId) return;
  void queryClient.invalidateQueries({ queryKey: deviceKeys.map });
  void queryClient.invalidateQueries({ queryKey: deviceKeys.lists });
  void queryClient.invalidateQueries({ queryKey: deviceKeys.detail(deviceId) });
}
