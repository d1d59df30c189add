import { Button, Space } from 'antd';
import type { Feature, FeatureCollection } from 'geojson';
import { Marker } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatKm, formatKm2, lineLengthM, ringAreaM2 } from '../../../map/geo-math.ts';
import { type OverlayLayer, useGeojsonOverlay } from '../../../map/overlay.ts';
import {
  draftLayers,
  type LonLat,
  lonLatOf,
  ToolPanel,
  type ToolProps,
  useDrawingMode,
  useMapEvent,
  useToolKeys,
} from './tool-kit.tsx';

const COLOR = '#0b5cad';
const SPECS: OverlayLayer[] = [
  {
    id: 'measure-fill',
    type: 'fill',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': COLOR, 'fill-opacity': 0.12 },
  } as OverlayLayer,
  {
    id: 'measure-line',
    type: 'line',
    filter: ['==', ['get', 'role'], 'line'],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': COLOR, 'line-width': 2.5 },
  } as OverlayLayer,
  ...draftLayers('measure', COLOR),
];

const CLOSE_PX = 10;

/**
 * Measure: each click adds a point; the running distance along the line shows at its end and in the panel.
 * Double-click or Enter finishes; clicking the first point again closes the shape and gives its area.
 * Backspace takes the last point back.
 */
export function MeasureTool({ map, onClose }: ToolProps) {
  const { t } = useTranslation('geo');
  const [points, setPoints] = useState<LonLat[]>([]);
  const [finished, setFinished] = useState(false);
  const [closed, setClosed] = useState(false);
  const [hover, setHover] = useState<LonLat | null>(null);
  useDrawingMode(map);

  const reset = () => {
    setPoints([]);
    setFinished(false);
    setClosed(false);
  };

  useMapEvent(map, 'click', (e) => {
    const p = lonLatOf(e);
    if (finished) {
      setPoints([p]);
      setFinished(false);
      setClosed(false);
      return;
    }
    if (points.length >= 3) {
      const first = map.project(points[0]);
      if (Math.hypot(first.x - e.point.x, first.y - e.point.y) <= CLOSE_PX) {
        setClosed(true);
        setFinished(true);
        return;
      }
    }
    setPoints([...points, p]);
  });
  useMapEvent(map, 'dblclick', (e) => {
    e.preventDefault();
    // the two clicks of a double-click added the same point twice
    setPoints((pts) => pts.filter((p, i) => i === 0 || Math.hypot(p[0] - pts[i - 1][0], p[1] - pts[i - 1][1]) > 1e-7));
    setFinished(true);
  });
  useMapEvent(map, 'mousemove', (e) => setHover(finished ? null : lonLatOf(e)));
  useMapEvent(map, 'mouseout', () => setHover(null));
  useToolKeys((e) => {
    if (e.key === 'Enter' && points.length > 1) setFinished(true);
    else if (e.key === 'Backspace' && !finished) setPoints((p) => p.slice(0, -1));
  });

  const lengthM = lineLengthM(closed ? [...points, points[0]] : points);
  const areaM2 = closed ? ringAreaM2([...points, points[0]]) : 0;

  const fc = useMemo<FeatureCollection>(() => {
    const features: Feature[] = points.map((p) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: p },
    }));
    if (points.length > 1)
      features.push({
        type: 'Feature',
        properties: { role: 'line' },
        geometry: { type: 'LineString', coordinates: closed ? [...points, points[0]] : points },
      });
    if (closed)
      features.push({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [[...points, points[0]]] },
      });
    if (!finished && hover && points.length)
      features.push({
        type: 'Feature',
        properties: { role: 'rubber' },
        geometry: { type: 'LineString', coordinates: [points[points.length - 1], hover] },
      });
    return { type: 'FeatureCollection', features };
  }, [points, closed, finished, hover]);
  useGeojsonOverlay(map, 'measure', fc, SPECS, 'tools');

  // the running total, at the end of the line
  const label = useRef<Marker | null>(null);
  const last = points[points.length - 1];
  const text = points.length > 1 ? (closed ? `${formatKm(lengthM)} · ${formatKm2(areaM2)}` : formatKm(lengthM)) : '';
  useEffect(() => {
    if (!last || !text) {
      label.current?.remove();
      label.current = null;
      return;
    }
    if (!label.current) {
      const el = document.createElement('div');
      el.className = 'measure-label';
      label.current = new Marker({ element: el, anchor: 'left', offset: [10, 0] }).setLngLat(last).addTo(map);
    }
    label.current.getElement().textContent = text;
    label.current.setLngLat(closed ? points[0] : last);
  }, [map, last, text, closed, points]);
  useEffect(
    () => () => {
      label.current?.remove();
      label.current = null;
    },
    [],
  );

  const hint = finished
    ? t('measure.hintDone')
    : points.length === 0
      ? t('measure.hintStart')
      : points.length < 3
        ? t('measure.hintNext')
        : t('measure.hintNextOrClose');

  return (
    <ToolPanel title={t('tools.measure')} hint={hint} onClose={onClose} testId="measure-panel">
      <div className="tool-result">
        <div className="tool-figure">
          <span className="tool-figure-label">{t('measure.distance')}</span>
          <span className="tool-figure-value" data-testid="measure-distance">
            {formatKm(lengthM)}
          </span>
        </div>
        {closed && (
          <div className="tool-figure">
            <span className="tool-figure-label">{t('measure.area')}</span>
            <span className="tool-figure-value" data-testid="measure-area">
              {formatKm2(areaM2)}
            </span>
          </div>
        )}
      </div>
      <div className="muted small">{t('measure.points', { count: points.length })}</div>
      <Space size={6} style={{ marginTop: 6 }}>
        <Button size="small" disabled={!points.length} onClick={reset}>
          {t('tools.clear')}
        </Button>
        {!finished && points.length > 1 && (
          <Button size="small" type="primary" onClick={() => setFinished(true)}>
            {t('measure.finish')}
          </Button>
        )}
      </Space>
    </ToolPanel>
  );
}
