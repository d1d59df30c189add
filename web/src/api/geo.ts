import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { api, upload } from './client.ts';
import type {
  Closure,
  ClosureFeatureProps,
  ClosureInput,
  ClosureState,
  Datum,
  ImportFileList,
  ImportJob,
  IsochroneReply,
  IsochroneRequest,
  ListPlace,
  ListPlaceInput,
  ListPlaceQuery,
  ListPlaceUpdate,
  ListReply,
  MapLayer,
  NetworkImportRequest,
  NetworkInfo,
  NetworkSummary,
  PlaceHit,
  Road,
  RouteReply,
  RouteRequest,
  SearchHit,
} from './contracts.ts';

/** `open`: scheduled, active and overdue (the server's default). */
export type ClosureFilter = ClosureState | 'open' | 'all';

/** Properties of a feature of `GET /api/v1/closures/geojson` (cause and record only when `inScope`). */
export type { ClosureFeatureProps };

export const geoKeys = {
  layers: ['map', 'layers'] as const,
  network: ['geo', 'network'] as const,
  networks: ['geo', 'networks'] as const,
  importFiles: ['geo', 'import-files'] as const,
  closures: ['closures'] as const,
  closureList: (state: ClosureFilter) => ['closures', 'list', state] as const,
  closureGeojson: ['closures', 'geojson'] as const,
  layerData: (url: string) => ['map', 'layer-data', url] as const,
};

export function useMapLayers(enabled = true) {
  return useQuery({
    queryKey: geoKeys.layers,
    queryFn: ({ signal }) => api.get<{ items: MapLayer[] }>('/map/layers', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useNetworkInfo(enabled = true) {
  return useQuery({
    queryKey: geoKeys.network,
    queryFn: ({ signal }) => api.get<NetworkInfo>('/geo/network', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useClosures(state: ClosureFilter, enabled = true) {
  return useQuery({
    queryKey: geoKeys.closureList(state),
    queryFn: ({ signal }) => api.get<ListReply<Closure>>('/closures', { state, limit: 500 }, signal),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useClosuresGeojson(enabled = true) {
  return useQuery({
    queryKey: geoKeys.closureGeojson,
    queryFn: ({ signal }) =>
      api.get<FeatureCollection<LineString, ClosureFeatureProps>>('/closures/geojson', undefined, signal),
    enabled,
  });
}

/** A catalogue layer's GeoJSON from its URL (a path under `/api/v1`, or any same-origin path). */
export function fetchLayerData(url: string, signal?: AbortSignal): Promise<FeatureCollection> {
  if (url.startsWith('/api/v1/')) return api.get<FeatureCollection>(url.slice('/api/v1'.length), undefined, signal);
  return fetch(url, { credentials: 'same-origin', signal }).then((r) => {
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    return r.json() as Promise<FeatureCollection>;
  });
}

export function useLayerData(url: string | null) {
  return useQuery({
    queryKey: geoKeys.layerData(url ?? ''),
    queryFn: ({ signal }) => fetchLayerData(url as string, signal),
    enabled: !!url,
    staleTime: 60_000,
  });
}

/** The map's search box; `near` (the view's centre) ranks nearer places first. */
export const searchMap = (q: string, signal?: AbortSignal, near?: [number, number]) =>
  api.get<{ items: SearchHit[] }>(
    '/map/search',
    { q, limit: 6, ...(near ? { near: `${near[0].toFixed(5)},${near[1].toFixed(5)}` } : {}) },
    signal,
  );

/** The gazetteer: places by characters, pinyin, initials or English, nearer to `near` first among equals. */
export const searchPlaces = (q: string, near?: [number, number], signal?: AbortSignal) =>
  api.get<ListReply<PlaceHit>>(
    '/geo/places',
    { q, limit: 8, ...(near ? { near: `${near[0].toFixed(5)},${near[1].toFixed(5)}` } : {}) },
    signal,
  );

export const placeKeys = {
  list: (q: ListPlaceQuery) => ['geo', 'place-list', q] as const,
  all: ['geo', 'place-list'] as const,
};

/** The administrators' place list (places.manage). */
export function usePlaceList(q: ListPlaceQuery) {
  return useQuery({
    queryKey: placeKeys.list(q),
    queryFn: ({ signal }) => api.get<ListReply<ListPlace>>('/geo/place-list', { ...q }, signal),
  });
}
export const createPlace = (input: ListPlaceInput) => api.post<ListPlace>('/geo/place-list', input);
export const updatePlace = (id: string, input: ListPlaceUpdate) =>
  api.put<ListPlace>(`/geo/place-list/${encodeURIComponent(id)}`, input);
export const deletePlace = (id: string) => api.delete<{ ok: boolean }>(`/geo/place-list/${encodeURIComponent(id)}`);

export const routeBetween = (req: RouteRequest) => api.post<RouteReply>('/geo/route', req);

/** The reply of `POST /geo/isochrone` with its GeoJSON typed. */
export interface IsochroneResult extends Omit<IsochroneReply, 'area' | 'roads'> {
  area: Feature;
  roads: Feature;
}
export const isochrone = (req: IsochroneRequest) => api.post<IsochroneResult>('/geo/isochrone', req);

export const roadsNear = (point: [number, number], radiusM = 50, signal?: AbortSignal) =>
  api.get<{ items: Road[] }>('/geo/roads', { near: `${point[0]},${point[1]}`, radiusM }, signal);

export const roadsNamed = (q: string, signal?: AbortSignal) =>
  api.get<{ items: Road[] }>('/geo/roads', { q, limit: 200 }, signal);

export const createClosure = (input: ClosureInput) => api.post<Closure>('/closures', input);
export const clearClosure = (id: string) => api.post<Closure>(`/closures/${encodeURIComponent(id)}/clear`);

/** The road networks imported so far (roads.import). */
export function useNetworks() {
  return useQuery({
    queryKey: geoKeys.networks,
    queryFn: ({ signal }) => api.get<ListReply<NetworkSummary>>('/geo/networks', undefined, signal),
  });
}

/** The OSM files in the server's import folder, and the folder as the server names it. */
export function useImportFiles(enabled: boolean) {
  return useQuery({
    queryKey: geoKeys.importFiles,
    queryFn: ({ signal }) => api.get<ImportFileList>('/geo/networks/import-files', undefined, signal),
    enabled,
    staleTime: 0,
  });
}

/** Imports an .osm.pbf / .osm file sent from the browser; `onProgress` gets the share uploaded. */
export function importNetworkUpload(
  file: File,
  opts: { name?: string; datum: Datum },
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<ImportJob> {
  const form = new FormData();
  // the fields before the file: a streaming multipart reader has them when the file arrives
  if (opts.name) form.append('name', opts.name);
  form.append('datum', opts.datum);
  form.append('file', file, file.name);
  return upload<ImportJob>('/geo/networks/import', form, onProgress, signal);
}

/** Imports a file of the server's import folder, by name. */
export const importNetworkFromFolder = (req: NetworkImportRequest) => api.post<ImportJob>('/geo/networks/import', req);

export const getImportJob = (id: string) => api.get<ImportJob>(`/geo/imports/${encodeURIComponent(id)}`);
