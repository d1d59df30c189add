// The session warns before it ends (issue 9 §3).
import { describe, expect, it } from 'vitest';
import { countdown, sessionStage, WARN_BEFORE_MS } from './session-stage.ts';

describe("the session's end as the user sees it", () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  it('says nothing while the end is far or unknown', () => {
    expect(sessionStage(now + 3600_000, now)).toEqual({ kind: 'ok' });
    expect(sessionStage(null, now)).toEqual({ kind: 'ok' });
    expect(sessionStage(now + WARN_BEFORE_MS + 1000, now)).toEqual({ kind: 'ok' });
  });
  it('counts down the last five minutes, then asks to sign in again', () => {
    expect(sessionStage(now + 4 * 60_000 + 5_000, now)).toEqual({ kind: 'warn', secondsLeft: 245 });
    expect(countdown(245)).toBe('4:05');
    expect(countdown(9)).toBe('0:09');
    expect(sessionStage(now + 500, now)).toEqual({ kind: 'warn', secondsLeft: 1 });
    expect(sessionStage(now, now)).toEqual({ kind: 'ended' });
  });
});
