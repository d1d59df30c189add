/** How a gazetteer place reads in either language: its kind, its other-language name, demo and approximate marks. */
import { PLACE_KINDS, type PlaceHit } from '../api/contracts.ts';

type Lang = 'zh' | 'en';

export function placeKindLabel(kind: string, lang: Lang): string {
  const k = (PLACE_KINDS as Record<string, { zh: string; en: string }>)[kind];
  return k ? k[lang] : kind;
}

/** The name shown first: the English name in English mode when there is one. */
export function placeName(h: Pick<PlaceHit, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' && h.nameEn ? h.nameEn : h.name;
}

/** The line under a place's name: kind, the name in the other language, distance, demo / approximate. */
export function placeLine(
  h: Pick<PlaceHit, 'name' | 'nameEn' | 'kind' | 'demo' | 'approximate' | 'meters'>,
  lang: Lang,
): string {
  const parts = [placeKindLabel(h.kind, lang)];
  if (lang === 'en' && h.nameEn) parts.push(h.name);
  if (lang === 'zh' && h.nameEn) parts.push(h.nameEn);
  if (h.meters !== undefined) {
    parts.push(
      h.meters < 1000 ? `${Math.round(h.meters)} m` : `${(h.meters / 1000).toFixed(h.meters < 10_000 ? 1 : 0)} km`,
    );
  }
  if (h.approximate) parts.push(lang === 'zh' ? '位置近似' : 'approximate position');
  if (h.demo) parts.push(lang === 'zh' ? '示例数据' : 'demo data');
  return parts.join(' · ');
}

/** street level: where one click on the form's map is metres, not hundreds of metres, off */
export const PLACE_ZOOM = 16;
