import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { type LngLatBoundsLike, Map as MapLibreMap, Marker, type StyleSpecification, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api } from '../api/client.ts';
import { MAP_FONT_FAMILY } from './map-style.ts';

// The worker ships inside our bundle; MapLibre would otherwise look for it next to its own module.
setWorkerUrl(workerUrl);

export interface BasemapProps {
  code: string;
  name: string;
  nameEn?: string;
  kind: 'district' | 'neighbour' | string;
  labelPoint?: [number, number];
}
export type Basemap = FeatureCollection<Geometry, BasemapProps>;

/** Roughly the city of Weihai: the view every map opens on. */
export const WEIHAI_BOUNDS: LngLatBoundsLike = [
  [121.2, 36.7],
  [122.8, 37.6],
];
export const WEIHAI_CENTER: [number, number] = [122.05, 37.2];

export const COLORS = {
  sea: '#a9cbe6',
  neighbourFill: '#ece6d8',
  neighbourLine: '#b5ab98',
  districtFill: '#fbf7ec',
  districtLine: '#5f6f82',
};
/** The same in the dark theme (the server's BASEMAP_COLORS_DARK). */
export const COLORS_DARK: typeof COLORS = {
  sea: '#0e1a27',
  neighbourFill: '#1a1f26',
  neighbourLine: '#4a5361',
  districtFill: '#222a35',
  districtLine: '#8fa3bb',
};

/** The district polygons as GeoJSON: the stand-in basemap when the server has no vector style. */
export function useBasemap(enabled = true) {
  return useQuery({
    queryKey: ['geo', 'basemap'],
    queryFn: () => api.get<Basemap>('/geo/basemap'),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The stand-in style: a sea-coloured background and the basemap polygons; no tiles, no glyphs, no sprites. */
export function offlineStyle(theme: 'light' | 'dark' = 'light'): StyleSpecification {
  const c = theme === 'dark' ? COLORS_DARK : COLORS;
  return {
    version: 8,
    sources: { basemap: { type: 'geojson', data: EMPTY } },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': c.sea } },
      {
        id: 'neighbour-fill',
        type: 'fill',
        source: 'basemap',
        filter: ['!=', ['get', 'kind'], 'district'],
        paint: { 'fill-color': c.neighbourFill },
      },
      {
        id: 'neighbour-line',
        type: 'line',
        source: 'basemap',
        filter: ['!=', ['get', 'kind'], 'district'],
        paint: { 'line-color': c.neighbourLine, 'line-width': 0.8 },
      },
      {
        id: 'district-fill',
        type: 'fill',
        source: 'basemap',
        filter: ['==', ['get', 'kind'], 'district'],
        paint: { 'fill-color': c.districtFill },
      },
      {
        id: 'district-line',
        type: 'line',
        source: 'basemap',
        filter: ['==', ['get', 'kind'], 'district'],
        paint: { 'line-color': c.districtLine, 'line-width': 1.4, 'line-dasharray': [4, 2] },
      },
    ],
  };
}

export function createOfflineMap(
  container: HTMLElement,
  opts: { interactive?: boolean; style?: StyleSpecification } = {},
): MapLibreMap {
  return new MapLibreMap({
    container,
    style: opts.style ?? offlineStyle(),
    localIdeographFontFamily: MAP_FONT_FAMILY,
    bounds: WEIHAI_BOUNDS,
    fitBoundsOptions: { padding: 16 },
    attributionControl: false,
    maplibreLogo: false,
    interactive: opts.interactive ?? true,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxZoom: 18,
    minZoom: 5,
  });
}

function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  let x = 0;
  let y = 0;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
    a += f;
  }
  if (Math.abs(a) < 1e-12) return [ring[0][0], ring[0][1]];
  return [x / (3 * a), y / (3 * a)];
}

/** Where a polygon's name goes: its `labelPoint`, else the centroid of its largest ring. */
export function labelPointOf(f: Feature<Geometry, BasemapProps>): [number, number] | null {
  const lp = f.properties?.labelPoint;
  if (Array.isArray(lp) && lp.length === 2) return [Number(lp[0]), Number(lp[1])];
  const g = f.geometry;
  let rings: Position[][] = [];
  if (g?.type === 'Polygon') rings = [g.coordinates[0]];
  else if (g?.type === 'MultiPolygon') rings = g.coordinates.map((p) => p[0]);
  if (!rings.length) return null;
  const largest = rings.reduce((best, r) => (Math.abs(ringArea(r)) > Math.abs(ringArea(best)) ? r : best));
  return ringCentroid(largest);
}

/**
 * Names as HTML markers: symbol layers would need a glyphs URL, which an offline intranet cannot fetch.
 * Returns a function that removes them.
 */
export function addBasemapLabels(map: MapLibreMap, basemap: Basemap, nameOf: (p: BasemapProps) => string): () => void {
  const markers: Marker[] = [];
  for (const f of basemap.features) {
    const at = labelPointOf(f);
    if (!at) continue;
    const el = document.createElement('div');
    const isDistrict = f.properties.kind === 'district';
    el.className = isDistrict ? 'map-label map-label-district' : 'map-label map-label-neighbour';
    el.textContent = nameOf(f.properties);
    markers.push(new Marker({ element: el, anchor: 'center' }).setLngLat(at).addTo(map));
  }
  return () => {
    for (const m of markers) m.remove();
  };
}

/** Load the basemap polygons into an offline map once its style is ready. */
export function setBasemapData(map: MapLibreMap, basemap: Basemap): void {
  const apply = () => {
    const src = map.getSource('basemap') as { setData?: (d: unknown) => void } | undefined;
    src?.setData?.(basemap);
  };
  if (map.isStyleLoaded()) apply();
  else map.once('load', apply);
}
