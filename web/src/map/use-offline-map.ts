import type { Map as MapLibreMap } from 'maplibre-gl';
import { type RefObject, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../api/incidents.ts';
import { addBasemapLabels, createOfflineMap, setBasemapData, useBasemap } from './basemap.ts';

/**
 * A MapLibre map in `ref`, with the offline basemap and its labels. Returns the map once its style has
 * loaded (so callers can add sources and layers), or null before that.
 */
export function useOfflineMap(
  ref: RefObject<HTMLDivElement | null>,
  opts: { interactive?: boolean; labels?: boolean } = {},
): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const basemap = useBasemap();
  const { i18n } = useTranslation();
  const units = useUnits();
  const interactive = opts.interactive ?? true;
  const labels = opts.labels ?? true;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const m = createOfflineMap(el, { interactive });
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
      m.remove();
    };
  }, [ref, interactive]);

  useEffect(() => {
    if (!map || !basemap.data) return;
    setBasemapData(map, basemap.data);
    if (!labels) return;
    const en = i18n.language === 'en';
    const names = new Map((units.data?.items ?? []).map((u) => [u.code, u.nameEn]));
    return addBasemapLabels(map, basemap.data, (p) => (en ? p.nameEn || names.get(p.code) || p.name : p.name));
  }, [map, basemap.data, labels, i18n.language, units.data]);

  return map;
}
