import type { FeatureCollection, Point } from 'geojson';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  RESERVE_TYPE_INFO,
  RESERVE_TYPES,
  WAREHOUSE_TIER_INFO,
  type Warehouse,
} from '../../../../contracts/logistics.ts';
import { LegendRow } from '../../map/legend.tsx';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { RESERVE_COLORS } from './labels.tsx';
import { useAllWarehouses } from './logistics-api.ts';
import { nameIn } from './logistics-text.ts';

const LAYER_IDS = ['warehouses-square', 'warehouses-label'];
const NONE: Warehouse[] = [];

function toFeatures(items: Warehouse[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: items
      .filter((x) => x.active)
      .map((x) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: x.location.coordinates },
        properties: {
          id: x.id,
          color: RESERVE_COLORS[x.reserveType],
          size: x.tier === 'city' ? 9 : x.tier === 'district' ? 7 : 5,
        },
      })),
  };
}

const SPECS: OverlayLayer[] = [
  {
    id: LAYER_IDS[0],
    type: 'circle',
    paint: {
      'circle-radius': ['get', 'size'],
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#1f1f1f',
      'circle-stroke-width': 2,
    },
  } as OverlayLayer,
];

/** Warehouses as dots in their reserve type's colour, sized by tier; a click names the warehouse. */
function WarehousesLayer({ visible }: { visible: boolean }) {
  const { t, i18n } = useTranslation('logistics');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const navigate = useNavigate();
  const { map, showPopup } = useMapHost();
  const query = useAllWarehouses();
  const items = query.data?.items ?? NONE;
  const fc = useMemo(() => toFeatures(items), [items]);
  useGeojsonOverlay(map, 'warehouses', fc, SPECS, 'points', visible);

  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    if (query.data) box.dataset.warehouseCount = String(fc.features.length);
    return () => {
      delete box.dataset.warehouseCount;
    };
  }, [map, fc, query.data]);

  const latest = useRef(items);
  latest.current = items;
  useLayerClick([LAYER_IDS[0]], (f) => {
    const w = latest.current.find((x) => x.id === f.properties?.id);
    if (!w) return;
    const root = el('div', 'team-popup');
    root.dataset.testid = 'warehouse-popup';
    const head = el('div', 'team-popup-head');
    const dot = el('span', 'type-dot');
    dot.style.background = RESERVE_COLORS[w.reserveType];
    head.append(dot, el('span', 'team-popup-name', w.name));
    root.append(head);
    root.append(
      el(
        'div',
        'muted',
        `${nameIn(WAREHOUSE_TIER_INFO[w.tier], lang)} · ${nameIn(RESERVE_TYPE_INFO[w.reserveType], lang)}`,
      ),
    );
    if (w.manager || w.phones.length) root.append(el('div', 'muted small', [w.manager, ...w.phones].join(' ')));
    const open = el('a', 'team-popup-link', t('map.open')) as HTMLAnchorElement;
    open.href = `/logistics/warehouses/${w.id}`;
    open.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/logistics/warehouses/${w.id}`);
    });
    root.append(open);
    showPopup(w.location.coordinates as [number, number], root);
  });
  return null;
}

function WarehousesLegend() {
  const { i18n } = useTranslation('logistics');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const query = useAllWarehouses();
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const x of query.data?.items ?? []) if (x.active) c[x.reserveType] = (c[x.reserveType] ?? 0) + 1;
    return c;
  }, [query.data]);
  return (
    <>
      {RESERVE_TYPES.filter((r) => counts[r]).map((r) => (
        <LegendRow
          key={r}
          shape="point"
          color={RESERVE_COLORS[r]}
          label={nameIn(RESERVE_TYPE_INFO[r], lang)}
          count={counts[r]}
        />
      ))}
    </>
  );
}

const warehousesLayer: MapLayerRenderer = {
  Layer: WarehousesLayer,
  Legend: WarehousesLegend,
  fallback: {
    permission: 'supplies.read',
    layer: {
      id: 'warehouses',
      name: '物资仓库',
      nameEn: 'Supply warehouses',
      group: 'logistics',
      source: { kind: 'geojson', url: '' },
      geometry: 'point',
      defaultOn: true,
      legend: [],
    },
  },
};

/** Supplies on the command map: the warehouses layer. */
export const warehousesOnMap: MapContribution = {
  layers: { warehouses: warehousesLayer },
};
