import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useMemo, useState } from 'react';
import type { MapLayer } from '../../api/contracts.ts';
import { styleLayersOf } from '../../map/map-style.ts';
import type { OverlayLayer } from '../../map/overlay.ts';

/** Catalogue layers the base style already draws from its vector tiles (toggling hides the style's layers). */
export function baseSourceLayers(layer: MapLayer): string[] {
  if (layer.source.kind !== 'vector' || !layer.source.sourceLayer) return [];
  const sl = layer.source.sourceLayer;
  // boundary names go with the boundaries
  return sl === 'boundaries' ? [sl, 'boundary_labels'] : [sl];
}

/**
 * The base style's layers a catalogue layer switches. The district and neighbour fills are the land itself:
 * hiding the boundaries hides their lines and names, not the land.
 */
export function baseLayerIdsOf(map: MapLibreMap, layer: MapLayer): string[] {
  const ids = styleLayersOf(map, baseSourceLayers(layer));
  if (layer.source.sourceLayer !== 'boundaries') return ids;
  return ids.filter((id) => map.getLayer(id)?.type !== 'fill');
}

export const genericSourceId = (layer: MapLayer) => `cat-${layer.id}`;

/** A catalogue layer drawn generically from its geometry and first legend colour (a feature's `color` wins). */
export function genericLayerSpecs(layer: MapLayer): OverlayLayer[] {
  const color: ExpressionSpecification = ['coalesce', ['get', 'color'], layer.legend[0]?.color ?? '#1677ff'];
  const id = genericSourceId(layer);
  const sourceLayer =
    layer.source.kind === 'vector' && layer.source.sourceLayer ? { 'source-layer': layer.source.sourceLayer } : {};
  if (layer.geometry === 'point')
    return [
      {
        id: `${id}-circle`,
        type: 'circle',
        ...sourceLayer,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 14, 7],
          'circle-color': color,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      } as OverlayLayer,
    ];
  if (layer.geometry === 'line')
    return [
      {
        id: `${id}-line`,
        type: 'line',
        ...sourceLayer,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': color, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 14, 3.5] },
      } as OverlayLayer,
    ];
  return [
    {
      id: `${id}-fill`,
      type: 'fill',
      ...sourceLayer,
      paint: { 'fill-color': color, 'fill-opacity': 0.22 },
    } as OverlayLayer,
    {
      id: `${id}-outline`,
      type: 'line',
      ...sourceLayer,
      paint: { 'line-color': color, 'line-width': 1.2 },
    } as OverlayLayer,
  ];
}

const STORAGE_KEY = 'anlan.map.layers';

function readChoices(): Record<string, boolean> {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Record<string, boolean>) : {};
  } catch {
    return {};
  }
}

/** Which catalogue layers are on: the user's last choice (kept in localStorage), else the layer's default. */
export function useLayerChoices(catalogue: MapLayer[]) {
  const [choices, setChoices] = useState(readChoices);
  const visible = useMemo(() => {
    const v: Record<string, boolean> = {};
    for (const l of catalogue) v[l.id] = choices[l.id] ?? l.defaultOn;
    return v;
  }, [catalogue, choices]);
  const setVisible = useCallback((id: string, on: boolean) => {
    setChoices((prev) => {
      const next = { ...prev, [id]: on };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return { visible, setVisible };
}
