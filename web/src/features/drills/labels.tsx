import { Tag } from 'antd';
import {
  COMPLIANCE_STATUS_INFO,
  type ComplianceStatus,
  DRILL_CONTENT_INFO,
  DRILL_FORM_INFO,
  type Drill,
  ENTERPRISE_PLAN_KIND_INFO,
} from '../../../../contracts/drills.ts';

export const nameIn = (x: { zh: string; en: string }, lang: 'zh' | 'en') => (lang === 'en' ? x.en : x.zh);

export function TypeTags({ d, lang }: { d: Pick<Drill, 'content' | 'form'>; lang: 'zh' | 'en' }) {
  return (
    <>
      <Tag color={d.content === 'comprehensive' ? 'purple' : 'cyan'}>{nameIn(DRILL_CONTENT_INFO[d.content], lang)}</Tag>
      <Tag>{nameIn(DRILL_FORM_INFO[d.form], lang)}</Tag>
    </>
  );
}

export function planTestedText(d: Pick<Drill, 'planTested'>, lang: 'zh' | 'en'): string {
  if (d.planTested?.kind === 'command') return d.planTested.planName;
  if (d.planTested?.kind === 'enterprise') return nameIn(ENTERPRISE_PLAN_KIND_INFO[d.planTested.planKind], lang);
  return '—';
}

export function StatusTag({ s, lang }: { s: ComplianceStatus; lang: 'zh' | 'en' }) {
  return <Tag color={COMPLIANCE_STATUS_INFO[s].color}>{nameIn(COMPLIANCE_STATUS_INFO[s], lang)}</Tag>;
}
