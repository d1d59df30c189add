import type { LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { useSyncExternalStore } from 'react';

/** Chinese (and other CJK) glyphs are drawn by the browser from these local fonts, never downloaded. */
export const MAP_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** Source-layers of Anlan's vector tiles. */
export const BASE_SOURCE_LAYERS = ['roads', 'water', 'land', 'boundaries', 'boundary_labels'] as const;

// --- style epoch: bumped when the server swaps the road network, so every map reloads its style and tiles
let epoch = 0;
const epochListeners = new Set<() => void>();
export function bumpStyleEpoch(): void {
  epoch++;
  for (const l of epochListeners) l();
}
export function useStyleEpoch(): number {
  return useSyncExternalStore(
    (cb) => {
      epochListeners.add(cb);
      return () => epochListeners.delete(cb);
    },
    () => epoch,
  );
}

/**
 * An absolute URL. Anlan's own paths (tiles, glyphs) are pinned to the page's origin: behind a reverse proxy the
 * server may know itself by another name than the browser does.
 */
const absolute = (url: string) => {
  const u = new URL(url, window.location.origin);
  if (u.origin !== window.location.origin && /^\/(tiles|map)\//.test(u.pathname))
    return `${window.location.origin}${u.pathname}${u.search}`;
  return u.href;
};
// `{z}` and `{fontstack}` must survive URL parsing unescaped
const absoluteTemplate = (url: string) => absolute(url).replace(/%7B/gi, '{').replace(/%7D/gi, '}');

/** The server's style with every URL made absolute (MapLibre resolves tiles in a worker). */
export function absolutizeStyle(style: StyleSpecification): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, src] of Object.entries(style.sources ?? {})) {
    const s = { ...src } as SourceSpecification & { tiles?: string[]; url?: string };
    if (s.tiles) s.tiles = s.tiles.map(absoluteTemplate);
    if (typeof s.url === 'string' && (s.type === 'vector' || s.type === 'raster')) s.url = absolute(s.url);
    sources[id] = s;
  }
  return {
    ...style,
    glyphs: style.glyphs ? absoluteTemplate(style.glyphs) : style.glyphs,
    sprite: typeof style.sprite === 'string' ? absolute(style.sprite) : style.sprite,
    sources,
  };
}

/** `GET /map/style.json?lang=zh|en&theme=light|dark`: Anlan's offline basemap style. */
export async function fetchMapStyle(lang: 'zh' | 'en', theme: 'light' | 'dark' = 'light'): Promise<StyleSpecification> {
  const res = await fetch(`/map/style.json?lang=${lang}&theme=${theme}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`style.json: ${res.status}`);
  const style = (await res.json()) as StyleSpecification;
  if (style?.version !== 8 || !Array.isArray(style.layers)) throw new Error('style.json: not a style');
  return absolutizeStyle(style);
}

// The ids of the layers and sources that came with the base style: everything else on the map is an overlay
// added by a page, carried over when the style is replaced (language, new road network).
const baseIds = new WeakMap<MapLibreMap, { layers: Set<string>; sources: Set<string> }>();

export function rememberBaseStyle(map: MapLibreMap, style: StyleSpecification): void {
  baseIds.set(map, {
    layers: new Set(style.layers.map((l) => l.id)),
    sources: new Set(Object.keys(style.sources ?? {})),
  });
}

/** Replace the base style and keep the page's own sources and layers (with their current data) on top. */
export function swapBaseStyle(map: MapLibreMap, next: StyleSpecification): void {
  const base = baseIds.get(map);
  rememberBaseStyle(map, next);
  map.setStyle(next, {
    diff: false,
    localIdeographFontFamily: MAP_FONT_FAMILY,
    transformStyle: (prev, incoming) => {
      if (!prev || !base) return incoming;
      const sources = { ...incoming.sources };
      for (const [id, src] of Object.entries(prev.sources ?? {}))
        if (!base.sources.has(id) && !(id in sources)) sources[id] = src;
      const ids = new Set(incoming.layers.map((l) => l.id));
      const carried: LayerSpecification[] = prev.layers.filter(
        (l) => !base.layers.has(l.id) && !ids.has(l.id) && (!('source' in l) || (l.source as string) in sources),
      );
      return { ...incoming, sources, layers: [...incoming.layers, ...carried] };
    },
  });
}

/** Ids of the base style's layers drawn from a source-layer of the vector tiles. */
export function styleLayersOf(map: MapLibreMap, sourceLayers: string[]): string[] {
  const base = baseIds.get(map);
  const style = map.getStyle();
  if (!style) return [];
  return style.layers
    .filter(
      (l) =>
        (!base || base.layers.has(l.id)) && 'source-layer' in l && sourceLayers.includes(l['source-layer'] as string),
    )
    .map((l) => l.id);
}
