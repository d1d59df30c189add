/**
 * The risks module's catalogue layers on the command map. Drawn here rather than generically because a census kind
 * may hold points and polygons alike (a kind the catalogue calls "point" would lose its polygons: population grid
 * cells, residential areas) and the grid's cells would be hatched by outlines at city scale; a click on either says
 * what it is.
 */
import type { FeatureCollection } from 'geojson';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  type CensusFeatureProperties,
  RISK_CLASS_INFO,
  type RiskClass,
} from '../../../../contracts/risks.ts';
import type { MapLayer } from '../../api/contracts.ts';
import { useLayerData } from '../../api/geo.ts';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { featureRows, formatScore, type Lang, nameIn } from './risks-text.ts';

import './risks.css';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

const CLASS_COLOR = [
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

function GridLayer({ layer, visible }: { layer: MapLayer; visible: boolean }) {
  const { t, i18n } = useTranslation('risks');
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh';
  const navigate = useNavigate();
  const { map, showPopup } = useMapHost();
  const data = useLayerData(visible ? layer.source.url : null);
  const specs = useMemo<OverlayLayer[]>(
    () => [
      {
        id: 'risk-grid-fill',
        type: 'fill',
        paint: { 'fill-color': CLASS_COLOR, 'fill-opacity': 0.45, 'fill-antialias': false },
      } as OverlayLayer,
    ],
    [],
  );
  useGeojsonOverlay(map, 'risk-grid', (data.data as FeatureCollection | undefined) ?? EMPTY, specs, 'fills', visible);
  useLayerClick(['risk-grid-fill'], (f, e) => {
    const p = f.properties as { h3?: string; cls?: RiskClass; score?: number; h?: number; e?: number; v?: number };
    if (!p.h3 || !p.cls) return;
    const root = el('div', 'team-popup');
    root.dataset.testid = 'risk-cell-popup';
    const head = el('div', 'team-popup-head');
    const dot = el('span', 'kind-dot');
    dot.style.background = RISK_CLASS_INFO[p.cls].color;
    head.append(dot, el('span', 'team-popup-name', nameIn(RISK_CLASS_INFO[p.cls], lang)));
    root.append(head);
    root.append(
      el(
        'div',
        'muted small',
        `${t('field.score')} ${formatScore(p.score)} · H ${formatScore(p.h)} · E ${formatScore(p.e)} · V ${formatScore(p.v)}`,
      ),
    );
    const open = el('a', 'team-popup-link', t('nav.oneMap')) as HTMLAnchorElement;
    open.href = '/risks/map';
    open.addEventListener('click', (ev) => {
      ev.preventDefault();
      navigate('/risks/map');
    });
    root.append(open);
    showPopup([e.lngLat.lng, e.lngLat.lat], root);
  });
  return null;
}

const POLYGONS = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const LINES = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const POINTS = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];

function CensusKindLayer({ layer, visible }: { layer: MapLayer; visible: boolean }) {
  const { t, i18n } = useTranslation('risks');
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh';
  const { map, showPopup } = useMapHost();
  const data = useLayerData(visible ? layer.source.url : null);
  const color = layer.legend[0]?.color ?? '#1677ff';
  const id = `rk-${layer.id}`;
  const shapes = useMemo<OverlayLayer[]>(
    () =>
      [
        { id: `${id}-fill`, type: 'fill', filter: POLYGONS, paint: { 'fill-color': color, 'fill-opacity': 0.2 } },
        {
          id: `${id}-line`,
          type: 'line',
          filter: ['any', POLYGONS, LINES],
          paint: { 'line-color': color, 'line-width': ['case', LINES, 3, 1.2] },
        } as OverlayLayer,
      ] as OverlayLayer[],
    [id, color],
  );
  const points = useMemo<OverlayLayer[]>(
    () => [
      {
        id: `${id}-circle`,
        type: 'circle',
        filter: POINTS,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 14, 7],
          'circle-color': color,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      } as OverlayLayer,
    ],
    [id, color],
  );
  const fc = (data.data as FeatureCollection | undefined) ?? EMPTY;
  useGeojsonOverlay(map, id, fc, shapes, 'fills', visible);
  useGeojsonOverlay(map, `${id}-pts`, fc, points, 'points', visible);
  useLayerClick([`${id}-circle`, `${id}-line`, `${id}-fill`], (f, e) => {
    const raw = f.properties as Record<string, unknown>;
    if (!raw.kind) return;
    // MapLibre hands nested properties back as JSON text
    const attributes =
      typeof raw.attributes === 'string' ? (JSON.parse(raw.attributes) as Record<string, unknown>) : raw.attributes;
    const p = { ...raw, attributes: attributes ?? {} } as unknown as CensusFeatureProperties;
    const root = el('div', 'team-popup');
    root.dataset.testid = 'census-popup';
    const head = el('div', 'team-popup-head');
    const dot = el('span', 'kind-dot');
    dot.style.background = color;
    head.append(dot, el('span', 'team-popup-name', p.name ?? nameIn(CENSUS_KIND_INFO[p.kind], lang)));
    root.append(head);
    const rows = featureRows(p, lang, {
      kind: t('field.kind'),
      population: t('field.population'),
      capacity: t('field.capacity'),
      hazardLevel: t('field.hazardLevel'),
    });
    for (const r of rows.slice(0, 8)) root.append(el('div', 'muted small', `${r.label}: ${r.value}`));
    showPopup([e.lngLat.lng, e.lngLat.lat], root);
  });
  return null;
}

const renderers: Record<string, MapLayerRenderer> = {
  'risk-grid': { Layer: GridLayer },
  ...Object.fromEntries(CENSUS_KINDS.map((k) => [`census-${k}`, { Layer: CensusKindLayer }])),
};

/** Risks on the command map: the risk grid and the census layers. */
export const risksOnMap: MapContribution = { layers: renderers };
