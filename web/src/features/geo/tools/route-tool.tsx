import { CloseCircleFilled, SwapOutlined } from '@ant-design/icons';
import { Alert, Button, Spin, Tag, Tooltip } from 'antd';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import type { RouteProfile, RouteReply } from '../../../api/contracts.ts';
import { routeBetween } from '../../../api/geo.ts';
import { errorMessage } from '../../../components/errors.tsx';
import { bboxOf, formatKm, formatLonLat } from '../../../map/geo-math.ts';
import { EMPTY_FC, type OverlayLayer, useGeojsonOverlay } from '../../../map/overlay.ts';
import { nameTheField } from '../map-text.ts';
import { RouteSteps } from './route-steps.tsx';
import { stepPieces, stepRoad } from './route-text.ts';
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

type Metric = 'time' | 'distance';
interface End {
  at: LonLat;
  label?: string;
}

/** A line of `line` px wide at zooms 8 and 14, drawn over a white casing of `casing` px. */
function casedLine(id: string, color: string, line: [number, number], casing: [number, number]): OverlayLayer[] {
  const width = ([w8, w14]: [number, number]) => ['interpolate', ['linear'], ['zoom'], 8, w8, 14, w14];
  const layout = { 'line-cap': 'round', 'line-join': 'round' };
  return [
    { id: `${id}-casing`, type: 'line', layout, paint: { 'line-color': '#ffffff', 'line-width': width(casing) } },
    { id: `${id}-line`, type: 'line', layout, paint: { 'line-color': color, 'line-width': width(line) } },
  ] as OverlayLayer[];
}

const SPECS = casedLine('route', '#1668dc', [3.5, 7], [6, 11]);
/** the piece of the route of the step pointed at in the list: drawn over the route in a colour of its own */
const STEP_SPECS = casedLine('route-step', '#fa8c16', [5, 9], [8, 14]);

/** map padding when fitting the route or a step: the tool's panel (310 px) lies over the left of the map */
const PANEL_CLEAR = { top: 80, bottom: 80, right: 80, left: 400 };

/** an end farther than this from its road is worth telling: the crew drives the last stretch off the road */
const SNAP_NOTE_M = 10;

export function formatMinutes(seconds: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const min = seconds / 60;
  if (min < 60) return t('route.minutes', { value: min < 10 ? min.toFixed(1) : Math.round(min) });
  return t('route.hoursMinutes', { h: Math.floor(min / 60), m: Math.round(min % 60) });
}

/**
 * Route: a click sets the start, the next the end (later clicks move the end); points from the search box count
 * as clicks; markers can be dragged. The route is drawn with its time and length, whether it takes a ferry, how far
 * an end lies from its road (when that is more than a few metres) and its turn-by-turn directions; off-network
 * points and unreachable ends are reported with the server's words.
 */
export function RouteTool({ map, onClose, picked }: ToolProps) {
  const { t, i18n } = useTranslation('geo');
  const [from, setFrom] = useState<End | null>(null);
  const [to, setTo] = useState<End | null>(null);
  const [profile, setProfile] = useState<RouteProfile>('emergency');
  const [metric, setMetric] = useState<Metric>('time');
  const [result, setResult] = useState<RouteReply | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [activeStep, setActiveStep] = useState<number | null>(null);
  const seq = useRef(0);
  useDrawingMode(map, false);

  const place = (end: End) => {
    if (!from) setFrom(end);
    else setTo(end);
  };
  const placeRef = useRef(place);
  placeRef.current = place;
  useMapEvent(map, 'click', (e) => place({ at: lonLatOf(e) }));
  const lastPick = useRef(picked?.seq ?? 0);
  useEffect(() => {
    if (!picked || picked.seq === lastPick.current) return;
    lastPick.current = picked.seq;
    placeRef.current({ at: picked.point, label: picked.label });
  }, [picked]);

  const markers = useMemo(() => {
    const m: { at: LonLat; text: string; kind: string; title?: string }[] = [];
    if (from) m.push({ at: from.at, text: t('route.startShort'), kind: 'start', title: t('route.from') });
    if (to) m.push({ at: to.at, text: t('route.endShort'), kind: 'end', title: t('route.to') });
    return m;
  }, [from, to, t]);
  usePointMarkers(map, markers, (i, at) => (i === 0 ? setFrom({ at }) : setTo({ at })));

  useEffect(() => {
    if (!from || !to) {
      setResult(null);
      setError(null);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    routeBetween({ from: from.at, to: to.at, profile, metric })
      .then((r) => {
        if (mine !== seq.current) return;
        setResult(r);
        setActiveStep(null);
        const b = bboxOf(r.geometry);
        if (b) {
          const view = map.getBounds();
          const inside = view.contains([b[0], b[1]]) && view.contains([b[2], b[3]]);
          // the tool's panel covers the map's left side: keep the route clear of it
          if (!inside) map.fitBounds(b, { padding: PANEL_CLEAR, maxZoom: 15, duration: 600 });
        }
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        setResult(null);
        setError({ message: errorMessage(err), field: err instanceof ApiError ? err.field : undefined });
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [map, from, to, profile, metric]);

  const fc = useMemo<FeatureCollection>(
    () =>
      result
        ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: result.geometry }] }
        : EMPTY_FC,
    [result],
  );
  useGeojsonOverlay(map, 'route', fc, SPECS, 'analysis');

  const pieces = useMemo(() => (result ? stepPieces(result.geometry.coordinates, result.steps) : []), [result]);
  const stepFc = useMemo<FeatureCollection>(() => {
    const piece = activeStep !== null ? pieces[activeStep] : undefined;
    if (!piece || piece.length < 2) return EMPTY_FC;
    return {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: piece } }],
    };
  }, [pieces, activeStep]);
  useGeojsonOverlay(map, 'route-step', stepFc, STEP_SPECS, 'analysis');
  const zoomToStep = (i: number) => {
    setActiveStep(i);
    const piece = pieces[i];
    const b = piece && piece.length > 1 ? bboxOf({ type: 'LineString', coordinates: piece }) : null;
    if (b) map.fitBounds(b, { padding: PANEL_CLEAR, maxZoom: 17, duration: 500 });
  };
  const en = i18n.language === 'en';
  const snapNotes = result
    ? (['from', 'to'] as const)
        .filter((w) => result.snapped[w].meters > SNAP_NOTE_M)
        .map((w) => {
          const sn = result.snapped[w];
          return t(w === 'from' ? 'steps.snapFrom' : 'steps.snapTo', {
            meters: Math.round(sn.meters),
            road: stepRoad(sn, en),
          });
        })
    : [];

  const endRow = (which: 'from' | 'to', end: End | null, clear: () => void) => (
    <div className={`route-end route-end-${which}`} data-testid={`route-${which}`}>
      <span className={`route-end-dot route-end-dot-${which}`}>
        {which === 'from' ? t('route.startShort') : t('route.endShort')}
      </span>
      {end ? (
        <>
          <span className="route-end-text" title={formatLonLat(end.at)}>
            {end.label ?? <span className="mono">{formatLonLat(end.at)}</span>}
          </span>
          <Tooltip title={t('tools.remove')}>
            <Button
              type="text"
              size="small"
              icon={<CloseCircleFilled />}
              onClick={clear}
              aria-label={t('tools.remove')}
            />
          </Tooltip>
        </>
      ) : (
        <span className="muted">{which === 'from' ? t('route.pickFrom') : t('route.pickTo')}</span>
      )}
    </div>
  );

  const errorSide = error?.field?.startsWith('from')
    ? t('route.from')
    : error?.field?.startsWith('to')
      ? t('route.to')
      : null;

  return (
    <ToolPanel
      title={t('tools.route')}
      hint={!from ? t('route.hintFrom') : !to ? t('route.hintTo') : t('route.hintMove')}
      onClose={onClose}
      testId="route-panel"
    >
      <div className="route-ends">
        {endRow('from', from, () => {
          setFrom(to);
          setTo(null);
        })}
        {endRow('to', to, () => setTo(null))}
        {from && to && (
          <Tooltip title={t('route.swap')}>
            <Button
              className="route-swap"
              size="small"
              icon={<SwapOutlined rotate={90} />}
              onClick={() => {
                setFrom(to);
                setTo(from);
              }}
              aria-label={t('route.swap')}
            />
          </Tooltip>
        )}
      </div>
      <ProfileField value={profile} onChange={setProfile} testId="route-profile" />
      <div className="tool-field">
        <span className="tool-field-label">{t('route.metric')}</span>
        <Choice
          value={metric}
          onChange={(v) => setMetric(v as Metric)}
          options={[
            { value: 'time', label: t('route.fastest') },
            { value: 'distance', label: t('route.shortest') },
          ]}
          data-testid="route-metric"
        />
      </div>
      {loading && (
        <div className="tool-loading">
          <Spin size="small" /> {t('route.computing')}
        </div>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          className="tool-alert"
          data-testid="route-error"
          title={nameTheField(error.message, error.field, errorSide)}
        />
      )}
      {result && !loading && (
        <div className="tool-result" data-testid="route-result">
          <div className="tool-figure">
            <span className="tool-figure-label">{t('route.time')}</span>
            <span className="tool-figure-value" data-testid="route-time">
              {formatMinutes(result.seconds, t)}
            </span>
          </div>
          <div className="tool-figure">
            <span className="tool-figure-label">{t('route.distance')}</span>
            <span className="tool-figure-value" data-testid="route-distance">
              {formatKm(result.meters)}
            </span>
          </div>
          <div className="tool-tags">
            {result.ferry && (
              <Tooltip title={t('steps.ferryNote')}>
                <Tag color="blue" className="tool-network-tag" data-testid="route-ferry">
                  {t('steps.ferryTag')}
                </Tag>
              </Tooltip>
            )}
            {result.network.synthetic && (
              <Tag color="orange" className="tool-network-tag">
                {t('network.syntheticShort')}
              </Tag>
            )}
          </div>
        </div>
      )}
      {result && !loading && snapNotes.length > 0 && (
        <div className="route-snap-notes" data-testid="route-snap">
          {snapNotes.map((n) => (
            <div key={n}>{n}</div>
          ))}
        </div>
      )}
      {result && !loading && (
        <RouteSteps result={result} active={activeStep} onHover={setActiveStep} onPick={zoomToStep} />
      )}
    </ToolPanel>
  );
}
