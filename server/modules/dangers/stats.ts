/**
 * The treatment statistics (pure): the dangers found in a period → counts by status, grade, district and industry,
 * the open ones by age, overdue, the rectification rate (closed / (found − cancelled)), the open 重大 list and the
 * monthly trend of found against closed (Beijing months).
 */
import {
  AGE_BUCKETS,
  DANGER_GRADES,
  DANGER_STATUSES,
  type DangerStats,
  type DangerStatus,
  OPEN_STATUSES,
} from '../../../contracts/dangers.ts';
import { cityDate } from '../../platform/time.ts';

export interface StatsRow {
  id: string;
  number: string;
  title: string;
  status: string;
  grade: string;
  district_code: string | null;
  enterprise_id: string | null;
  enterprise_name: string | null;
  found_at: Date;
  closed_at: Date | null;
  deadline: string | null;
  deadline_at: Date | null;
}

const DAY = 86_400_000;
const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<string, number>;

export function ageBucket(days: number): (typeof AGE_BUCKETS)[number] {
  if (days <= 7) return 'le7';
  if (days <= 30) return 'd8to30';
  if (days <= 90) return 'd31to90';
  return 'gt90';
}

/** every month (YYYY-MM) from the month of `from` to the month of the instant before `to` */
export function monthsBetween(from: Date, to: Date): string[] {
  const first = cityDate(from).slice(0, 7);
  const last = cityDate(new Date(to.getTime() - 1)).slice(0, 7);
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 600; guard++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function dangerStats(
  rows: readonly StatsRow[],
  closedInPeriod: readonly { closed_at: Date | null }[],
  o: {
    from: Date;
    to: Date;
    now: Date;
    isOverdue: (r: StatsRow) => boolean;
    industryOf: (enterpriseId: string) => string | undefined;
    district: (code: string) => { name: string; nameEn: string };
  },
): DangerStats {
  const byStatus = zeros(DANGER_STATUSES);
  const byGrade = zeros(DANGER_GRADES);
  const ageBuckets = zeros(AGE_BUCKETS) as DangerStats['ageBuckets'];
  const districts = new Map<string, Record<string, number>>();
  const industries = new Map<string, { total: number; open: number }>();
  const months = monthsBetween(o.from, o.to);
  const trend = new Map(months.map((m) => [m, { month: m, found: 0, closed: 0 }]));
  let open = 0;
  let overdue = 0;
  let majorOpen = 0;
  const majorOpenList: DangerStats['majorOpenList'] = [];
  for (const r of rows) {
    const status = r.status as DangerStatus;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    byGrade[r.grade] = (byGrade[r.grade] ?? 0) + 1;
    const d = r.district_code ?? '';
    const ds = districts.get(d) ?? zeros(DANGER_STATUSES);
    ds[status] = (ds[status] ?? 0) + 1;
    districts.set(d, ds);
    const isOpen = OPEN_STATUSES.includes(status);
    const industry = (r.enterprise_id && o.industryOf(r.enterprise_id)) || (r.enterprise_id ? 'unknown' : 'public');
    const ind = industries.get(industry) ?? { total: 0, open: 0 };
    ind.total++;
    if (isOpen) ind.open++;
    industries.set(industry, ind);
    const found = trend.get(cityDate(r.found_at).slice(0, 7));
    if (found) found.found++;
    if (!isOpen) continue;
    open++;
    ageBuckets[ageBucket(Math.floor((o.now.getTime() - r.found_at.getTime()) / DAY))]++;
    const late = o.isOverdue(r);
    if (late) overdue++;
    if (r.grade === 'major') {
      majorOpen++;
      majorOpenList.push({
        id: r.id,
        number: r.number,
        title: r.title,
        enterprise: r.enterprise_name,
        status,
        deadline: r.deadline,
        overdue: late,
      });
    }
  }
  for (const c of closedInPeriod) {
    if (!c.closed_at) continue;
    const m = trend.get(cityDate(c.closed_at).slice(0, 7));
    if (m) m.closed++;
  }
  const counted = rows.length - (byStatus.cancelled ?? 0);
  majorOpenList.sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  return {
    from: o.from.toISOString(),
    to: o.to.toISOString(),
    total: rows.length,
    open,
    overdue,
    majorOpen,
    closed: byStatus.closed ?? 0,
    rectificationRate: counted > 0 ? (byStatus.closed ?? 0) / counted : null,
    byStatus,
    byGrade,
    byDistrict: [...districts.entries()]
      .map(([code, s]) => ({
        district: code,
        ...(code ? o.district(code) : { name: '未定区市', nameEn: 'No district' }),
        byStatus: s,
        total: Object.values(s).reduce((a, b) => a + b, 0),
      }))
      .sort((a, b) => b.total - a.total || a.district.localeCompare(b.district)),
    byIndustry: [...industries.entries()]
      .map(([industry, v]) => ({ industry, ...v }))
      .sort((a, b) => b.total - a.total || a.industry.localeCompare(b.industry)),
    ageBuckets,
    majorOpenList,
    trend: [...trend.values()],
  };
}
