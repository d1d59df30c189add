/** JSON with keys sorted at every depth: the same value always gives the same text (for hashes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(sortKeys);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as object).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}

/** A plain JSON copy (Dates to ISO strings, undefined dropped), as jsonb will give it back. */
export function toJsonValue<T>(v: T): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}
