/** What the command map draws of the active warnings: pure functions, without the map. */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { COLOUR_INFO, COLOURS } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';

export type Area = Polygon | MultiPolygon;
export type AreaProps = { id: string; color: string; rank: number };

const isArea = (g: Warning['area']): g is Area =>
  !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates);

/** The title in the UI language: the English one when English is shown and there is one. */
export function titleIn(w: Pick<Warning, 'title' | 'titleEn'>, lang: 'zh' | 'en'): string {
  return lang === 'en' && w.titleEn.trim() ? w.titleEn : w.title;
}

/**
 * Active area warnings as features, the lowest colour first so that a higher one is drawn over it where they
 * overlap (`rank`: blue 1 … red 4). Device warnings are left out: the devices layer rings the device in the
 * warning's colour.
 */
export function areaFeatures(items: readonly Warning[]): FeatureCollection<Area, AreaProps> {
  const features: Feature<Area, AreaProps>[] = [];
  for (const w of items) {
    if (w.status === 'lifted' || w.deviceId || !isArea(w.area)) continue;
    features.push({
      type: 'Feature',
      geometry: w.area,
      properties: { id: w.id, color: COLOUR_INFO[w.colour].color, rank: COLOURS.indexOf(w.colour) + 1 },
    });
  }
  features.sort((a, b) => a.properties.rank - b.properties.rank);
  return { type: 'FeatureCollection', features };
}
