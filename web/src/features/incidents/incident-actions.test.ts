// What the register and the detail page show and offer (issue 9 §5).
import { describe, expect, it } from 'vitest';
import { translateFile as tr } from '../../i18n/translate-file.ts';
import en from './i18n/en.json';
import zh from './i18n/zh-CN.json';
import { incidentActions } from './incident-actions.ts';
import { casualtyParts } from './tags.tsx';

const all = () => true;

describe('actions on an incident', () => {
  it('offers edit and level change on an open incident, neither on a closed one', () => {
    expect(incidentActions({ status: 'responding' }, all)).toMatchObject({ edit: true, level: true });
    expect(incidentActions({ status: 'closed' }, all)).toMatchObject({ edit: false, level: false });
  });

  it('offers only what the user may do', () => {
    const a = incidentActions({ status: 'reported' }, (p) => p === 'incidents.level');
    expect(a).toEqual({ edit: false, level: true, transitions: [] });
    expect(incidentActions({ status: 'reported' }, all).transitions.length).toBeGreaterThan(0);
  });
});

describe("the register's casualties and loss column", () => {
  // Issue 9 §5: the column left out the direct loss, which is what made WH-2026-000015 level II.
  it('shows the direct loss beside the casualties, in both languages', () => {
    const i = {
      casualties: { deaths: 0, missing: 0, seriouslyInjured: 0, injured: 3, affected: 0, relocated: 0 },
      directLossWan: 6200,
    };
    expect(casualtyParts(i, tr(zh), 'zh')).toEqual(['伤3', '损失6,200万元']);
    expect(casualtyParts(i, tr(en), 'en')).toEqual(['3 injured', 'loss ¥62,000,000']);
    expect(casualtyParts({ ...i, directLossWan: 0 }, tr(zh), 'zh')).toEqual(['伤3']);
  });
});
