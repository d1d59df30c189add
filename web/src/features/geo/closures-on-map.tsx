import { EnvironmentOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MapLayer } from '../../api/contracts.ts';
import { type ClosureFeatureProps, useClosures, useClosuresGeojson } from '../../api/geo.ts';
import { formatTime } from '../../i18n/index.ts';
import { LegendRow } from '../../map/legend.tsx';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { ClosuresPanel } from './closures-panel.tsx';

const LAYER_IDS = ['closures-casing', 'closures-line'];
const CLOSURE_COLOR = { active: '#d4380d', overdue: '#a8071a', scheduled: '#fa8c16' };

const SPECS: OverlayLayer[] = [
  {
    id: LAYER_IDS[0],
    type: 'line',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': '#ffffff',
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 10],
      'line-opacity': 0.95,
    },
  } as OverlayLayer,
  {
    id: LAYER_IDS[1],
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

/** Open road closures: red dashed lines on a white casing (overdue: dark red; scheduled: orange); a click tells more. */
function ClosuresLayer({ visible }: { visible: boolean }) {
  const { t } = useTranslation('geo');
  const { map, showPopup } = useMapHost();
  const data = useClosuresGeojson(visible);
  useGeojsonOverlay(map, 'closures', data.data, SPECS, 'lines', visible);

  useLayerClick([LAYER_IDS[1]], (f, e) => {
    const p = { ...f.properties } as Record<string, unknown>;
    // MapLibre hands array properties over as JSON text
    if (typeof p.roadNames === 'string' && p.roadNames.startsWith('['))
      try {
        p.roadNames = JSON.parse(p.roadNames);
      } catch {
        // shown as it is
      }
    const c = p as unknown as ClosureFeatureProps;
    const root = el('div', 'incident-popup closure-popup');
    root.dataset.testid = 'closure-popup';
    const names = Array.isArray(c.roadNames) ? c.roadNames.join('、') : String(c.roadNames ?? '');
    const meta = el('div', 'incident-popup-meta');
    meta.append(
      el('span', `closure-popup-state closure-popup-state-${c.state}`, t(`closures.state.${c.state}`)),
      el(
        'span',
        '',
        `${formatTime(c.startsAt)} → ${c.expectedEndAt ? formatTime(c.expectedEndAt) : t('closures.untilCleared')}`,
      ),
    );
    // another district's closure: its line and state are everyone's, its record and cause are not
    root.append(
      el('div', 'incident-popup-number', c.inScope ? (c.number ?? '') : t('closures.otherDistrict')),
      el('div', 'incident-popup-title', names || t('closure.unnamed')),
      ...(c.inScope ? [el('div', 'closure-popup-cause', c.cause ?? '')] : []),
      meta,
    );
    showPopup([e.lngLat.lng, e.lngLat.lat], root);
  });
  return null;
}

/** The catalogue's legend drawn dashed, as the closures are; an older catalogue without one gets the two states. */
function ClosuresLegend({ layer }: { layer: MapLayer }) {
  const { t, i18n } = useTranslation('geo');
  if (!layer.legend.length)
    return (
      <>
        <LegendRow shape="dashed" color={CLOSURE_COLOR.active} label={t('closures.state.active')} />
        <LegendRow shape="dashed" color={CLOSURE_COLOR.scheduled} label={t('closures.state.scheduled')} />
      </>
    );
  const en = i18n.language === 'en';
  return layer.legend.map((row) => (
    <LegendRow
      key={`${row.label}-${row.color}`}
      shape="dashed"
      color={row.color}
      label={en ? row.labelEn || row.label : row.label}
    />
  ));
}

function TabLabel() {
  const { t } = useTranslation('geo');
  const count = useClosures('open').data?.total ?? 0;
  return (
    <span data-testid="tab-closures">
      {t('tabs.closures')} <span className={count ? 'tab-count tab-count-alert' : 'tab-count'}>{count}</span>
    </span>
  );
}

const closuresLayer: MapLayerRenderer = { Layer: ClosuresLayer, Legend: ClosuresLegend };

/** Road closures on the map, their list, and the place and road search hits (the geo feature's own). */
export const closuresOnMap: MapContribution = {
  layers: { closures: closuresLayer },
  panels: [{ key: 'closures', order: 20, permission: 'geo.read', Label: TabLabel, Content: ClosuresPanel }],
  search: {
    place: { icon: <EnvironmentOutlined />, label: 'geo:search.kind.place' },
    road: { icon: <NodeIndexOutlined />, label: 'geo:search.kind.road' },
  },
};
