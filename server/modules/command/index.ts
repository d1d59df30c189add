/** The command module's door: what other modules may ask of plans, activations and tasks. */
import type { Task, TaskListQuery } from '../../../contracts/command.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface CommandApi {
  /** the tasks the caller sees, filtered as the list is (the duty board's overdue tasks) */
  listTasks(ctx: RequestCtx, q: TaskListQuery): Promise<{ items: Task[]; total: number }>;
}
