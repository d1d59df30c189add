import { EnvironmentOutlined, GlobalOutlined, WifiOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { COLOUR_INFO } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';
import { hazardName } from '../../../../contracts/warnings.ts';
import { formatTime } from '../../i18n/index.ts';
import { levelDots } from './board.ts';
import { colourLabel, fromNow, useDistrictLabel, useLang, WarningStatusTag } from './labels.tsx';

/** The colours a warning went through, as dots (oldest first), each with its time. */
export function LevelDots({ warning }: { warning: Warning }) {
  const lang = useLang();
  const dots = levelDots(warning);
  return (
    <span className="level-dots" data-testid="level-dots">
      {dots.map((d) => (
        <Tooltip key={`${d.at}-${d.colour}`} title={`${colourLabel(d.colour, lang)} · ${formatTime(d.at)}`}>
          <span className="level-dot" style={{ background: COLOUR_INFO[d.colour].color }} data-colour={d.colour} />
        </Tooltip>
      ))}
    </span>
  );
}

/** Where a warning is: its device (a link to the device), or its area and who sent it. */
export function WarningSubject({ warning: w }: { warning: Warning }) {
  const { t } = useTranslation('warnings');
  if (w.deviceId)
    return (
      <Link to={`/monitoring/devices/${w.deviceId}`} onClick={(e) => e.stopPropagation()}>
        <WifiOutlined /> {w.deviceName ?? w.deviceId}
      </Link>
    );
  return (
    <span>
      <GlobalOutlined /> {w.source === 'cap' ? (w.senderName ?? w.capSender ?? t('card.area')) : t('card.area')}
    </span>
  );
}

/** One warning on the board: hazard, where, district, since when, its colours so far, its state and actions. */
export function WarningCard({
  warning: w,
  actions,
  onOpen,
}: {
  warning: Warning;
  actions: ReactNode;
  onOpen: (w: Warning) => void;
}) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const district = useDistrictLabel();
  const hazard = hazardName(w.hazardCode, lang);
  return (
    <article
      className={`warning-card status-${w.status}`}
      style={{ borderInlineStartColor: COLOUR_INFO[w.colour].color }}
      onClick={() => onOpen(w)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) onOpen(w);
      }}
      aria-label={`${colourLabel(w.colour, lang)} ${hazard} ${w.deviceName ?? w.title}`}
      data-testid="warning-card"
      data-colour={w.colour}
      data-status={w.status}
    >
      <div className="warning-card-head">
        {/* the keyboard's way in: the hazard's name opens the detail (the card's click is the mouse's) */}
        <button
          type="button"
          className="warning-card-hazard"
          title={w.hazardCode}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(w);
          }}
        >
          {hazard}
        </button>
        <span>
          {w.exercise && (
            <Tag color="magenta" title={w.exercise.title} data-testid="exercise-tag">
              {t('exerciseTag')}
            </Tag>
          )}
          <WarningStatusTag status={w.status} />
        </span>
      </div>
      {/* a device's warning is named by its device and hazard; an area warning by its title */}
      {!w.deviceId && <div className="warning-card-title">{lang === 'en' ? w.titleEn || w.title : w.title}</div>}
      <div className="warning-card-meta">
        <WarningSubject warning={w} />
        <span>
          <EnvironmentOutlined /> {district(w.district)}
        </span>
      </div>
      <div className="warning-card-meta">
        <span title={formatTime(w.raisedAt, true)}>
          {t('card.raised')} {fromNow(w.raisedAt)}
        </span>
        <LevelDots warning={w} />
        {w.publishedAt && <span className="published-mark">{t('card.published')}</span>}
        {w.incidentId && (
          <Link to={`/incidents/${w.incidentId}`} onClick={(e) => e.stopPropagation()}>
            {t('card.incident')}
          </Link>
        )}
      </div>
      {actions && <div className="warning-card-actions">{actions}</div>}
    </article>
  );
}
