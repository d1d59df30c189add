/**
 * The draw itself, pure and deterministic: a seed (32 random bytes from the platform's crypto) drives a counter-mode
 * SHA-256 stream; each index is taken by rejection sampling (no modulo bias) and a partial Fisher–Yates shuffle over
 * the candidate ids, sorted, picks `count` of them in order. Anyone holding the record (seed, sorted candidates,
 * count, algorithm name) recomputes the same result; `recordDigest` fingerprints the whole record for tampering.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DRAW_ALGORITHM } from '../../../contracts/experts.ts';

const TWO_48 = 2 ** 48;

/** 32 bytes from the operating system's cryptographic source, as hex: nobody can choose or predict the draw. */
export function newSeed(): string {
  return randomBytes(32).toString('hex');
}

/** A stream of uniform integers below n, from the seed: block k is sha256(seed ‖ k as 4 bytes big-endian). */
function streamOf(seedHex: string) {
  const seed = Buffer.from(seedHex, 'hex');
  let counter = 0;
  const next48 = (): number => {
    const k = Buffer.alloc(4);
    k.writeUInt32BE(counter++);
    const h = createHash('sha256').update(seed).update(k).digest();
    return h.readUIntBE(0, 6);
  };
  return (n: number): number => {
    const limit = Math.floor(TWO_48 / n) * n;
    for (;;) {
      const v = next48();
      if (v < limit) return v % n;
    }
  };
}

/** The ids drawn, in draw order. The candidates are sorted here, so the order they were read in never matters. */
export function drawFrom(
  candidates: readonly string[],
  count: number,
  seedHex: string,
  algorithm = DRAW_ALGORITHM,
): string[] {
  if (algorithm !== DRAW_ALGORITHM) throw new Error(`unknown draw algorithm ${algorithm}`);
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('a seed is 32 bytes of hex');
  const pool = [...candidates].sort();
  const below = streamOf(seedHex);
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + below(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return pool.slice(0, take);
}

export interface DrawRecord {
  id: string;
  parentId: string | null;
  round: number;
  algorithm: string;
  seed: string;
  count: number;
  candidates: readonly string[];
  result: readonly string[];
  fields: readonly string[];
  excludeOrganisations: readonly string[];
  excludeExpertIds: readonly string[];
  drawnAt: string;
  drawnBy: string | null;
}

/** sha256 of the record in a fixed key order: what the audit row keeps, and what verification compares. */
export function recordDigest(r: DrawRecord): string {
  const canonical = JSON.stringify([
    r.id,
    r.parentId,
    r.round,
    r.algorithm,
    r.seed,
    r.count,
    r.candidates,
    r.result,
    r.fields,
    r.excludeOrganisations,
    r.excludeExpertIds,
    r.drawnAt,
    r.drawnBy,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Organisation names compared as people write them: full-width folded, spaces dropped. */
export function normOrganisation(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/**
 * Avoidance: an expert is avoided when their organisation is, or contains, an excluded name ("威海市立医院" avoids
 * "威海市立医院急诊科"). Containment errs towards avoiding; names shorter than 2 characters are refused upstream.
 */
export function avoided(organisation: string, excluded: readonly string[]): boolean {
  const o = normOrganisation(organisation);
  return excluded.some((x) => {
    const e = normOrganisation(x);
    return e.length > 0 && o.includes(e);
  });
}
