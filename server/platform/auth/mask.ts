/** 13812345678 → 138****5678; shorter numbers keep their first and last two characters. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (!p) return '';
  if (p.length >= 11) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  if (p.length <= 4) return '*'.repeat(p.length);
  return `${p.slice(0, 2)}${'*'.repeat(p.length - 4)}${p.slice(-2)}`;
}

/** 18-digit ID number → first 6 and last 4 visible. */
export function maskIdNumber(id: string): string {
  const p = id.trim();
  if (p.length < 10) return '*'.repeat(p.length);
  return `${p.slice(0, 6)}${'*'.repeat(p.length - 10)}${p.slice(-4)}`;
}
