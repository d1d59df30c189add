/** The safety module's API as the web uses it: enterprises, hazard units, the GB 18218 calculator, risk points. */
import { useQuery } from '@tanstack/react-query';
import type {
  Enterprise,
  EnterpriseInput,
  EnterprisePatch,
  HazardIdentification,
  HazardIdentificationRequest,
  HazardUnit,
  HazardUnitInput,
  HazardUnitPatch,
  RiskCounts,
  RiskGradingPut,
  RiskGradingSetting,
  RiskPoint,
  RiskPointInput,
  RiskPointPatch,
} from '../../../../contracts/safety.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

const enc = encodeURIComponent;
export type EnterpriseFilters = Record<string, string | undefined>;

export const safetyKeys = {
  enterprises: ['enterprises'] as const,
  enterprise: (id: string) => ['enterprises', 'one', id] as const,
  units: (id: string) => ['enterprises', 'units', id] as const,
  points: (id: string) => ['enterprises', 'points', id] as const,
  riskPoints: ['safety', 'risk-points'] as const,
  grading: ['safety', 'grading'] as const,
};

export function useEnterpriseList(filters: EnterpriseFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: [...safetyKeys.enterprises, 'list', filters, limit, offset],
    queryFn: ({ signal }) => api.get<ListReply<Enterprise>>('/enterprises', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useEnterprise(id: string) {
  return useQuery({
    queryKey: safetyKeys.enterprise(id),
    queryFn: ({ signal }) => api.get<Enterprise>(`/enterprises/${enc(id)}`, undefined, signal),
  });
}

export const createEnterprise = (input: EnterpriseInput) => api.post<Enterprise>('/enterprises', input);
export const patchEnterprise = (id: string, patch: EnterprisePatch) =>
  api.patch<Enterprise>(`/enterprises/${enc(id)}`, patch);

export function useHazardUnits(id: string) {
  return useQuery({
    queryKey: safetyKeys.units(id),
    queryFn: ({ signal }) => api.get<HazardUnit[]>(`/enterprises/${enc(id)}/hazard-units`, undefined, signal),
  });
}
export const createHazardUnit = (id: string, input: HazardUnitInput) =>
  api.post<HazardUnit>(`/enterprises/${enc(id)}/hazard-units`, input);

export function useEnterpriseRiskPoints(id: string) {
  return useQuery({
    queryKey: safetyKeys.points(id),
    queryFn: ({ signal }) => api.get<RiskPoint[]>(`/enterprises/${enc(id)}/risk-points`, undefined, signal),
  });
}
export const createRiskPoint = (id: string, input: RiskPointInput) =>
  api.post<RiskPoint>(`/enterprises/${enc(id)}/risk-points`, input);

export const identify = (body: HazardIdentificationRequest) =>
  api.post<HazardIdentification>('/safety/hazard-identification', body);

export function useRiskPoints(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: [...safetyKeys.riskPoints, filters, limit, offset],
    queryFn: ({ signal }) =>
      api.get<ListReply<RiskPoint>>('/safety/risk-points', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useRiskCounts(filters: Record<string, string | undefined>) {
  return useQuery({
    queryKey: [...safetyKeys.riskPoints, 'counts', filters],
    queryFn: ({ signal }) => api.get<RiskCounts>('/safety/risk-points/counts', filters, signal),
  });
}

export function useGrading() {
  return useQuery({
    queryKey: safetyKeys.grading,
    queryFn: ({ signal }) => api.get<RiskGradingSetting>('/safety/risk-grading', undefined, signal),
  });
}
export const putGrading = (body: RiskGradingPut) => api.put<RiskGradingSetting>('/safety/risk-grading', body);

export const patchHazardUnit = (id: string, unitId: string, patch: HazardUnitPatch) =>
  api.patch<HazardUnit>(`/enterprises/${enc(id)}/hazard-units/${enc(unitId)}`, patch);
export const removeHazardUnit = (id: string, unitId: string, version: number) =>
  api.delete<{ id: string }>(`/enterprises/${enc(id)}/hazard-units/${enc(unitId)}?version=${version}`);
export const patchRiskPoint = (id: string, pointId: string, patch: RiskPointPatch) =>
  api.patch<RiskPoint>(`/enterprises/${enc(id)}/risk-points/${enc(pointId)}`, patch);
export const removeRiskPoint = (id: string, pointId: string, version: number) =>
  api.delete<{ id: string }>(`/enterprises/${enc(id)}/risk-points/${enc(pointId)}?version=${version}`);

export function useMajorHazards(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: [...safetyKeys.enterprises, 'major-hazards', filters, limit, offset],
    queryFn: ({ signal }) =>
      api.get<ListReply<HazardUnit>>('/safety/major-hazards', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}
