import type { FeatureCollection, Point } from 'geojson';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { TEAM_STATUS_INFO, TEAM_TYPE_INFO, TEAM_TYPES, type Team } from '../../../../contracts/forces.ts';
import { LegendRow } from '../../map/legend.tsx';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { useAllTeams } from './forces-api.ts';
import { nameIn, useLang } from './labels.tsx';

const LAYER_IDS = ['teams-ring', 'teams'];
const NONE: Team[] = [];
/** the ring of a team that cannot be dispatched now (deployed, resting, in maintenance) */
const NOT_DISPATCHABLE = '#8c8c8c';

function toFeatures(items: Team[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: items.map((x) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: x.location.coordinates },
      properties: { id: x.id, color: TEAM_TYPE_INFO[x.type].color, idle: !x.dispatchable },
    })),
  };
}

const SPECS: OverlayLayer[] = [
  {
    id: LAYER_IDS[0],
    type: 'circle',
    filter: ['==', ['get', 'idle'], true],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 9, 14, 13],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': NOT_DISPATCHABLE,
      'circle-stroke-width': 3,
    },
  } as OverlayLayer,
  {
    id: LAYER_IDS[1],
    type: 'circle',
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 8],
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
    },
  } as OverlayLayer,
];

/** Teams as dots in their type's colour, ringed grey when they cannot be dispatched; a click names the team. */
function TeamsLayer({ visible }: { visible: boolean }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const navigate = useNavigate();
  const { map, showPopup } = useMapHost();
  const query = useAllTeams();
  const items = query.data?.items ?? NONE;
  const fc = useMemo(() => toFeatures(items), [items]);
  useGeojsonOverlay(map, 'teams', fc, SPECS, 'points', visible);

  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    if (query.data) box.dataset.teamCount = String(fc.features.length);
    return () => {
      delete box.dataset.teamCount;
    };
  }, [map, fc, query.data]);

  const latest = useRef(items);
  latest.current = items;
  useLayerClick(LAYER_IDS, (f) => {
    const team = latest.current.find((x) => x.id === f.properties?.id);
    if (!team) return;
    const root = el('div', 'team-popup');
    root.dataset.testid = 'team-popup';
    const head = el('div', 'team-popup-head');
    const dot = el('span', 'type-dot');
    dot.style.background = TEAM_TYPE_INFO[team.type].color;
    head.append(dot, el('span', 'team-popup-name', team.name));
    root.append(head);
    const status = el('div', 'team-popup-meta');
    const tag = el('span', 'team-popup-status', nameIn(TEAM_STATUS_INFO[team.status], lang));
    tag.style.background = TEAM_STATUS_INFO[team.status].color;
    status.append(
      tag,
      el('span', 'muted', ` ${nameIn(TEAM_TYPE_INFO[team.type], lang)} · ${t('map.headcount', { n: team.headcount })}`),
    );
    root.append(status);
    if (!team.dispatchable) root.append(el('div', 'muted small', t('map.notDispatchable')));
    const open = el('a', 'team-popup-link', t('map.openTeam')) as HTMLAnchorElement;
    open.href = `/forces/teams/${team.id}`;
    open.addEventListener('click', (e) => {
      e.preventDefault();
      navigate(`/forces/teams/${team.id}`);
    });
    root.append(open);
    showPopup(team.location.coordinates as [number, number], root);
  });
  return null;
}

function TeamsLegend() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const query = useAllTeams();
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const x of query.data?.items ?? []) c[x.type] = (c[x.type] ?? 0) + 1;
    return c;
  }, [query.data]);
  const idle = (query.data?.items ?? []).filter((x) => !x.dispatchable).length;
  return (
    <>
      {TEAM_TYPES.filter((ty) => counts[ty]).map((ty) => (
        <LegendRow
          key={ty}
          shape="point"
          color={TEAM_TYPE_INFO[ty].color}
          label={nameIn(TEAM_TYPE_INFO[ty], lang)}
          count={counts[ty]}
        />
      ))}
      <LegendRow shape="point" color={NOT_DISPATCHABLE} label={t('map.ringLegend')} count={idle} />
    </>
  );
}

const teamsLayer: MapLayerRenderer = {
  Layer: TeamsLayer,
  Legend: TeamsLegend,
  fallback: {
    permission: 'forces.read',
    layer: {
      id: 'teams',
      name: '救援力量',
      nameEn: 'Rescue forces',
      group: 'forces',
      source: { kind: 'geojson', url: '' },
      geometry: 'point',
      defaultOn: true,
      legend: [],
    },
  },
};

/** Rescue forces on the command map: the teams layer. */
export const teamsOnMap: MapContribution = {
  layers: { teams: teamsLayer },
};
