/** Small typed-array helpers for the importer: a growable array and sorted-id lookups. */

type NumArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** An append-only typed array that doubles when full. */
export class Grow<A extends NumArray> {
  private a: A;
  length = 0;

  constructor(
    private readonly make: (n: number) => A,
    capacity = 1024,
  ) {
    this.a = make(capacity);
  }

  push(v: number): void {
    if (this.length === this.a.length) this.reserve(this.length + 1);
    this.a[this.length++] = v;
  }

  /** appends src[0 … count-1] */
  pushAll(src: ArrayLike<number>, count: number): void {
    this.reserve(this.length + count);
    const a = this.a;
    for (let i = 0; i < count; i++) a[this.length + i] = src[i];
    this.length += count;
  }

  /** the live backing array (valid up to length) */
  get view(): A {
    return this.a;
  }

  reserve(min: number): void {
    if (min <= this.a.length) return;
    const b = this.make(Math.max(min, this.a.length * 2));
    (b as Float64Array).set(this.a as unknown as Float64Array);
    this.a = b;
  }

  /** an exact-length copy */
  toArray(): A {
    return this.a.slice(0, this.length) as A;
  }
}

/** Sorts and removes duplicates, in place; returns the unique prefix. */
export function sortUnique(ids: Float64Array): Float64Array {
  ids.sort();
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (n === 0 || ids[i] !== ids[n - 1]) ids[n++] = ids[i];
  return ids.subarray(0, n);
}

/** Index of id in the sorted array, or -1. */
export function indexOfSorted(sorted: Float64Array, id: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid];
    if (v < id) lo = mid + 1;
    else if (v > id) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Looks ids up in a sorted array, fast when they come in ascending order (as in a sorted PBF): it gallops forward
 * from the last hit instead of searching the whole array each time.
 */
export function sortedCursor(sorted: Float64Array): (id: number) => number {
  const n = sorted.length;
  let cur = 0;
  return (id) => {
    if (n === 0) return -1;
    let lo: number;
    let hi: number;
    if (sorted[cur] <= id) {
      // gallop: find hi with sorted[hi] > id
      let step = 1;
      lo = cur;
      hi = cur + 1;
      while (hi < n && sorted[hi] <= id) {
        lo = hi;
        step *= 2;
        hi = lo + step;
      }
      if (hi > n) hi = n;
      // answer in [lo, hi)
      hi -= 1;
    } else {
      // id falls before sorted[cur]: in the gap just before it (the usual case), or further back
      if (cur === 0 || sorted[cur - 1] < id) return -1;
      lo = 0;
      hi = cur - 1;
    }
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid];
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else {
        cur = mid;
        return mid;
      }
    }
    cur = Math.min(lo, n - 1);
    return -1;
  };
}
