// Writes contracts/reference/*.json from the national-standard tables in ../shared/reference/.
// The facts are those of GB/T 35561-2017 as used by working systems (see the CSV's notes); the
// repository may hold these facts, citing the standard. Run: node scripts/gen-reference.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, '..', 'shared', 'reference', 'gbt35561_event_codes_observed.csv');
const lines = readFileSync(src, 'utf8').replace(/\r/g, '').trim().split('\n').slice(1);
const codes = lines.map((line) => {
  const [code, , level, name, ...note] = line.split(',');
  return { code, level: Number(level), name, nameEn: '', note: note.join(',') || undefined };
});
// English names are ours (the standard has none): scripts/reference/gbt35561-names-en.tsv, one per code.
const en = new Map(
  readFileSync(join(root, 'scripts', 'reference', 'gbt35561-names-en.tsv'), 'utf8')
    .replace(/\r/g, '')
    .trim()
    .split('\n')
    .map((line) => line.split('\t')),
);
for (const c of codes) {
  const nameEn = en.get(c.code)?.trim();
  if (!nameEn) throw new Error(`no English name for ${c.code} ${c.name} in scripts/reference/gbt35561-names-en.tsv`);
  c.nameEn = nameEn;
  en.delete(c.code);
}
if (en.size) throw new Error(`English names for unknown codes: ${[...en.keys()].join(', ')}`);
mkdirSync(join(root, 'contracts', 'reference'), { recursive: true });
writeFileSync(
  join(root, 'contracts', 'reference', 'gbt35561-event-codes.json'),
  `${JSON.stringify({ source: 'GB/T 35561-2017 突发事件分类与编码 — codes as observed in working systems; not checked against the standard text (see ../shared/reference/README.md)', codes }, null, 0)}\n`,
);
console.log(`wrote ${codes.length} codes`);

// GB/T 38565-2020 应急物资分类及编码: the 916 seven-digit codes in four levels (teams' equipment, reserves' items).
const supplies = readFileSync(join(root, '..', 'shared', 'reference', 'gbt38565_2020_codes.csv'), 'utf8')
  .replace(/\r/g, '')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [code, level, name, ...note] = line.split(',');
    return note.join(',') ? [code, Number(level), name, note.join(',')] : [code, Number(level), name];
  });
writeFileSync(
  join(root, 'contracts', 'reference', 'gbt38565-2020-codes.json'),
  `${JSON.stringify({ source: 'GB/T 38565-2020 应急物资分类及编码 (../shared/reference/gbt38565_2020_codes.csv)', codes: supplies }, null, 0)}\n`,
);
console.log(`wrote ${supplies.length} supply codes`);
