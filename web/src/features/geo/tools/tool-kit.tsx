import { CloseOutlined } from '@ant-design/icons';
import { Button, Radio, Tooltip } from 'antd';
import { type Map as MapLibreMap, type MapMouseEvent, Marker } from 'maplibre-gl';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouteProfile } from '../../../api/contracts.ts';
import type { OverlayLayer } from '../../../map/overlay.ts';

export type LonLat = [number, number];

/** A point given to the active tool from the search box. */
export interface PickedPoint {
  point: LonLat;
  label: string;
  seq: number;
}

export interface ToolProps {
  map: MapLibreMap;
  onClose: () => void;
  picked: PickedPoint | null;
  /** the map's overlay element, for what a tool shows outside its panel (the coordinates readout) */
  overlay: HTMLElement | null;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
export const lonLatOf = (e: { lngLat: { lng: number; lat: number } }): LonLat => [
  round6(e.lngLat.lng),
  round6(e.lngLat.lat),
];

/** Map events for the life of a tool; handlers may change between renders. */
export function useMapEvent(
  map: MapLibreMap,
  type: 'click' | 'dblclick' | 'mousemove' | 'mouseout' | 'contextmenu',
  handler: (e: MapMouseEvent) => void,
): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const fn = (e: MapMouseEvent) => ref.current(e);
    map.on(type, fn);
    return () => {
      map.off(type, fn);
    };
  }, [map, type]);
}

/** Crosshair cursor and no double-click zoom while a drawing tool is active. */
export function useDrawingMode(map: MapLibreMap, noDoubleClickZoom = true): void {
  useEffect(() => {
    const canvas = map.getCanvas();
    canvas.classList.add('map-drawing');
    if (noDoubleClickZoom) map.doubleClickZoom.disable();
    return () => {
      canvas.classList.remove('map-drawing');
      try {
        if (noDoubleClickZoom) map.doubleClickZoom.enable();
      } catch {
        // the page (and its map) went first
      }
    };
  }, [map, noDoubleClickZoom]);
}

/** Keys for the tool (Esc is the page's: it closes the tool). Ignored while typing in a field. */
export function useToolKeys(handler: (e: KeyboardEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const fn = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      ref.current(e);
    };
    window.addEventListener('keydown', fn);
    return () => window.removeEventListener('keydown', fn);
  }, []);
}

function markerElement(text: string, kind: string, title?: string): HTMLElement {
  const el = document.createElement('div');
  el.className = `tool-marker tool-marker-${kind}`;
  el.textContent = text;
  if (title) el.title = title;
  return el;
}

/**
 * Numbered or lettered point markers for a tool (route ends, isochrone origins), draggable; kept in step with
 * `points`, removed with the tool.
 */
export function usePointMarkers(
  map: MapLibreMap,
  points: { at: LonLat; text: string; kind: string; title?: string }[],
  onMove?: (index: number, to: LonLat) => void,
): void {
  const markers = useRef<Marker[]>([]);
  const moveRef = useRef(onMove);
  moveRef.current = onMove;
  const key = points.map((p) => `${p.text}|${p.kind}|${p.title ?? ''}`).join(';');
  // rebuild when the set of markers (or the map) changes; the effect below moves them otherwise
  // biome-ignore lint/correctness/useExhaustiveDependencies: map and key are the triggers of the rebuild
  useEffect(() => {
    return () => {
      for (const m of markers.current) m.remove();
      markers.current = [];
    };
  }, [map, key]);
  useEffect(() => {
    points.forEach((p, i) => {
      let m = markers.current[i];
      if (!m) {
        m = new Marker({ element: markerElement(p.text, p.kind, p.title), draggable: !!moveRef.current });
        m.on('dragend', () => {
          const ll = m.getLngLat();
          moveRef.current?.(i, [round6(ll.lng), round6(ll.lat)]);
        });
        m.setLngLat(p.at).addTo(map);
        markers.current[i] = m;
      } else m.setLngLat(p.at);
    });
  });
}

/** The floating card of the active tool: what it is, what the next click does, its settings and result. */
export function ToolPanel({
  title,
  hint,
  onClose,
  children,
  testId,
}: {
  title: string;
  hint?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation('geo');
  return (
    <div className="tool-panel" data-testid={testId}>
      <div className="tool-panel-head">
        <span className="tool-panel-title">{title}</span>
        <span className="muted small">{t('tools.escHint')}</span>
        <Tooltip title={t('tools.close')}>
          <Button
            type="text"
            size="small"
            icon={<CloseOutlined />}
            onClick={onClose}
            aria-label={t('tools.close')}
            data-testid="tool-close"
          />
        </Tooltip>
      </div>
      {hint && (
        <div className="tool-panel-hint" data-testid="tool-hint">
          {hint}
        </div>
      )}
      {children && <div className="tool-panel-body">{children}</div>}
    </div>
  );
}

/** Copies text to the clipboard; also on plain-HTTP intranet pages, where `navigator.clipboard` is missing. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** A small set of exclusive choices as solid buttons: the chosen one stays clearly marked on a dim screen. */
export function Choice<T extends string | number>({
  value,
  onChange,
  options,
  block,
  ...rest
}: {
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: ReactNode }[];
  block?: boolean;
  'data-testid'?: string;
}) {
  return (
    <Radio.Group
      size="small"
      optionType="button"
      buttonStyle="solid"
      value={value}
      onChange={(e) => onChange(e.target.value as T)}
      options={options}
      block={block}
      data-testid={rest['data-testid']}
    />
  );
}

/** The vehicle choice of the route and isochrone tools: ordinary traffic or emergency vehicles. */
export function ProfileField({
  value,
  onChange,
  testId,
}: {
  value: RouteProfile;
  onChange: (p: RouteProfile) => void;
  testId: string;
}) {
  const { t } = useTranslation('geo');
  return (
    <div className="tool-field">
      <span className="tool-field-label">{t('route.profile')}</span>
      <Choice
        value={value}
        onChange={(v) => onChange(v as RouteProfile)}
        options={[
          { value: 'car', label: t('profile.car') },
          { value: 'emergency', label: t('profile.emergency') },
        ]}
        data-testid={testId}
      />
    </div>
  );
}

/**
 * The layers every drawing tool shows while a line is drawn: the rubber band from the last point to the pointer
 * (features with role "rubber") and the clicked points (Point features).
 */
export function draftLayers(prefix: string, color: string): OverlayLayer[] {
  return [
    {
      id: `${prefix}-rubber`,
      type: 'line',
      filter: ['==', ['get', 'role'], 'rubber'],
      paint: { 'line-color': color, 'line-width': 1.5, 'line-dasharray': [2, 2] },
    } as OverlayLayer,
    {
      id: `${prefix}-vertex`,
      type: 'circle',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': color, 'circle-stroke-width': 2 },
    } as OverlayLayer,
  ];
}
