import type { Warning } from '../../../../contracts/warnings.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { upsertWarningInCache, warningKeys } from './warnings-api.ts';

/**
 * A warning raised, changed (colour, status) or lifted goes into the board, the history and its drawer at once. The
 * alarm (the alerts feature: banner, sound, tray by level) tells the user; the board only keeps up.
 */
export function onWarning({ event, queryClient }: StreamContext): void {
  const warning = event.payload as Warning | undefined;
  if (warning?.id && warning.colour) upsertWarningInCache(queryClient, warning);
  else void queryClient.invalidateQueries({ queryKey: warningKeys.all });
}
