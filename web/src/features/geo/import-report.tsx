import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { importReason } from '../../api/contracts.ts';

/**
 * What an OSM import found, read from the job's stats (the figures `anlan geo import` prints): what was built, what
 * will stop drivers (barriers, restrictions), ferries and signals, and what was left out or not understood. The
 * stats are the importer's, so every figure is optional: an import made before a figure existed lacks that line.
 */
interface Counted {
  reason: string;
  count: number;
}
interface Stats {
  vertices?: number;
  segments?: number;
  highwayWays?: number;
  roundaboutSegments?: number;
  barriers?: number;
  closedVertices?: Record<string, number>;
  signals?: { atVertices: number; inSegments: number };
  ferries?: { ways: number; timed: number };
  restrictionsApplied?: number;
  restrictionsViaWay?: number;
  restrictionsSkipped?: Counted[];
  droppedWays?: Counted[];
  unknownTags?: { tag: string; count: number }[];
  unknownTagValues?: number;
}

const UNKNOWN_SHOWN = 10;

export function ImportReport({ stats }: { stats: unknown }) {
  const { t, i18n } = useTranslation('geo');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  if (!stats || typeof stats !== 'object') return null;
  const s = stats as Stats;
  const counted = (items: Counted[]) =>
    items.map((i) => `${importReason(i.reason, lang)} × ${i.count}`).join(lang === 'zh' ? '；' : '; ');
  const lines: { key: string; text: string; warn?: boolean }[] = [];
  if (s.segments !== undefined)
    lines.push({
      key: 'built',
      text: t('report.built', {
        vertices: s.vertices ?? 0,
        segments: s.segments,
        ways: s.highwayWays ?? 0,
        roundabout: s.roundaboutSegments ?? 0,
      }),
    });
  if (s.barriers !== undefined)
    lines.push({
      key: 'barriers',
      text: t('report.barriers', {
        barriers: s.barriers,
        car: s.closedVertices?.car ?? 0,
        emergency: s.closedVertices?.emergency ?? 0,
      }),
    });
  if (s.signals) lines.push({ key: 'signals', text: t('report.signals', s.signals) });
  if (s.ferries?.ways) lines.push({ key: 'ferries', text: t('report.ferries', s.ferries) });
  if (s.restrictionsApplied !== undefined)
    lines.push({
      key: 'restrictions',
      text: t('report.restrictions', { applied: s.restrictionsApplied, viaWay: s.restrictionsViaWay ?? 0 }),
    });
  if (s.restrictionsSkipped?.length)
    lines.push({ key: 'skipped', warn: true, text: t('report.skipped', { list: counted(s.restrictionsSkipped) }) });
  if (s.droppedWays?.length)
    lines.push({ key: 'dropped', text: t('report.dropped', { list: counted(s.droppedWays) }) });
  if (s.unknownTags?.length) {
    const shown = s.unknownTags.slice(0, UNKNOWN_SHOWN).map((u) => `${u.tag} × ${u.count}`);
    const more = (s.unknownTagValues ?? shown.length) - shown.length;
    lines.push({
      key: 'unknown',
      warn: true,
      text: t('report.unknown', { list: shown.join(', '), more: Math.max(0, more), count: Math.max(0, more) }),
    });
  }
  if (!lines.length) return null;
  return (
    <ul className="import-report" data-testid="network-import-report">
      {lines.map((l) => (
        <li key={l.key}>
          <Typography.Text type={l.warn ? 'warning' : undefined}>{l.text}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
