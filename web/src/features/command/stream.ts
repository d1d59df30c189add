import type { Task } from '../../../../contracts/command.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { commandKeys, refreshTasks } from './command-api.ts';

/** `task.created` / `task.updated`: the boards and the department's list read again. */
export function onTaskChanged({ event, queryClient }: StreamContext): void {
  refreshTasks(queryClient, event.payload as Partial<Task>);
}

/** a plan activated, its level changed or its response ended: the incident's panel reads again */
export function onActivationChanged({ event, queryClient }: StreamContext): void {
  const p = event.payload as { incidentId?: string };
  if (p?.incidentId) {
    void queryClient.invalidateQueries({ queryKey: commandKeys.activations(p.incidentId) });
    void queryClient.invalidateQueries({ queryKey: commandKeys.suggestions(p.incidentId) });
  }
}

export function onPlanChanged({ queryClient }: StreamContext): void {
  void queryClient.invalidateQueries({ queryKey: commandKeys.plans });
}
