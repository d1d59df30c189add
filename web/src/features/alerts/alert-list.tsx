import { BellFilled, BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Alert, SEVERITY_INFO, type Severity } from '../../api/contracts.ts';
import { InBannerSlot } from '../../components/banner-slot.tsx';
import { formatTime } from '../../i18n/index.ts';
import { topSeverity } from './alarm-state.ts';

/** Light colours (III yellow) need dark text. */
export function textOn(bg: string): string {
  const n = Number.parseInt(bg.slice(1), 16);
  return ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114 > 170 ? '#262626' : '#fff';
}

export function useSeverityWords() {
  const { t, i18n } = useTranslation('alerts');
  const en = i18n.language === 'en';
  return {
    en,
    name: (s: Severity) => SEVERITY_INFO[s][en ? 'en' : 'zh'],
    tag: (s: Severity) => t('level.tag', { level: s, name: SEVERITY_INFO[s][en ? 'en' : 'zh'] }),
    alarm: (s: Severity) => t('level.alarm', { level: s, name: SEVERITY_INFO[s][en ? 'en' : 'zh'] }),
    title: (a: Alert) => (en ? a.title.en : a.title.zh),
    district: (a: Alert) => (a.district ? (en && a.district.nameEn) || a.district.name : t('tray.noDistrict')),
  };
}

export function SeverityTag({ severity }: { severity: Severity }) {
  const words = useSeverityWords();
  const bg = SEVERITY_INFO[severity].color;
  return (
    <Tag variant="solid" color={bg} style={{ color: textOn(bg), fontWeight: 600 }} data-severity={severity}>
      {words.tag(severity)}
    </Tag>
  );
}

/** The bell: the count of open alarms, coloured by the most severe. */
export function TrayBell({
  alerts,
  total,
  onClick,
}: {
  alerts: readonly Alert[];
  total: number;
  onClick?: () => void;
}) {
  const { t } = useTranslation('alerts');
  const top = topSeverity(alerts);
  const color = top ? SEVERITY_INFO[top].color : undefined;
  return (
    <button
      type="button"
      className={`alert-bell${top && SEVERITY_INFO[top].urgent ? ' alert-bell-urgent' : ''}`}
      data-testid="alert-tray"
      data-severity={top ?? 'none'}
      aria-label={t('tray.label', { count: total })}
      title={t('tray.label', { count: total })}
      onClick={onClick}
    >
      <Badge
        count={total}
        overflowCount={99}
        color={color}
        style={color ? { color: textOn(color), boxShadow: 'none' } : undefined}
        data-testid="alert-count"
      >
        {total ? (
          <BellFilled style={{ fontSize: 18, color: '#fff' }} />
        ) : (
          <BellOutlined style={{ fontSize: 18, color: '#fff' }} />
        )}
      </Badge>
    </button>
  );
}

export interface AlertListProps {
  alerts: readonly Alert[];
  total: number;
  canAck: boolean;
  /** the alarm being acknowledged now */
  pendingId?: string | null;
  onAck(a: Alert): void;
  onOpen?(a: Alert): void;
  /** the III–IV sound: on, and its switch */
  softSound: boolean;
  onSoftSound(on: boolean): void;
}

/** The tray's list: level, title, time and district of each open alarm, with 接报确认 and a link to the record. */
export function AlertList(p: AlertListProps) {
  const { t } = useTranslation('alerts');
  const words = useSeverityWords();
  return (
    <div className="alert-list" data-testid="alert-list">
      <div className="alert-list-head">
        <strong>{t('tray.heading')}</strong>
        <span className="alert-soft-switch">
          <Switch
            size="small"
            checked={p.softSound}
            onChange={p.onSoftSound}
            aria-labelledby="alert-soft-sound-label"
            data-testid="alert-soft-sound"
          />
          <span id="alert-soft-sound-label">{t('tray.softSound')}</span>
        </span>
      </div>
      <div className="alert-list-note muted">{t('tray.urgentSound')}</div>
      {p.alerts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tray.empty')} />
      ) : (
        <ul>
          {p.alerts.map((a) => (
            <li
              key={a.id}
              className="alert-item"
              data-testid="alert-item"
              data-severity={a.severity}
              style={{ borderLeftColor: SEVERITY_INFO[a.severity].color }}
            >
              <div className="alert-item-head">
                <SeverityTag severity={a.severity} />
                <span className="muted mono">{formatTime(a.raisedAt)}</span>
                <span className="muted">{words.district(a)}</span>
              </div>
              <div className="alert-item-title">{words.title(a)}</div>
              <div className="alert-item-actions">
                {p.canAck && (
                  <Button
                    size="small"
                    type="primary"
                    danger={SEVERITY_INFO[a.severity].urgent}
                    loading={p.pendingId === a.id}
                    onClick={() => p.onAck(a)}
                    data-testid="alert-ack"
                  >
                    {t('tray.ack')}
                  </Button>
                )}
                {a.link && (
                  <Link to={a.link} onClick={() => p.onOpen?.(a)} data-testid="alert-link">
                    {t('tray.view')}
                  </Link>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {p.total > p.alerts.length && (
        <div className="muted alert-list-more">{t('tray.more', { count: p.total - p.alerts.length })}</div>
      )}
    </div>
  );
}

/** I–II: a banner across the page in the level's colour, until acknowledged. */
export function AlarmBanner({
  alert,
  others,
  canAck,
  pending,
  onAck,
  onOpenTray,
}: {
  alert: Alert;
  others: number;
  canAck: boolean;
  pending: boolean;
  onAck(a: Alert): void;
  onOpenTray(): void;
}) {
  const { t } = useTranslation('alerts');
  const words = useSeverityWords();
  const bg = SEVERITY_INFO[alert.severity].color;
  return (
    <InBannerSlot>
      <div
        className="alarm-banner"
        role="alert"
        data-testid="alarm-banner"
        data-severity={alert.severity}
        style={{ background: bg, color: textOn(bg) }}
      >
        <BellFilled className="alarm-banner-icon" />
        <strong className="alarm-banner-level">{words.alarm(alert.severity)}</strong>
        <span className="alarm-banner-title">{words.title(alert)}</span>
        <span className="alarm-banner-meta">
          {words.district(alert)} · {formatTime(alert.raisedAt)}
        </span>
        {others > 0 && (
          <button type="button" className="alarm-banner-others" onClick={onOpenTray}>
            {t('banner.others', { count: others })}
          </button>
        )}
        <span className="alarm-banner-actions">
          {canAck && (
            <Button size="small" loading={pending} onClick={() => onAck(alert)} data-testid="alarm-banner-ack">
              {t('tray.ack')}
            </Button>
          )}
          {alert.link && (
            <Link to={alert.link} style={{ color: textOn(bg) }}>
              {t('tray.view')}
            </Link>
          )}
        </span>
      </div>
    </InBannerSlot>
  );
}

/** Sound blocked until a click after a reload: one click enables it (and asks for system notifications). */
export function SoundBanner({ onEnable }: { onEnable(): void }) {
  const { t } = useTranslation('alerts');
  return (
    <div className="sound-banner" data-testid="enable-sound-banner">
      <span>{t('sound.blocked')}</span>
      <Button size="small" type="primary" onClick={onEnable} data-testid="enable-sound">
        {t('sound.enable')}
      </Button>
    </div>
  );
}
