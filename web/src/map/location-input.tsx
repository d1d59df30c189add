import { AimOutlined, ClearOutlined } from '@ant-design/icons';
import { Button, InputNumber, Space, Tooltip } from 'antd';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaceHit } from '../api/contracts.ts';
import { PlaceSearch } from './place-search.tsx';
import { PLACE_ZOOM } from './place-text.ts';
import { useOfflineMap } from './use-offline-map.ts';

export type LngLatValue = [number, number] | null;

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function pinElement(): HTMLElement {
  const el = document.createElement('div');
  el.className = 'map-pin';
  return el;
}

/**
 * A point picked by a click on the offline map, found by a place's name (the map zooms to street level there, so that
 * a correcting click is metres off), or typed as longitude / latitude (WGS-84).
 */
export function LocationInput({
  value,
  onChange,
  onPlace,
  id,
}: {
  value?: LngLatValue;
  onChange?: (v: LngLatValue) => void;
  /** a place was chosen by name (the form may take its name as the address) */
  onPlace?: (hit: PlaceHit) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref, { labels: true });
  const markerRef = useRef<Marker | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = 'crosshair';
    const onClick = (e: { lngLat: { lng: number; lat: number } }) =>
      onChangeRef.current?.([round6(e.lngLat.lng), round6(e.lngLat.lat)]);
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
    };
  }, [map]);

  const lng = value?.[0];
  const lat = value?.[1];
  useEffect(() => {
    if (!map) return;
    if (lng === undefined || lat === undefined) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) {
      const m = new Marker({ element: pinElement(), anchor: 'bottom', draggable: true });
      m.on('dragend', () => {
        const p = m.getLngLat();
        onChangeRef.current?.([round6(p.lng), round6(p.lat)]);
      });
      markerRef.current = m.setLngLat([lng, lat]).addTo(map);
    } else markerRef.current.setLngLat([lng, lat]);
  }, [map, lng, lat]);

  useEffect(
    () => () => {
      markerRef.current?.remove();
      markerRef.current = null;
    },
    [],
  );

  const set = (which: 0 | 1, n: number | null) => {
    if (n === null || Number.isNaN(n)) {
      onChange?.(null);
      return;
    }
    const next: [number, number] = value ? [value[0], value[1]] : [122.1, 37.5];
    next[which] = n;
    onChange?.(next);
  };

  return (
    <div className="location-input" id={id}>
      <div className="location-place">
        <PlaceSearch
          id={id ? `${id}-place` : undefined}
          near={() => {
            const c = map?.getCenter();
            return c ? [c.lng, c.lat] : undefined;
          }}
          onPick={(hit) => {
            onChange?.([round6(hit.point[0]), round6(hit.point[1])]);
            map?.flyTo({ center: hit.point, zoom: PLACE_ZOOM, duration: 600 });
            onPlace?.(hit);
          }}
        />
      </div>
      <div ref={ref} className="location-map" data-testid="location-map" />
      <div className="location-hint">{t('location.hint')}</div>
      <Space wrap>
        <InputNumber
          addonBefore={t('location.lng')}
          value={lng ?? null}
          min={-180}
          max={180}
          step={0.0001}
          precision={6}
          style={{ width: 210 }}
          onChange={(n) => set(0, n)}
          data-testid="location-lng"
          id="location-lng"
        />
        <InputNumber
          addonBefore={t('location.lat')}
          value={lat ?? null}
          min={-90}
          max={90}
          step={0.0001}
          precision={6}
          style={{ width: 210 }}
          onChange={(n) => set(1, n)}
          data-testid="location-lat"
          id="location-lat"
        />
        {value && map && (
          <Tooltip title={t('location.centerOnPoint')}>
            <Button
              icon={<AimOutlined />}
              onClick={() => map.easeTo({ center: value, zoom: Math.max(map.getZoom(), 10) })}
            />
          </Tooltip>
        )}
        {value && (
          <Tooltip title={t('location.clear')}>
            <Button icon={<ClearOutlined />} onClick={() => onChange?.(null)} />
          </Tooltip>
        )}
      </Space>
    </div>
  );
}
