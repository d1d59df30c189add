/**
 * The gazetteer's search, in memory: names, their full pinyin, pinyin initials and English names, so that `石岛`,
 * `shidao`, `sd` and `Shidao` find 石岛. Exact and prefix matches come from one sorted array of every key (binary
 * search); matches inside a name from n-gram postings (single characters and pairs of Chinese characters, trigrams
 * of pinyin and English), checked against the key. Hits rank by match quality (exact > prefix > inside), then by
 * the kind's tier (contracts/places.ts), then by distance to `near`, then shorter names first. Pure: built from
 * entries, rebuilt when they change.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
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

type KeysOf = (name: string) => { full: string; initials: string };
/** does entry i hold the query (null: every candidate does) */
type Holds = (i: number) => boolean;
/** a candidate for a match inside a name, with the check that it really holds the query */
type Found = (i: number, holds: Holds | null) => void;

export class PlaceIndex {
  readonly entries: PlaceEntry[];
  /** every key as `key\0index`, sorted; and the index of each, parsed once */
  #sorted: string[] = [];
  #sortedEntry = new Int32Array(0);
  /** per entry: its name (normalised), pinyin, initials, English (normalised) */
  readonly #name: string[];
  readonly #py: string[];
  readonly #ini: string[];
  readonly #en: string[];
  readonly #tier: Uint8Array;
  readonly #lon: Float64Array;
  readonly #lat: Float64Array;
  /** n-gram (as a number, gramKey) → its postings: entries [start[g], start[g+1]) of #posting */
  readonly #gramId = new Map<number, number>();
  #gramStart = new Int32Array(1);
  #posting = new Int32Array(0);
  /** per entry: the best match of the query being answered (reset after each) */
  readonly #quality: Uint8Array;

  /** Builds the index at once (tests, small lists); `PlaceIndex.build` gives way to other work while it builds. */
  constructor(entries: PlaceEntry[], keysOf: KeysOf = pinyinKeys, deferred = false) {
    this.entries = entries;
    const n = entries.length;
    this.#name = new Array(n);
    this.#py = new Array(n);
    this.#ini = new Array(n);
    this.#en = new Array(n);
    this.#tier = new Uint8Array(n);
    this.#lon = Float64Array.from(entries, (e) => e.lon);
    this.#lat = Float64Array.from(entries, (e) => e.lat);
    this.#quality = new Uint8Array(n);
    if (!deferred) for (const _ of this.#fill(keysOf));
  }

  /**
   * The index built a slice at a time, the event loop free in between: a server keeps answering while it builds the
   * index of a province (seconds for 200,000 names).
   */
  static async build(entries: PlaceEntry[], keysOf: KeysOf = pinyinKeys): Promise<PlaceIndex> {
    const index = new PlaceIndex(entries, keysOf, true);
    for (const _ of index.#fill(keysOf)) await yieldToEventLoop();
    return index;
  }

  /** Fills the index; yields every few thousand entries (and after the sort). */
  *#fill(keysOf: KeysOf): Generator<void> {
    const entries = this.entries;
    const n = entries.length;
    const sorted: string[] = [];
    // (gram id, entry) pairs, grouped into postings once all are known (no array per gram: far less garbage)
    let pairGram = new Int32Array(1 << 20);
    let pairEntry = new Int32Array(1 << 20);
    let pairs = 0;
    const lastEntry: number[] = [];
    const post = (key: number, i: number) => {
      let g = this.#gramId.get(key);
      if (g === undefined) {
        g = lastEntry.length;
        this.#gramId.set(key, g);
        lastEntry.push(-1);
      }
      if (lastEntry[g] === i) return;
      lastEntry[g] = i;
      if (pairs === pairGram.length) {
        const ng = new Int32Array(pairs * 2);
        ng.set(pairGram);
        pairGram = ng;
        const ne = new Int32Array(pairs * 2);
        ne.set(pairEntry);
        pairEntry = ne;
      }
      pairGram[pairs] = g;
      pairEntry[pairs++] = i;
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
      // a junction is typed with either road first: the other order is found by its start too
      const swapped = e.kind === 'junction' ? swapJunction(e.name, e.nameEn) : null;
      if (swapped) {
        const k = keysOf(swapped.name);
        sorted.push(normalise(swapped.name) + SEP + i, k.full + SEP + i, k.initials + SEP + i);
        if (swapped.nameEn) sorted.push(normalise(swapped.nameEn) + SEP + i);
      }
      // Chinese names: each character and each pair; Latin keys: trigrams
      const cjk = CJK.test(name);
      if (cjk) {
        for (let k = 0; k < name.length; k++) {
          if (!isCjk(name.charCodeAt(k))) continue;
          post(gramKey(name, k, 1), i);
          if (k + 1 < name.length) post(gramKey(name, k, 2), i);
        }
      }
      for (const key of [full, initials, en, cjk ? '' : name]) {
        for (let k = 0; k + 3 <= key.length; k++) post(gramKey(key, k, 3), i);
      }
      if (i % 2000 === 1999) yield;
    }
    yield;
    sorted.sort();
    yield;
    this.#sorted = sorted;
    this.#sortedEntry = Int32Array.from(sorted, (k) => Number(k.slice(k.lastIndexOf(SEP) + 1)));
    // counting sort of the pairs by gram: entries stay ascending within each posting (pairs were made in order)
    const grams = lastEntry.length;
    const start = new Int32Array(grams + 1);
    for (let p = 0; p < pairs; p++) start[pairGram[p] + 1]++;
    for (let g = 0; g < grams; g++) start[g + 1] += start[g];
    const at = start.slice(0, grams);
    const posting = new Int32Array(pairs);
    for (let p = 0; p < pairs; p++) posting[at[pairGram[p]]++] = pairEntry[p];
    this.#gramStart = start;
    this.#posting = posting;
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

    // the best `limit` by rank, without sorting every hit
    const near = opts.near;
    const cosLat = near ? Math.cos((near[1] * Math.PI) / 180) : 1;
    const top: { i: number; rank: number; meters: number }[] = [];
    const lon = this.#lon;
    const lat = this.#lat;
    let meters = -1;
    const rankOf = (i: number, m: number) => {
      meters = -1;
      let penalty = 0;
      if (near) {
        const dx = (lon[i] - near[0]) * cosLat * 111_320;
        const dy = (lat[i] - near[1]) * 110_574;
        meters = Math.sqrt(dx * dx + dy * dy);
        // below 10 whatever the distance: a better kind always ranks above a nearer worse one
        penalty = (10 * meters) / (meters + 20_000);
      }
      return m * 100 + this.#tier[i] * 10 - penalty - this.#name[i].length * 1e-6;
    };
    const insert = (i: number, rank: number) => {
      let k = top.length < limit ? top.length : limit - 1;
      while (k > 0 && top[k - 1].rank < rank) {
        if (k < limit) top[k] = top[k - 1];
        k--;
      }
      top[k] = { i, rank, meters };
    };
    const beaten = (rank: number) => top.length === limit && rank <= top[limit - 1].rank;
    for (const i of touched) {
      if (opts.accept && !opts.accept(this.entries[i])) continue;
      const rank = rankOf(i, quality[i]);
      if (!beaten(rank)) insert(i, rank);
    }
    // a match inside a name ranks below every prefix match: with `limit` of those, none could make the list
    if (top.length < limit && (cjk || qc.length >= 3)) {
      // the rank first (cheap), the name checked only for a candidate that would make the list
      this.#inside(qn, qc, cjk, (i, holds) => {
        if (quality[i] !== 0) return;
        if (opts.accept && !opts.accept(this.entries[i])) return;
        const rank = rankOf(i, INSIDE);
        if (beaten(rank) || (holds && !holds(i))) return;
        quality[i] = INSIDE;
        touched.push(i);
        insert(i, rank);
      });
    }
    const out = top.map((t) => ({
      entry: this.entries[t.i],
      match: QUALITY[quality[t.i]],
      ...(t.meters >= 0 ? { meters: Math.round(t.meters) } : {}),
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
      note(this.#sortedEntry[k], a[k].charCodeAt(q.length) === 0 ? EXACT : PREFIX);
    }
  }

  /** names holding the query elsewhere than at their start, through the smallest postings of its n-grams */
  #inside(qn: string, qc: string, cjk: boolean, found: Found): void {
    if (cjk) {
      const grams: number[] = [];
      for (let k = 0; k + 2 <= qn.length; k++) {
        if (isCjk(qn.charCodeAt(k)) && isCjk(qn.charCodeAt(k + 1))) grams.push(gramKey(qn, k, 2));
      }
      if (grams.length === 0)
        for (let k = 0; k < qn.length; k++) if (isCjk(qn.charCodeAt(k))) grams.push(gramKey(qn, k, 1));
      // a query that is its one gram is held by every entry of its posting
      const whole = grams.length === 1 && qn.length <= 2;
      this.#verify(grams, whole ? null : (i) => this.#name[i].includes(qn), found);
      return;
    }
    // the query as typed (English with its spaces) and without spaces (pinyin)
    for (const f of new Set([qn, qc])) {
      if (f.length < 3) continue;
      const grams: number[] = [];
      for (let k = 0; k + 3 <= f.length; k++) grams.push(gramKey(f, k, 3));
      this.#verify(
        grams,
        f.length === 3
          ? null
          : (i) =>
              this.#py[i].includes(f) ||
              this.#ini[i].includes(f) ||
              this.#en[i].includes(f) ||
              this.#name[i].includes(f),
        found,
      );
    }
  }

  /** candidates holding every gram (the two rarest intersected), each checked by `holds` */
  #verify(grams: number[], holds: Holds | null, found: Found): void {
    const lists: Int32Array[] = [];
    for (const key of new Set(grams)) {
      const g = this.#gramId.get(key);
      if (g === undefined) return; // a gram no key has: no key holds the query
      lists.push(this.#posting.subarray(this.#gramStart[g], this.#gramStart[g + 1]));
    }
    if (lists.length === 0) return;
    lists.sort((a, b) => a.length - b.length);
    const candidates = lists.length > 1 ? intersect(lists[0], lists[1]) : lists[0];
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k];
      if (this.#quality[i] === 0) found(i, holds);
    }
  }
}

/** `X路与Y路交叉口` → `Y路与X路交叉口` (and `X Rd & Y Rd` → `Y Rd & X Rd`) */
export function swapJunction(name: string, nameEn: string | null): { name: string; nameEn: string | null } | null {
  const m = /^(.+?)与(.+)交叉口$/.exec(name);
  if (!m) return null;
  const en = nameEn ? /^(.+?) & (.+)$/.exec(nameEn) : null;
  return { name: `${m[2]}与${m[1]}交叉口`, nameEn: en ? `${en[2]} & ${en[1]}` : null };
}

function isCjk(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/**
 * An n-gram of `s` at `k` as one number: 1 character → its code; 2 → above 65,535; 3 → above 2^32 (codes are never
 * 0 in a normalised name, so the three ranges never meet).
 */
function gramKey(s: string, k: number, n: 1 | 2 | 3): number {
  const a = s.charCodeAt(k);
  if (n === 1) return a;
  const b = s.charCodeAt(k + 1);
  if (n === 2) return a * 65_536 + b;
  return (a * 65_536 + b) * 65_536 + s.charCodeAt(k + 2);
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
