/** The experts module's API as the web uses it: the register, draws and invitations, consultations, templates. */
import { useQuery } from '@tanstack/react-query';
import type {
  Consultation,
  ConsultationTemplate,
  Draw,
  DrawSummary,
  DrawVerification,
  DueAssessment,
  Expert,
} from '../../../../contracts/experts.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export type ExpertFilters = {
  q?: string;
  field?: string;
  organisation?: string;
  availability?: string;
  title?: string;
  active?: string;
};

export const expertKeys = {
  all: ['experts'] as const,
  list: (f: ExpertFilters, limit: number, offset: number) => ['experts', 'list', f, limit, offset] as const,
  detail: (id: string) => ['experts', 'detail', id] as const,
  draws: ['experts', 'draws'] as const,
  draw: (id: string) => ['experts', 'draws', id] as const,
  verify: (id: string) => ['experts', 'draws', id, 'verify'] as const,
};
export const consultationKeys = {
  all: ['consultations'] as const,
  list: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['consultations', 'list', f, limit, offset] as const,
  detail: (id: string) => ['consultations', 'detail', id] as const,
  templates: ['consultations', 'templates'] as const,
  due: ['consultations', 'due'] as const,
};

export function useExpertList(filters: ExpertFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: expertKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Expert>>('/experts', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useExpert(id: string | undefined) {
  return useQuery({
    queryKey: expertKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Expert>(`/experts/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useDraws(query: { incidentId?: string } = {}) {
  return useQuery({
    queryKey: [...expertKeys.draws, 'list', query],
    queryFn: ({ signal }) => api.get<ListReply<DrawSummary>>('/experts/draws', { ...query, limit: 100 }, signal),
  });
}

export function useDraw(id: string | undefined) {
  return useQuery({
    queryKey: expertKeys.draw(id ?? ''),
    queryFn: ({ signal }) => api.get<Draw>(`/experts/draws/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function verifyDraw(id: string) {
  return api.get<DrawVerification>(`/experts/draws/${encodeURIComponent(id)}/verify`);
}

export function useConsultations(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: consultationKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Consultation>>('/consultations', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useConsultation(id: string | undefined) {
  return useQuery({
    queryKey: consultationKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Consultation>(`/consultations/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: consultationKeys.templates,
    queryFn: ({ signal }) => api.get<ListReply<ConsultationTemplate>>('/consultations/templates', undefined, signal),
  });
}

export function useDue() {
  return useQuery({
    queryKey: consultationKeys.due,
    queryFn: ({ signal }) => api.get<ListReply<DueAssessment>>('/consultations/due', undefined, signal),
  });
}
