/** The command module's API as the web uses it: plans, suggestions, activations, tasks and their comments. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type {
  Plan,
  PlanActivation,
  PlanInput,
  PlanPatch,
  PlanVersion,
  Suggestion,
  Task,
  TaskComment,
  TaskPatch,
} from '../../../../contracts/command.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export type PlanFilters = {
  q?: string;
  kind?: string;
  hazard?: string;
  unit?: string;
  status?: string;
  review?: string;
};
export type TaskFilters = { incidentId?: string; unit?: string; status?: string; overdue?: boolean; mine?: boolean };

export const commandKeys = {
  plans: ['plans'] as const,
  planList: (f: PlanFilters, limit: number, offset: number) => ['plans', 'list', f, limit, offset] as const,
  plan: (id: string) => ['plans', 'one', id] as const,
  versions: (id: string) => ['plans', 'versions', id] as const,
  suggestions: (incidentId: string) => ['plan-suggestions', incidentId] as const,
  activations: (incidentId: string) => ['activations', incidentId] as const,
  tasks: ['tasks'] as const,
  taskList: (f: TaskFilters) => ['tasks', 'list', f] as const,
  comments: (id: string) => ['tasks', 'comments', id] as const,
  assignees: (id: string) => ['tasks', 'assignees', id] as const,
};

export function usePlans(f: PlanFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: commandKeys.planList(f, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Plan>>('/plans', { ...f, limit, offset }, signal),
  });
}
export function usePlan(id: string | undefined) {
  return useQuery({
    queryKey: commandKeys.plan(id ?? ''),
    queryFn: () => api.get<Plan>(`/plans/${id}`),
    enabled: !!id,
  });
}
export function usePlanVersions(id: string | undefined) {
  return useQuery({
    queryKey: commandKeys.versions(id ?? ''),
    queryFn: () => api.get<ListReply<PlanVersion>>(`/plans/${id}/versions`),
    enabled: !!id,
  });
}
export const createPlan = (body: PlanInput) => api.post<Plan>('/plans', body);
export const updatePlan = (id: string, body: PlanPatch) => api.patch<Plan>(`/plans/${id}`, body);

export function useSuggestions(incidentId: string, enabled = true) {
  return useQuery({
    queryKey: commandKeys.suggestions(incidentId),
    queryFn: () => api.get<{ items: Suggestion[]; total: number }>(`/incidents/${incidentId}/plan-suggestions`),
    enabled,
  });
}
export function useActivations(incidentId: string) {
  return useQuery({
    queryKey: commandKeys.activations(incidentId),
    queryFn: () => api.get<ListReply<PlanActivation>>(`/incidents/${incidentId}/activations`),
  });
}
export const activatePlan = (incidentId: string, planId: string, level: string) =>
  api.post<PlanActivation>(`/incidents/${incidentId}/activations`, { planId, level });
export const changeLevel = (incidentId: string, id: string, level: string) =>
  api.patch<PlanActivation>(`/incidents/${incidentId}/activations/${id}`, { level });
export const endResponse = (incidentId: string, id: string, note: string) =>
  api.post<PlanActivation>(`/incidents/${incidentId}/activations/${id}/end`, { note });

export function useTasks(f: TaskFilters) {
  return useQuery({
    queryKey: commandKeys.taskList(f),
    queryFn: ({ signal }) => api.get<ListReply<Task>>('/tasks', { ...f, limit: 500 }, signal),
    // the overdue flag and the countdown follow the clock
    refetchInterval: 60_000,
  });
}
export function useComments(id: string) {
  return useQuery({
    queryKey: commandKeys.comments(id),
    queryFn: () => api.get<ListReply<TaskComment>>(`/tasks/${id}/comments`),
  });
}
export function useAssignees(id: string, enabled: boolean) {
  return useQuery({
    queryKey: commandKeys.assignees(id),
    queryFn: () => api.get<ListReply<{ id: string; displayName: string }>>(`/tasks/${id}/assignees`),
    enabled,
  });
}
export const patchTask = (id: string, body: TaskPatch) => api.patch<Task>(`/tasks/${id}`, body);
export const commentTask = (id: string, text: string) => api.post<TaskComment>(`/tasks/${id}/comments`, { text });

/** a task created or changed elsewhere: every task list and the incident's activations read again */
export function refreshTasks(qc: QueryClient, task?: Partial<Task>): void {
  void qc.invalidateQueries({ queryKey: commandKeys.tasks });
  if (task?.incidentId) void qc.invalidateQueries({ queryKey: commandKeys.activations(task.incidentId) });
}
