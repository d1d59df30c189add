import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PbfWriter } from 'pbf';
import { AppError } from '../../errors.ts';

/** The glyph PBFs scripts/gen-glyphs.mjs writes (Noto Sans, SIL OFL 1.1: assets/glyphs/OFL.txt). */
export const GLYPHS_DIR = join(import.meta.dirname, 'assets', 'glyphs');

const FONTS: Record<string, string> = { 'Noto Sans Regular': 'noto-sans-regular', 'Noto Sans Bold': 'noto-sans-bold' };

/** at most two fonts × 256 ranges; null where we have no file */
const cache = new Map<string, Buffer | null>();

/** A glyph PBF with the fontstack's name and range and no glyphs: what MapLibre reads as "none here". */
export function emptyGlyphs(fontstack: string, range: string): Buffer {
  const pbf = new PbfWriter();
  pbf.writeMessage(
    1,
    (_: unknown, p: PbfWriter) => {
      p.writeStringField(1, fontstack);
      p.writeStringField(2, range);
    },
    null,
  );
  return Buffer.from(pbf.finish());
}

/** Which of our fonts draws a fontstack: the first we have, else bold for a bold stack, else regular. */
function fontDir(fontstack: string): string {
  const names = fontstack.split(',').map((s) => s.trim());
  const known = names.find((n) => n in FONTS);
  if (known) return FONTS[known];
  return /bold/i.test(fontstack) ? FONTS['Noto Sans Bold'] : FONTS['Noto Sans Regular'];
}

/**
 * The glyphs of a 256-code-point range ("0-255", "256-511", …) for a fontstack. Ranges without Latin glyphs answer
 * an empty PBF, never an error: Chinese is drawn by the browser, and MapLibre only needs to know nothing is here.
 */
export function glyphRange(fontstack: string, range: string): Buffer {
  if (!fontstack || fontstack.length > 200) {
    throw new AppError('VALIDATION', { field: 'fontstack', reason: 'one to 200 characters' });
  }
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(range);
  const start = m ? Number(m[1]) : -1;
  if (!m || start % 256 !== 0 || Number(m[2]) !== start + 255 || start > 65280) {
    throw new AppError('VALIDATION', { field: 'range', reason: 'a range of 256 code points such as 0-255' });
  }
  const dir = fontDir(fontstack);
  const key = `${dir}/${range}`;
  if (!cache.has(key)) {
    const file = join(GLYPHS_DIR, dir, `${range}.pbf`);
    cache.set(key, existsSync(file) ? readFileSync(file) : null);
  }
  return cache.get(key) ?? emptyGlyphs(fontstack, range);
}
