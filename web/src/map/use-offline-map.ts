import { useQuery } from '@tanstack/react-query';
import { AttributionControl, type Map as MapLibreMap, type StyleSpecification } from 'maplibre-gl';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../api/org.ts';
import { useTheme } from '../components/theme.ts';
import { addBasemapLabels, createOfflineMap, offlineStyle, setBasemapData, useBasemap } from './basemap.ts';
import { fetchMapStyle, rememberBaseStyle, swapBaseStyle, useStyleEpoch } from './map-style.ts';

/**
 * The base style: Anlan's vector basemap from `/map/style.json` in the UI language and theme, reloaded when the
 * road network is swapped. When the server cannot give one, the older GeoJSON district basemap stands in.
 */
export function useBaseStyle() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const theme = useTheme();
  const epoch = useStyleEpoch();
  return useQuery({
    queryKey: ['map', 'style', lang, theme, epoch],
    queryFn: () => fetchMapStyle(lang, theme),
    staleTime: Number.POSITIVE_INFINITY,
    // a reload after a network swap must reach the map even when the JSON reads the same (new tiles behind it)
    structuralSharing: false,
    retry: 1,
    placeholderData: (prev) => prev,
  });
}

/**
 * A MapLibre map in `ref` on the offline basemap. Returns the map once its first style has loaded (so callers
 * can add sources and layers, which survive later style swaps), or null before that.
 * `attribution`: extra attribution lines (notes of the layers shown); the sources' own attribution always shows.
 */
export function useOfflineMap(
  ref: RefObject<HTMLDivElement | null>,
  opts: { interactive?: boolean; labels?: boolean; attribution?: string[] } = {},
): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const style = useBaseStyle();
  const fallback = style.isError && !style.data;
  const ready = !!style.data || fallback;
  const basemap = useBasemap(fallback);
  const { i18n } = useTranslation();
  const units = useUnits(fallback);
  const interactive = opts.interactive ?? true;
  const labels = opts.labels ?? true;
  const theme = useTheme();
  const applied = useRef<StyleSpecification | null>(null);
  const initial = useRef<StyleSpecification | null>(null);
  initial.current = style.data ?? (fallback ? offlineStyle(theme) : null);

  useEffect(() => {
    const el = ref.current;
    if (!el || !ready || !initial.current) return;
    const first = initial.current;
    const m = createOfflineMap(el, { interactive, style: first });
    rememberBaseStyle(m, first);
    applied.current = first;
    let alive = true;
    m.on('load', () => {
      if (alive) setMap(m);
    });
    // the container may be sized after mount (drawers, flex layouts)
    const ro = new ResizeObserver(() => m.resize());
    ro.observe(el);
    return () => {
      alive = false;
      ro.disconnect();
      setMap(null);
      applied.current = null;
      m.remove();
    };
  }, [ref, interactive, ready]);

  // a new language, theme or road network: swap the base style under the page's own layers
  useEffect(() => {
    if (!map || !style.data || applied.current === style.data) return;
    applied.current = style.data;
    swapBaseStyle(map, style.data);
  }, [map, style.data]);

  // the stand-in basemap follows the theme too (its polygons are loaded again below, once the style is in)
  const [fallbackTheme, setFallbackTheme] = useState(theme);
  useEffect(() => {
    if (!map || !fallback || fallbackTheme === theme) return;
    const next = offlineStyle(theme);
    applied.current = next;
    swapBaseStyle(map, next);
    map.once('style.load', () => setFallbackTheme(theme));
  }, [map, fallback, theme, fallbackTheme]);

  const attribution = (opts.attribution ?? []).join(' · ');
  useEffect(() => {
    if (!map) return;
    const control = new AttributionControl({ compact: true, customAttribution: attribution || undefined });
    map.addControl(control, 'bottom-right');
    // folded to its ⓘ button once drawn: the lines are long and would cover the map's corner (40 % of the small form
    // and detail maps). MapLibre makes a control compact only if it had text when added; ours gets its text with the
    // style, after: made compact here, then folded.
    // (the text comes with the style or a source, after the control's own handler of the same event: tried at each
    // data event until there is text to fold, so it never shows unfolded for long)
    const fold = () => {
      const box = control._container;
      if (!box || box.classList.contains('maplibregl-attrib-empty')) return;
      control._updateCompact();
      control._updateCompactMinimize();
      if (box.classList.contains('maplibregl-compact')) box.removeAttribute('open');
      map.off('data', fold);
    };
    map.on('data', fold);
    return () => {
      map.off('data', fold);
      // on unmount the map may already be removed (its effect is cleaned up first)
      try {
        map.removeControl(control);
      } catch {
        // nothing left to remove from
      }
    };
  }, [map, attribution]);

  useEffect(() => {
    if (!map || !fallback || !basemap.data || fallbackTheme !== theme) return;
    setBasemapData(map, basemap.data);
    if (!labels) return;
    const en = i18n.language === 'en';
    const names = new Map((units.data?.items ?? []).map((u) => [u.code, u.nameEn]));
    return addBasemapLabels(map, basemap.data, (p) => (en ? p.nameEn || names.get(p.code) || p.name : p.name));
  }, [map, fallback, basemap.data, labels, i18n.language, units.data, fallbackTheme, theme]);

  return map;
}

/** A counter that moves each time the map's base style is (re)loaded, for effects that style base layers. */
export function useStyleLoads(map: MapLibreMap | null): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!map) return;
    const bump = () => setN((x) => x + 1);
    map.on('style.load', bump);
    return () => {
      map.off('style.load', bump);
    };
  }, [map]);
  return n;
}
