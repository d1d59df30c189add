import { describe, expect, it } from 'vitest';
import { initialPanelOpen } from './layer-panel-state.ts';

describe('the layer panel at first', () => {
  it('is folded on screens narrower than 1,600 px and open on wider ones, until the user chooses', () => {
    expect(initialPanelOpen(null, 1366)).toBe(false);
    expect(initialPanelOpen(null, 1599)).toBe(false);
    expect(initialPanelOpen(null, 1920)).toBe(true);
  });
  it('keeps what the user chose last, whatever the screen', () => {
    expect(initialPanelOpen('1', 1366)).toBe(true);
    expect(initialPanelOpen('0', 2560)).toBe(false);
  });
});
