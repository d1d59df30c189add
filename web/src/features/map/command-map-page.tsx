import { EnvironmentOutlined, ExpandOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Spin, Switch, Tooltip } from 'antd';
import type { FeatureCollection, Point } from 'geojson';
import { type GeoJSONSource, type MapLayerMouseEvent, Popup } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type Incident, LEVEL_INFO, LEVELS, UNASSESSED_COLOR } from '../../api/contracts.ts';
import { useDistrictName, useMapIncidents } from '../../api/incidents.ts';
import { LevelTag, levelColor, StatusTag, useLevelLabel, useStatusLabel } from '../../components/tags.tsx';
import { formatTime } from '../../i18n/index.ts';
import { WEIHAI_BOUNDS } from '../../map/basemap.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';
import { useStreamState } from './use-incident-stream.ts';

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

/** The command map: every open incident on the offline basemap, live, with a list of those in view. */
export function CommandMapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
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

  const openPopup = (incident: Incident) => {
    if (!map || !incident.location) return;
    popupRef.current?.remove();
    const { statusLabel: sl, levelLabel: ll, t: tt } = labelsRef.current;
    const el = document.createElement('div');
    el.className = 'incident-popup';
    el.dataset.testid = 'incident-popup';
    const head = document.createElement('div');
    head.className = 'incident-popup-number';
    head.textContent = incident.number;
    const title = document.createElement('div');
    title.className = 'incident-popup-title';
    title.textContent = incident.title;
    const meta = document.createElement('div');
    meta.className = 'incident-popup-meta';
    const lv = document.createElement('span');
    lv.className = 'incident-popup-level';
    lv.style.background = levelColor(incident.level);
    lv.textContent = ll(incident.level, true);
    const st = document.createElement('span');
    st.textContent = `${sl(incident.status)} · ${formatTime(incident.occurredAt)}`;
    meta.append(lv, st);
    const link = document.createElement('a');
    link.href = `/incidents/${incident.id}`;
    link.textContent = tt('map.openDetail');
    link.className = 'incident-popup-link';
    link.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/incidents/${incident.id}`);
    });
    el.append(head, title, meta, link);
    popupRef.current = new Popup({ closeButton: true, maxWidth: '300px', offset: 10 })
      .setLngLat(incident.location.coordinates as [number, number])
      .setDOMContent(el)
      .addTo(map);
  };
  const openPopupRef = useRef(openPopup);
  openPopupRef.current = openPopup;

  // incident layer, once per map
  useEffect(() => {
    if (!map) return;
    map.addSource('incidents', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'incidents-halo',
      type: 'circle',
      source: 'incidents',
      filter: ['<=', ['get', 'rank'], 1],
      paint: { 'circle-radius': 16, 'circle-color': ['get', 'color'], 'circle-opacity': 0.25 },
    });
    map.addLayer({
      id: 'incidents',
      type: 'circle',
      source: 'incidents',
      paint: {
        'circle-radius': ['match', ['get', 'rank'], 0, 10, 1, 9, 2, 8, 3, 7, 6],
        'circle-color': ['get', 'color'],
        'circle-opacity': ['case', ['get', 'closed'], 0.45, 1],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
      layout: { 'circle-sort-key': ['-', 10, ['get', 'rank']] },
    });
    const onClick = (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      const incident = itemsRef.current.find((i) => i.id === id);
      if (incident) openPopupRef.current(incident);
    };
    const enter = () => {
      map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    const moved = () => {
      const b = map.getBounds();
      setBounds([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    };
    map.on('click', 'incidents', onClick);
    map.on('mouseenter', 'incidents', enter);
    map.on('mouseleave', 'incidents', leave);
    map.on('moveend', moved);
    moved();
    return () => {
      map.off('click', 'incidents', onClick);
      map.off('mouseenter', 'incidents', enter);
      map.off('mouseleave', 'incidents', leave);
      map.off('moveend', moved);
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    (map.getSource('incidents') as GeoJSONSource | undefined)?.setData(fc);
  }, [map, fc]);

  const visible = useMemo(() => {
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

  return (
    <div className="command-map">
      <div className="command-map-main">
        <div
          ref={ref}
          className="command-map-canvas"
          data-testid="command-map"
          data-incident-count={map && incidents.data ? fc.features.length : undefined}
        />
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
        <div className="map-legend">
          <div className="map-legend-title">{t('map.legend')}</div>
          {LEVELS.map((l) => (
            <div key={l} className="map-legend-row">
              <span className="legend-dot" style={{ background: LEVEL_INFO[l].color }} />
              {levelLabel(l, true)}
              <span className="legend-count">{byLevel[l]}</span>
            </div>
          ))}
          <div className="map-legend-row">
            <span className="legend-dot" style={{ background: UNASSESSED_COLOR }} />
            {t('level.none')}
            <span className="legend-count">{byLevel.none}</span>
          </div>
        </div>
      </div>
      <aside className="map-panel" data-testid="map-panel">
        <div className="map-panel-head">
          <span>{t('map.inView', { count: visible.length })}</span>
          <span className="muted">{t('map.total', { count: incidents.data?.total ?? 0 })}</span>
        </div>
        {noLocation > 0 && <div className="map-panel-note">{t('map.noLocation', { count: noLocation })}</div>}
        <div className="map-panel-list">
          {incidents.isPending ? (
            <div className="full-center-inner">
              <Spin />
            </div>
          ) : visible.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.emptyInView')} />
          ) : (
            visible.map((i) => (
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
      </aside>
    </div>
  );
}
