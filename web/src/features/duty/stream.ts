import type { StreamContext } from '../../app/manifest.ts';
import { dutyKeys } from './duty-api.ts';

/** Anything the duty board, the roster or the handovers show changed: their queries read again. */
export function onDutyRelevant({ queryClient }: StreamContext): void {
  void queryClient.invalidateQueries({ queryKey: dutyKeys.all });
}
