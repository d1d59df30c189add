/**
 * Drill compliance (pure): each subject against the frequency rules in force. A subject's due date is its last
 * qualifying drill + N calendar months (Beijing dates, clamped to the month's end: `addMonths`), or — never drilled —
 * its registration date + N months. Overdue when asOf > dueAt; due soon when dueAt − asOf ≤ the window.
 *
 * Rules (defaults in contracts/drills.ts DEFAULT_COMPLIANCE; standards-facts.md §8):
 * - high_risk: enterprises of a high-risk category or crowded venues, any drill (《生产安全事故应急条例》第八条);
 * - enterprise_annual: other enterprises, a drill of a comprehensive or special plan (预案管理办法第三十三条);
 * - enterprise_onsite: every enterprise, a drill of an on-site response plan (同条);
 * - government_plan: approved government special and department plans, a drill of that plan (国办发〔2024〕5号第三十二条).
 */
import {
  addMonths,
  type ComplianceItem,
  type ComplianceRule,
  type ComplianceRuleKey,
  type ComplianceSettings,
  complianceStatus,
  daysBetween,
  type SubjectRef,
} from '../../../contracts/drills.ts';

export type ComplianceSubject =
  | { kind: 'enterprise'; ref: SubjectRef; unit: string; highRisk: boolean; crowdedVenue: boolean; since: string }
  | { kind: 'plan'; ref: SubjectRef; unit: string | null; since: string };

/** one drill as compliance reads it */
export interface DrillFact {
  id: string;
  date: string;
  subjectKind: string;
  subjectId: string;
  /** 'command' | 'enterprise' | null */
  planKind: string | null;
  planId: string | null;
  /** a command plan's kind or an enterprise plan kind */
  planType: string | null;
}

const ANNUAL_TYPES = new Set(['comprehensive', 'special', 'unit_comprehensive', 'unit_special']);

/** the rules a subject is held to (enabled ones only) */
export function rulesFor(subject: ComplianceSubject, rules: readonly ComplianceRule[]): ComplianceRule[] {
  const on = (k: ComplianceRuleKey) => rules.find((r) => r.key === k && r.enabled);
  const out: (ComplianceRule | undefined)[] = [];
  if (subject.kind === 'plan') out.push(on('government_plan'));
  else {
    out.push(subject.highRisk || subject.crowdedVenue ? on('high_risk') : on('enterprise_annual'));
    out.push(on('enterprise_onsite'));
  }
  return out.filter((r): r is ComplianceRule => !!r);
}

/** does this drill count for this rule and subject? */
export function qualifies(rule: ComplianceRuleKey, subject: ComplianceSubject, d: DrillFact): boolean {
  if (subject.kind === 'plan')
    return rule === 'government_plan' && d.planKind === 'command' && d.planId === subject.ref.id;
  if (d.subjectKind !== 'enterprise' || d.subjectId !== subject.ref.id) return false;
  switch (rule) {
    case 'high_risk':
      return true;
    case 'enterprise_annual':
      return d.planType !== null && ANNUAL_TYPES.has(d.planType);
    case 'enterprise_onsite':
      return d.planType === 'onsite';
    default:
      return false;
  }
}

export function judge(
  subjects: readonly ComplianceSubject[],
  drills: readonly DrillFact[],
  settings: ComplianceSettings,
  asOf: string,
): ComplianceItem[] {
  // drills after asOf do not count (a past day judged as it stood)
  const past = drills.filter((d) => d.date <= asOf);
  const bySubject = new Map<string, DrillFact[]>();
  for (const d of past) {
    const keys = [`enterprise:${d.subjectId}`];
    if (d.planKind === 'command' && d.planId) keys.push(`plan:${d.planId}`);
    for (const k of keys) {
      const list = bySubject.get(k) ?? [];
      list.push(d);
      bySubject.set(k, list);
    }
  }
  const items: ComplianceItem[] = [];
  for (const s of subjects) {
    const mine = bySubject.get(`${s.kind}:${s.ref.id}`) ?? [];
    for (const rule of rulesFor(s, settings.rules)) {
      let last: DrillFact | undefined;
      for (const d of mine)
        if (qualifies(rule.key, s, d) && (!last || d.date > last.date || (d.date === last.date && d.id > last.id)))
          last = d;
      const dueAt = addMonths(last?.date ?? s.since, rule.months);
      items.push({
        subject: s.ref,
        rule: { key: rule.key, zh: rule.zh, en: rule.en, months: rule.months, basis: rule.basis },
        lastDrillAt: last?.date ?? null,
        lastDrillId: last?.id ?? null,
        since: s.since,
        dueAt,
        daysLeft: daysBetween(asOf, dueAt),
        status: complianceStatus(dueAt, asOf, settings.dueSoonDays),
      });
    }
  }
  const rank = { overdue: 0, due_soon: 1, ok: 2 } as const;
  return items.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      a.dueAt.localeCompare(b.dueAt) ||
      a.subject.name.localeCompare(b.subject.name, 'zh') ||
      a.rule.key.localeCompare(b.rule.key),
  );
}
