/** A copy of `a` of length `n` (≥ a.length), zero beyond: for scratch arrays that double when they fill up. */
export function grown<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  return b;
}
