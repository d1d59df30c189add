// The report schedule as a pure function of the incident's facts, the clocks, the reports written and the time now.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCKS } from '../../../contracts/reports.ts';
import { planSchedule, type ScheduleFacts, slotForDraft, type WrittenReport } from './schedule.ts';

const H = 3_600_000;
const REPORTED = new Date('2026-07-01T00:00:00Z');
const at = (hours: number) => new Date(REPORTED.getTime() + hours * H);
const facts = (over: Partial<ScheduleFacts> = {}): ScheduleFacts => ({
  reportedAt: REPORTED,
  closedAt: null,
  level: 'IV',
  levels: [{ at: REPORTED, level: 'IV' }],
  ...over,
});
const brief = (slots: ReturnType<typeof planSchedule>) =>
  slots.map((s) => `${s.kind}${s.seq} ${(Date.parse(s.dueAt) - REPORTED.getTime()) / H}h ${s.status}`);
const written = (over: Partial<WrittenReport> & Pick<WrittenReport, 'kind' | 'seq'>): WrittenReport => ({
  id: `r-${over.kind}-${over.seq}`,
  version: 1,
  issuedVersions: 0,
  issuedAt: null,
  ...over,
});

describe('the report schedule', () => {
  it('puts the initial report one hour after the report, overdue once that hour has passed', () => {
    expect(brief(planSchedule(facts(), DEFAULT_CLOCKS, [], at(0.5)))).toEqual(['initial1 1h due', 'update1 25h due']);
    expect(brief(planSchedule(facts(), DEFAULT_CLOCKS, [], at(1.5)))[0]).toBe('initial1 1h overdue');
    const drafted = planSchedule(facts(), DEFAULT_CLOCKS, [written({ kind: 'initial', seq: 1 })], at(0.5));
    expect(drafted[0]).toMatchObject({ id: 'r-initial-1', status: 'draft' });
    const issued = [written({ kind: 'initial', seq: 1, issuedVersions: 1, issuedAt: at(0.8) })];
    expect(planSchedule(facts(), DEFAULT_CLOCKS, issued, at(3))[0]).toMatchObject({
      status: 'issued',
      issuedAt: at(0.8).toISOString(),
    });
  });

  it('plans updates every 24 h for III–IV and unassessed, 12 h for I–II, from the initial due time, up to the next one', () => {
    expect(brief(planSchedule(facts(), DEFAULT_CLOCKS, [], at(30)))).toEqual([
      'initial1 1h overdue',
      'update1 25h overdue',
      'update2 49h due',
    ]);
    const unassessed = facts({ level: null, levels: [{ at: REPORTED, level: null }] });
    expect(brief(planSchedule(unassessed, DEFAULT_CLOCKS, [], at(2))).at(-1)).toBe('update1 25h due');
    const severe = facts({ level: 'II', levels: [{ at: REPORTED, level: 'II' }] });
    expect(brief(planSchedule(severe, DEFAULT_CLOCKS, [], at(14)))).toEqual([
      'initial1 1h overdue',
      'update1 13h overdue',
      'update2 25h due',
    ]);
  });

  it('re-plans the updates not yet due when the level changes, and keeps those already due', () => {
    // IV until 30 h, then II: update 1 (25 h) was due under IV; update 2 moves from 49 h to 37 h
    const raised = facts({
      level: 'II',
      levels: [
        { at: REPORTED, level: 'IV' },
        { at: at(30), level: 'II' },
      ],
    });
    const written1 = [written({ kind: 'update', seq: 1, issuedVersions: 1, issuedAt: at(24) })];
    expect(brief(planSchedule(raised, DEFAULT_CLOCKS, written1, at(31)))).toEqual([
      'initial1 1h overdue',
      'update1 25h issued',
      'update2 37h due',
    ]);
    // raised at 40 h: 25 h + 12 h lies before the change, so the update is due at the change itself
    const late = facts({
      level: 'I',
      levels: [
        { at: REPORTED, level: 'IV' },
        { at: at(40), level: 'I' },
      ],
    });
    expect(brief(planSchedule(late, DEFAULT_CLOCKS, written1, at(41))).at(-2)).toBe('update2 40h overdue');
    expect(brief(planSchedule(late, DEFAULT_CLOCKS, written1, at(41))).at(-1)).toBe('update3 52h due');
    // lowered: the 12-hour plan stretches to 24 h from the last update due
    const lowered = facts({
      level: 'III',
      levels: [
        { at: REPORTED, level: 'II' },
        { at: at(14), level: 'III' },
      ],
    });
    expect(brief(planSchedule(lowered, DEFAULT_CLOCKS, [], at(15)))).toEqual([
      'initial1 1h overdue',
      'update1 13h overdue',
      'update2 37h due',
    ]);
  });

  it('counts an update nobody wrote before the next came due as missed, and drafts the current one', () => {
    const slots = planSchedule(facts(), DEFAULT_CLOCKS, [], at(80));
    expect(brief(slots)).toEqual(['initial1 1h overdue', 'update3 73h overdue', 'update4 97h due']);
    expect(slots[1].missedBefore).toBe(2);
    expect(slotForDraft(slots, 'update')?.seq).toBe(3);
    expect(slotForDraft(slots, 'final')).toBeUndefined();
  });

  it('stops the updates at closing and puts the final report 3 days after it', () => {
    const closed = facts({ closedAt: at(30) });
    expect(brief(planSchedule(closed, DEFAULT_CLOCKS, [], at(31)))).toEqual([
      'initial1 1h overdue',
      'update1 25h overdue',
      'final1 102h due',
    ]);
    expect(brief(planSchedule(closed, DEFAULT_CLOCKS, [], at(103))).at(-1)).toBe('final1 102h overdue');
    // the category's own clocks
    const clocks = { ...DEFAULT_CLOCKS, initialMinutes: 30, finalDays: 7 };
    expect(brief(planSchedule(closed, clocks, [], at(31)))).toEqual([
      'initial1 0.5h overdue',
      'update1 24.5h overdue',
      'final1 198h due',
    ]);
  });

  it('keeps a report whose slot the plan no longer holds, at its old due time', () => {
    const lowered = facts({ level: 'IV', levels: [{ at: REPORTED, level: 'IV' }] });
    const extra = written({ kind: 'update', seq: 2, issuedVersions: 1, issuedAt: at(20) });
    const slots = planSchedule(lowered, DEFAULT_CLOCKS, [extra], at(21), () => at(25));
    expect(slots.find((s) => s.seq === 2 && s.kind === 'update')).toMatchObject({ id: extra.id, status: 'issued' });
  });
});
