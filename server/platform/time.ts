import { AppError } from '../errors.ts';

/** The earliest instant a record may carry: older dates are typing mistakes (and beyond what people mean). */
export const EARLIEST = new Date('1900-01-01T00:00:00Z');
/** A few minutes of clock skew between a phone and the server are forgiven; the future beyond is not. */
const SKEW_MS = 5 * 60_000;

/**
 * An ISO 8601 date-time from a request, checked: a real instant, not before 1900, and (with `notAfter`) not in the
 * future beyond a little clock skew. A bad value is a 400 naming the field.
 */
export function parseTime(value: string, field: string, opts: { notAfter?: Date } = {}): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new AppError('VALIDATION', { field, reason: 'not a date-time (ISO 8601) / 不是有效的日期时间' });
  }
  if (d.getTime() < EARLIEST.getTime()) {
    throw new AppError('VALIDATION', { field, reason: 'before 1900 / 早于 1900 年' });
  }
  if (opts.notAfter && d.getTime() > opts.notAfter.getTime() + SKEW_MS) {
    throw new AppError('VALIDATION', { field, reason: 'must not be in the future / 不能晚于当前时间' });
  }
  return d;
}
