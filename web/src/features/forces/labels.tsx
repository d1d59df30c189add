import { ClockCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Progress, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  STATION_CLASS_INFO,
  type StationClass,
  TEAM_STATUS_INFO,
  TEAM_TYPE_INFO,
  type TeamFlags,
  type TeamStatus,
  type TeamType,
} from '../../../../contracts/forces.ts';
import { useLang } from '../../components/districts.ts';
import { nameIn, sharePercent } from './forces-text.ts';

import './forces.css';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';
export { nameIn } from './forces-text.ts';

export function TeamStatusTag({ status }: { status: TeamStatus }) {
  const lang = useLang();
  const info = TEAM_STATUS_INFO[status];
  return (
    <Tag className="team-status-tag" color={info.color} variant="solid" data-status={status}>
      {nameIn(info, lang)}
    </Tag>
  );
}

export function TeamTypeLabel({ type }: { type: TeamType }) {
  const lang = useLang();
  const info = TEAM_TYPE_INFO[type];
  return (
    <span className="team-type-label">
      <span className="type-dot" style={{ background: info.color }} />
      {nameIn(info, lang)}
    </span>
  );
}

export const stationClassName = (c: StationClass | null, lang: 'zh' | 'en') =>
  c ? nameIn(STATION_CLASS_INFO[c], lang) : '—';

/** The team's warnings as icons: stale status, certificates expiring or expired; nothing when all is well. */
export function TeamFlagIcons({ flags, staleDays }: { flags: TeamFlags; staleDays?: number }) {
  const { t } = useTranslation('forces');
  const certs = flags.expiringCertificates + flags.expiredCertificates;
  if (!flags.staleStatus && !certs) return null;
  return (
    <Space size={6} className="team-flags" data-testid="team-flags">
      {flags.staleStatus && (
        <Tooltip title={staleDays ? t('flags.staleDays', { days: staleDays }) : t('flags.stale')}>
          <ClockCircleOutlined className="flag-icon flag-stale" aria-label={t('flags.stale')} />
        </Tooltip>
      )}
      {certs > 0 && (
        <Tooltip
          title={t('flags.certificates', {
            expiring: flags.expiringCertificates,
            expired: flags.expiredCertificates,
          })}
        >
          <SafetyCertificateOutlined
            className={`flag-icon ${flags.expiredCertificates ? 'flag-expired' : 'flag-expiring'}`}
            aria-label={t('flags.expiring')}
          />
        </Tooltip>
      )}
    </Space>
  );
}

/**
 * A share as a percent bar; without a share, why: the zone has no boundary, or nothing measured lies in it.
 */
export function ShareBar({ share, hasBoundary = false }: { share: number | null; hasBoundary?: boolean }) {
  const { t } = useTranslation('forces');
  const p = sharePercent(share);
  if (p === null)
    return <span className="muted">{t(hasBoundary ? 'analyses.nothingHere' : 'analyses.noBoundary')}</span>;
  const color = p >= 90 ? '#389e0d' : p >= 60 ? '#d48806' : '#cf1322';
  return (
    <Progress
      percent={p}
      size="small"
      strokeColor={color}
      format={(v) => `${(v ?? 0).toFixed(1)} %`}
      className="share-bar"
      data-testid="share-bar"
    />
  );
}
