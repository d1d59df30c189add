/** The exercises module's API as the web uses it (drill mode, 演练). */
import { useQuery } from '@tanstack/react-query';
import type { Exercise, ExerciseSummary } from '../../../../contracts/exercises.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export const exerciseKeys = {
  all: ['exercises'] as const,
  list: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['exercises', 'list', f, limit, offset] as const,
  detail: (id: string) => ['exercises', 'detail', id] as const,
  running: ['exercises', 'running'] as const,
};

export function useExercises(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: exerciseKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<ExerciseSummary>>('/exercises', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useExercise(id: string | undefined, live = false) {
  return useQuery({
    queryKey: exerciseKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Exercise>(`/exercises/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    // while running: the measured times fill in as the incident's log grows (the stream refreshes it too)
    refetchInterval: live ? 15_000 : false,
  });
}

export function useRunningExercises(enabled: boolean) {
  return useQuery({
    queryKey: exerciseKeys.running,
    queryFn: ({ signal }) =>
      api.get<{ id: string; number: string; title: string; startedAt: string }[]>(
        '/exercises/running',
        undefined,
        signal,
      ),
    enabled,
    staleTime: 60_000,
  });
}
