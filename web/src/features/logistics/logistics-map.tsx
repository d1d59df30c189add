import type { Feature, FeatureCollection } from 'geojson';
import { type LngLatBoundsLike, Popup } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';

/** A point on a logistics map: a warehouse (a ringed dot) or an affected place (a red dot with its number). */
export interface LogisticsPoint {
  at: [number, number];
  kind: 'warehouse' | 'place';
  color: string;
  title: string;
  detail?: string;
  /** a short label beside it (the place's number) */
  label?: string;
  /** greyed: a warehouse that ships nothing in the plan */
  faded?: boolean;
}

const POINT_LAYERS: OverlayLayer[] = [
  {
    id: 'lg-points',
    type: 'circle',
    paint: {
      'circle-radius': ['match', ['get', 'kind'], 'warehouse', 7, 6],
      'circle-color': ['get', 'color'],
      'circle-opacity': ['case', ['get', 'faded'], 0.35, 1],
      'circle-stroke-color': ['match', ['get', 'kind'], 'warehouse', '#1f1f1f', '#ffffff'],
      'circle-stroke-width': 2,
    },
  } as OverlayLayer,
];
const LINE_LAYERS: OverlayLayer[] = [
  {
    id: 'lg-routes-straight',
    type: 'line',
    filter: ['==', ['get', 'straight'], true],
    paint: {
      'line-color': ['coalesce', ['get', 'color'], '#1d39c4'],
      'line-width': 2,
      'line-opacity': 0.7,
      'line-dasharray': [2, 2],
    },
  } as OverlayLayer,
  {
    id: 'lg-routes',
    type: 'line',
    filter: ['!=', ['get', 'straight'], true],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': ['coalesce', ['get', 'color'], '#1d39c4'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 14, 4],
      'line-opacity': 0.8,
    },
  } as OverlayLayer,
];

function bounds(points: LogisticsPoint[], lines: FeatureCollection | null | undefined): LngLatBoundsLike | null {
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  const take = ([x, y]: number[]) => {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  };
  for (const p of points) take(p.at);
  for (const f of lines?.features ?? [])
    if (f.geometry?.type === 'LineString') for (const c of f.geometry.coordinates) take(c);
  if (w > e) return null;
  if (e - w < 0.01 && n - s < 0.01) return [w - 0.05, s - 0.05, e + 0.05, n + 0.05];
  return [w, s, e, n];
}

/**
 * Warehouses, affected places and routes on the offline basemap. A click on a point shows what it is; a click
 * elsewhere is handed to `onMapClick` (the planning page adds a place there). The view is fitted when `fitKey`
 * changes.
 */
export function LogisticsMap({
  points,
  lines,
  onMapClick,
  height = 480,
  fitKey,
  testId = 'logistics-map',
  crosshair,
}: {
  points: LogisticsPoint[];
  lines?: FeatureCollection | null;
  onMapClick?: (at: [number, number]) => void;
  height?: number | string;
  fitKey?: string | number;
  testId?: string;
  crosshair?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
  const fc = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: points.map(
        (p, i): Feature => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: p.at },
          properties: {
            i,
            kind: p.kind,
            color: p.color,
            faded: !!p.faded,
            ...(p.label ? { label: p.label } : {}),
          },
        }),
      ),
    }),
    [points],
  );
  useGeojsonOverlay(map, 'lg-routes', lines ?? EMPTY_FC, LINE_LAYERS, 'lines');
  useGeojsonOverlay(map, 'lg-points', fc, POINT_LAYERS, 'points');

  const latest = useRef({ points, lines, onMapClick });
  latest.current = { points, lines, onMapClick };
  // fitted when asked (a new plan, the first data), not on every click
  useEffect(() => {
    if (!map || fitKey === undefined) return;
    const b = bounds(latest.current.points, latest.current.lines);
    if (b) map.fitBounds(b, { padding: 50, maxZoom: 12, duration: 0 });
  }, [map, fitKey]);

  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = crosshair ? 'crosshair' : '';
    // where clicks add places, a double click would add two: it does not zoom there
    if (crosshair) map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }, [map, crosshair]);

  // the view on the element (centre and zoom), so that a browser test can click a known place
  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    const note = () => {
      const c = map.getCenter();
      box.dataset.view = JSON.stringify({ lng: c.lng, lat: c.lat, zoom: map.getZoom() });
    };
    note();
    map.on('moveend', note);
    return () => {
      map.off('moveend', note);
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    let popup: Popup | null = null;
    const onClick = (e: { point: { x: number; y: number }; lngLat: { lng: number; lat: number } }) => {
      const hit = map.queryRenderedFeatures([e.point.x, e.point.y], { layers: ['lg-points'] })[0];
      const p = hit ? latest.current.points[Number(hit.properties?.i)] : undefined;
      if (!p) {
        const round = (n: number) => Math.round(n * 1e6) / 1e6;
        latest.current.onMapClick?.([round(e.lngLat.lng), round(e.lngLat.lat)]);
        return;
      }
      const box = document.createElement('div');
      box.className = 'analysis-popup';
      const title = document.createElement('div');
      title.className = 'analysis-popup-title';
      title.textContent = p.title;
      box.append(title);
      if (p.detail) {
        const d = document.createElement('div');
        d.className = 'muted small';
        d.style.whiteSpace = 'pre-line';
        d.textContent = p.detail;
        box.append(d);
      }
      popup?.remove();
      popup = new Popup({ closeButton: true, offset: 10, maxWidth: '320px' })
        .setLngLat(p.at)
        .setDOMContent(box)
        .addTo(map);
    };
    map.on('click', onClick);
    return () => {
      popup?.remove();
      map.off('click', onClick);
    };
  }, [map]);

  return (
    <div
      ref={ref}
      className="logistics-map"
      style={{ height }}
      data-testid={testId}
      data-ready={map ? 'true' : 'false'}
      data-points={points.length}
    />
  );
}
