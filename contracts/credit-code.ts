/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters — registering authority (1),
 * organisation kind (1), the registering office's administrative division (6 digits, GB/T 2260), the subject
 * identifier (9) and a check character (1). The charset is 0-9 and the capitals without I, O, Z, S, V (31 characters);
 * the check character is 31 − (Σ wᵢ·cᵢ mod 31) over the first 17, with wᵢ = 3^(i−1) mod 31 and 31 written '0'.
 * Weights as GB 32100-2015 §5 and as public implementations use them (hutool `CreditCodeUtil.WEIGHT`, and
 * 02020/vite learn/utils/validateSocialCreditCode.js `weightedfactors`). Shared by the server and the web so both
 * refuse the same codes.
 */
export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Upper case, full-width folded to half-width, spaces removed (what people paste from a licence). */
export function normaliseCreditCode(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 characters (undefined when one is outside the charset). */
export function creditCodeCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i]!);
    if (v < 0) return undefined;
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return CREDIT_CODE_CHARS[c === 31 ? 0 : c];
}

/** 17 characters completed with their check character (the demo and tests invent their codes this way). */
export function withCheckChar(first17: string): string {
  const c = creditCodeCheckChar(first17);
  if (!c) throw new Error(`not 17 characters of the credit code charset: ${first17}`);
  return first17 + c;
}

export type CreditCodeProblem = 'length' | 'charset' | 'division' | 'check';
export type CreditCodeResult =
  | { ok: true; code: string }
  | { ok: false; problem: CreditCodeProblem; position?: number };

/** Checks a code as typed (normalised first): length, charset, the six division digits, the check character. */
export function checkCreditCode(raw: string): CreditCodeResult {
  const code = normaliseCreditCode(raw);
  if (code.length !== 18) return { ok: false, problem: 'length' };
  for (let i = 0; i < 18; i++)
    if (!CREDIT_CODE_CHARS.includes(code[i]!)) return { ok: false, problem: 'charset', position: i + 1 };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, problem: 'division', position: 3 };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, problem: 'check', position: 18 };
  return { ok: true, code };
}

/** What to tell the person for each problem (the web shows it under the field; the server's refusal says the same). */
export const CREDIT_CODE_PROBLEM_WORDS: Record<CreditCodeProblem, { zh: string; en: string }> = {
  length: {
    zh: '统一社会信用代码应为 18 位（数字和大写字母）',
    en: 'A unified social credit code has 18 characters (digits and capitals)',
  },
  charset: {
    zh: '统一社会信用代码不使用字母 I、O、Z、S、V 和其他符号：请核对第 {position} 位（常把 0 写成 O、1 写成 I）',
    en: 'A unified social credit code uses no I, O, Z, S, V nor other signs: check character {position} (0 typed as O, 1 as I?)',
  },
  division: {
    zh: '统一社会信用代码第 3–8 位是登记机关的行政区划代码，应为 6 位数字',
    en: "Characters 3–8 of a unified social credit code are the registering office's division code: six digits",
  },
  check: {
    zh: '校验码（第 18 位）与前 17 位不符（GB 32100-2015）：请对照营业执照逐位核对，常见的是某一位抄错或两位颠倒',
    en: 'The check character (18th) does not match the first 17 (GB 32100-2015): compare each character with the business licence — usually one is mistyped or two are swapped',
  },
};

/** The words for a problem with its position filled in. */
export function creditCodeProblemText(r: { problem: CreditCodeProblem; position?: number }, lang: 'zh' | 'en'): string {
  return CREDIT_CODE_PROBLEM_WORDS[r.problem][lang].replace('{position}', String(r.position ?? ''));
}
