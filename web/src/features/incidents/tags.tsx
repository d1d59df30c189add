import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Category, Incident, Level, Status } from '../../api/contracts.ts';
import { CATEGORY_INFO, LEVEL_INFO, STATUS_INFO, UNASSESSED_COLOR } from '../../api/contracts.ts';

/** Light levels (III yellow) need dark text to stay readable. */
function textColorOn(bg: string): string {
  const n = Number.parseInt(bg.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  return r * 0.299 + g * 0.587 + b * 0.114 > 170 ? '#262626' : '#fff';
}

/** Drill mode: the 演练 tag of an exercise's incident, with the exercise's title on hover. */
export function ExerciseTag({ exercise }: { exercise: Incident['exercise'] }) {
  const { t } = useTranslation('incidents');
  if (!exercise) return null;
  return (
    <Tooltip title={`${t('exerciseHint')} · ${exercise.title}`}>
      <Tag color="magenta" style={{ marginInlineStart: 6 }} data-testid="exercise-tag">
        {t('exerciseTag')}
      </Tag>
    </Tooltip>
  );
}

export function levelColor(level: Level | string | null | undefined): string {
  return level && level in LEVEL_INFO ? LEVEL_INFO[level as Level].color : UNASSESSED_COLOR;
}

export function useLevelLabel() {
  const { i18n, t } = useTranslation('incidents');
  const en = i18n.language === 'en';
  return (level: Level | string | null | undefined, long = false): string => {
    if (!level || !(level in LEVEL_INFO)) return t('level.none');
    const info = LEVEL_INFO[level as Level];
    return long ? `${level} · ${en ? info.en : info.zh}` : `${level}${en ? '' : '级'}`;
  };
}

export function LevelTag({ level, override, long }: { level: Level | null; override?: boolean; long?: boolean }) {
  const { t } = useTranslation('incidents');
  const label = useLevelLabel();
  const bg = levelColor(level);
  return (
    <span className="level-tag-wrap">
      <Tag
        variant="solid"
        color={bg}
        style={{ color: textColorOn(bg), marginInlineEnd: 0, fontWeight: 500 }}
        data-level={level ?? 'none'}
      >
        {label(level, long)}
      </Tag>
      {override && (
        <Tooltip title={t('level.overrideHint')}>
          <span className="override-mark">{t('level.manual')}</span>
        </Tooltip>
      )}
    </span>
  );
}

const STATUS_COLORS: Record<Status, string> = {
  reported: 'volcano',
  verified: 'gold',
  responding: 'red',
  recovering: 'cyan',
  closed: 'default',
};

export function useStatusLabel() {
  const { i18n } = useTranslation('incidents');
  return (s: Status) => (i18n.language === 'en' ? STATUS_INFO[s].en : STATUS_INFO[s].zh);
}

export function StatusTag({ status }: { status: Status }) {
  const label = useStatusLabel();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {label(status)}
    </Tag>
  );
}

export function useCategoryLabel() {
  const { i18n } = useTranslation('incidents');
  return (c: Category) => (i18n.language === 'en' ? CATEGORY_INFO[c].en : CATEGORY_INFO[c].zh);
}

/** The register's short summary: casualties, then the direct loss (what can make an accident level II on its own). */
export function casualtyParts(
  incident: Pick<Incident, 'casualties' | 'directLossWan'>,
  t: (key: string, values: Record<string, unknown>) => string,
  lang: 'zh' | 'en',
): string[] {
  const c = incident.casualties;
  const parts: string[] = [];
  if (c.deaths) parts.push(t('casualty.short.deaths', { n: c.deaths }));
  if (c.missing) parts.push(t('casualty.short.missing', { n: c.missing }));
  if (c.seriouslyInjured) parts.push(t('casualty.short.seriouslyInjured', { n: c.seriouslyInjured }));
  if (c.injured) parts.push(t('casualty.short.injured', { n: c.injured }));
  if (c.relocated) parts.push(t('casualty.short.relocated', { n: c.relocated }));
  if (incident.directLossWan) {
    parts.push(
      // 万元 in Chinese; whole yuan in English, where 万 has no word
      t('casualty.short.loss', {
        amount:
          lang === 'zh'
            ? incident.directLossWan.toLocaleString('zh-CN')
            : (incident.directLossWan * 10_000).toLocaleString('en-US'),
      }),
    );
  }
  return parts;
}

export function CasualtySummary({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation('incidents');
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const parts = casualtyParts(incident, (k, v) => String(t(k as never, v as never)), lang);
  if (!parts.length) return <span className="muted">{t('casualty.none')}</span>;
  const c = incident.casualties;
  return (
    <span className={c.deaths || c.missing ? 'casualty-serious' : undefined}>
      {parts.join(lang === 'en' ? ', ' : ' ')}
    </span>
  );
}
