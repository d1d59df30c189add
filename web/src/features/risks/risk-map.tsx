import type { Feature, FeatureCollection } from 'geojson';
import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { RISK_CLASS_INFO, type RiskClass } from '../../../../contracts/risks.ts';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';

const CLASS_COLOR: ExpressionSpecification = [
  'match',
  ['get', 'cls'],
  'major',
  RISK_CLASS_INFO.major.color,
  'large',
  RISK_CLASS_INFO.large.color,
  'general',
  RISK_CLASS_INFO.general.color,
  RISK_CLASS_INFO.low.color,
];

const CELL_LAYERS: OverlayLayer[] = [
  {
    id: 'rk-cells',
    type: 'fill',
    // no outlines at city scale (they would hatch the area); the fill's edge is enough when zoomed in
    paint: { 'fill-color': CLASS_COLOR, 'fill-opacity': 0.55, 'fill-antialias': false },
  } as OverlayLayer,
];
/** the coloured cells' edges, so that a cell a few pixels wide still shows at city scale */
const EDGE_LAYERS: OverlayLayer[] = [
  {
    id: 'rk-cells-edge',
    type: 'line',
    filter: ['!=', ['get', 'cls'], 'low'],
    paint: { 'line-color': CLASS_COLOR, 'line-width': 1.2 },
  } as OverlayLayer,
];
const SELECTED_LAYERS: OverlayLayer[] = [
  {
    id: 'rk-selected',
    type: 'line',
    paint: { 'line-color': '#000000', 'line-width': 2.5 },
  } as OverlayLayer,
];
const POLYGONS: FilterSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const LINES: FilterSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const POINTS: FilterSpecification = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];
const CENSUS_FILL_LAYERS: OverlayLayer[] = [
  {
    id: 'rk-census-fill',
    type: 'fill',
    filter: POLYGONS,
    paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.18 },
  } as OverlayLayer,
  {
    id: 'rk-census-outline',
    type: 'line',
    filter: ['any', POLYGONS, LINES],
    paint: {
      'line-color': ['get', 'color'],
      'line-width': ['case', ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]], 3, 1.5],
    },
  } as OverlayLayer,
];
const CENSUS_POINT_LAYERS: OverlayLayer[] = [
  {
    id: 'rk-census-points',
    type: 'circle',
    filter: POINTS,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 14, 7],
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  } as OverlayLayer,
];
const CENSUS_CLICKABLE = ['rk-census-points', 'rk-census-outline', 'rk-census-fill'];

export interface RiskMapProps {
  cells: FeatureCollection | undefined;
  classes: readonly RiskClass[];
  opacity: number;
  /** the census features shown, each with a `color` property */
  census: FeatureCollection;
  selected: Feature | null;
  onCell: (h3: string, feature: Feature) => void;
  onFeature: (id: string) => void;
  height: number | string;
}

/**
 * The risk grid (cells in the four colours, filtered by class, with the opacity chosen) under the census layers, on
 * the offline basemap's view of the whole city. A click goes to the census feature on top, else to the cell.
 */
export function RiskMap({ cells, classes, opacity, census, selected, onCell, onFeature, height }: RiskMapProps) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
  const selectedFc = useMemo<FeatureCollection>(
    () => ({ type: 'FeatureCollection', features: selected ? [selected] : [] }),
    [selected],
  );
  useGeojsonOverlay(map, 'rk-cells', cells ?? EMPTY_FC, CELL_LAYERS, 'fills');
  useGeojsonOverlay(map, 'rk-cells-edge', cells ?? EMPTY_FC, EDGE_LAYERS, 'lines');
  useGeojsonOverlay(map, 'rk-census', census, CENSUS_FILL_LAYERS, 'lines');
  useGeojsonOverlay(map, 'rk-census-pts', census, CENSUS_POINT_LAYERS, 'points');
  useGeojsonOverlay(map, 'rk-selected', selectedFc, SELECTED_LAYERS, 'analysis');

  useEffect(() => {
    if (!map?.getLayer('rk-cells')) return;
    const shown: FilterSpecification = ['in', ['get', 'cls'], ['literal', [...classes]]];
    map.setFilter('rk-cells', shown);
    if (map.getLayer('rk-cells-edge')) map.setFilter('rk-cells-edge', ['all', shown, ['!=', ['get', 'cls'], 'low']]);
    // the blue cells, most of the city, lighter: the others stand out on them
    map.setPaintProperty('rk-cells', 'fill-opacity', ['case', ['==', ['get', 'cls'], 'low'], opacity * 0.4, opacity]);
  }, [map, classes, opacity]);

  const handlers = useRef({ onCell, onFeature });
  handlers.current = { onCell, onFeature };
  useEffect(() => {
    if (!map) return;
    const onClick = (e: { point: { x: number; y: number } }) => {
      const at: [number, number] = [e.point.x, e.point.y];
      const layers = CENSUS_CLICKABLE.filter((id) => map.getLayer(id));
      const f = layers.length ? map.queryRenderedFeatures(at, { layers })[0] : undefined;
      if (f?.properties?.id) {
        handlers.current.onFeature(String(f.properties.id));
        return;
      }
      const c = map.getLayer('rk-cells') ? map.queryRenderedFeatures(at, { layers: ['rk-cells'] })[0] : undefined;
      if (c?.properties?.h3)
        handlers.current.onCell(String(c.properties.h3), {
          type: 'Feature',
          geometry: c.geometry,
          properties: { h3: c.properties.h3 },
        });
    };
    const enter = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    map.on('click', onClick);
    for (const id of ['rk-cells', ...CENSUS_CLICKABLE]) {
      map.on('mouseenter', id, enter);
      map.on('mouseleave', id, leave);
    }
    return () => {
      map.off('click', onClick);
      for (const id of ['rk-cells', ...CENSUS_CLICKABLE]) {
        map.off('mouseenter', id, enter);
        map.off('mouseleave', id, leave);
      }
    };
  }, [map]);

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

  return (
    <div
      ref={ref}
      className="risk-map"
      style={{ height }}
      data-testid="risk-map"
      data-ready={map ? 'true' : 'false'}
      data-cells={cells?.features.length ?? 0}
    />
  );
}
