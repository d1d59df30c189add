import { EnvironmentOutlined, SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Input, Spin } from 'antd';
import type { FeatureCollection } from 'geojson';
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../api/contracts.ts';
import { roadsNamed, searchMap } from '../../api/geo.ts';
import { useSearchAsYouType } from '../../components/use-search-as-you-type.ts';
import type { MapSearchKind } from '../../map/map-host.tsx';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';

const hitKey = (h: SearchHit) => `${h.kind}:${h.id}`;

/**
 * Search by road, place or the name of anything a module registers (incidents…). Debounced; ↑ ↓ choose, Enter
 * goes, Esc closes the list (a second Esc clears the box). Hits are grouped by kind in the order of `kinds`; a kind
 * no feature describes follows under its own name.
 */
export function MapSearch({
  kinds,
  onSelect,
  onClear,
  near,
}: {
  kinds: Record<string, MapSearchKind>;
  onSelect: (hit: SearchHit) => void;
  onClear: () => void;
  /** the view's centre: places nearer to it come first */
  near?: () => [number, number] | undefined;
}) {
  const { t, i18n } = useTranslation('geo');
  const english = i18n.language === 'en';
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const q = text.trim();
  const nearRef = useRef(near);
  nearRef.current = near;

  const { hits, loading, error } = useSearchAsYouType(q, (q, signal) => searchMap(q, signal, nearRef.current?.()), 250);

  const options = useMemo(
    () =>
      [...new Set([...Object.keys(kinds), ...hits.map((h) => h.kind)])]
        .map((kind) => ({
          label: <span className="search-group">{kinds[kind] ? t(kinds[kind].label) : kind}</span>,
          options: hits
            .filter((h) => h.kind === kind)
            .map((h) => ({
              value: hitKey(h),
              label: (
                <div className="search-option" data-testid="search-option" data-kind={h.kind}>
                  <span className="search-option-icon">{kinds[h.kind]?.icon ?? <EnvironmentOutlined />}</span>
                  <span className="search-option-text">
                    <span className="search-option-name">{h.name}</span>
                    {h.subtitle && (
                      <span className="search-option-sub">{english && h.subtitleEn ? h.subtitleEn : h.subtitle}</span>
                    )}
                  </span>
                </div>
              ),
            })),
        }))
        .filter((g) => g.options.length > 0),
    [hits, kinds, t, english],
  );

  const shown = open && (!!q || options.length > 0);
  // what the list showed before this key: the first Esc closes it, the next clears the box
  const shownRef = useRef(shown);
  shownRef.current = shown;

  const notFound = loading ? (
    <div className="search-empty">
      <Spin size="small" /> {t('search.searching')}
    </div>
  ) : error ? (
    <div className="search-empty search-error">{error}</div>
  ) : q ? (
    <div className="search-empty">{t('search.none', { q })}</div>
  ) : null;

  return (
    <search
      className="map-search-wrap"
      // capture: the select handles Esc itself (closing the list) and keeps it from the input
      onKeyDownCapture={(e) => {
        if (e.key !== 'Escape' || shownRef.current || !text) return;
        setText('');
        onClear();
      }}
    >
      <AutoComplete
        className="map-search"
        value={text}
        options={options}
        open={shown}
        onOpenChange={setOpen}
        notFoundContent={notFound}
        popupMatchSelectWidth={340}
        defaultActiveFirstOption
        onSearch={(v) => {
          setText(v);
          setOpen(true);
        }}
        onSelect={(key: string) => {
          const hit = hits.find((h) => hitKey(h) === key);
          if (!hit) return;
          setText(hit.name);
          setOpen(false);
          onSelect(hit);
        }}
        data-testid="map-search"
      >
        <Input
          size="small"
          allowClear
          prefix={<SearchOutlined className="muted" />}
          placeholder={t('search.placeholder')}
          aria-label={t('search.placeholder')}
          onChange={(e) => {
            if (!e.target.value) onClear();
          }}
          data-testid="map-search-input"
        />
      </AutoComplete>
    </search>
  );
}

const ROAD_SPECS: OverlayLayer[] = [
  {
    id: 'search-road-glow',
    type: 'line',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#13c2c2', 'line-width': 14, 'line-opacity': 0.35, 'line-blur': 2 },
  } as OverlayLayer,
  {
    id: 'search-road-line',
    type: 'line',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#08979c', 'line-width': 4 },
  } as OverlayLayer,
];

/** Flies to the chosen search result and highlights it: a road along its whole length, a place with a pulse. */
export function useSearchHighlight(
  map: MapLibreMap | null,
  hit: SearchHit | null,
  kinds: Record<string, MapSearchKind>,
): void {
  const [roads, setRoads] = useState<FeatureCollection>(EMPTY_FC);
  const marker = useRef<Marker | null>(null);
  useGeojsonOverlay(map, 'search-road', roads, ROAD_SPECS, 'analysis');

  useEffect(() => {
    marker.current?.remove();
    marker.current = null;
    setRoads(EMPTY_FC);
    if (!map || !hit) return;
    const bbox = hit.bbox && hit.bbox.length === 4 ? hit.bbox : null;
    if (bbox && (bbox[2] - bbox[0] > 1e-4 || bbox[3] - bbox[1] > 1e-4))
      map.fitBounds(bbox, { padding: 80, maxZoom: 16, duration: 800 });
    else {
      // a road or a place is looked at close up (a district or a town less so); a module's thing (an incident, a
      // team) with its surroundings
      const wide = hit.placeKind && ['city', 'district', 'area', 'town', 'subdistrict'].includes(hit.placeKind);
      const close = hit.kind === 'road' || hit.kind === 'place';
      map.flyTo({ center: hit.point, zoom: wide ? 12 : Math.max(map.getZoom(), close ? 16 : 13), duration: 800 });
    }
    const el = document.createElement('div');
    el.className = 'search-pulse';
    const color = kinds[hit.kind]?.color;
    if (color) el.style.background = color;
    el.dataset.testid = 'search-highlight';
    marker.current = new Marker({ element: el }).setLngLat(hit.point).addTo(map);
    let alive = true;
    if (hit.kind === 'road') {
      roadsNamed(hit.name)
        .then(({ items }) => {
          if (!alive) return;
          const same = items.filter((r) => r.name === hit.name || r.nameEn === hit.name);
          setRoads({
            type: 'FeatureCollection',
            features: same.map((r) => ({ type: 'Feature', properties: { id: r.id }, geometry: r.geometry })),
          });
        })
        .catch(() => {
          // the pulse at the road's point stays: enough to find it
        });
    }
    return () => {
      alive = false;
    };
  }, [map, hit, kinds]);

  useEffect(
    () => () => {
      marker.current?.remove();
      marker.current = null;
    },
    [],
  );
}
