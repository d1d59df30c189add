import type { Map as MapLibreMap } from 'maplibre-gl';
import { useClosuresGeojson } from '../../api/geo.ts';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { CLOSURE_LAYER_IDS } from './catalogue.ts';

export const CLOSURE_COLOR = { active: '#d4380d', overdue: '#a8071a', scheduled: '#fa8c16' };

const SPECS: OverlayLayer[] = [
  {
    id: CLOSURE_LAYER_IDS[0],
    type: 'line',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': '#ffffff',
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 10],
      'line-opacity': 0.95,
    },
  } as OverlayLayer,
  {
    id: CLOSURE_LAYER_IDS[1],
    type: 'line',
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': [
        'match',
        ['get', 'state'],
        'scheduled',
        CLOSURE_COLOR.scheduled,
        'overdue',
        CLOSURE_COLOR.overdue,
        CLOSURE_COLOR.active,
      ],
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 5],
      'line-dasharray': [2, 1.2],
    },
  } as OverlayLayer,
];

/** Open road closures: red dashed lines on a white casing (overdue: dark red; scheduled: orange). */
export function ClosuresLayer({ map, visible }: { map: MapLibreMap | null; visible: boolean }) {
  const data = useClosuresGeojson(visible);
  useGeojsonOverlay(map, 'closures', data.data, SPECS, 'lines', visible);
  return null;
}
