/**
 * What every register export says about itself: times in the city's time zone, the filter in words and as a query
 * string (for the audit row), and the notes sheet (title, who, filter, how many, what was left out).
 */
import type { Lang } from '../../errors.ts';
import { CITY_TIME_ZONE } from '../time.ts';

const cityClock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: CITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** `2026-07-01 08:00` in Beijing time */
export function localTime(iso: string): string {
  return cityClock.format(new Date(iso));
}

/** `类型：雨量站；状态：在线` / `Kind: Rain gauge; Status: Online`: the parts that have a value. */
export function filtersInWords(parts: [string, string | undefined][], lang: Lang): string {
  const zh = lang === 'zh';
  return parts
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}${zh ? '：' : ': '}${v}`)
    .join(zh ? '；' : '; ');
}

/** The list's filter as `key=value&…` (paging left out), for the audit row. */
export function filterQuery(q: Record<string, unknown>): string {
  return Object.entries(q)
    .filter(([k, v]) => v !== undefined && v !== '' && k !== 'limit' && k !== 'offset')
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The notes sheet: what the file is, who took it when, the filter in words, how many matched and were left out. */
export function exportNote(
  n: {
    title: { zh: string; en: string };
    actor: string;
    now: Date;
    words: string;
    total: number;
    max: number;
    unit: string;
  },
  lang: Lang,
  more: string[] = [],
): string {
  const zh = lang === 'zh';
  const cut =
    n.total > n.max
      ? zh
        ? `（仅导出前 ${n.max} ${n.unit}，请缩小筛选范围）`
        : ` (only the first ${n.max} exported; narrow the filter)`
      : '';
  return [
    `${zh ? `安澜 · ${n.title.zh}` : `Anlan · ${n.title.en}`}  ${localTime(n.now.toISOString())}`,
    `${zh ? '导出人' : 'Exported by'}: ${n.actor}`,
    `${zh ? '筛选条件' : 'Filter'}: ${n.words || (zh ? '无' : 'none')}`,
    `${zh ? '符合条件' : 'Matching'}: ${n.total}${cut}`,
    ...more,
  ].join('\n');
}
