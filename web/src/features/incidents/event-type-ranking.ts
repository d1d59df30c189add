/**
 * What the type picker offers for what the user typed: exact code or name first, then names and codes that begin
 * with it, then names that contain it; the types of a class that matched follow the class's rank (so "火灾" puts the
 * 12G fires, under 12G00 火灾事故, before the forest fires of 11G00 森林草原火灾); the user's recent types on top.
 * Pure, so that the picker's order is tested without a browser.
 */
import { EVENT_TYPES, type EventType, findEventType, isLeafType, parentTypeCode } from '../../api/contracts.ts';

export type PickerLang = 'zh' | 'en';

export interface RankOptions {
  lang: PickerLang;
  /** the user's recent types, the latest first */
  recent?: readonly string[];
  /** records take only types without subtypes; filters may take a class (1 = a 大类 too) */
  leafOnly: boolean;
}

const nameOf = (t: EventType, lang: PickerLang) => (lang === 'en' ? t.nameEn : t.name);
const norm = (s: string) => s.trim().toLowerCase();

/**
 * 0 exact; 1 the code or name begins with it (in English: as a whole word, "fire" → "Fires"); then, in English, a
 * name beginning with it inside a word ("Fireworks") 1.8, a whole word further on ("Ship fire") 1.9, a word beginning
 * with it 2; a name containing it 2 (Chinese) or 2.5; undefined: no match.
 */
function ownScore(t: EventType, q: string, lang: PickerLang): number | undefined {
  const code = t.code.toLowerCase();
  const name = nameOf(t, lang).toLowerCase();
  if (code === q || name === q) return 0;
  if (code.startsWith(q)) return 1;
  if (lang === 'zh') {
    if (name.startsWith(q)) return 1;
    return name.includes(q) ? 2 : undefined;
  }
  const words = name.split(/[\s,;/()-]+/).filter(Boolean);
  const whole = (w: string) => w === q || w === `${q}s` || w === `${q}es`;
  const lead = q.split(/\s+/).length;
  if (name.startsWith(q) && whole(words.slice(0, lead).join(' '))) return 1;
  if (name.startsWith(q)) return 1.8;
  if (words.some(whole) || name.includes(` ${q} `) || name.endsWith(` ${q}`)) return 1.9;
  if (words.some((w) => w.startsWith(q)) || name.includes(` ${q}`)) return 2;
  return name.includes(q) ? 2.5 : undefined;
}

/** The types a record may be filed under or a filter may name (the root 10000 never). */
export function choosable(t: EventType, leafOnly: boolean): boolean {
  return leafOnly ? isLeafType(t.code) : t.level >= 1;
}

/** The types to offer for `query`, best first; an empty query offers the recent types, then all in code order. */
export function rankEventTypes(query: string, opts: RankOptions): EventType[] {
  const q = norm(query);
  const recent = (opts.recent ?? []).filter((c) => {
    const t = findEventType(c);
    return !!t && choosable(t, opts.leafOnly);
  });
  const recentRank = new Map(recent.map((c, i) => [c, i]));
  const candidates = EVENT_TYPES.filter((t) => choosable(t, opts.leafOnly));
  if (!q) {
    const head = recent.map((c) => findEventType(c) as EventType);
    return [...head, ...candidates.filter((t) => !recentRank.has(t.code))];
  }
  const scores = new Map<string, number>();
  for (const t of EVENT_TYPES) {
    const s = ownScore(t, q, opts.lang);
    if (s !== undefined) scores.set(t.code, s);
  }
  const scoreOf = (t: EventType): number | undefined => {
    let best = scores.get(t.code);
    // a match on the class (or 大类) carries its types, half a step behind a direct match of the same kind
    for (let p = parentTypeCode(t); p; p = parentTypeCode(findEventType(p) as EventType)) {
      const ps = scores.get(p);
      if (ps !== undefined && (best === undefined || ps + 0.5 < best)) best = ps + 0.5;
    }
    return best;
  };
  const hits: { t: EventType; score: number; order: number }[] = [];
  candidates.forEach((t, order) => {
    const s = scoreOf(t);
    if (s === undefined) return;
    const r = recentRank.get(t.code);
    // recent types the query matches come first, the latest first
    hits.push({ t, score: r === undefined ? s : -100 + r, order });
  });
  hits.sort((a, b) => a.score - b.score || a.order - b.order);
  return hits.map((h) => h.t);
}

/** Minimal Storage, so that tests pass a Map-backed one. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const RECENT_MAX = 8;
const recentKey = (userId: string) => `anlan.recentTypes.${userId}`;

/** The user's recent types on this browser, the latest first. */
export function recentTypes(store: KeyValueStore | undefined, userId: string): string[] {
  try {
    const v = JSON.parse(store?.getItem(recentKey(userId)) ?? '[]');
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

/** Remembers a type the user filed a report under. */
export function rememberType(store: KeyValueStore | undefined, userId: string, code: string): void {
  if (!store) return;
  const next = [code, ...recentTypes(store, userId).filter((c) => c !== code)].slice(0, RECENT_MAX);
  try {
    store.setItem(recentKey(userId), JSON.stringify(next));
  } catch {
    // a full or refused storage costs only the ranking
  }
}
