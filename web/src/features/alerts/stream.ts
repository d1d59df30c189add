import type { Alert, AlertAcknowledgedEvent, AlertResolvedEvent } from '../../api/contracts.ts';
import type { StreamContext } from '../../app/manifest.ts';
import {
  announce,
  applyAcknowledged,
  OPEN_ALERTS_KEY,
  type OpenAlerts,
  withoutAlert,
  withRaised,
} from './alarm-state.ts';

/** A new alarm this user may see (the server sends only those): into the tray, and announced to the alarm. */
export function onAlertRaised({ event, queryClient }: StreamContext): void {
  const alert = event.payload as Alert | undefined;
  if (!alert?.id) return;
  queryClient.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, (old) => withRaised(old, alert));
  announce(alert);
}

/** Someone acknowledged an alarm: if it was this user's unit, it clears on this screen too. */
export function onAlertAcknowledged({ event, queryClient }: StreamContext): void {
  const e = event.payload as AlertAcknowledgedEvent | undefined;
  if (e?.alertId && e.ack) applyAcknowledged(queryClient, e);
}

/** An alarm's record ended (an incident closed): it leaves the tray, and its sound stops. */
export function onAlertResolved({ event, queryClient }: StreamContext): void {
  const e = event.payload as AlertResolvedEvent | undefined;
  if (e?.alertId) queryClient.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, (old) => withoutAlert(old, e.alertId));
}
