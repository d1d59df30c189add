/** below this width the open panel would hide the eastern coast, where most incidents are: folded unless chosen */
export const PANEL_OPEN_MIN_WIDTH = 1600;

/** Open or folded at first: what this user chose last on this browser, else open only on a wide screen. */
export function initialPanelOpen(stored: string | null, width: number): boolean {
  if (stored === '1' || stored === '0') return stored === '1';
  return width >= PANEL_OPEN_MIN_WIDTH;
}
