/** How long before the session's end the user is warned and offered to continue. */
export const WARN_BEFORE_MS = 5 * 60_000;

export type SessionStage = { kind: 'ok' } | { kind: 'warn'; secondsLeft: number } | { kind: 'ended' };

/** Where the session stands at `now`, given its end (null: unknown, e.g. an API token, nothing to warn of). */
export function sessionStage(expiresAt: number | null, now: number, warnMs = WARN_BEFORE_MS): SessionStage {
  if (expiresAt === null) return { kind: 'ok' };
  const left = expiresAt - now;
  if (left <= 0) return { kind: 'ended' };
  if (left <= warnMs) return { kind: 'warn', secondsLeft: Math.ceil(left / 1000) };
  return { kind: 'ok' };
}

/** 4:05, 0:09: the countdown as the warning shows it. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
