import { ROAD_CLASS_STYLE } from '../../../contracts/geo.ts';

/** The basemap's themes: light by day, dark for night duty and the wall screen. */
export const MAP_THEMES = ['light', 'dark'] as const;
export type MapTheme = (typeof MAP_THEMES)[number];

/** The basemap's colours: those of the web's offline map (web/src/map/basemap.ts COLORS). */
export const BASEMAP_COLORS = {
  sea: '#a9cbe6',
  neighbourFill: '#ece6d8',
  neighbourLine: '#b5ab98',
  districtFill: '#fbf7ec',
  districtLine: '#5f6f82',
  label: '#2f3b4a',
  labelMuted: '#7a6f5c',
  roadLabel: '#3d3d3d',
  halo: '#ffffff',
};
type Palette = typeof BASEMAP_COLORS;

/**
 * The dark basemap: deep blue-grey land on a darker sea, light labels with dark halos, roads dimmed so that the
 * incidents' level colours (drawn above) stay the brightest things on the map.
 */
export const BASEMAP_COLORS_DARK: Palette = {
  sea: '#0e1a27',
  neighbourFill: '#1a1f26',
  neighbourLine: '#4a5361',
  districtFill: '#222a35',
  districtLine: '#8fa3bb',
  label: '#e3e9f0',
  labelMuted: '#98a2ae',
  roadLabel: '#c9d1db',
  halo: '#10161d',
};

export const SYNTHETIC_ATTRIBUTION = '示例路网 / synthetic road network (demo)';
export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans Bold';

type Expr = unknown[];

/** What the style says of the current road network. */
export interface StyleNetwork {
  name: string;
  synthetic: boolean;
  attribution: string;
}

/** `#rrggbb` mixed with black: the casing of a road drawn in that colour. */
function darken(hex: string, by: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => Math.round(v * (1 - by)));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const CLASSES = Object.keys(ROAD_CLASS_STYLE);

function byClass(value: (cls: string) => string | number, fallback: string | number): Expr {
  return ['match', ['get', 'class'], ...CLASSES.flatMap((c) => [c, value(c)]), fallback];
}

/** Width at zoom z relative to the width at z14 (ROAD_CLASS_STYLE.width). */
const WIDTH_STOPS: [number, number][] = [
  [5, 0.15],
  [8, 0.3],
  [11, 0.55],
  [14, 1],
  [16, 2.2],
  [18, 5],
];
/** What the casing adds to a road's width, in pixels. */
const CASING_STOPS: Record<number, number> = { 5: 0, 8: 0.4, 11: 1, 14: 1.6, 16: 2, 18: 3 };

function roadWidth(casing: boolean): Expr {
  const w = byClass((c) => ROAD_CLASS_STYLE[c].width, 1);
  const stops = WIDTH_STOPS.flatMap(([z, f]) => [z, casing ? ['+', ['*', w, f], CASING_STOPS[z]] : ['*', w, f]]);
  return ['interpolate', ['exponential', 1.4], ['zoom'], ...stops];
}

function attribution(network: StyleNetwork | null, boundarySources: string[]): string {
  const parts: string[] = [];
  if (network) parts.push(network.synthetic ? SYNTHETIC_ATTRIBUTION : network.attribution);
  if (boundarySources.length) parts.push(`行政区划边界 / District boundaries: ${boundarySources.join('; ')}`);
  return parts.join(' | ');
}

/**
 * The MapLibre style (v8) of Anlan's basemap, all from Anlan itself: its vector tiles and its Latin glyphs; Chinese
 * is drawn by the browser (the map's localIdeographFontFamily). zh labels use `name`, en `name_en` where there is one.
 */
export function buildStyle(o: {
  lang: 'zh' | 'en';
  origin: string;
  network: StyleNetwork | null;
  boundarySources: string[];
  /** the deepest zoom tiles are asked for; MapLibre draws deeper zooms from those */
  maxzoom: number;
  /** light (default) or dark */
  theme?: MapTheme;
}): object {
  const dark = o.theme === 'dark';
  const C = dark ? BASEMAP_COLORS_DARK : BASEMAP_COLORS;
  const roadColor = (c: string) => ROAD_CLASS_STYLE[c][dark ? 'colorDark' : 'color'];
  const casingColor = (c: string) =>
    dark ? darken(roadColor(c), 0.45) : darken(roadColor(c) === '#ffffff' ? '#e2dccf' : roadColor(c), 0.25);
  const name: Expr = o.lang === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['get', 'name'];
  const rank = byClass((c) => CLASSES.length - CLASSES.indexOf(c), 0);
  const src = { source: 'anlan' };
  const kind = (k: string): Expr => ['==', ['get', 'kind'], k];
  return {
    version: 8,
    name: `${o.lang === 'en' ? 'Anlan basemap' : '安澜底图'}${dark ? ' (dark)' : ''}`,
    metadata: {
      'anlan:lang': o.lang,
      'anlan:theme': dark ? 'dark' : 'light',
      'anlan:network': o.network ? { name: o.network.name, synthetic: o.network.synthetic } : null,
    },
    glyphs: `${o.origin}/map/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      anlan: {
        type: 'vector',
        tiles: [`${o.origin}/tiles/{z}/{x}/{y}.mvt`],
        minzoom: 0,
        maxzoom: o.maxzoom,
        attribution: attribution(o.network, o.boundarySources),
      },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': C.sea } },
      {
        id: 'neighbour-fill',
        type: 'fill',
        ...src,
        'source-layer': 'boundaries',
        filter: kind('neighbour'),
        paint: { 'fill-color': C.neighbourFill },
      },
      {
        id: 'district-fill',
        type: 'fill',
        ...src,
        'source-layer': 'boundaries',
        filter: kind('district'),
        paint: { 'fill-color': C.districtFill },
      },
      {
        id: 'land',
        type: 'fill',
        ...src,
        'source-layer': 'land',
        paint: { 'fill-color': C.districtFill },
      },
      { id: 'water', type: 'fill', ...src, 'source-layer': 'water', paint: { 'fill-color': C.sea } },
      {
        id: 'neighbour-line',
        type: 'line',
        ...src,
        'source-layer': 'boundaries',
        filter: kind('neighbour'),
        paint: { 'line-color': C.neighbourLine, 'line-width': 0.8 },
      },
      {
        id: 'road-casing',
        type: 'line',
        ...src,
        'source-layer': 'roads',
        minzoom: 9,
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': rank },
        paint: {
          'line-color': byClass(casingColor, dark ? '#1c2129' : '#b8b0a0'),
          'line-width': roadWidth(true),
        },
      },
      {
        id: 'road',
        type: 'line',
        ...src,
        'source-layer': 'roads',
        layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': rank },
        paint: { 'line-color': byClass(roadColor, dark ? '#4a5361' : '#ffffff'), 'line-width': roadWidth(false) },
      },
      {
        id: 'district-line',
        type: 'line',
        ...src,
        'source-layer': 'boundaries',
        filter: kind('district'),
        paint: { 'line-color': C.districtLine, 'line-width': 1.4, 'line-dasharray': [4, 2] },
      },
      {
        id: 'road-label',
        type: 'symbol',
        ...src,
        'source-layer': 'roads',
        minzoom: 11,
        filter: [
          'all',
          ['has', 'name'],
          ['any', ['>=', ['zoom'], 13], ['in', ['get', 'class'], ['literal', CLASSES.slice(0, 4)]]],
        ],
        layout: {
          'symbol-placement': 'line',
          'symbol-spacing': 320,
          'symbol-sort-key': ['-', 10, rank],
          'text-field': name,
          'text-font': [FONT_REGULAR],
          'text-size': ['interpolate', ['linear'], ['zoom'], 11, 10, 16, 13],
          'text-max-angle': 30,
          'text-padding': 4,
        },
        paint: {
          'text-color': C.roadLabel,
          'text-halo-color': C.halo,
          'text-halo-width': 1.5,
        },
      },
      {
        id: 'neighbour-label',
        type: 'symbol',
        ...src,
        'source-layer': 'boundary_labels',
        filter: kind('neighbour'),
        layout: {
          'text-field': name,
          'text-font': [FONT_REGULAR],
          'text-size': ['interpolate', ['linear'], ['zoom'], 6, 11, 10, 14],
        },
        paint: {
          'text-color': C.labelMuted,
          'text-halo-color': C.neighbourFill,
          'text-halo-width': 1.5,
        },
      },
      {
        id: 'district-label',
        type: 'symbol',
        ...src,
        'source-layer': 'boundary_labels',
        filter: kind('district'),
        layout: {
          'text-field': name,
          'text-font': [FONT_BOLD],
          'text-size': ['interpolate', ['linear'], ['zoom'], 6, 10, 8, 13, 10, 16, 14, 20],
          'text-allow-overlap': false,
          // the point is the seat of government, where incidents and towns often are: the name beside it, not on it
          'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
          'text-radial-offset': 0.7,
        },
        paint: {
          'text-color': C.label,
          'text-halo-color': C.districtFill,
          'text-halo-width': 2,
        },
      },
    ],
  };
}
