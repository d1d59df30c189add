/** How dangers are named on screen: status, grade and category in the reader's language. */
import { Tag } from 'antd';
import {
  DANGER_CATEGORY_INFO,
  DANGER_GRADE_INFO,
  DANGER_SOURCE_INFO,
  DANGER_STATUS_INFO,
  type DangerCategory,
  type DangerGrade,
  type DangerSource,
  type DangerStatus,
} from '../../../../contracts/dangers.ts';
import { useLang } from '../../components/districts.ts';

export function StatusTag({ status }: { status: DangerStatus }) {
  const lang = useLang();
  const s = DANGER_STATUS_INFO[status];
  return <Tag color={s.color}>{s[lang]}</Tag>;
}

export function GradeTag({ grade }: { grade: DangerGrade }) {
  const lang = useLang();
  return <Tag color={grade === 'major' ? 'red' : 'default'}>{DANGER_GRADE_INFO[grade][lang]}</Tag>;
}

export function useDangerNames() {
  const lang = useLang();
  return {
    lang,
    category: (c: DangerCategory) => DANGER_CATEGORY_INFO[c][lang],
    source: (s: DangerSource) => DANGER_SOURCE_INFO[s][lang],
    grade: (g: DangerGrade) => DANGER_GRADE_INFO[g][lang],
    status: (s: DangerStatus) => DANGER_STATUS_INFO[s][lang],
  };
}
