/**
 * The gazetteer's search, in memory: names, their full pinyin, pinyin initials and English names, so that `石岛`,
 * `shidao`, `sd` and `Shidao` find 石岛. Exact and prefix matches come from one sorted array of every key (binary
 * search); matches inside a name from n-gram postings (single characters and pairs of Chinese characters, trigrams
 * of pinyin and English), checked against the key. Hits rank by match quality (exact > prefix > inside), then by
 * the kind's tier (contracts/places.ts), then by distance to `near`, then shorter names first. Pure: built from
 * entries, rebuilt when they change.
 */
import { pinyin } from 'pinyin-pro';
import { PLACE_KINDS } from '../../../contracts/places.ts';

export interface PlaceEntry {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  source: 'osm' | 'junction' | 'admin' | 'list';
  districtCode: string | null;
  lon: number;
  lat: number;
  demo: boolean;
  approximate: boolean;
}

export type MatchQuality = 'exact' | 'prefix' | 'inside';

export interface PlaceMatch {
  entry: PlaceEntry;
  match: MatchQuality;
  /** metres to `near`, when given */
  meters?: number;
}

const QUALITY: MatchQuality[] = ['inside', 'inside', 'prefix', 'exact'];
const EXACT = 3;
const PREFIX = 2;
const INSIDE = 1;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
/** separates a key from its entry's index in the sorted key array (sorts below every character) */
const SEP = '\u0000';

/** NFKC (full-width letters and digits), lower case, single spaces */
export function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Full pinyin (no tones, no spaces) and initials of a name; characters that are not Chinese are kept as they are. */
export function pinyinKeys(name: string): { full: string; initials: string } {
  if (!CJK.test(name)) {
    const n = normalise(name).replace(/\s+/g, '');
    return { full: n, initials: '' };
  }
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
  let full = '';
  let initials = '';
  for (const s of syllables) {
    const t = normalise(s).replace(/\s+/g, '');
    if (!t) continue;
    full += t;
    initials += t[0];
  }
  return { full, initials };
}

export class PlaceIndex {
  readonly entries: PlaceEntry[];
  /** every key as `key\0index`, sorted */
  readonly #sorted: string[];
  /** per entry: its name (normalised), pinyin, initials, English (normalised) */
  readonly #name: string[];
  readonly #py: string[];
  readonly #ini: string[];
  readonly #en: string[];
  readonly #tier: Uint8Array;
  readonly #grams = new Map<string, Int32Array>();
  /** per entry: the best match of the query being answered (reset after each) */
  readonly #quality: Uint8Array;

  constructor(entries: PlaceEntry[], keysOf: (name: string) => { full: string; initials: string } = pinyinKeys) {
    this.entries = entries;
    const n = entries.length;
    this.#name = new Array(n);
    this.#py = new Array(n);
    this.#ini = new Array(n);
    this.#en = new Array(n);
    this.#tier = new Uint8Array(n);
    this.#quality = new Uint8Array(n);
    const sorted: string[] = [];
    const grams = new Map<string, number[]>();
    const post = (g: string, i: number) => {
      const list = grams.get(g);
      if (!list) grams.set(g, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      const name = normalise(e.name);
      const { full, initials } = keysOf(e.name);
      const en = e.nameEn ? normalise(e.nameEn) : '';
      this.#name[i] = name;
      this.#py[i] = full;
      this.#ini[i] = initials;
      this.#en[i] = en;
      this.#tier[i] = (PLACE_KINDS as Record<string, { tier: number }>)[e.kind]?.tier ?? 1;
      sorted.push(name + SEP + i);
      if (full && full !== name) sorted.push(full + SEP + i);
      if (initials && initials !== full) sorted.push(initials + SEP + i);
      if (en && en !== name) sorted.push(en + SEP + i);
      // Chinese names: each character and each pair; Latin keys: trigrams
      for (let k = 0; k < name.length; k++) {
        if (!CJK.test(name[k])) continue;
        post(name[k], i);
        if (k + 1 < name.length) post(name.slice(k, k + 2), i);
      }
      for (const key of [full, initials, en, CJK.test(name) ? '' : name]) {
        for (let k = 0; k + 3 <= key.length; k++) post(key.slice(k, k + 3), i);
      }
    }
    sorted.sort();
    this.#sorted = sorted;
    for (const [g, list] of grams) this.#grams.set(g, Int32Array.from(list));
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Places matching the query, best first. `near` (lon, lat) ranks nearer places first among equals; `accept`
   * filters entries (a kind, a source).
   */
  search(
    q: string,
    opts: { near?: [number, number]; limit?: number; accept?: (e: PlaceEntry) => boolean } = {},
  ): PlaceMatch[] {
    const limit = opts.limit ?? 10;
    const qn = normalise(q);
    if (!qn) return [];
    const qc = qn.replace(/\s+/g, '');
    const touched: number[] = [];
    const quality = this.#quality;
    const note = (i: number, m: number) => {
      if (quality[i] === 0) touched.push(i);
      if (m > quality[i]) quality[i] = m;
    };
    this.#prefix(qn, note);
    if (qc !== qn) this.#prefix(qc, note);
    const cjk = CJK.test(qn);
    if (cjk || qc.length >= 3) this.#inside(qn, qc, cjk, note);

    // the best `limit` by rank, without sorting every hit
    const near = opts.near;
    const cosLat = near ? Math.cos((near[1] * Math.PI) / 180) : 1;
    const top: { i: number; rank: number; meters?: number }[] = [];
    for (const i of touched) {
      const e = this.entries[i];
      if (opts.accept && !opts.accept(e)) continue;
      let meters: number | undefined;
      let penalty = 0;
      if (near) {
        const dx = (e.lon - near[0]) * cosLat * 111_320;
        const dy = (e.lat - near[1]) * 110_574;
        meters = Math.sqrt(dx * dx + dy * dy);
        const km = meters / 1000;
        // below 10 whatever the distance: a better kind always ranks above a nearer worse one
        penalty = (10 * km) / (km + 20);
      }
      const rank = quality[i] * 100 + this.#tier[i] * 10 - penalty - this.#name[i].length * 1e-6;
      if (top.length === limit && rank <= top[limit - 1].rank) continue;
      let k = top.length < limit ? top.length : limit - 1;
      while (k > 0 && top[k - 1].rank < rank) {
        if (k < limit) top[k] = top[k - 1];
        k--;
      }
      top[k] = { i, rank, meters };
    }
    const out = top.map((t) => ({
      entry: this.entries[t.i],
      match: QUALITY[quality[t.i]],
      ...(t.meters !== undefined ? { meters: Math.round(t.meters) } : {}),
    }));
    for (const i of touched) quality[i] = 0;
    return out;
  }

  /** keys starting with `q`: exact when the key is `q` */
  #prefix(q: string, note: (i: number, m: number) => void): void {
    const a = this.#sorted;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] < q) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < a.length && a[k].startsWith(q); k++) {
      const s = a[k];
      const sep = s.indexOf(SEP, q.length);
      note(Number(s.slice(sep + 1)), sep === q.length ? EXACT : PREFIX);
    }
  }

  /** names holding the query elsewhere than at their start, through the smallest postings of its n-grams */
  #inside(qn: string, qc: string, cjk: boolean, note: (i: number, m: number) => void): void {
    if (cjk) {
      const grams: string[] = [];
      if (qn.length === 1) grams.push(qn);
      else {
        for (let k = 0; k + 2 <= qn.length; k++) {
          if (CJK.test(qn[k]) && CJK.test(qn[k + 1])) grams.push(qn.slice(k, k + 2));
        }
      }
      if (grams.length === 0) for (const ch of qn) if (CJK.test(ch)) grams.push(ch);
      this.#verify(grams, (i) => this.#name[i].includes(qn), note);
      return;
    }
    // the query as typed (English with its spaces) and without spaces (pinyin)
    for (const f of new Set([qn, qc])) {
      if (f.length < 3) continue;
      const grams: string[] = [];
      for (let k = 0; k + 3 <= f.length; k++) grams.push(f.slice(k, k + 3));
      this.#verify(
        grams,
        (i) =>
          this.#py[i].includes(f) || this.#ini[i].includes(f) || this.#en[i].includes(f) || this.#name[i].includes(f),
        note,
      );
    }
  }

  /** candidates holding every gram (the two rarest intersected), each checked by `holds` */
  #verify(grams: string[], holds: (i: number) => boolean, note: (i: number, m: number) => void): void {
    const lists: Int32Array[] = [];
    for (const g of new Set(grams)) {
      const list = this.#grams.get(g);
      if (!list) return; // a gram no key has: no key holds the query
      lists.push(list);
    }
    if (lists.length === 0) return;
    lists.sort((a, b) => a.length - b.length);
    const candidates = lists.length > 1 ? intersect(lists[0], lists[1]) : lists[0];
    for (const i of candidates) {
      if (this.#quality[i] >= PREFIX) continue;
      if (holds(i)) note(i, INSIDE);
    }
  }
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[n++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.subarray(0, n);
}
