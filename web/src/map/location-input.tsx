import { AimOutlined, ClearOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Select, Space, Tooltip } from 'antd';
import { Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DATUM_INFO,
  ENTRY_DATUMS,
  type EntryDatum,
  formatDms,
  type LocationEntered,
  type PlaceHit,
  parseCoordinates,
  toWgs84,
} from '../api/contracts.ts';
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
 * a correcting click is metres off), typed as longitude / latitude (WGS-84), or entered as text in decimal degrees or
 * degrees-minutes-seconds in WGS-84, CGCS2000 or GCJ-02 (converted to WGS-84; `onEntered` hands the form what was
 * entered, to be recorded; a click or a drag afterwards clears it).
 */
export function LocationInput({
  value,
  onChange,
  onPlace,
  onEntered,
  id,
}: {
  value?: LngLatValue;
  onChange?: (v: LngLatValue) => void;
  /** a place was chosen by name (the form may take its name as the address) */
  onPlace?: (hit: PlaceHit) => void;
  /** the point as entered in a datum (null: picked on the map or typed in WGS-84 fields) */
  onEntered?: (e: LocationEntered | null) => void;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [datum, setDatum] = useState<EntryDatum>('wgs84');
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);
  const onEnteredRef = useRef(onEntered);
  onEnteredRef.current = onEntered;
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref, { labels: true });
  const markerRef = useRef<Marker | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = 'crosshair';
    const onClick = (e: { lngLat: { lng: number; lat: number } }) => {
      onChangeRef.current?.([round6(e.lngLat.lng), round6(e.lngLat.lat)]);
      onEnteredRef.current?.(null);
    };
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
        onEnteredRef.current?.(null);
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
    onEntered?.(null);
  };

  /** Enter in the coordinates box: read, convert from the chosen datum, place the pin and show it. */
  const applyText = () => {
    if (!text.trim()) return;
    const r = parseCoordinates(text);
    if (!r.ok) {
      setTextError(t(r.reason === 'range' ? 'location.textRange' : 'location.textFormat'));
      return;
    }
    setTextError(null);
    const [x, y] = toWgs84(datum, r.lng, r.lat);
    onChange?.([round6(x), round6(y)]);
    onEntered?.(datum === 'wgs84' ? null : { datum, coordinates: [r.lng, r.lat] });
    map?.flyTo({ center: [x, y], zoom: Math.max(map.getZoom(), PLACE_ZOOM), duration: 600 });
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
      <Space.Compact className="location-text">
        <Select
          value={datum}
          onChange={setDatum}
          popupMatchSelectWidth={false}
          style={{ width: 200 }}
          aria-label={t('location.datum')}
          data-testid="location-datum"
          options={ENTRY_DATUMS.map((d) => ({ value: d, label: en ? DATUM_INFO[d].en : DATUM_INFO[d].zh }))}
        />
        <Input
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setTextError(null);
          }}
          onPressEnter={(e) => {
            // Enter places the point; it must not submit the form around it
            e.preventDefault();
            applyText();
          }}
          status={textError ? 'error' : undefined}
          placeholder={t('location.textPlaceholder')}
          aria-label={t('location.text')}
          data-testid="location-text"
          id={id ? `${id}-text` : undefined}
        />
        <Button onClick={applyText} data-testid="location-text-apply">
          {t('location.textApply')}
        </Button>
      </Space.Compact>
      {textError && (
        <div className="location-text-error" role="alert">
          {textError}
        </div>
      )}
      {datum === 'gcj02' && <div className="location-hint">{t('location.gcjNote')}</div>}
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
        {value && (
          <span className="location-dms mono" data-testid="location-dms">
            {formatDms(value[1], 'lat')} {formatDms(value[0], 'lng')}
          </span>
        )}
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
