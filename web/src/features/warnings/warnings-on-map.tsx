import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { COLOUR_INFO, COLOURS } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';
import { hazardName } from '../../../../contracts/warnings.ts';
import { formatTime } from '../../i18n/index.ts';
import { LegendRow } from '../../map/legend.tsx';
import {
  popupElement as el,
  type MapContribution,
  type MapLayerRenderer,
  useLayerClick,
  useMapHost,
} from '../../map/map-host.tsx';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { colourLabel, type Lang, nameIn, textOn, useDistrictLabel, useLang } from './labels.tsx';
import { areaFeatures, titleIn } from './map-areas.ts';
import { BOARD_LIMIT, useWarningList } from './warnings-api.ts';

const FILL = 'warnings-fill';
const LINE = 'warnings-line';
const NONE: Warning[] = [];
/** the board's query (same key): the stream's raised / changed / lifted patch it for both */
const ACTIVE = { status: 'active' } as const;

const SPECS: OverlayLayer[] = [
  {
    id: FILL,
    type: 'fill',
    paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.22 },
    layout: { 'fill-sort-key': ['get', 'rank'] },
  } as OverlayLayer,
  {
    id: LINE,
    type: 'line',
    paint: {
      'line-color': ['get', 'color'],
      'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.5, 14, 3],
      'line-opacity': 0.9,
    },
    layout: { 'line-join': 'round', 'line-sort-key': ['get', 'rank'] },
  } as OverlayLayer,
];

/** The popup of an area warning: colour, title, hazard, since when, and the way to the board's drawer. */
function popupOf(w: Warning, lang: Lang, district: string | null, open: string, go: (to: string) => void): HTMLElement {
  const info = COLOUR_INFO[w.colour];
  const root = el('div', 'warning-popup');
  root.dataset.testid = 'warning-popup';
  root.dataset.colour = w.colour;
  const tag = el('span', 'warning-popup-colour', colourLabel(w.colour, lang, true));
  tag.style.background = info.color;
  tag.style.color = textOn(info.color);
  root.append(tag, el('div', 'warning-popup-title', titleIn(w, lang)));
  const hazard = `${hazardName(w.hazardCode, lang)}${district ? ` · ${district}` : ''}`;
  root.append(el('div', 'warning-popup-meta', hazard));
  root.append(el('div', 'warning-popup-meta', formatTime(w.raisedAt)));
  const to = `/warnings?id=${encodeURIComponent(w.id)}`;
  const link = el('a', 'warning-popup-link', open) as HTMLAnchorElement;
  link.href = to;
  link.addEventListener('click', (e) => {
    e.preventDefault();
    go(to);
  });
  root.append(link);
  return root;
}

/** Active area warnings as translucent fills in their colour with an outline; a click opens the warning's popup. */
function WarningsLayer({ visible }: { visible: boolean }) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const districtLabel = useDistrictLabel();
  const navigate = useNavigate();
  const { map, showPopup } = useMapHost();
  const query = useWarningList(ACTIVE, BOARD_LIMIT, 0);
  const items = query.data?.items ?? NONE;
  const fc = useMemo(() => areaFeatures(items), [items]);
  useGeojsonOverlay(map, 'warnings', fc, SPECS, 'fills', visible);

  useEffect(() => {
    if (!map) return;
    const box = map.getContainer();
    if (query.data) box.dataset.warningAreaCount = String(fc.features.length);
    return () => {
      delete box.dataset.warningAreaCount;
    };
  }, [map, fc, query.data]);

  const latest = useRef(items);
  latest.current = items;
  useLayerClick([FILL, LINE], (f, e) => {
    const w = latest.current.find((x) => x.id === f.properties?.id);
    if (!w) return;
    showPopup(
      [e.lngLat.lng, e.lngLat.lat],
      popupOf(w, lang, w.district ? districtLabel(w.district) : null, t('map.open'), navigate),
    );
  });
  return null;
}

function WarningsLegend() {
  const lang = useLang();
  const query = useWarningList(ACTIVE, BOARD_LIMIT, 0);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const f of areaFeatures(query.data?.items ?? NONE).features) {
      const colour = COLOURS[f.properties.rank - 1];
      c[colour] = (c[colour] ?? 0) + 1;
    }
    return c;
  }, [query.data]);
  // red first, as the board reads
  return (
    <>
      {[...COLOURS].reverse().map((c) => (
        <LegendRow
          key={c}
          shape="polygon"
          color={COLOUR_INFO[c].color}
          label={nameIn({ zh: `${COLOUR_INFO[c].zh}预警`, en: COLOUR_INFO[c].en }, lang)}
          count={counts[c] ?? 0}
        />
      ))}
    </>
  );
}

const warningsLayer: MapLayerRenderer = {
  Layer: WarningsLayer,
  Legend: WarningsLegend,
  fallback: {
    permission: 'warnings.read',
    layer: {
      id: 'warnings',
      name: '生效预警',
      nameEn: 'Active warnings',
      group: 'warnings',
      source: { kind: 'geojson', url: '' },
      geometry: 'polygon',
      defaultOn: true,
      legend: [],
    },
  },
};

/** Warnings on the command map: the areas of the active warnings. */
export const warningsOnMap: MapContribution = {
  layers: { warnings: warningsLayer },
};
