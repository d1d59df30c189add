import { describe, expect, it } from 'vitest';
import { nameTheField, noteIn } from './map-text.ts';

describe('map texts', () => {
  it('shows the part of a bilingual catalogue note in the UI language', () => {
    const note = '示例路网（合成，非真实道路）/ synthetic demo network, not real roads';
    expect(noteIn(note, false)).toBe('示例路网（合成，非真实道路）');
    expect(noteIn(note, true)).toBe('synthetic demo network, not real roads');
    expect(noteIn('示例路网（合成）/ synthetic demo road network', true)).toBe('synthetic demo road network');
    expect(noteIn('只有中文', true)).toBe('只有中文');
  });

  it("puts the user's word for the point at fault in place of the request field", () => {
    expect(nameTheField('to 距最近的可通行道路 1724 米', 'to', '终点')).toBe('终点 距最近的可通行道路 1724 米');
    expect(nameTheField('origins.2 lies 900 m from the nearest road', 'origins.2', 'Starting point 3')).toBe(
      'Starting point 3 lies 900 m from the nearest road',
    );
    // the server already said it in words: nothing doubled
    expect(nameTheField('终点 距最近的可通行道路 1724 米', 'to', '终点')).toBe('终点 距最近的可通行道路 1724 米');
    expect(nameTheField('无法到达', 'to', '终点')).toBe('终点：无法到达');
    expect(nameTheField('无法到达', undefined, null)).toBe('无法到达');
  });
});
