/**
 * Binary min-heaps on typed arrays for the searches. `MinHeap` allows duplicates (a node is pushed again when its
 * label improves; stale entries are skipped by the caller), which is faster in JavaScript than decrease-key.
 * `IndexedHeap` keeps one key per node and supports changing it (the contraction's node order).
 */
import { grown } from './typed.ts';

export class MinHeap {
  keys: Float64Array;
  vals: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** key of the minimum; only when size > 0 */
  topKey(): number {
    return this.keys[0];
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p];
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = key;
    vals[i] = val;
  }

  /** removes the minimum and returns its value */
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0];
    const n = --this.size;
    if (n > 0) {
      const key = keys[n];
      const val = vals[n];
      let i = 0;
      const half = n >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ck = keys[c];
        const r = c + 1;
        if (r < n && keys[r] < ck) {
          c = r;
          ck = keys[r];
        }
        if (ck >= key) break;
        keys[i] = ck;
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = key;
      vals[i] = val;
    }
    return top;
  }

  private grow(): void {
    this.keys = grown(this.keys, this.keys.length * 2);
    this.vals = grown(this.vals, this.vals.length * 2);
  }
}

export class IndexedHeap {
  private heap: Int32Array;
  private pos: Int32Array;
  readonly key: Float64Array;
  size = 0;

  constructor(n: number) {
    this.heap = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
    this.key = new Float64Array(n);
  }

  has(v: number): boolean {
    return this.pos[v] >= 0;
  }

  peek(): number {
    return this.heap[0];
  }

  /** inserts v or changes its key */
  set(v: number, key: number): void {
    const p = this.pos[v];
    if (p < 0) {
      this.key[v] = key;
      const i = this.size++;
      this.heap[i] = v;
      this.pos[v] = i;
      this.up(i);
    } else {
      const old = this.key[v];
      this.key[v] = key;
      if (key < old) this.up(p);
      else if (key > old) this.down(p);
    }
  }

  pop(): number {
    const top = this.heap[0];
    this.pos[top] = -1;
    const n = --this.size;
    if (n > 0) {
      const last = this.heap[n];
      this.heap[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && a < b);
  }

  private up(i: number): void {
    const h = this.heap;
    const v = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(v, h[p])) break;
      h[i] = h[p];
      this.pos[h[i]] = i;
      i = p;
    }
    h[i] = v;
    this.pos[v] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.size;
    const v = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], v)) break;
      h[i] = h[c];
      this.pos[h[i]] = i;
      i = c;
    }
    h[i] = v;
    this.pos[v] = i;
  }
}
