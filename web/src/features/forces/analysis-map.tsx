import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { Popup } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';
import { bboxOf } from './forces-text.ts';

/** A point the answer names (a station, a base, a chosen site) with what its popup says. */
export interface MapPoint {
  at: [number, number];
  color: string;
  title: string;
  detail?: string;
  /** drawn with a red ring: over its limit, off the network, not compliant */
  alert?: boolean;
}

export const COVERED = '#52c41a';
export const UNCOVERED = '#f5222d';
const REACH = '#1d39c4';

const CELL_LAYERS: OverlayLayer[] = [
  {
    id: 'fa-cells',
    type: 'fill',
    paint: {
      'fill-color': ['match', ['get', 'state'], 'covered', COVERED, UNCOVERED],
      // no cell outlines: at city scale they would hatch the area
      'fill-opacity': 0.5,
      'fill-antialias': false,
    },
  } as OverlayLayer,
];
const AREA_LAYERS: OverlayLayer[] = [
  {
    id: 'fa-areas-fill',
    type: 'fill',
    paint: { 'fill-color': ['get', 'color'], 'fill-opacity': ['coalesce', ['get', 'opacity'], 0.12] },
  } as OverlayLayer,
  {
    id: 'fa-areas-line',
    type: 'line',
    paint: {
      'line-color': ['get', 'color'],
      'line-width': 1.8,
      'line-dasharray': [3, 2],
    },
  } as OverlayLayer,
];
const POINT_LAYERS: OverlayLayer[] = [
  {
    id: 'fa-points-ring',
    type: 'circle',
    filter: ['==', ['get', 'alert'], true],
    paint: {
      'circle-radius': 10,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': UNCOVERED,
      'circle-stroke-width': 3,
    },
  } as OverlayLayer,
  {
    id: 'fa-points',
    type: 'circle',
    paint: {
      'circle-radius': 6,
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  } as OverlayLayer,
];

const asFeatures = (fc: unknown): Feature[] =>
  ((fc as FeatureCollection | null | undefined)?.features ?? []).filter((f) => f?.geometry);

/**
 * The answer of an analysis on the offline basemap: H3 cells covered (green) and not (red), areas and reach outlines
 * (aviation circles, siting reach, the uncovered part), and the points it names; fitted to what it shows.
 */
export function AnalysisMap({
  covered,
  uncovered,
  areas,
  points,
  height = 460,
  fit,
}: {
  covered?: unknown;
  uncovered?: unknown;
  /** outlines with a `color` property (and `opacity` for their fill) */
  areas?: Feature[];
  points: MapPoint[];
  height?: number;
  /** what the view is fitted to (default: everything drawn) */
  fit?: unknown[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
  const cells = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: [
        ...asFeatures(covered).map((f) => ({ ...f, properties: { ...f.properties, state: 'covered' } })),
        ...asFeatures(uncovered).map((f) => ({ ...f, properties: { ...f.properties, state: 'uncovered' } })),
      ],
    }),
    [covered, uncovered],
  );
  const areaFc = useMemo<FeatureCollection>(() => ({ type: 'FeatureCollection', features: areas ?? [] }), [areas]);
  const pointFc = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: points.map((p, i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: p.at },
        properties: { i, color: p.color, alert: !!p.alert },
      })),
    }),
    [points],
  );
  useGeojsonOverlay(map, 'fa-cells', cells, CELL_LAYERS, 'fills');
  useGeojsonOverlay(map, 'fa-areas', areaFc, AREA_LAYERS, 'lines');
  useGeojsonOverlay(map, 'fa-points', pointFc ?? EMPTY_FC, POINT_LAYERS, 'points');

  const fitRef = useRef(fit);
  fitRef.current = fit;
  // fitted once per answer (not on every render), with room around the edges
  useEffect(() => {
    if (!map) return;
    const box = fitRef.current ? bboxOf(...fitRef.current) : bboxOf(cells, areaFc, pointFc);
    if (box) map.fitBounds(box, { padding: 40, maxZoom: 13, duration: 0 });
  }, [map, cells, areaFc, pointFc]);

  const latest = useRef(points);
  latest.current = points;
  useEffect(() => {
    if (!map) return;
    let popup: Popup | null = null;
    const onClick = (e: { point: { x: number; y: number } }) => {
      const hit = map.queryRenderedFeatures([e.point.x, e.point.y], { layers: ['fa-points'] })[0];
      const p = hit ? latest.current[Number(hit.properties?.i)] : undefined;
      if (!p) return;
      const box = document.createElement('div');
      box.className = 'analysis-popup';
      const title = document.createElement('div');
      title.className = 'analysis-popup-title';
      title.textContent = p.title;
      box.append(title);
      if (p.detail) {
        const d = document.createElement('div');
        d.className = 'muted small';
        d.textContent = p.detail;
        box.append(d);
      }
      popup?.remove();
      popup = new Popup({ closeButton: true, offset: 10, maxWidth: '300px' })
        .setLngLat(p.at)
        .setDOMContent(box)
        .addTo(map);
    };
    const enter = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    map.on('click', onClick);
    map.on('mouseenter', 'fa-points', enter);
    map.on('mouseleave', 'fa-points', leave);
    return () => {
      popup?.remove();
      map.off('click', onClick);
      map.off('mouseenter', 'fa-points', enter);
      map.off('mouseleave', 'fa-points', leave);
    };
  }, [map]);

  return <div ref={ref} className="analysis-map" style={{ height }} data-testid="analysis-map" />;
}

/** A polygon-ish GeoJSON value (a MultiPolygon, a FeatureCollection of them) as features with a colour. */
export function outlineFeatures(value: unknown, color: string, opacity = 0.12): Feature[] {
  if (!value || typeof value !== 'object') return [];
  const v = value as { type?: string; features?: Feature[] };
  const props = { color, opacity };
  if (v.type === 'FeatureCollection')
    return (v.features ?? [])
      .filter((f) => f?.geometry)
      .map((f) => ({ ...f, properties: { ...f.properties, ...props } }));
  if (v.type === 'Feature') {
    const f = value as Feature;
    return f.geometry ? [{ ...f, properties: { ...f.properties, ...props } }] : [];
  }
  if (v.type === 'Polygon' || v.type === 'MultiPolygon')
    return [{ type: 'Feature', geometry: value as Geometry, properties: props }];
  return [];
}

export { REACH };
