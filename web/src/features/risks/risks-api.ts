/**
 * The risks module's API as the web uses it: census kinds and layers (with their import), the risk grid (cells,
 * a cell's contributions, districts, status, recompute, settings), nearby risks, and the prevention projects.
 */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  CENSUS_KINDS,
  type CensusFeatureCollection,
  type CensusKind,
  type CensusKindItem,
  type CensusLayer,
  type NearbyReply,
  type PreventionProject,
  type ProgressInput,
  type ProjectDetail,
  type ProjectInput,
  type ProjectPatch,
  type ProjectSummaryReply,
  type RiskCellDetail,
  type RiskDistrictsReply,
  type RiskGridGeoJson,
  type RiskGridStatus,
  type RiskSettingsPut,
  type RiskSettingsReply,
} from '../../../../contracts/risks.ts';
import { ApiError, api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';
import { getJob, type Job, waitForJob } from '../../api/imports.ts';

const enc = encodeURIComponent;

export type LayerFilters = { kind?: string; q?: string };
export type ProjectFilters = { type?: string; district?: string; status?: string; q?: string };

export const risksKeys = {
  kinds: ['census', 'kinds'] as const,
  layers: ['census', 'layers'] as const,
  features: (kind: CensusKind) => ['census', 'features', kind] as const,
  grid: ['risks', 'grid'] as const,
  status: ['risks', 'grid', 'status'] as const,
  districts: ['risks', 'grid', 'districts'] as const,
  cell: (h3: string) => ['risks', 'grid', 'cell', h3] as const,
  settings: ['risks', 'settings'] as const,
  nearby: ['risks', 'nearby'] as const,
  projects: ['prevention-projects'] as const,
  project: (id: string) => ['prevention-projects', 'one', id] as const,
  summary: ['prevention-projects', 'summary'] as const,
};

const noRetryOn4xx = (n: number, err: unknown) => !(err instanceof ApiError && err.status < 500) && n < 2;

// ---- census ----

export function useCensusKinds() {
  return useQuery({
    queryKey: risksKeys.kinds,
    queryFn: ({ signal }) => api.get<ListReply<CensusKindItem>>('/census/kinds', undefined, signal),
    staleTime: 30_000,
  });
}

export function useCensusLayers(filters: LayerFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: [...risksKeys.layers, filters, limit, offset],
    queryFn: ({ signal }) => api.get<ListReply<CensusLayer>>('/census/layers', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Every feature of each kind shown (all its layers), for the one-map; a kind is fetched once it is shown. */
export function useCensusFeatureSets(shown: ReadonlySet<CensusKind>) {
  return useQueries({
    queries: CENSUS_KINDS.map((kind) => ({
      queryKey: risksKeys.features(kind),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<CensusFeatureCollection>('/census/features', { kind, limit: 20_000 }, signal),
      enabled: shown.has(kind),
      staleTime: 60_000,
    })),
  });
}

export const deleteCensusLayer = (id: string) => api.delete<void>(`/census/layers/${enc(id)}`);

// ---- risk grid ----

export function useGridStatus() {
  return useQuery({
    queryKey: risksKeys.status,
    queryFn: ({ signal }) => api.get<RiskGridStatus>('/risks/grid/status', undefined, signal),
  });
}

/**
 * The grid's cells as polygons: `general` the coloured ones (few, at once), `low` every cell (the blue ones are most
 * of the city: several megabytes, fetched only when shown).
 */
export function useGridCells(computedAt: string | null | undefined, minClass: 'general' | 'low', enabled = true) {
  return useQuery({
    queryKey: [...risksKeys.grid, 'cells', minClass, computedAt ?? ''],
    queryFn: ({ signal }) =>
      api.get<RiskGridGeoJson>('/risks/grid', { format: 'geojson', minClass, limit: 200_000 }, signal),
    enabled: !!computedAt && enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useGridDistricts(computedAt: string | null | undefined) {
  return useQuery({
    queryKey: [...risksKeys.districts, computedAt ?? ''],
    queryFn: ({ signal }) => api.get<RiskDistrictsReply>('/risks/grid/districts', undefined, signal),
    enabled: !!computedAt,
  });
}

export function useCellDetail(h3: string | null) {
  return useQuery({
    queryKey: risksKeys.cell(h3 ?? ''),
    queryFn: ({ signal }) => api.get<RiskCellDetail>(`/risks/grid/${enc(h3 ?? '')}`, undefined, signal),
    enabled: !!h3,
    retry: noRetryOn4xx,
  });
}

export function useRiskSettings() {
  return useQuery({
    queryKey: risksKeys.settings,
    queryFn: ({ signal }) => api.get<RiskSettingsReply>('/risks/settings', undefined, signal),
    retry: noRetryOn4xx,
    staleTime: 60_000,
  });
}

export const putRiskSettings = (body: RiskSettingsPut) => api.put<RiskSettingsReply>('/risks/settings', body);

/**
 * The grid's recompute: starts the job (or follows the one the status names, started elsewhere), polls
 * `GET /api/v1/jobs/{id}` for its progress, and refreshes the grid, its status and districts when it ends.
 */
export function useRecompute(runningJobId: string | null | undefined, onEnd: (job: Job) => void) {
  const qc = useQueryClient();
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const end = useRef(onEnd);
  end.current = onEnd;
  const follow = async (first: Job | Promise<Job>) => {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setError(null);
    setBusy(true);
    try {
      const started = await first;
      const done = await waitForJob(started, setJob, ctrl.signal, 700);
      void qc.invalidateQueries({ queryKey: risksKeys.grid });
      void qc.invalidateQueries({ queryKey: risksKeys.kinds });
      end.current(done);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      if (abort.current === ctrl) {
        abort.current = null;
        setJob(null);
        setBusy(false);
      }
    }
  };
  const followRef = useRef(follow);
  followRef.current = follow;
  // a recompute already running (another user, an import) is followed too
  useEffect(() => {
    if (runningJobId && !abort.current) void followRef.current(getJob(runningJobId));
  }, [runningJobId]);
  useEffect(() => () => abort.current?.abort(), []);
  return {
    job,
    running: busy,
    error,
    start: () => void follow(api.post<Job>('/risks/grid/recompute')),
  };
}

// ---- nearby ----

export function useNearby(near: [number, number] | null, radiusM: number) {
  return useQuery({
    queryKey: [...risksKeys.nearby, near?.join(',') ?? '', radiusM],
    queryFn: ({ signal }) =>
      api.get<NearbyReply>('/risks/nearby', { near: near?.join(','), radiusM, limit: 200 }, signal),
    enabled: !!near,
    placeholderData: (prev) => prev,
    retry: noRetryOn4xx,
  });
}

// ---- prevention projects ----

export function useProjects(filters: ProjectFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: [...risksKeys.projects, 'list', filters, limit, offset],
    queryFn: ({ signal }) =>
      api.get<ListReply<PreventionProject>>('/prevention-projects', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useProject(id: string | null) {
  return useQuery({
    queryKey: risksKeys.project(id ?? ''),
    queryFn: ({ signal }) => api.get<ProjectDetail>(`/prevention-projects/${enc(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: noRetryOn4xx,
  });
}

export function useProjectSummary() {
  return useQuery({
    queryKey: risksKeys.summary,
    queryFn: ({ signal }) => api.get<ProjectSummaryReply>('/prevention-projects/summary', undefined, signal),
  });
}

export const createProject = (input: ProjectInput) => api.post<PreventionProject>('/prevention-projects', input);
export const patchProject = (id: string, patch: ProjectPatch) =>
  api.patch<PreventionProject>(`/prevention-projects/${enc(id)}`, patch);
export const deleteProject = (id: string) => api.delete<void>(`/prevention-projects/${enc(id)}`);
export const reportProgress = (id: string, input: ProgressInput) =>
  api.post<ProjectDetail>(`/prevention-projects/${enc(id)}/progress`, input);
