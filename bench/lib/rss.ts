import { readFileSync } from 'node:fs';

export interface Rss {
  /** resident set size now, bytes */
  rss: number;
  /** peak resident set size, bytes */
  hwm: number;
}

/** VmRSS and VmHWM of a process, from /proc/<pid>/status (Linux). */
export function rssOf(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!m) throw new Error(`${key} not in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
