/**
 * GB 18218-2018《危险化学品重大危险源辨识》: identification (4.2) and grading (4.3) of a unit's hazardous chemicals, as a
 * pure function the server's endpoint and the web's calculator share. Facts from the project reference
 * (standards-facts.md §4, gb18218_2018_table1.csv):
 * - Table 1: 85 named substances with CAS and critical quantity Q (t) — `reference/gb18218-2018-table1.json`.
 * - Table 2: Q by hazard category for substances not in Table 1 (4.1.2); a substance with several hazards takes the
 *   lowest Q among its categories (4.1.2).
 * - 4.2.1: S = Σ qᵢ/Qᵢ; a major hazard when S ≥ 1 (a single substance with q ≥ Q is the same rule). q is the actual
 *   quantity in t; for tanks etc. the design maximum (4.2.2) — the caller enters it.
 * - 4.3: R = α·Σ βᵢ·qᵢ/Qᵢ; β from Table 3 for the toxic gases named there, else Table 4 by category; α from Table 5 by
 *   the people living within 500 m of the plant boundary; the grade from Table 6.
 */
import table1Doc from './reference/gb18218-2018-table1.json' with { type: 'json' };

export interface Table1Entry {
  no: number;
  name: string;
  aliases: string[];
  cas: string[];
  /** critical quantity, t */
  q: number;
}
export const GB18218_TABLE1: readonly Table1Entry[] = table1Doc.table1;

/** Table 2: critical quantity (t) by hazard category. */
export const GB18218_TABLE2: Readonly<Record<string, { q: number; zh: string; en: string }>> = {
  J1: { q: 5, zh: '急性毒性 J1', en: 'Acute toxicity J1' },
  J2: { q: 50, zh: '急性毒性 J2', en: 'Acute toxicity J2' },
  J3: { q: 50, zh: '急性毒性 J3', en: 'Acute toxicity J3' },
  J4: { q: 50, zh: '急性毒性 J4', en: 'Acute toxicity J4' },
  J5: { q: 500, zh: '急性毒性 J5', en: 'Acute toxicity J5' },
  'W1.1': { q: 1, zh: '爆炸物 W1.1', en: 'Explosives W1.1' },
  'W1.2': { q: 10, zh: '爆炸物 W1.2', en: 'Explosives W1.2' },
  'W1.3': { q: 50, zh: '爆炸物 W1.3', en: 'Explosives W1.3' },
  W2: { q: 10, zh: '易燃气体 W2', en: 'Flammable gases W2' },
  W3: { q: 150, zh: '气溶胶 W3（净重）', en: 'Aerosols W3 (net)' },
  W4: { q: 50, zh: '氧化性气体 W4', en: 'Oxidising gases W4' },
  'W5.1': { q: 10, zh: '易燃液体 W5.1', en: 'Flammable liquids W5.1' },
  'W5.2': { q: 50, zh: '易燃液体 W5.2', en: 'Flammable liquids W5.2' },
  'W5.3': { q: 1000, zh: '易燃液体 W5.3', en: 'Flammable liquids W5.3' },
  'W5.4': { q: 5000, zh: '易燃液体 W5.4', en: 'Flammable liquids W5.4' },
  'W6.1': { q: 10, zh: '自反应物质和混合物 W6.1', en: 'Self-reactive W6.1' },
  'W6.2': { q: 50, zh: '自反应物质和混合物 W6.2', en: 'Self-reactive W6.2' },
  'W7.1': { q: 10, zh: '有机过氧化物 W7.1', en: 'Organic peroxides W7.1' },
  'W7.2': { q: 50, zh: '有机过氧化物 W7.2', en: 'Organic peroxides W7.2' },
  W8: { q: 50, zh: '自燃液体和自燃固体 W8', en: 'Pyrophoric liquids and solids W8' },
  'W9.1': { q: 50, zh: '氧化性固体和液体 W9.1', en: 'Oxidising solids and liquids W9.1' },
  'W9.2': { q: 200, zh: '氧化性固体和液体 W9.2', en: 'Oxidising solids and liquids W9.2' },
  W10: { q: 200, zh: '易燃固体 W10', en: 'Flammable solids W10' },
  W11: { q: 200, zh: '遇水放出易燃气体的物质和混合物 W11', en: 'Water-reactive, flammable gas W11' },
};
export const GB18218_CATEGORIES = Object.keys(GB18218_TABLE2);

/** Table 3: β of the toxic gases named there (by CAS; 一氧化碳 is not in Table 1 and needs its category for Q). */
export const GB18218_TABLE3: readonly { name: string; cas: string; beta: number }[] = [
  { name: '一氧化碳', cas: '630-08-0', beta: 2 },
  { name: '二氧化硫', cas: '7446-09-5', beta: 2 },
  { name: '氨', cas: '7664-41-7', beta: 2 },
  { name: '环氧乙烷', cas: '75-21-8', beta: 2 },
  { name: '氯化氢', cas: '7647-01-0', beta: 3 },
  { name: '溴甲烷', cas: '74-83-9', beta: 3 },
  { name: '氯', cas: '7782-50-5', beta: 4 },
  { name: '硫化氢', cas: '7783-06-4', beta: 5 },
  { name: '氟化氢', cas: '7664-39-3', beta: 5 },
  { name: '二氧化氮', cas: '10102-44-0', beta: 10 },
  { name: '氰化氢', cas: '74-90-8', beta: 10 },
  { name: '碳酰氯', cas: '75-44-5', beta: 20 },
  { name: '磷化氢', cas: '7803-51-2', beta: 20 },
  { name: '异氰酸甲酯', cas: '624-83-9', beta: 20 },
];

/** Table 4: β by category for the other hazardous chemicals. */
export function table4Beta(category: string): number {
  if (category === 'J1') return 4;
  if (category === 'J2' || category === 'J5') return 1;
  if (['J3', 'J4', 'W1.1', 'W1.2', 'W1.3'].includes(category)) return 2;
  if (['W2', 'W5.1', 'W6.1', 'W7.1'].includes(category)) return 1.5;
  return 1; // the other W categories
}

/** Table 5: α by the people living within 500 m of the plant boundary. */
export function alphaOf(exposedPopulation: number): number {
  if (exposedPopulation >= 100) return 2.0;
  if (exposedPopulation >= 50) return 1.5;
  if (exposedPopulation >= 30) return 1.2;
  if (exposedPopulation >= 1) return 1.0;
  return 0.5;
}

/** rounding before comparing, so sums of decimals (0.1 + 0.2 …) land on the side of their exact value */
const r9 = (x: number) => Math.round(x * 1e9) / 1e9;

/** Table 6: grade 1 (R ≥ 100) … 4 (R < 10). */
export function gradeOf(r: number): 1 | 2 | 3 | 4 {
  const v = r9(r);
  if (v >= 100) return 1;
  if (v >= 50) return 2;
  if (v >= 10) return 3;
  return 4;
}

export const GRADE_WORDS: Record<1 | 2 | 3 | 4, { zh: string; en: string }> = {
  1: { zh: '一级', en: 'Grade 1' },
  2: { zh: '二级', en: 'Grade 2' },
  3: { zh: '三级', en: 'Grade 3' },
  4: { zh: '四级', en: 'Grade 4' },
};

/** Names compared full-width/half-width alike, without spaces, brackets normalised (NFKC). */
export function normaliseName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}
const baseName = (s: string) => normaliseName(s).replace(/\(.*$/, '');

/** Table 1 entries by CAS, by name or alias (exact), and by name before its bracket (e.g. 甲醛) — each may be several. */
function index() {
  const byCas = new Map<string, Table1Entry[]>();
  const byName = new Map<string, Table1Entry[]>();
  const byBase = new Map<string, Table1Entry[]>();
  const add = (m: Map<string, Table1Entry[]>, k: string, e: Table1Entry) => {
    if (!k) return;
    const l = m.get(k) ?? [];
    if (!l.includes(e)) l.push(e);
    m.set(k, l);
  };
  for (const e of GB18218_TABLE1) {
    for (const c of e.cas) add(byCas, c, e);
    for (const n of [e.name, ...e.aliases, ...e.name.split(/[，,]/)]) {
      add(byName, normaliseName(n), e);
      add(byBase, baseName(n), e);
    }
  }
  return { byCas, byName, byBase };
}
let idx: ReturnType<typeof index> | undefined;

export type Lookup =
  | { ok: true; entry: Table1Entry }
  | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: string[] };

/** A Table 1 entry by CAS or name; the name wins when both are given and the CAS names several entries. */
export function findSubstance(q: { cas?: string | undefined; name?: string | undefined }): Lookup {
  idx ??= index();
  const cas = q.cas?.normalize('NFKC').trim();
  const name = q.name ? normaliseName(q.name) : '';
  let list: Table1Entry[] = [];
  if (name) list = idx.byName.get(name) ?? idx.byBase.get(baseName(name)) ?? [];
  if (cas) {
    const byCas = idx.byCas.get(cas) ?? [];
    list = name && list.length ? list.filter((e) => byCas.includes(e) || e.cas.length === 0) : byCas;
    if (name && list.length === 0 && byCas.length === 1) list = byCas;
  }
  if (list.length === 1) return { ok: true, entry: list[0] as Table1Entry };
  if (list.length > 1) return { ok: false, reason: 'ambiguous', candidates: list.map((e) => e.name) };
  return { ok: false, reason: 'unknown', candidates: [] };
}

/** β from Table 3 when the substance is one of its toxic gases (by CAS or name). */
export function table3Beta(cas: readonly string[], names: readonly string[]): number | undefined {
  const ns = names.map(normaliseName);
  return GB18218_TABLE3.find((t) => cas.includes(t.cas) || ns.includes(normaliseName(t.name)))?.beta;
}

export interface SubstanceInput {
  cas?: string | undefined;
  name?: string | undefined;
  /** Table 2 code(s), e.g. "W5.1" or "W5.1,J2" (several hazards: the lowest Q, 4.1.2) */
  category?: string | undefined;
  /** t: actual quantity, for tanks the design maximum (4.2.2) */
  quantityT: number;
}

export interface WorkingLine {
  index: number;
  /** the Table 1 name when found, else the name given */
  name: string;
  cas: string | null;
  /** the category that gave Q (Table 2) or β (Table 4), null when neither was needed */
  category: string | null;
  quantityT: number;
  criticalT: number;
  qSource: 'table1' | 'table2';
  beta: number;
  betaSource: 'table3' | 'table4';
  /** q/Q */
  ratio: number;
}

export interface Identification {
  S: number;
  isMajorHazard: boolean;
  /** null when not a major hazard */
  R: number | null;
  alpha: number | null;
  grade: 1 | 2 | 3 | 4 | null;
  lines: WorkingLine[];
}

/** A refusal of one substance: the field (`substances.N.cas|name|category`) and the reason in both languages. */
export class Gb18218Problem extends Error {
  constructor(
    readonly field: string,
    readonly reason: { zh: string; en: string },
  ) {
    super(reason.en);
  }
}

function categoriesOf(s: SubstanceInput, i: number): string[] {
  if (!s.category?.trim()) return [];
  const list = s.category
    .normalize('NFKC')
    .split(/[,，、;；\s]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  for (const c of list)
    if (!GB18218_TABLE2[c])
      throw new Gb18218Problem(`substances.${i}.category`, {
        zh: `不是 GB 18218-2018 表2 的类别：${c}（如 J1–J5、W1.1–W11）`,
        en: `Not a category of GB 18218-2018 Table 2: ${c} (e.g. J1–J5, W1.1–W11)`,
      });
  return list;
}

/** Identification (4.2) and, for a major hazard, grading (4.3) of one unit's substances. */
export function identify(substances: readonly SubstanceInput[], exposedPopulation: number): Identification {
  const lines: WorkingLine[] = substances.map((s, i) => {
    const cats = categoriesOf(s, i);
    const given = s.cas?.trim() || s.name?.trim();
    let entry: Table1Entry | undefined;
    if (given) {
      const hit = findSubstance(s);
      if (hit.ok) entry = hit.entry;
      else if (hit.reason === 'ambiguous')
        throw new Gb18218Problem(`substances.${i}.${s.name?.trim() ? 'name' : 'cas'}`, {
          zh: `表1 中有多个条目与之对应，请写出完整名称：${hit.candidates.join('；')}`,
          en: `Several Table 1 entries match; give the full name: ${hit.candidates.join('; ')}`,
        });
    } else if (cats.length === 0)
      throw new Gb18218Problem(`substances.${i}.name`, {
        zh: '请填写物质名称或 CAS 号，或表2 的类别',
        en: 'Give the substance’s name or CAS number, or its Table 2 category',
      });
    // the lowest Q among the categories given (4.1.2); ties: the larger β
    const byQ = [...cats].sort(
      (a, b) => (GB18218_TABLE2[a]?.q ?? 0) - (GB18218_TABLE2[b]?.q ?? 0) || table4Beta(b) - table4Beta(a),
    );
    const cat = byQ[0] ?? null;
    if (!entry && !cat)
      throw new Gb18218Problem(`substances.${i}.category`, {
        zh: `${given ?? ''} 不在 GB 18218-2018 表1 中：请选择其表2 类别（如 W5.1、J2）以确定临界量`,
        en: `${given ?? ''} is not in GB 18218-2018 Table 1: choose its Table 2 category (e.g. W5.1, J2) for the critical quantity`,
      });
    const names = entry ? [entry.name, ...entry.aliases] : s.name ? [s.name] : [];
    const casList = entry ? entry.cas : s.cas?.trim() ? [s.cas.trim()] : [];
    const b3 = table3Beta(casList, names);
    if (b3 === undefined && !cat)
      throw new Gb18218Problem(`substances.${i}.category`, {
        zh: `${entry?.name ?? given} 不是表3 所列毒性气体：请选择其表2 类别，按表4 取校正系数 β`,
        en: `${entry?.name ?? given} is not a toxic gas of Table 3: choose its Table 2 category for β (Table 4)`,
      });
    const criticalT = entry ? entry.q : (GB18218_TABLE2[cat as string]?.q as number);
    const q = s.quantityT;
    return {
      index: i,
      name: entry?.name ?? s.name?.trim() ?? (cat ? (GB18218_TABLE2[cat]?.zh ?? cat) : ''),
      cas: casList[0] ?? null,
      category: cat,
      quantityT: q,
      criticalT,
      qSource: entry ? 'table1' : 'table2',
      beta: b3 ?? table4Beta(cat as string),
      betaSource: b3 !== undefined ? 'table3' : 'table4',
      ratio: q / criticalT,
    };
  });
  const S = r9(lines.reduce((a, l) => a + l.ratio, 0));
  const isMajorHazard = S >= 1;
  if (!isMajorHazard) return { S, isMajorHazard, R: null, alpha: null, grade: null, lines };
  const alpha = alphaOf(exposedPopulation);
  const R = r9(alpha * lines.reduce((a, l) => a + l.beta * l.ratio, 0));
  return { S, isMajorHazard, R, alpha, grade: gradeOf(R), lines };
}
