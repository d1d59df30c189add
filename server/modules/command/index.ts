/** The command module's door: what other modules may ask of plans, activations and tasks. */
import type { PlanKind, PlanStatus, Task, TaskListQuery } from '../../../contracts/command.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

/** a plan as other modules need it (no scope check: system use such as drill compliance) */
export interface PlanRef {
  id: string;
  name: string;
  kind: PlanKind;
  status: PlanStatus;
  ownerUnit: string | null;
  /** the districts the plan covers; empty: the whole city */
  scope: string[];
  /** the approval date on paper (YYYY-MM-DD), null while a draft */
  approvedOn: string | null;
  createdAt: string;
}

export interface PlanRevisionTaskInput {
  planId: string;
  title: string;
  detail?: string;
  /** ISO 8601 instant */
  dueAt: string;
  /** the record asking for it; one task per source */
  source: { kind: 'drill'; id: string };
}

export interface CommandApi {
  /** the tasks the caller sees, filtered as the list is (the duty board's overdue tasks) */
  listTasks(ctx: RequestCtx, q: TaskListQuery): Promise<{ items: Task[]; total: number }>;
  /** one plan, or undefined (no scope check) */
  getPlanRef(id: string): Promise<PlanRef | undefined>;
  /** approved government special and department plans (kinds `special`, `department`): drill compliance */
  listPlansForCompliance(): Promise<PlanRef[]>;
  /**
   * a task on the plan's owner unit to revise the plan (no activation); once per source: a second call returns the
   * first task (`created: false`). Needs `plans.read`.
   */
  createPlanRevisionTask(
    ctx: RequestCtx,
    input: PlanRevisionTaskInput,
  ): Promise<{ id: string; created: boolean; unit: string }>;
}
