import { Tag } from 'antd';
import {
  CENSUS_KIND_INFO,
  type CensusKind,
  PROJECT_STATUS_INFO,
  type ProjectStatus,
  RISK_CLASS_INFO,
  type RiskClass,
} from '../../../../contracts/risks.ts';
import { useLang } from '../../components/districts.ts';
import { nameIn } from './risks-text.ts';

import './risks.css';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';
export { nameIn } from './risks-text.ts';

/** 重大 / 较大 / 一般 / 低 in their warning colour (yellow with dark text, to stay readable). */
export function RiskClassTag({ cls }: { cls: RiskClass }) {
  const lang = useLang();
  const info = RISK_CLASS_INFO[cls];
  return (
    <Tag
      color={info.color}
      style={cls === 'general' ? { color: '#262626' } : undefined}
      data-testid="risk-class"
      data-class={cls}
    >
      {nameIn(info, lang)}
    </Tag>
  );
}

/** A census kind with its map colour. */
export function KindLabel({ kind }: { kind: CensusKind }) {
  const lang = useLang();
  return (
    <span className="kind-label">
      <span className="kind-dot" style={{ background: CENSUS_KIND_INFO[kind].color }} />
      {nameIn(CENSUS_KIND_INFO[kind], lang)}
    </span>
  );
}

const STATUS_TAG: Record<ProjectStatus, string> = { behind: 'error', on_track: 'processing', done: 'success' };

export function ProjectStatusTag({ status }: { status: ProjectStatus }) {
  const lang = useLang();
  return (
    <Tag color={STATUS_TAG[status]} data-status={status}>
      {nameIn(PROJECT_STATUS_INFO[status], lang)}
    </Tag>
  );
}
