import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Verdict = 'PASS' | 'MISS' | 'info' | 'SKIP';

export interface Row {
  section: string;
  figure: string;
  value: string;
  /** the anchor measured in the same run, or the target */
  against: string;
  verdict: Verdict;
}

/** Rows for the closing table and structured data for the JSON file. */
export class Report {
  readonly rows: Row[] = [];
  readonly data: Record<string, unknown> = {};
  readonly notes: string[] = [];

  row(section: string, figure: string, value: string, against = '', verdict: Verdict = 'info'): void {
    this.rows.push({ section, figure, value, against, verdict });
  }

  note(line: string): void {
    this.notes.push(line);
    log(line);
  }

  table(): string {
    const head: Row = {
      section: 'section',
      figure: 'figure',
      value: 'value',
      against: 'anchor / target',
      verdict: 'info',
    };
    const cells = (r: Row) => [r.section, r.figure, r.value, r.against, r === head ? 'result' : r.verdict];
    const all = [head, ...this.rows].map(cells);
    const widths = all[0].map((_, i) => Math.max(...all.map((c) => width(c[i]))));
    const line = (c: string[]) => `| ${c.map((s, i) => pad(s, widths[i])).join(' | ')} |`;
    const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
    return [line(all[0]), sep, ...all.slice(1).map(line)].join('\n');
  }

  write(file: string, extra: Record<string, unknown>): void {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ ...extra, rows: this.rows, notes: this.notes, data: this.data }, null, 2)}\n`,
    );
  }
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

export function log(line: string): void {
  console.log(`[bench] ${line}`);
}

export const fmt = {
  ms: (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`,
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
  rps: (v: number) => `${Math.round(v)} req/s`,
  mb: (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`,
  pct: (v: number) => `${(v * 100).toFixed(0)} %`,
  x: (v: number) => `${v.toFixed(2)}×`,
  n: (v: number) => Math.round(v).toLocaleString('en'),
};

export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
