/** The warnings board's arrangement: columns by colour, most severe first; what needs a hand first within each. */
import { COLOURS, type Colour } from '../../../../contracts/monitoring.ts';
import type { Warning } from '../../../../contracts/warnings.ts';

/** red → orange → yellow → blue (levels I … IV). */
export const BOARD_COLOURS: readonly Colour[] = [...COLOURS].reverse();

export interface BoardColumn {
  colour: Colour;
  items: Warning[];
  /** raised and not yet acknowledged */
  unacknowledged: number;
}

/**
 * One column per colour, red first, each listing the unacknowledged warnings before the acknowledged ones and the
 * newest first within each; lifted warnings belong to the history, not the board.
 */
export function boardColumns(warnings: readonly Warning[]): BoardColumn[] {
  return BOARD_COLOURS.map((colour) => {
    const items = warnings
      .filter((w) => w.colour === colour && w.status !== 'lifted')
      .sort(
        (a, b) =>
          Number(a.status === 'acknowledged') - Number(b.status === 'acknowledged') ||
          (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0),
      );
    return { colour, items, unacknowledged: items.filter((w) => w.status === 'raised').length };
  });
}

/** The colours a warning went through, each change once (a repeated colour is one dot), oldest first. */
export function levelDots(w: Pick<Warning, 'levelHistory' | 'colour' | 'raisedAt'>): { colour: Colour; at: string }[] {
  const history = w.levelHistory.length ? w.levelHistory : [{ colour: w.colour, at: w.raisedAt }];
  const sorted = [...history].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return sorted.filter((h, i) => i === 0 || h.colour !== sorted[i - 1].colour);
}

/** The colours a warning may be changed to by hand: every other one. */
export const otherColours = (c: Colour): Colour[] => BOARD_COLOURS.filter((x) => x !== c);
