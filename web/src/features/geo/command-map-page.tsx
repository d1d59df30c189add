import {
  AimOutlined,
  ColumnWidthOutlined,
  ExpandOutlined,
  NodeIndexOutlined,
  RadarChartOutlined,
  StopOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Badge, Button, Tabs, Tag, Tooltip } from 'antd';
import { type MapMouseEvent, NavigationControl, Popup } from 'maplibre-gl';
import { type ReactNode, use, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allows, can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import type { Closure, SearchHit } from '../../api/contracts.ts';
import { useMapLayers, useNetworkInfo } from '../../api/geo.ts';
import { useStreamState } from '../../api/stream.ts';
import { type FeatureManifest, useFeatures } from '../../app/manifest.ts';
import { WEIHAI_BOUNDS } from '../../map/basemap.ts';
import {
  type LayerClick,
  type LonLat,
  type MapContribution,
  type MapHost,
  MapHostProvider,
  type MapLayerRenderer,
  type MapSearchKind,
} from '../../map/map-host.tsx';
import { useOfflineMap } from '../../map/use-offline-map.ts';
import { useLayerChoices } from './catalogue.ts';
import { CatalogueLayers } from './catalogue-layers.tsx';
import { LayerPanel } from './layer-panel.tsx';
import { MapSearch, useSearchHighlight } from './map-search.tsx';
import { ClosureTool } from './tools/closure-tool.tsx';
import { CoordinatesTool } from './tools/coordinates-tool.tsx';
import { IsochroneTool } from './tools/isochrone-tool.tsx';
import { MeasureTool } from './tools/measure-tool.tsx';
import { RouteTool } from './tools/route-tool.tsx';
import type { PickedPoint } from './tools/tool-kit.tsx';
import './command-map.css';

type ToolId = 'measure' | 'coords' | 'route' | 'isochrone' | 'closure';
const TOOL_ICON: Record<ToolId, ReactNode> = {
  measure: <ColumnWidthOutlined />,
  coords: <AimOutlined />,
  route: <NodeIndexOutlined />,
  isochrone: <RadarChartOutlined />,
  closure: <StopOutlined />,
};

const byOrder = (a: { order: number }, b: { order: number }) => a.order - b.order;

// the features' contributions, fetched with the page (they are code-split like it), once per feature list
const loaded = new WeakMap<readonly FeatureManifest[], Promise<MapContribution[]>>();
function useContributions() {
  const features = useFeatures();
  let all = loaded.get(features);
  if (!all) {
    all = Promise.all(features.flatMap((f) => (f.map ? [f.map()] : [])));
    loaded.set(features, all);
  }
  const contributions = use(all);
  return useMemo(
    () => ({
      renderers: Object.assign({}, ...contributions.map((c) => c.layers)) as Record<string, MapLayerRenderer>,
      panels: contributions.flatMap((c) => c.panels ?? []).sort(byOrder),
      toolbars: contributions.flatMap((c, key) => (c.toolbar ? [{ key, Toolbar: c.toolbar }] : [])),
      search: Object.assign({}, ...contributions.map((c) => c.search)) as Record<string, MapSearchKind>,
      providers: contributions.flatMap((c) => (c.Provider ? [c.Provider] : [])),
    }),
    [contributions],
  );
}

/**
 * The one map: Anlan's offline basemap, the layers of the catalogue with their legend, search, and the tools of
 * the duty room (measure, coordinates, route, isochrone, road closures). What other features show on it (the
 * incidents and their list, later teams, warehouses, warnings) comes from their manifests.
 */
export function CommandMapPage() {
  const { t } = useTranslation('geo');
  const user = useCurrentUser();
  const canGeo = can(user, 'geo.read');
  const canClose = can(user, 'closures.manage');
  const { renderers, panels: allPanels, toolbars, search, providers } = useContributions();
  const panels = allPanels.filter((p) => allows(user, p.permission));

  const layers = useMapLayers(canGeo);
  const catalogue = useMemo(() => {
    const items = layers.data?.items ?? [];
    // a layer a feature draws stays on the map when the catalogue cannot be read (no geo.read, an older server)
    const stand = Object.values(renderers).flatMap(({ fallback: f }) =>
      f && allows(user, f.permission) && !items.some((l) => l.id === f.layer.id) ? [f.layer] : [],
    );
    return [...stand, ...items];
  }, [layers.data, renderers, user]);
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
  const popupRef = useRef<Popup | null>(null);
  const stream = useStreamState();

  const [tool, setTool] = useState<ToolId | null>(null);
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const [tab, setTab] = useState<string | null>(null);
  const [searchHit, setSearchHit] = useState<SearchHit | null>(null);
  const [picked, setPicked] = useState<PickedPoint | null>(null);
  useSearchHighlight(map, searchHit, search);

  const showPopup = useCallback(
    (at: LonLat, content: HTMLElement) => {
      if (!map) return;
      popupRef.current?.remove();
      popupRef.current = new Popup({ closeButton: true, maxWidth: '320px', offset: 10 })
        .setLngLat(at)
        .setDOMContent(content)
        .addTo(map);
    },
    [map],
  );
  const clickable = useRef(new Map<string, LayerClick>());
  const registerClick = useCallback((ids: readonly string[], handler: LayerClick) => {
    for (const id of ids) clickable.current.set(id, handler);
    return () => {
      for (const id of ids) if (clickable.current.get(id) === handler) clickable.current.delete(id);
    };
  }, []);
  const host = useMemo<MapHost>(
    () => ({
      map,
      tool,
      searchHit,
      showPopup,
      showPanel: setTab,
      setLayerVisible: setVisible,
      registerClick,
    }),
    [map, tool, searchHit, showPopup, setVisible, registerClick],
  );

  // map furniture, and one click handler for every feature's layers, once per map
  useEffect(() => {
    if (!map) return;
    const nav = new NavigationControl({ showCompass: false });
    map.addControl(nav, 'bottom-right');
    // the topmost clickable feature under the pointer gets the click (an incident on a closed road wins)
    const onClick = (e: MapMouseEvent) => {
      if (toolRef.current) return;
      const ids = [...clickable.current.keys()].filter((id) => map.getLayer(id));
      if (!ids.length) return;
      const [top] = map.queryRenderedFeatures(e.point, { layers: ids });
      if (top) clickable.current.get(top.layer.id)?.(top, e);
    };
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
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
  };

  const onClosureCreated = (_c: Closure) => {
    setTab('closures');
    if (!visible.closures) setVisible('closures', true);
  };

  const tools: { id: ToolId; show: boolean }[] = [
    { id: 'measure', show: true },
    { id: 'coords', show: true },
    { id: 'route', show: canGeo },
    { id: 'isochrone', show: canGeo },
    { id: 'closure', show: canGeo && canClose },
  ];
  const toolProps = map ? { map, onClose: () => setTool(null), picked, overlay: mainRef.current } : null;

  const page = (
    <div className="command-map">
      <div className="command-map-main" ref={mainRef}>
        <div ref={ref} className="command-map-canvas" data-testid="command-map" data-active-tool={tool ?? ''} />
        <div className="map-left">
          <div className="map-toolbar">
            <span className="map-toolbar-title">{t('nav.map')}</span>
            <Tooltip title={t(`common:stream.${stream}`)}>
              <Badge
                status={stream === 'open' ? 'success' : stream === 'connecting' ? 'processing' : 'default'}
                text={stream === 'open' ? t('live') : t('notLive')}
                data-testid="stream-state"
                data-state={stream}
              />
            </Tooltip>
            {canGeo && (
              <>
                <span className="map-toolbar-sep" />
                <MapSearch
                  kinds={search}
                  onSelect={onSearch}
                  onClear={() => setSearchHit(null)}
                  near={() => {
                    const c = map?.getCenter();
                    return c ? [c.lng, c.lat] : undefined;
                  }}
                />
              </>
            )}
            <span className="map-toolbar-sep" />
            {toolbars.map(({ key, Toolbar }) => (
              <Toolbar key={key} />
            ))}
            <Tooltip title={t('fitCity')}>
              <Button
                size="small"
                icon={<ExpandOutlined />}
                onClick={() => map?.fitBounds(WEIHAI_BOUNDS, { padding: 16 })}
                aria-label={t('fitCity')}
              />
            </Tooltip>
          </div>

          <div className="map-left-row">
            <div className="tool-strip" role="toolbar" aria-label={t('tools.title')} data-testid="map-tools">
              {tools
                .filter((x) => x.show)
                .map(({ id }) => (
                  <Tooltip key={id} title={t(`tools.${id}Tip`)} placement="right">
                    <Button
                      type={tool === id ? 'primary' : 'default'}
                      icon={TOOL_ICON[id]}
                      onClick={() => setTool(tool === id ? null : id)}
                      aria-label={t(`tools.${id}`)}
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
          renderers={renderers}
          folded={!!tool}
        />
        <CatalogueLayers map={map} catalogue={catalogue} visible={visible} renderers={renderers} />

        {canGeo && (network.data?.synthetic || noNetwork) && (
          <div className="network-badge" data-testid="network-badge">
            {network.data?.synthetic ? (
              <Tooltip title={t('network.syntheticHint', { name: network.data.name })}>
                <Tag color="orange" icon={<WarningFilled />} className="network-tag" data-testid="synthetic-tag">
                  {t('network.synthetic')}
                </Tag>
              </Tooltip>
            ) : (
              <Tooltip title={(network.error as Error).message}>
                <Tag color="default" icon={<WarningFilled />} className="network-tag">
                  {t('network.none')}
                </Tag>
              </Tooltip>
            )}
          </div>
        )}
      </div>
      <aside className="map-panel" data-testid="map-panel">
        {panels.length > 1 ? (
          <Tabs
            className="map-panel-tabs"
            size="small"
            activeKey={tab ?? panels[0].key}
            onChange={setTab}
            items={panels.map(({ key, Label, Content }) => ({ key, label: <Label />, children: <Content /> }))}
          />
        ) : (
          panels.map(({ key, Content }) => <Content key={key} />)
        )}
      </aside>
    </div>
  );

  // the features' providers wrap the page, so that their layer, panel and toolbar share state
  let wrapped: ReactNode = page;
  for (const Provider of [...providers].reverse()) wrapped = <Provider>{wrapped}</Provider>;
  return <MapHostProvider value={host}>{wrapped}</MapHostProvider>;
}
