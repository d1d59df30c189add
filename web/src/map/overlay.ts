import type { FeatureCollection, GeoJSON } from 'geojson';
import type { GeoJSONSource, GeoJSONSourceSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';

/**
 * Overlays are drawn in bands so that whatever mounts first, areas stay under lines, lines under points and
 * the drawing of the active tool on top. Each band ends at an invisible slot layer; a layer added "before" a
 * slot lands at the top of that band.
 */
export const BANDS = ['fills', 'lines', 'analysis', 'points', 'tools'] as const;
export type Band = (typeof BANDS)[number];
const SLOT_SOURCE = 'anlan-slots';
const slotId = (band: Band) => `slot-${band}`;

export const EMPTY_FC: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function ensureSlots(map: MapLibreMap): void {
  if (!map.getSource(SLOT_SOURCE)) map.addSource(SLOT_SOURCE, { type: 'geojson', data: EMPTY_FC });
  for (const band of BANDS) {
    if (map.getLayer(slotId(band))) continue;
    map.addLayer({ id: slotId(band), type: 'line', source: SLOT_SOURCE, layout: { visibility: 'none' } });
  }
}

export type OverlayLayer = Omit<LayerSpecification, 'source'> & { source?: string };

/** Options of a GeoJSON source besides its data (clustering). */
export type OverlaySourceOptions = Omit<GeoJSONSourceSpecification, 'type' | 'data'>;

/** Adds (or replaces) a GeoJSON source and its layers in a band. */
export function addOverlay(
  map: MapLibreMap,
  sourceId: string,
  data: GeoJSON,
  layers: OverlayLayer[],
  band: Band,
  sourceOptions?: OverlaySourceOptions,
) {
  ensureSlots(map);
  const src = map.getSource(sourceId) as GeoJSONSource | undefined;
  if (src) src.setData(data);
  else map.addSource(sourceId, { ...sourceOptions, type: 'geojson', data });
  for (const l of layers) {
    if (map.getLayer(l.id)) map.removeLayer(l.id);
    map.addLayer({ ...l, source: l.source ?? sourceId } as LayerSpecification, slotId(band));
  }
}

export function removeOverlay(map: MapLibreMap, sourceId: string | null, layerIds: string[]): void {
  try {
    for (const id of layerIds) if (map.getLayer(id)) map.removeLayer(id);
    if (sourceId && map.getSource(sourceId)) map.removeSource(sourceId);
  } catch {
    // the map is already gone (the page was left first)
  }
}

export function setOverlayData(map: MapLibreMap, sourceId: string, data: GeoJSON): void {
  (map.getSource(sourceId) as GeoJSONSource | undefined)?.setData(data);
}

export function setLayersVisible(map: MapLibreMap, layerIds: string[], visible: boolean): void {
  for (const id of layerIds)
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

/**
 * A GeoJSON overlay for the life of a component: added when the map is ready, data kept current, removed on
 * unmount. `layers` is read once (give a stable spec).
 */
export function useGeojsonOverlay(
  map: MapLibreMap | null,
  sourceId: string,
  data: GeoJSON | null | undefined,
  layers: OverlayLayer[],
  band: Band,
  visible = true,
  sourceOptions?: OverlaySourceOptions,
): void {
  const spec = useRef(layers);
  const options = useRef(sourceOptions);
  const current = useRef(data);
  current.current = data;
  useEffect(() => {
    if (!map) return;
    addOverlay(map, sourceId, current.current ?? EMPTY_FC, spec.current, band, options.current);
    return () =>
      removeOverlay(
        map,
        sourceId,
        spec.current.map((l) => l.id),
      );
  }, [map, sourceId, band]);
  useEffect(() => {
    if (map) setOverlayData(map, sourceId, data ?? EMPTY_FC);
  }, [map, sourceId, data]);
  useEffect(() => {
    if (map)
      setLayersVisible(
        map,
        spec.current.map((l) => l.id),
        visible,
      );
  }, [map, visible]);
}
