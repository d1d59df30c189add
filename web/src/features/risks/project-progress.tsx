import { Progress, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { PROJECT_STATUS_INFO, type PreventionProject } from '../../../../contracts/risks.ts';
import { useLang } from './labels.tsx';
import { formatQuantity, formatShare, unitIn } from './risks-text.ts';

/**
 * A project's share done as a bar in its status colour, with a mark where it should be by now (the share of its
 * time elapsed) and the quantities in its unit.
 */
export function ProjectProgress({
  project: p,
  wide,
}: {
  project: Pick<
    PreventionProject,
    'share' | 'expectedShare' | 'status' | 'doneQuantity' | 'targetQuantity' | 'unit' | 'type'
  >;
  wide?: boolean;
}) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const pct = Math.round(p.share * 100);
  return (
    <Tooltip title={t('projects.expected', { share: formatShare(p.expectedShare) })}>
      <div
        className="project-progress"
        data-testid="project-progress"
        data-share={p.share}
        style={{ maxWidth: wide ? 420 : undefined }}
      >
        <Progress percent={pct} size="small" showInfo={false} strokeColor={PROJECT_STATUS_INFO[p.status].color} />
        {p.status !== 'done' && (
          <span
            className="expected-mark"
            style={{ left: `${Math.min(1, Math.max(0, p.expectedShare)) * 100}%` }}
            aria-hidden
          />
        )}
        <div className="muted small mono">
          {pct} % · {formatQuantity(p.doneQuantity, lang)} / {formatQuantity(p.targetQuantity, lang)}{' '}
          {unitIn(p.unit, p.type, lang)}
        </div>
      </div>
    </Tooltip>
  );
}
