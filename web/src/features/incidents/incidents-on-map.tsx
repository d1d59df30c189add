import { AlertOutlined, EnvironmentOutlined } from '@ant-design/icons';
import type { UseQueryResult } from '@tanstack/react-query';
import { Empty, Spin, Switch } from 'antd';
import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type Incident, LEVEL_INFO, LEVELS, type ListReply, UNASSESSED_COLOR } from '../../api/contracts.ts';
import { useDistrictName, useMapIncidents } from '../../api/incidents.ts';
import { formatTime } from '../../i18n/index.ts';
import { LegendRow } from '../../map/legend.tsx';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import type { OverlayLayer, OverlaySourceOptions } from '../../map/overlay.ts';
import { useGeojsonOverlay } from '../../map/overlay.ts';
import { ExerciseTag, LevelTag, levelColor, StatusTag, useLevelLabel, useStatusLabel } from './tags.tsx';

const LAYER_IDS = ['incidents-halo', 'incidents', 'incidents-cluster', 'incidents-cluster-count'];
const LEVEL_RANK: Record<string, number> = { I: 0, II: 1, III: 2, IV: 3 };
const rank = (i: Incident) => (i.level ? LEVEL_RANK[i.level] : 4);

function toFeatures(items: Incident[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: items
      .filter((i) => i.location)
      .map((i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: i.location!.coordinates },
        properties: { id: i.id, color: levelColor(i.level), rank: rank(i), closed: i.status === 'closed' },
      })),
  };
}

/**
 * At city zoom the incidents of one district overlap: nearby ones are drawn as one cluster, coloured by its most
 * severe level and labelled with its count and the counts of levels I–III. From street zoom every incident is a dot.
 */
const CLUSTER: OverlaySourceOptions = {
  cluster: true,
  clusterRadius: 36,
  clusterMaxZoom: 11,
  clusterProperties: {
    minRank: ['min', ['get', 'rank']],
    I: ['+', ['case', ['==', ['get', 'rank'], 0], 1, 0]],
    II: ['+', ['case', ['==', ['get', 'rank'], 1], 1, 0]],
    III: ['+', ['case', ['==', ['get', 'rank'], 2], 1, 0]],
  },
};
const NOT_CLUSTER = ['!', ['has', 'point_count']];
const RANK_COLOR = [
  'match',
  ['get', 'minRank'],
  0,
  LEVEL_INFO.I.color,
  1,
  LEVEL_INFO.II.color,
  2,
  LEVEL_INFO.III.color,
  3,
  LEVEL_INFO.IV.color,
  UNASSESSED_COLOR,
];
/** "12" over "I 1 · II 3" (the levels present among I–III) */
const levelCount = (lv: 'I' | 'II' | 'III') => [
  'case',
  ['>', ['get', lv], 0],
  ['concat', `${lv} `, ['to-string', ['get', lv]], '  '],
  '',
];

const SPECS: OverlayLayer[] = [
  {
    id: LAYER_IDS[0],
    type: 'circle',
    filter: ['all', NOT_CLUSTER, ['<=', ['get', 'rank'], 1]],
    paint: { 'circle-radius': 16, 'circle-color': ['get', 'color'], 'circle-opacity': 0.25 },
  } as OverlayLayer,
  {
    id: LAYER_IDS[1],
    type: 'circle',
    filter: NOT_CLUSTER,
    paint: {
      'circle-radius': ['match', ['get', 'rank'], 0, 10, 1, 9, 2, 8, 3, 7, 6],
      'circle-color': ['get', 'color'],
      'circle-opacity': ['case', ['get', 'closed'], 0.45, 1],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
    layout: { 'circle-sort-key': ['-', 10, ['get', 'rank']] },
  } as OverlayLayer,
  {
    id: LAYER_IDS[2],
    type: 'circle',
    filter: ['has', 'point_count'],
    paint: {
      'circle-radius': ['step', ['get', 'point_count'], 18, 10, 22, 50, 27],
      'circle-color': RANK_COLOR,
      'circle-opacity': 0.9,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
    layout: { 'circle-sort-key': ['-', 10, ['get', 'minRank']] },
  } as OverlayLayer,
  {
    id: LAYER_IDS[3],
    type: 'symbol',
    filter: ['has', 'point_count'],
    layout: {
      'text-field': [
        'format',
        ['get', 'point_count_abbreviated'],
        { 'font-scale': 1 },
        '\n',
        {},
        ['concat', levelCount('I'), levelCount('II'), levelCount('III')],
        { 'font-scale': 0.72 },
      ],
      'text-font': ['Noto Sans Bold'],
      'text-size': 13,
      'text-line-height': 1.1,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#ffffff', 'text-halo-color': 'rgba(0,0,0,0.45)', 'text-halo-width': 1 },
  } as OverlayLayer,
];

/** What the layer, the list, the legend and the switch share: one query, one "show closed" choice. */
interface IncidentsOnMap {
  showClosed: boolean;
  setShowClosed: (on: boolean) => void;
  query: UseQueryResult<ListReply<Incident>>;
  items: Incident[];
  byLevel: Record<string, number>;
  openPopup: (incident: Incident) => void;
}
const Context = createContext<IncidentsOnMap | null>(null);
const useIncidentsOnMap = () => useContext(Context)!;
const NONE: Incident[] = [];

function Provider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('incidents');
  const { showPopup } = useMapHost();
  const navigate = useNavigate();
  const statusLabel = useStatusLabel();
  const levelLabel = useLevelLabel();
  const [showClosed, setShowClosed] = useState(false);
  const query = useMapIncidents(showClosed);
  const items = query.data?.items ?? NONE;
  const byLevel = useMemo(() => {
    const counts: Record<string, number> = { I: 0, II: 0, III: 0, IV: 0, none: 0 };
    for (const i of items) counts[i.level ?? 'none']++;
    return counts;
  }, [items]);

  const openPopup = (incident: Incident) => {
    if (!incident.location) return;
    const root = el('div', 'incident-popup');
    root.dataset.testid = 'incident-popup';
    const meta = el('div', 'incident-popup-meta');
    const lv = el('span', 'incident-popup-level', levelLabel(incident.level, true));
    lv.style.background = levelColor(incident.level);
    meta.append(lv, el('span', '', `${statusLabel(incident.status)} · ${formatTime(incident.occurredAt)}`));
    const link = el('a', 'incident-popup-link', t('map.openDetail')) as HTMLAnchorElement;
    link.href = `/incidents/${incident.id}`;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/incidents/${incident.id}`);
    });
    root.append(
      el('div', 'incident-popup-number', incident.number),
      el(
        'div',
        'incident-popup-title',
        incident.exercise ? `【${t('exerciseTag')}】${incident.title}` : incident.title,
      ),
      meta,
      link,
    );
    showPopup(incident.location.coordinates as [number, number], root);
  };

  return (
    <Context.Provider value={{ showClosed, setShowClosed, query, items, byLevel, openPopup }}>
      {children}
    </Context.Provider>
  );
}

/** Incidents as dots by level (I and II with a halo); a click opens the popup, as does choosing one in the search. */
function IncidentsLayer({ visible }: { visible: boolean }) {
  const { map, searchHit, tool } = useMapHost();
  const { items, query, openPopup } = useIncidentsOnMap();
  const fc = useMemo(() => toFeatures(items), [items]);
  useGeojsonOverlay(map, 'incidents', fc, SPECS, 'points', visible, CLUSTER);

  // browser tests wait for the map to say how many incidents it draws
  const loaded = !!query.data;
  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    if (loaded) box.dataset.incidentCount = String(fc.features.length);
    return () => {
      delete box.dataset.incidentCount;
    };
  }, [map, fc, loaded]);

  useLayerClick([LAYER_IDS[1]], (f) => {
    const incident = items.find((i) => i.id === f.properties?.id);
    if (incident) openPopup(incident);
  });
  // a cluster opens up: the map zooms to where its incidents part
  useLayerClick([LAYER_IDS[2], LAYER_IDS[3]], (f) => {
    const source = map?.getSource('incidents') as GeoJSONSource | undefined;
    const id = f.properties?.cluster_id;
    if (!map || !source || id === undefined || f.geometry.type !== 'Point') return;
    const center = f.geometry.coordinates as [number, number];
    void source.getClusterExpansionZoom(id).then((zoom) => map.easeTo({ center, zoom: Math.min(zoom + 0.5, 16) }));
  });

  const latest = useRef({ items, openPopup, tool });
  latest.current = { items, openPopup, tool };
  useEffect(() => {
    if (searchHit?.kind !== 'incident' || latest.current.tool) return;
    const id = String(searchHit.id).replace(/^incident:/, '');
    const incident = latest.current.items.find((i) => i.id === id);
    if (incident) latest.current.openPopup(incident);
  }, [searchHit]);
  return null;
}

function IncidentsLegend() {
  const { t } = useTranslation('incidents');
  const { byLevel } = useIncidentsOnMap();
  const levelLabel = useLevelLabel();
  return (
    <>
      {LEVELS.map((lv) => (
        <LegendRow
          key={lv}
          shape="point"
          color={LEVEL_INFO[lv].color}
          label={levelLabel(lv, true)}
          count={byLevel[lv] ?? 0}
        />
      ))}
      <LegendRow shape="point" color={UNASSESSED_COLOR} label={t('level.none')} count={byLevel.none ?? 0} />
    </>
  );
}

function ShowClosedSwitch() {
  const { t } = useTranslation('incidents');
  const { showClosed, setShowClosed, query } = useIncidentsOnMap();
  return (
    <>
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
      {query.isFetching && <Spin size="small" />}
    </>
  );
}

function TabLabel() {
  const { t } = useTranslation('incidents');
  const { query } = useIncidentsOnMap();
  return (
    <span data-testid="tab-incidents">
      {t('map.tab')} <span className="tab-count">{query.data?.total ?? 0}</span>
    </span>
  );
}

/** The incidents in view, most serious first; a click goes there, a double click opens the incident. */
function IncidentList() {
  const { t } = useTranslation('incidents');
  const { map } = useMapHost();
  const { items, query, openPopup } = useIncidentsOnMap();
  const navigate = useNavigate();
  const districtName = useDistrictName();
  const [bounds, setBounds] = useState<[number, number, number, number] | null>(null);
  useEffect(() => {
    if (!map) return;
    const moved = () => {
      const b = map.getBounds();
      setBounds([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    };
    map.on('moveend', moved);
    moved();
    return () => {
      map.off('moveend', moved);
    };
  }, [map]);

  const inView = useMemo(() => {
    const shown = items.filter((i) => {
      if (!i.location || !bounds) return !!i.location;
      const [x, y] = i.location.coordinates;
      return x >= bounds[0] && x <= bounds[2] && y >= bounds[1] && y <= bounds[3];
    });
    return shown.sort((a, b) => rank(a) - rank(b) || (a.occurredAt < b.occurredAt ? 1 : -1));
  }, [items, bounds]);
  const noLocation = items.filter((i) => !i.location).length;

  return (
    <>
      <div className="map-panel-head">
        <span>{t('map.inView', { count: inView.length })}</span>
        <span className="muted">{t('map.total', { count: query.data?.total ?? 0 })}</span>
      </div>
      {noLocation > 0 && <div className="map-panel-note">{t('map.noLocation', { count: noLocation })}</div>}
      <div className="map-panel-list">
        {query.isPending ? (
          <div className="full-center-inner">
            <Spin />
          </div>
        ) : inView.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.emptyInView')} />
        ) : (
          inView.map((i) => (
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
                <ExerciseTag exercise={i.exercise} />
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
}

const incidentsLayer: MapLayerRenderer = {
  Layer: IncidentsLayer,
  Legend: IncidentsLegend,
  // whoever may open the map sees the incidents, even without the catalogue (geo.read)
  fallback: {
    permission: 'incidents.read',
    layer: {
      id: 'incidents',
      name: '突发事件',
      nameEn: 'Incidents',
      group: 'incidents',
      source: { kind: 'geojson', url: '' },
      geometry: 'point',
      defaultOn: true,
      legend: [],
    },
  },
};

/** Incidents on the command map: the layer, the list beside the map, the "show closed" switch, search hits. */
export const incidentsOnMap: MapContribution = {
  Provider,
  layers: { incidents: incidentsLayer },
  panels: [{ key: 'incidents', order: 10, permission: 'incidents.read', Label: TabLabel, Content: IncidentList }],
  toolbar: ShowClosedSwitch,
  search: { incident: { icon: <AlertOutlined />, label: 'incidents:map.searchKind', color: '#cf1322' } },
};
