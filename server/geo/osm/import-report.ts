/**
 * The import report in words, as the operator reads it after `anlan geo import` (and wherever an import's stats are
 * shown): what was built, what drivers will be stopped by, and what was left out or not understood. Stats of an
 * import made before a figure existed simply lack that line.
 */
import type { OsmImportStats } from './osm-import.ts';

const UNKNOWN_SHOWN = 10;

const list = (items: { reason: string; count: number }[]) => items.map((i) => `${i.count} ${i.reason}`).join('; ');

export function importReportLines(stats: Partial<OsmImportStats>): string[] {
  const lines: string[] = [];
  const s = stats;
  if (s.vertices !== undefined) {
    const round = s.roundaboutSegments ? `, ${s.roundaboutSegments} in roundabouts` : '';
    lines.push(`${s.vertices} vertices, ${s.segments} segments from ${s.highwayWays} ways${round}`);
  }
  if (s.barriers !== undefined && s.closedVertices) {
    const closed = Object.entries(s.closedVertices)
      .map(([p, n]) => `${n} to ${p}`)
      .join(', ');
    lines.push(`barriers: ${s.barriers} on the roads; vertices closed ${closed}`);
  }
  if (s.signals)
    lines.push(`traffic signals: ${s.signals.atVertices} at vertices, ${s.signals.inSegments} inside segments`);
  if (s.ferries && s.ferries.ways > 0) {
    lines.push(`ferries: ${s.ferries.ways} (${s.ferries.timed} timed by their duration tag)`);
  }
  if (s.restrictionsApplied !== undefined) {
    const via = s.restrictionsViaWay ? ` (${s.restrictionsViaWay} via ways)` : '';
    const skipped = s.restrictionsSkipped?.length ? `; skipped: ${list(s.restrictionsSkipped)}` : '';
    lines.push(`turn restrictions: ${s.restrictionsApplied} applied${via}${skipped}`);
  }
  if (s.droppedWays?.length) lines.push(`ways left out: ${list(s.droppedWays)}`);
  if (s.unknownTags?.length) {
    const shown = s.unknownTags.slice(0, UNKNOWN_SHOWN).map((u) => `${u.tag} ×${u.count}`);
    const more = (s.unknownTagValues ?? shown.length) - shown.length;
    lines.push(
      `tag values not understood (ignored, or a barrier kept closed): ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`,
    );
  }
  return lines;
}
