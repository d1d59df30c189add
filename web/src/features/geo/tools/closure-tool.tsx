import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Empty, Form, Input, Spin, Tag } from 'antd';
import type dayjs from 'dayjs';
import type { Feature, FeatureCollection } from 'geojson';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Closure, ROAD_CLASS_STYLE, type Road, roadStyleClass } from '../../../api/contracts.ts';
import { createClosure, geoKeys, roadsNear } from '../../../api/geo.ts';
import { applyServerError, errorMessage } from '../../../components/errors.tsx';
import { fromShanghaiWall } from '../../../i18n/index.ts';
import { formatKm, lineLengthM } from '../../../map/geo-math.ts';
import { type OverlayLayer, useGeojsonOverlay } from '../../../map/overlay.ts';
import {
  Choice,
  draftLayers,
  type LonLat,
  lonLatOf,
  ToolPanel,
  type ToolProps,
  useDrawingMode,
  useMapEvent,
  useToolKeys,
} from './tool-kit.tsx';

type Mode = 'pick' | 'draw';
const NEAR_M = 50;
const RED = '#d4380d';

const SPECS: OverlayLayer[] = [
  {
    id: 'closure-draft-candidate',
    type: 'line',
    filter: ['all', ['==', ['get', 'role'], 'road'], ['!', ['get', 'selected']]],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': '#1668dc',
      'line-width': ['case', ['get', 'hover'], 7, 4],
      'line-opacity': 0.55,
    },
  } as OverlayLayer,
  {
    id: 'closure-draft-casing',
    type: 'line',
    filter: ['any', ['all', ['==', ['get', 'role'], 'road'], ['get', 'selected']], ['==', ['get', 'role'], 'draw']],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    // a pale red band under the dashes: "about to be closed", not yet a closure
    paint: { 'line-color': '#ffa39e', 'line-width': ['case', ['get', 'hover'], 14, 11], 'line-opacity': 0.7 },
  } as OverlayLayer,
  {
    id: 'closure-draft-selected',
    type: 'line',
    filter: ['any', ['all', ['==', ['get', 'role'], 'road'], ['get', 'selected']], ['==', ['get', 'role'], 'draw']],
    layout: { 'line-join': 'round' },
    paint: { 'line-color': RED, 'line-width': ['case', ['get', 'hover'], 7, 5], 'line-dasharray': [2, 1.2] },
  } as OverlayLayer,
  ...draftLayers('closure-draft', RED),
];

interface FormValues {
  cause: string;
  startsAt?: dayjs.Dayjs | null;
  expectedEndAt?: dayjs.Dayjs | null;
}

/**
 * Close a road: click near it and tick the segments found within 50 m, or draw a line along it (double-click
 * ends); then give the cause and times. Writes need `closures.manage` (the toolbar shows the tool only then).
 */
export function ClosureTool({ map, onClose, onCreated }: ToolProps & { onCreated: (c: Closure) => void }) {
  const { t, i18n } = useTranslation('geo');
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [mode, setMode] = useState<Mode>('pick');
  const [candidates, setCandidates] = useState<Road[]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [searching, setSearching] = useState(false);
  const [lastEmpty, setLastEmpty] = useState(false);
  const [hoverId, setHoverId] = useState<number | null>(null);
  const [points, setPoints] = useState<LonLat[]>([]);
  const [drawn, setDrawn] = useState(false);
  const [rubber, setRubber] = useState<LonLat | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  useDrawingMode(map, mode === 'draw');

  const reset = () => {
    setCandidates([]);
    setSelected(new Set());
    setPoints([]);
    setDrawn(false);
    setError(null);
    setLastEmpty(false);
  };

  const pickNear = async (p: LonLat) => {
    const mine = ++seq.current;
    setSearching(true);
    setError(null);
    try {
      const { items } = await roadsNear(p, NEAR_M);
      if (mine !== seq.current) return;
      setLastEmpty(items.length === 0);
      const open = items.filter((r) => !r.closed);
      // keep what is ticked, add the new finds; the nearest open road is ticked for you
      setCandidates((prev) => {
        const keep = prev.filter((r) => selected.has(r.id));
        const ids = new Set(keep.map((r) => r.id));
        return [...keep, ...items.filter((r) => !ids.has(r.id))];
      });
      if (open.length) setSelected((s) => new Set([...s, open[0].id]));
    } catch (err) {
      if (mine === seq.current) setError(errorMessage(err));
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  };

  useMapEvent(map, 'click', (e) => {
    const p = lonLatOf(e);
    if (mode === 'pick') void pickNear(p);
    else if (drawn) {
      setPoints([p]);
      setDrawn(false);
    } else setPoints((pts) => [...pts, p]);
  });
  useMapEvent(map, 'dblclick', (e) => {
    if (mode !== 'draw') return;
    e.preventDefault();
    setPoints((pts) => pts.filter((p, i) => i === 0 || Math.hypot(p[0] - pts[i - 1][0], p[1] - pts[i - 1][1]) > 1e-7));
    setDrawn(true);
  });
  useMapEvent(map, 'mousemove', (e) => setRubber(mode === 'draw' && !drawn ? lonLatOf(e) : null));
  useToolKeys((e) => {
    if (mode !== 'draw') return;
    if (e.key === 'Enter' && points.length > 1) setDrawn(true);
    else if (e.key === 'Backspace' && !drawn) setPoints((p) => p.slice(0, -1));
  });

  const fc = useMemo<FeatureCollection>(() => {
    const features: Feature[] = [];
    if (mode === 'pick')
      for (const r of candidates)
        features.push({
          type: 'Feature',
          properties: { role: 'road', selected: selected.has(r.id), hover: hoverId === r.id },
          geometry: r.geometry,
        });
    else {
      for (const p of points)
        features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } });
      if (points.length > 1)
        features.push({
          type: 'Feature',
          properties: { role: 'draw', hover: false },
          geometry: { type: 'LineString', coordinates: points },
        });
      if (!drawn && rubber && points.length)
        features.push({
          type: 'Feature',
          properties: { role: 'rubber' },
          geometry: { type: 'LineString', coordinates: [points[points.length - 1], rubber] },
        });
    }
    return { type: 'FeatureCollection', features };
  }, [mode, candidates, selected, hoverId, points, drawn, rubber]);
  useGeojsonOverlay(map, 'closure-draft', fc, SPECS, 'tools');

  const roadName = (r: Road) => (en ? r.nameEn || r.name : r.name) || t('closure.unnamed');
  const className = (r: Road) => {
    const s = ROAD_CLASS_STYLE[roadStyleClass(r.class)];
    return en ? s.en : s.zh;
  };
  const ready = mode === 'pick' ? selected.size > 0 : drawn && points.length > 1;

  const submit = async (v: FormValues) => {
    if (!ready) return;
    const startsAt = v.startsAt ? fromShanghaiWall(v.startsAt) : undefined;
    const expectedEndAt = v.expectedEndAt ? fromShanghaiWall(v.expectedEndAt) : undefined;
    setSaving(true);
    setError(null);
    try {
      const c = await createClosure({
        ...(mode === 'pick'
          ? { roadIds: [...selected] }
          : { geometry: { type: 'LineString' as const, coordinates: points } }),
        cause: v.cause.trim(),
        startsAt,
        expectedEndAt,
      });
      void message.success(t('closure.created', { number: c.number }));
      void qc.invalidateQueries({ queryKey: geoKeys.closures });
      form.resetFields();
      reset();
      onCreated(c);
    } catch (err) {
      if (!applyServerError(form, err, ['cause', 'startsAt', 'expectedEndAt'])) setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const hint =
    mode === 'pick'
      ? t('closure.hintPick', { meters: NEAR_M })
      : drawn
        ? t('closure.hintDrawn')
        : points.length
          ? t('closure.hintDrawNext')
          : t('closure.hintDraw');

  return (
    <ToolPanel title={t('tools.closure')} hint={hint} onClose={onClose} testId="closure-panel">
      <Choice
        block
        value={mode}
        onChange={(v) => {
          setMode(v as Mode);
          reset();
        }}
        options={[
          { value: 'pick', label: t('closure.modePick') },
          { value: 'draw', label: t('closure.modeDraw') },
        ]}
        data-testid="closure-mode"
      />
      {mode === 'pick' && (
        <div className="closure-candidates" data-testid="closure-candidates">
          {searching && (
            <div className="tool-loading">
              <Spin size="small" /> {t('closure.searching')}
            </div>
          )}
          {!searching && candidates.length === 0 && (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={lastEmpty ? t('closure.noneNear', { meters: NEAR_M }) : t('closure.clickNear')}
            />
          )}
          {candidates.map((r) => (
            // biome-ignore lint/a11y/noStaticElementInteractions: hovering only highlights the road on the map; the checkbox is the control
            <div
              key={r.id}
              className={hoverId === r.id ? 'closure-road hover' : 'closure-road'}
              onMouseEnter={() => setHoverId(r.id)}
              onMouseLeave={() => setHoverId(null)}
              data-testid="closure-road"
            >
              <Checkbox
                checked={selected.has(r.id)}
                disabled={r.closed}
                onChange={(e) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(r.id);
                    else next.delete(r.id);
                    return next;
                  })
                }
              >
                <span className="closure-road-name">{roadName(r)}</span>
              </Checkbox>
              <span className="closure-road-meta">
                {className(r)} · {r.meters >= 1000 ? formatKm(r.meters) : `${Math.round(r.meters)} m`}
                {r.oneway !== 'both' && ` · ${t('closure.oneway')}`}
              </span>
              {r.closed && (
                <Tag color="red" className="closure-road-tag">
                  {t('closure.alreadyClosed')}
                </Tag>
              )}
            </div>
          ))}
          {candidates.length > 0 && (
            <div className="muted small">
              {t('closure.selected', { count: selected.size })}
              {selected.size > 0 && (
                <Button type="link" size="small" onClick={() => setSelected(new Set())}>
                  {t('tools.clearAll')}
                </Button>
              )}
            </div>
          )}
        </div>
      )}
      {mode === 'draw' && points.length > 1 && (
        <div className="muted small closure-drawn" data-testid="closure-drawn">
          {t('closure.drawnLength', { length: formatKm(lineLengthM(points)), count: points.length })}
          <Button type="link" size="small" onClick={reset}>
            {t('closure.redraw')}
          </Button>
        </div>
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        size="small"
        className="closure-form"
        requiredMark
        onFinish={(v) => void submit(v)}
        // Enter in a date field confirms the date; it must not also send the closure
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.target as HTMLElement).closest('.ant-picker')) e.preventDefault();
        }}
        data-testid="closure-form"
      >
        <Form.Item
          name="cause"
          label={t('closure.cause')}
          rules={[
            { required: true, whitespace: true, message: t('closure.causeRequired') },
            { max: 500, message: t('closure.causeTooLong') },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('closure.causePlaceholder')}
            data-testid="closure-cause"
            id="closure-cause"
          />
        </Form.Item>
        <div className="closure-times">
          <Form.Item name="startsAt" label={t('closure.startsAt')} tooltip={t('closure.startsAtHint')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              placeholder={t('closure.now')}
              data-testid="closure-starts"
            />
          </Form.Item>
          <Form.Item
            name="expectedEndAt"
            label={t('closure.expectedEndAt')}
            dependencies={['startsAt']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, value: dayjs.Dayjs | null | undefined) => {
                  if (!value) return Promise.resolve();
                  const start = getFieldValue('startsAt') as dayjs.Dayjs | null | undefined;
                  const end = Date.parse(fromShanghaiWall(value));
                  const from = start ? Date.parse(fromShanghaiWall(start)) : Date.now();
                  if (end <= from) return Promise.reject(new Error(t('closure.endBeforeStart')));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              placeholder={t('closure.optional')}
              data-testid="closure-end"
            />
          </Form.Item>
        </div>
        {error && <Alert type="error" showIcon className="tool-alert" title={error} data-testid="closure-error" />}
        <Button
          type="primary"
          danger
          htmlType="submit"
          block
          loading={saving}
          disabled={!ready}
          data-testid="closure-submit"
        >
          {mode === 'pick' && selected.size > 0
            ? t('closure.submitCount', { count: selected.size })
            : t('closure.submit')}
        </Button>
      </Form>
    </ToolPanel>
  );
}
