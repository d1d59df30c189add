import type { FeatureCollection, Point } from 'geojson';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  COLOUR_INFO,
  COLOURS,
  type Colour,
  DEVICE_STATUS_INFO,
  DEVICE_STATUSES,
  type Device,
} from '../../../../contracts/monitoring.ts';
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
import { formatValue, fromNow, kindName, metricName, nameIn, useLang } from './labels.tsx';
import { useMapDevices } from './monitoring-api.ts';

const LAYER_IDS = ['devices-ring', 'devices'];
const NONE: Device[] = [];

function toFeatures(items: Device[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: items.map((d) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: d.location.coordinates },
      properties: {
        id: d.id,
        color: DEVICE_STATUS_INFO[d.status].color,
        ring: d.warningColour && d.warningColour in COLOUR_INFO ? COLOUR_INFO[d.warningColour as Colour].color : '',
        rank: d.warningColour && d.warningColour in COLOUR_INFO ? COLOURS.indexOf(d.warningColour as Colour) + 1 : 0,
      },
    })),
  };
}

const SPECS: OverlayLayer[] = [
  {
    // the ring of an active warning, in its colour, under the dot
    id: LAYER_IDS[0],
    type: 'circle',
    filter: ['!=', ['get', 'ring'], ''],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 9, 14, 13],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': ['get', 'ring'],
      'circle-stroke-width': 3.5,
    },
    layout: { 'circle-sort-key': ['get', 'rank'] },
  } as OverlayLayer,
  {
    id: LAYER_IDS[1],
    type: 'circle',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4.5, 14, 7],
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.2,
    },
    layout: { 'circle-sort-key': ['get', 'rank'] },
  } as OverlayLayer,
];

/** Devices as dots by status, ringed in the colour of an active warning; a click opens the latest values. */
function DevicesLayer({ visible }: { visible: boolean }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const navigate = useNavigate();
  const { map, showPopup } = useMapHost();
  const query = useMapDevices();
  const items = query.data?.items ?? NONE;
  const fc = useMemo(() => toFeatures(items), [items]);
  useGeojsonOverlay(map, 'devices', fc, SPECS, 'points', visible);

  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    if (query.data) box.dataset.deviceCount = String(fc.features.length);
    return () => {
      delete box.dataset.deviceCount;
    };
  }, [map, fc, query.data]);

  const latest = useRef(items);
  latest.current = items;
  useLayerClick(LAYER_IDS, (f) => {
    const d = latest.current.find((x) => x.id === f.properties?.id);
    if (!d) return;
    const root = el('div', 'device-popup');
    root.dataset.testid = 'device-popup';
    const head = el('div', 'device-popup-head');
    const dot = el('span', 'status-dot');
    dot.style.background = DEVICE_STATUS_INFO[d.status].color;
    head.append(dot, el('span', 'device-popup-name', d.name));
    root.append(head);
    root.append(
      el(
        'div',
        'device-popup-meta',
        `${kindName(d.kind, lang)} · ${nameIn(DEVICE_STATUS_INFO[d.status], lang)} · ${fromNow(d.lastSeenAt)}`,
      ),
    );
    if (d.warningColour && d.warningColour in COLOUR_INFO) {
      const w = el(
        'div',
        'device-popup-warning',
        t('map.warning', { colour: nameIn(COLOUR_INFO[d.warningColour as Colour], lang) }),
      );
      w.style.borderColor = COLOUR_INFO[d.warningColour as Colour].color;
      root.append(w);
    }
    const values = d.metrics.filter((m) => d.latest[m]);
    if (values.length) {
      const table = el('table', 'device-popup-values');
      for (const m of values) {
        const tr = el('tr', '');
        tr.append(
          el('td', 'muted', metricName(m, lang)),
          el('td', 'mono', formatValue(m, d.latest[m].value, lang)),
          el('td', 'muted small', formatTime(d.latest[m].ts)),
        );
        table.append(tr);
      }
      root.append(table);
    } else if (d.kind !== 'camera') root.append(el('div', 'muted', t('map.noValues')));
    const links = el('div', 'device-popup-links');
    const open = el('a', 'device-popup-link', t('map.openDevice')) as HTMLAnchorElement;
    open.href = `/monitoring/devices/${d.id}`;
    open.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/monitoring/devices/${d.id}`);
    });
    links.append(open);
    if (d.kind === 'camera' && d.streamUrl) {
      const stream = el('a', 'device-popup-link', t('map.openStream')) as HTMLAnchorElement;
      stream.href = d.streamUrl;
      stream.target = '_blank';
      stream.rel = 'noreferrer';
      links.append(stream);
    }
    root.append(links);
    showPopup(d.location.coordinates as [number, number], root);
  });
  return null;
}

function DevicesLegend() {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const query = useMapDevices();
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const d of query.data?.items ?? []) c[d.status] = (c[d.status] ?? 0) + 1;
    return c;
  }, [query.data]);
  const warned = (query.data?.items ?? []).filter((d) => d.warningColour).length;
  return (
    <>
      {DEVICE_STATUSES.map((s) => (
        <LegendRow
          key={s}
          shape="point"
          color={DEVICE_STATUS_INFO[s].color}
          label={nameIn(DEVICE_STATUS_INFO[s], lang)}
          count={counts[s] ?? 0}
        />
      ))}
      <LegendRow shape="point" color={COLOUR_INFO.orange.color} label={t('map.ringLegend')} count={warned} />
    </>
  );
}

const devicesLayer: MapLayerRenderer = {
  Layer: DevicesLayer,
  Legend: DevicesLegend,
  fallback: {
    permission: 'monitoring.read',
    layer: {
      id: 'devices',
      name: '监测设备',
      nameEn: 'Monitoring devices',
      group: 'monitoring',
      source: { kind: 'geojson', url: '' },
      geometry: 'point',
      defaultOn: true,
      legend: [],
    },
  },
};

/** Monitoring on the command map: the devices layer. */
export const devicesOnMap: MapContribution = {
  layers: { devices: devicesLayer },
};
