/** The duty module's API as the web uses it, and the duty board's reads of other parts (404: not installed here). */
import { useQuery } from '@tanstack/react-query';
import type {
  BookEntry,
  Department,
  GapsReply,
  Handover,
  HandoverInput,
  OnShiftReply,
  Pattern,
  PatternInput,
  Shift,
  ShiftInput,
} from '../../../../contracts/duty.ts';
import { ApiError, api, type Query } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export const dutyKeys = {
  all: ['duty'] as const,
  onShift: (unit: string) => ['duty', 'on-shift', unit] as const,
  patterns: (unit: string) => ['duty', 'patterns', unit] as const,
  shifts: (unit: string, from: string, to: string) => ['duty', 'shifts', unit, from, to] as const,
  gaps: (unit: string) => ['duty', 'gaps', unit] as const,
  handovers: (q: Query) => ['duty', 'handovers', q] as const,
  book: (q: Query) => ['duty', 'book', q] as const,
  departments: ['duty', 'departments'] as const,
  board: (what: string) => ['duty', 'board', what] as const,
};

export const useOnShift = (unit: string) =>
  useQuery({
    queryKey: dutyKeys.onShift(unit),
    queryFn: () => api.get<OnShiftReply>('/duty/on-shift', { unit }),
    refetchInterval: 60_000,
  });

export const usePatterns = (unit: string) =>
  useQuery({
    queryKey: dutyKeys.patterns(unit),
    queryFn: () => api.get<ListReply<Pattern>>('/duty/patterns', { unit }),
  });

export const useShifts = (unit: string, from: string, to: string) =>
  useQuery({
    queryKey: dutyKeys.shifts(unit, from, to),
    queryFn: () => api.get<ListReply<Shift>>('/duty/shifts', { unit, from, to }),
  });

export const useGaps = (unit: string) =>
  useQuery({ queryKey: dutyKeys.gaps(unit), queryFn: () => api.get<GapsReply>('/duty/gaps', { unit, days: 30 }) });

export const useHandovers = (q: Query) =>
  useQuery({ queryKey: dutyKeys.handovers(q), queryFn: () => api.get<ListReply<Handover>>('/duty/handovers', q) });

export const useBook = (q: Query) =>
  useQuery({ queryKey: dutyKeys.book(q), queryFn: () => api.get<ListReply<BookEntry>>('/duty/contacts', q) });

export const useDepartments = () =>
  useQuery({
    queryKey: dutyKeys.departments,
    queryFn: () => api.get<ListReply<Department>>('/duty/departments'),
    staleTime: 5 * 60_000,
  });

export const createPattern = (body: PatternInput) => api.post<Pattern>('/duty/patterns', body);
export const createShift = (body: ShiftInput) => api.post<Shift>('/duty/shifts', body);
export const patchShift = (id: string, body: { userId?: string; note?: string; version: number }) =>
  api.patch<Shift>(`/duty/shifts/${id}`, body);
export const deleteShift = (id: string) => api.delete<unknown>(`/duty/shifts/${id}`);
export const generateMonth = (body: {
  unit: string;
  patternId: string;
  month: string;
  role: 'leader' | 'officer';
  rotation: string[];
  replace?: boolean;
}) => api.post<{ created: number; replaced: number }>('/duty/shifts/generate', body);
export const createHandover = (body: HandoverInput) => api.post<Handover>('/duty/handovers', body);
export const acceptHandover = (id: string, note: string) =>
  api.post<Handover>(`/duty/handovers/${id}/accept`, { note });
export const createContact = (body: {
  name: string;
  title?: string;
  unit?: string;
  organisation?: string;
  phones: string[];
}) => api.post<BookEntry>('/duty/contacts', body);
export const deleteContact = (id: string) => api.delete<unknown>(`/duty/contacts/${id}`);

/**
 * A read of another part of the platform the board shows when it is installed: a 404 (the route does not exist
 * here) is `null`, shown as a quiet "not available" card; any other failure is an error.
 */
export async function optional<T>(path: string, query?: Query): Promise<T | null> {
  try {
    return await api.get<T>(path, query);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
