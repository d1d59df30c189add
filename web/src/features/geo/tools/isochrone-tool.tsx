import { CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, InputNumber, Space, Spin, Tag, Tooltip } from 'antd';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import type { RouteProfile } from '../../../api/contracts.ts';
import { type IsochroneResult, isochrone } from '../../../api/geo.ts';
import { errorMessage } from '../../../components/errors.tsx';
import { formatLonLat, ringAreaM2 } from '../../../map/geo-math.ts';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../../map/overlay.ts';
import { nameTheField } from '../map-text.ts';
import {
  Choice,
  type LonLat,
  lonLatOf,
  ProfileField,
  ToolPanel,
  type ToolProps,
  useDrawingMode,
  useMapEvent,
  usePointMarkers,
} from './tool-kit.tsx';

const PRESETS = [5, 10, 15, 30];
const COLOR = '#7b3fe4';
const MAX_ORIGINS = 200;

const SPECS: OverlayLayer[] = [
  {
    id: 'iso-area',
    type: 'fill',
    filter: ['==', ['get', 'role'], 'area'],
    paint: { 'fill-color': COLOR, 'fill-opacity': 0.16 },
  } as OverlayLayer,
  {
    id: 'iso-outline',
    type: 'line',
    filter: ['==', ['get', 'role'], 'area'],
    paint: { 'line-color': COLOR, 'line-width': 1.5, 'line-opacity': 0.8 },
  } as OverlayLayer,
  {
    id: 'iso-roads',
    type: 'line',
    filter: ['==', ['get', 'role'], 'roads'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': COLOR,
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.2, 14, 3],
      'line-opacity': 0.9,
    },
  } as OverlayLayer,
];

/** Holes smaller than this (m²) are the insides of city blocks the roads around them reach: not drawn. */
const SPECK_M2 = 60_000;

/** The reachable area without block-sized holes, which would draw as a rash of small rings. */
function withoutSpecks(f: Feature | null | undefined): Feature | null | undefined {
  const g = f?.geometry;
  if (!f || !g) return f;
  const keep = (rings: Position[][]) => [rings[0], ...rings.slice(1).filter((r) => ringAreaM2(r) >= SPECK_M2)];
  if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: keep(g.coordinates) } };
  if (g.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(keep) } };
  return f;
}

interface Origin {
  key: number;
  at: LonLat;
  label?: string;
}

let nextKey = 1;

/**
 * Isochrone: each click adds an origin (from the search box too); the area reachable within the chosen minutes
 * on the chosen profile is drawn as a translucent area with the roads reached, and its size given in km².
 */
export function IsochroneTool({ map, onClose, picked }: ToolProps) {
  const { t } = useTranslation('geo');
  const [origins, setOrigins] = useState<Origin[]>([]);
  const [preset, setPreset] = useState<number | 'custom'>(10);
  const [custom, setCustom] = useState<number | null>(20);
  const [profile, setProfile] = useState<RouteProfile>('emergency');
  const [result, setResult] = useState<IsochroneResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  useDrawingMode(map, false);
  const minutes = preset === 'custom' ? custom : preset;

  const add = (o: Omit<Origin, 'key'>) =>
    setOrigins((list) => (list.length >= MAX_ORIGINS ? list : [...list, { ...o, key: nextKey++ }]));
  const addRef = useRef(add);
  addRef.current = add;
  useMapEvent(map, 'click', (e) => add({ at: lonLatOf(e) }));
  const lastPick = useRef(picked?.seq ?? 0);
  useEffect(() => {
    if (!picked || picked.seq === lastPick.current) return;
    lastPick.current = picked.seq;
    addRef.current({ at: picked.point, label: picked.label });
  }, [picked]);

  const markers = useMemo(
    () => origins.map((o, i) => ({ at: o.at, text: String(i + 1), kind: 'origin', title: o.label })),
    [origins],
  );
  usePointMarkers(map, markers, (i, at) =>
    setOrigins((list) => list.map((o, j) => (j === i ? { key: o.key, at } : o))),
  );

  useEffect(() => {
    if (!origins.length || !minutes || minutes <= 0) {
      setResult(null);
      setError(null);
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    const timer = setTimeout(() => {
      isochrone({ origins: origins.map((o) => o.at), minutes, profile })
        .then((r) => {
          if (mine === seq.current) setResult(r);
        })
        .catch((err: unknown) => {
          if (mine !== seq.current) return;
          setResult(null);
          const field = err instanceof ApiError ? err.field : undefined;
          const n = field ? /^origins\.(\d+)/.exec(field) : null;
          setError(
            nameTheField(errorMessage(err), n ? n[0] : undefined, n ? t('iso.origin', { n: Number(n[1]) + 1 }) : null),
          );
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 250);
    return () => clearTimeout(timer);
  }, [origins, minutes, profile, t]);

  const fc = useMemo<FeatureCollection>(() => {
    if (!result) return EMPTY_FC;
    const tag = (f: Feature | null | undefined, role: string): Feature[] =>
      f?.geometry ? [{ ...f, properties: { ...(f.properties ?? {}), role } }] : [];
    return {
      type: 'FeatureCollection',
      features: [...tag(withoutSpecks(result.area), 'area'), ...tag(result.roads, 'roads')],
    };
  }, [result]);
  useGeojsonOverlay(map, 'isochrone', fc, SPECS, 'analysis');

  return (
    <ToolPanel
      title={t('tools.isochrone')}
      hint={origins.length ? t('iso.hintMore') : t('iso.hintStart')}
      onClose={onClose}
      testId="isochrone-panel"
    >
      <div className="tool-field">
        <span className="tool-field-label">{t('iso.minutes')}</span>
        <Space size={6} wrap>
          <Choice
            value={preset}
            onChange={(v) => setPreset(v as number | 'custom')}
            options={[
              ...PRESETS.map((m) => ({ value: m, label: String(m) })),
              { value: 'custom', label: t('iso.custom') },
            ]}
            data-testid="iso-minutes"
          />
          {preset === 'custom' && (
            <InputNumber
              size="small"
              min={1}
              max={720}
              value={custom}
              onChange={(v) => setCustom(v)}
              suffix={t('iso.min')}
              style={{ width: 96 }}
              data-testid="iso-custom"
              aria-label={t('iso.minutes')}
            />
          )}
        </Space>
      </div>
      <ProfileField value={profile} onChange={setProfile} testId="iso-profile" />
      {origins.length > 0 && (
        <div className="iso-origins" data-testid="iso-origins">
          {origins.map((o, i) => (
            <div key={o.key} className="iso-origin">
              <span className="tool-marker tool-marker-origin tool-marker-inline">{i + 1}</span>
              <span className="route-end-text">{o.label ?? <span className="mono">{formatLonLat(o.at)}</span>}</span>
              <Tooltip title={t('tools.remove')}>
                <Button
                  type="text"
                  size="small"
                  icon={<CloseCircleFilled />}
                  onClick={() => setOrigins((list) => list.filter((_, j) => j !== i))}
                  aria-label={t('tools.remove')}
                />
              </Tooltip>
            </div>
          ))}
          {origins.length > 1 && (
            <Button size="small" type="link" onClick={() => setOrigins([])} style={{ paddingInline: 0 }}>
              {t('tools.clearAll')}
            </Button>
          )}
        </div>
      )}
      {loading && (
        <div className="tool-loading">
          <Spin size="small" /> {t('iso.computing')}
        </div>
      )}
      {error && <Alert type="error" showIcon className="tool-alert" title={error} data-testid="iso-error" />}
      {result && !loading && (
        <div className="tool-result" data-testid="iso-result">
          <div className="tool-figure">
            <span className="tool-figure-label">{t('iso.area', { minutes })}</span>
            <span className="tool-figure-value" data-testid="iso-area">
              {result.areaKm2.toFixed(2)} km²
            </span>
          </div>
          {result.network.synthetic && (
            <Tag color="orange" className="tool-network-tag">
              {t('network.syntheticShort')}
            </Tag>
          )}
        </div>
      )}
    </ToolPanel>
  );
}
