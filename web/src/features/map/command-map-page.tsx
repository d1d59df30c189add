import {
  AimOutlined,
  ColumnWidthOutlined,
  EnvironmentOutlined,
  ExpandOutlined,
  NodeIndexOutlined,
  RadarChartOutlined,
  StopOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Badge, Button, Empty, Spin, Switch, Tabs, Tag, Tooltip } from 'antd';
import type { FeatureCollection, Point } from 'geojson';
import { type MapLayerMouseEvent, NavigationControl, Popup } from 'maplibre-gl';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import type { Closure, Incident } from '../../api/contracts.ts';
import { type ClosureFeatureProps, type SearchHit, useClosures, useMapLayers, useNetworkInfo } from '../../api/geo.ts';
import { useDistrictName, useMapIncidents } from '../../api/incidents.ts';
import { LevelTag, levelColor, StatusTag, useLevelLabel, useStatusLabel } from '../../components/tags.tsx';
import { formatTime } from '../../i18n/index.ts';
import { WEIHAI_BOUNDS } from '../../map/basemap.ts';
import { addOverlay, type OverlayLayer, setLayersVisible, setOverlayData } from '../../map/overlay.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';
import { CLOSURE_LAYER_IDS, FALLBACK_CATALOGUE, INCIDENT_LAYER_IDS, useLayerChoices } from './catalogue.ts';
import { CatalogueLayers } from './catalogue-layers.tsx';
import { ClosuresLayer } from './closures-layer.tsx';
import { ClosuresPanel } from './closures-panel.tsx';
import { LayerPanel } from './layer-panel.tsx';
import { MapSearch, useSearchHighlight } from './map-search.tsx';
import { ClosureTool } from './tools/closure-tool.tsx';
import { CoordinatesTool } from './tools/coordinates-tool.tsx';
import { IsochroneTool } from './tools/isochrone-tool.tsx';
import { MeasureTool } from './tools/measure-tool.tsx';
import { RouteTool } from './tools/route-tool.tsx';
import type { PickedPoint } from './tools/tool-kit.tsx';
import { useStreamState } from './use-incident-stream.ts';
import './command-map.css';

const LEVEL_RANK: Record<string, number> = { I: 0, II: 1, III: 2, IV: 3 };
const rank = (i: Incident) => (i.level ? LEVEL_RANK[i.level] : 4);

function toFeatures(items: Incident[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: items
      .filter((i) => i.location)
      .map((i) => ({
        type: 'Feature',
        id: undefined,
        geometry: { type: 'Point', coordinates: i.location!.coordinates },
        properties: {
          id: i.id,
          color: levelColor(i.level),
          rank: rank(i),
          closed: i.status === 'closed',
        },
      })),
  };
}

const INCIDENT_SPECS: OverlayLayer[] = [
  {
    id: INCIDENT_LAYER_IDS[0],
    type: 'circle',
    filter: ['<=', ['get', 'rank'], 1],
    paint: { 'circle-radius': 16, 'circle-color': ['get', 'color'], 'circle-opacity': 0.25 },
  } as OverlayLayer,
  {
    id: INCIDENT_LAYER_IDS[1],
    type: 'circle',
    paint: {
      'circle-radius': ['match', ['get', 'rank'], 0, 10, 1, 9, 2, 8, 3, 7, 6],
      'circle-color': ['get', 'color'],
      'circle-opacity': ['case', ['get', 'closed'], 0.45, 1],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
    layout: { 'circle-sort-key': ['-', 10, ['get', 'rank']] },
  } as OverlayLayer,
];

type ToolId = 'measure' | 'coords' | 'route' | 'isochrone' | 'closure';
const TOOL_ICON: Record<ToolId, ReactNode> = {
  measure: <ColumnWidthOutlined />,
  coords: <AimOutlined />,
  route: <NodeIndexOutlined />,
  isochrone: <RadarChartOutlined />,
  closure: <StopOutlined />,
};

function el(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The one map: live incidents over Anlan's offline basemap, the layers of the catalogue with their legend,
 * search, and the tools of the duty room (measure, coordinates, route, isochrone, road closures).
 */
export function CommandMapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const canGeo = can(user, 'geo.read');
  const canClose = can(user, 'closures.manage');

  const layers = useMapLayers(canGeo);
  const catalogue = useMemo(() => {
    const items = layers.data?.items;
    if (!items?.length) return FALLBACK_CATALOGUE;
    return items.some((l) => l.id === 'incidents') ? items : [...FALLBACK_CATALOGUE, ...items];
  }, [layers.data]);
  const { visible, setVisible } = useLayerChoices(catalogue);
  const network = useNetworkInfo(canGeo);
  const noNetwork = network.error instanceof ApiError && network.error.code === 'NO_ROAD_NETWORK';

  const attribution = useMemo(() => {
    const lines = new Set<string>();
    for (const l of catalogue) {
      if (!visible[l.id]) continue;
      if (l.note) lines.add(l.note);
      if (l.attribution) lines.add(l.attribution);
    }
    return [...lines];
  }, [catalogue, visible]);

  const ref = useRef<HTMLDivElement>(null);
  const mainRef = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref, { attribution });
  const [showClosed, setShowClosed] = useState(false);
  const incidents = useMapIncidents(showClosed);
  const items = incidents.data?.items ?? [];
  const fc = useMemo(() => toFeatures(items), [items]);
  const [bounds, setBounds] = useState<[number, number, number, number] | null>(null);
  const popupRef = useRef<Popup | null>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const statusLabel = useStatusLabel();
  const levelLabel = useLevelLabel();
  const stream = useStreamState();
  const districtName = useDistrictName();
  const labelsRef = useRef({ statusLabel, levelLabel, t });
  labelsRef.current = { statusLabel, levelLabel, t };

  const [tool, setTool] = useState<ToolId | null>(null);
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [tab, setTab] = useState<'incidents' | 'closures'>('incidents');
  const [searchHit, setSearchHit] = useState<SearchHit | null>(null);
  const [picked, setPicked] = useState<PickedPoint | null>(null);
  useSearchHighlight(map, searchHit);
  const openClosures = useClosures('open', canGeo);
  const closureCount = openClosures.data?.total ?? 0;

  const showPopup = useCallback(
    (at: [number, number], content: HTMLElement) => {
      if (!map) return;
      popupRef.current?.remove();
      popupRef.current = new Popup({ closeButton: true, maxWidth: '320px', offset: 10 })
        .setLngLat(at)
        .setDOMContent(content)
        .addTo(map);
    },
    [map],
  );

  const openPopup = (incident: Incident) => {
    if (!map || !incident.location) return;
    const { statusLabel: sl, levelLabel: ll, t: tt } = labelsRef.current;
    const root = el('div', 'incident-popup');
    root.dataset.testid = 'incident-popup';
    const meta = el('div', 'incident-popup-meta');
    const lv = el('span', 'incident-popup-level', ll(incident.level, true));
    lv.style.background = levelColor(incident.level);
    meta.append(lv, el('span', '', `${sl(incident.status)} · ${formatTime(incident.occurredAt)}`));
    const link = el('a', 'incident-popup-link', tt('map.openDetail')) as HTMLAnchorElement;
    link.href = `/incidents/${incident.id}`;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/incidents/${incident.id}`);
    });
    root.append(
      el('div', 'incident-popup-number', incident.number),
      el('div', 'incident-popup-title', incident.title),
      meta,
      link,
    );
    showPopup(incident.location.coordinates as [number, number], root);
  };
  const openPopupRef = useRef(openPopup);
  openPopupRef.current = openPopup;

  const openClosurePopup = (p: ClosureFeatureProps, at: [number, number]) => {
    const tt = labelsRef.current.t;
    const root = el('div', 'incident-popup closure-popup');
    root.dataset.testid = 'closure-popup';
    const names = Array.isArray(p.roadNames) ? p.roadNames.join('、') : String(p.roadNames ?? '');
    const meta = el('div', 'incident-popup-meta');
    const state = el('span', `closure-popup-state closure-popup-state-${p.state}`, tt(`map.closures.state.${p.state}`));
    meta.append(
      state,
      el(
        'span',
        '',
        `${formatTime(p.startsAt)} → ${p.expectedEndAt ? formatTime(p.expectedEndAt) : tt('map.closures.untilCleared')}`,
      ),
    );
    // another district's closure: its line and state are everyone's, its record and cause are not
    root.append(
      el('div', 'incident-popup-number', p.inScope ? (p.number ?? '') : tt('map.closures.otherDistrict')),
      el('div', 'incident-popup-title', names || tt('map.closure.unnamed')),
      ...(p.inScope ? [el('div', 'closure-popup-cause', p.cause ?? '')] : []),
      meta,
    );
    showPopup(at, root);
  };
  const openClosurePopupRef = useRef(openClosurePopup);
  openClosurePopupRef.current = openClosurePopup;

  // incident layer and map furniture, once per map
  useEffect(() => {
    if (!map) return;
    addOverlay(map, 'incidents', { type: 'FeatureCollection', features: [] }, INCIDENT_SPECS, 'points');
    const nav = new NavigationControl({ showCompass: false });
    map.addControl(nav, 'bottom-right');
    const onClick = (e: MapLayerMouseEvent) => {
      if (toolRef.current) return;
      const id = e.features?.[0]?.properties?.id as string | undefined;
      const incident = itemsRef.current.find((i) => i.id === id);
      if (incident) openPopupRef.current(incident);
    };
    const onClosureClick = (e: MapLayerMouseEvent) => {
      if (toolRef.current) return;
      // an incident on top of the closure wins
      if (map.queryRenderedFeatures(e.point, { layers: [INCIDENT_LAYER_IDS[1]] }).length) return;
      const f = e.features?.[0];
      if (!f) return;
      const props = { ...f.properties } as Record<string, unknown>;
      if (typeof props.roadNames === 'string' && props.roadNames.startsWith('['))
        try {
          props.roadNames = JSON.parse(props.roadNames);
        } catch {
          // shown as it is
        }
      openClosurePopupRef.current(props as unknown as ClosureFeatureProps, [e.lngLat.lng, e.lngLat.lat]);
    };
    const enter = () => {
      if (!toolRef.current) map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    const moved = () => {
      const b = map.getBounds();
      setBounds([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    };
    map.on('click', INCIDENT_LAYER_IDS[1], onClick);
    map.on('click', CLOSURE_LAYER_IDS[1], onClosureClick);
    for (const id of [INCIDENT_LAYER_IDS[1], CLOSURE_LAYER_IDS[1]]) {
      map.on('mouseenter', id, enter);
      map.on('mouseleave', id, leave);
    }
    map.on('moveend', moved);
    moved();
    return () => {
      map.off('click', INCIDENT_LAYER_IDS[1], onClick);
      map.off('click', CLOSURE_LAYER_IDS[1], onClosureClick);
      for (const id of [INCIDENT_LAYER_IDS[1], CLOSURE_LAYER_IDS[1]]) {
        map.off('mouseenter', id, enter);
        map.off('mouseleave', id, leave);
      }
      map.off('moveend', moved);
      try {
        map.removeControl(nav);
      } catch {
        // the map is gone
      }
    };
  }, [map]);

  // browser tests reach the map through its element (to click at a longitude / latitude)
  useEffect(() => {
    const el = ref.current as (HTMLDivElement & { anlanMap?: unknown }) | null;
    if (el) el.anlanMap = map ?? undefined;
  }, [map]);

  useEffect(() => {
    if (map) setOverlayData(map, 'incidents', fc);
  }, [map, fc]);
  useEffect(() => {
    if (map) setLayersVisible(map, INCIDENT_LAYER_IDS, visible.incidents !== false);
  }, [map, visible.incidents]);

  // Esc leaves the active tool (not while typing: the closure form keeps its text)
  useEffect(() => {
    if (!tool) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      if (document.querySelector('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')) return;
      setTool(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tool]);
  useEffect(() => {
    if (tool) popupRef.current?.remove();
  }, [tool]);

  const onSearch = (hit: SearchHit) => {
    setSearchHit(hit);
    if (tool === 'route' || tool === 'isochrone')
      setPicked((p) => ({ point: hit.point, label: hit.name, seq: (p?.seq ?? 0) + 1 }));
    if (hit.kind === 'incident' && !tool) {
      const id = String(hit.id).replace(/^incident:/, '');
      const incident = itemsRef.current.find((i) => i.id === id);
      if (incident) openPopupRef.current(incident);
    }
  };

  const onClosureCreated = (_c: Closure) => {
    setTab('closures');
    if (!visible.closures) setVisible('closures', true);
  };

  const visibleIncidents = useMemo(() => {
    const inView = items.filter((i) => {
      if (!i.location || !bounds) return !!i.location;
      const [x, y] = i.location.coordinates;
      return x >= bounds[0] && x <= bounds[2] && y >= bounds[1] && y <= bounds[3];
    });
    return inView.sort((a, b) => rank(a) - rank(b) || (a.occurredAt < b.occurredAt ? 1 : -1));
  }, [items, bounds]);
  const noLocation = items.filter((i) => !i.location).length;

  const byLevel = useMemo(() => {
    const counts: Record<string, number> = { I: 0, II: 0, III: 0, IV: 0, none: 0 };
    for (const i of items) counts[i.level ?? 'none']++;
    return counts;
  }, [items]);

  const tools: { id: ToolId; show: boolean }[] = [
    { id: 'measure', show: true },
    { id: 'coords', show: true },
    { id: 'route', show: canGeo },
    { id: 'isochrone', show: canGeo },
    { id: 'closure', show: canGeo && canClose },
  ];
  const toolProps = map ? { map, onClose: () => setTool(null), picked, overlay: mainRef.current } : null;

  const incidentList = (
    <>
      <div className="map-panel-head">
        <span>{t('map.inView', { count: visibleIncidents.length })}</span>
        <span className="muted">{t('map.total', { count: incidents.data?.total ?? 0 })}</span>
      </div>
      {noLocation > 0 && <div className="map-panel-note">{t('map.noLocation', { count: noLocation })}</div>}
      <div className="map-panel-list">
        {incidents.isPending ? (
          <div className="full-center-inner">
            <Spin />
          </div>
        ) : visibleIncidents.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.emptyInView')} />
        ) : (
          visibleIncidents.map((i) => (
            <button
              type="button"
              key={i.id}
              className="map-item"
              data-testid="map-incident-item"
              data-number={i.number}
              onClick={() => {
                if (!map || !i.location) return;
                map.easeTo({ center: i.location.coordinates as [number, number], zoom: Math.max(map.getZoom(), 10) });
                openPopup(i);
              }}
              onDoubleClick={() => navigate(`/incidents/${i.id}`)}
            >
              <div className="map-item-row">
                <LevelTag level={i.level} override={!!i.levelOverride} />
                <span className="map-item-title">{i.title}</span>
              </div>
              <div className="map-item-meta">
                <span className="mono">{i.number}</span>
                <StatusTag status={i.status} />
                <span>
                  <EnvironmentOutlined /> {districtName(i)}
                </span>
                <span className="mono">{formatTime(i.occurredAt)}</span>
              </div>
            </button>
          ))
        )}
      </div>
    </>
  );

  return (
    <div className="command-map">
      <div className="command-map-main" ref={mainRef}>
        <div
          ref={ref}
          className="command-map-canvas"
          data-testid="command-map"
          data-incident-count={map && incidents.data ? fc.features.length : undefined}
          data-active-tool={tool ?? ''}
        />
        <div className="map-left">
          <div className="map-toolbar">
            <span className="map-toolbar-title">{t('nav.map')}</span>
            <Tooltip title={t(`stream.${stream}`)}>
              <Badge
                status={stream === 'open' ? 'success' : stream === 'connecting' ? 'processing' : 'default'}
                text={stream === 'open' ? t('map.live') : t('map.notLive')}
                data-testid="stream-state"
                data-state={stream}
              />
            </Tooltip>
            {canGeo && (
              <>
                <span className="map-toolbar-sep" />
                <MapSearch onSelect={onSearch} onClear={() => setSearchHit(null)} />
              </>
            )}
            <span className="map-toolbar-sep" />
            <span className="map-toggle">
              <Switch
                size="small"
                checked={showClosed}
                onChange={setShowClosed}
                data-testid="show-closed"
                id="map-show-closed"
                aria-label={t('map.showClosed')}
              />
              <label htmlFor="map-show-closed">{t('map.showClosed')}</label>
            </span>
            <Tooltip title={t('map.fitCity')}>
              <Button
                size="small"
                icon={<ExpandOutlined />}
                onClick={() => map?.fitBounds(WEIHAI_BOUNDS, { padding: 16 })}
                aria-label={t('map.fitCity')}
              />
            </Tooltip>
            {incidents.isFetching && <Spin size="small" />}
          </div>

          <div className="map-left-row">
            <div className="tool-strip" role="toolbar" aria-label={t('map.tools.title')} data-testid="map-tools">
              {tools
                .filter((x) => x.show)
                .map(({ id }) => (
                  <Tooltip key={id} title={t(`map.tools.${id}Tip`)} placement="right">
                    <Button
                      type={tool === id ? 'primary' : 'default'}
                      icon={TOOL_ICON[id]}
                      onClick={() => setTool(tool === id ? null : id)}
                      aria-label={t(`map.tools.${id}`)}
                      aria-pressed={tool === id}
                      disabled={!map}
                      data-testid={`tool-${id}`}
                    />
                  </Tooltip>
                ))}
            </div>
            {toolProps && tool === 'measure' && <MeasureTool {...toolProps} />}
            {toolProps && tool === 'coords' && <CoordinatesTool {...toolProps} />}
            {toolProps && tool === 'route' && <RouteTool {...toolProps} />}
            {toolProps && tool === 'isochrone' && <IsochroneTool {...toolProps} />}
            {toolProps && tool === 'closure' && <ClosureTool {...toolProps} onCreated={onClosureCreated} />}
          </div>
        </div>

        <LayerPanel
          catalogue={catalogue}
          visible={visible}
          onToggle={setVisible}
          loading={layers.isFetching}
          incidentCounts={byLevel}
          folded={!!tool}
        />
        <CatalogueLayers map={map} catalogue={catalogue} visible={visible} />
        {catalogue.some((l) => l.id === 'closures') && <ClosuresLayer map={map} visible={!!visible.closures} />}

        {canGeo && (network.data?.synthetic || noNetwork) && (
          <div className="network-badge" data-testid="network-badge">
            {network.data?.synthetic ? (
              <Tooltip title={t('map.network.syntheticHint', { name: network.data.name })}>
                <Tag color="orange" icon={<WarningFilled />} className="network-tag" data-testid="synthetic-tag">
                  {t('map.network.synthetic')}
                </Tag>
              </Tooltip>
            ) : (
              <Tooltip title={(network.error as Error).message}>
                <Tag color="default" icon={<WarningFilled />} className="network-tag">
                  {t('map.network.none')}
                </Tag>
              </Tooltip>
            )}
          </div>
        )}
      </div>
      <aside className="map-panel" data-testid="map-panel">
        {canGeo ? (
          <Tabs
            className="map-panel-tabs"
            size="small"
            activeKey={tab}
            onChange={(k) => setTab(k as 'incidents' | 'closures')}
            items={[
              {
                key: 'incidents',
                label: (
                  <span data-testid="tab-incidents">
                    {t('map.tabs.incidents')} <span className="tab-count">{incidents.data?.total ?? 0}</span>
                  </span>
                ),
                children: incidentList,
              },
              {
                key: 'closures',
                label: (
                  <span data-testid="tab-closures">
                    {t('map.tabs.closures')}{' '}
                    <span className={closureCount ? 'tab-count tab-count-alert' : 'tab-count'}>{closureCount}</span>
                  </span>
                ),
                children: <ClosuresPanel map={map} canManage={canClose} />,
              },
            ]}
          />
        ) : (
          incidentList
        )}
      </aside>
    </div>
  );
}
