import { AppError } from '../errors.ts';

/** The city's time zone: dates people read (file names, numbers' years, sheets) are its dates, not UTC's. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';
const cityDay = new Intl.DateTimeFormat('sv-SE', {
  timeZone: CITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `YYYY-MM-DD` of an instant in the city's time zone (an export at 01:03 Beijing time is named for that day). */
export function cityDate(at: Date | number): string {
  return cityDay.format(at);
}

const cityMinute = new Intl.DateTimeFormat('sv-SE', {
  timeZone: CITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:mm` of an instant in the city's time zone: a time people read in a message or an alarm. */
export function cityDateTime(at: Date | number): string {
  return cityMinute.format(at);
}

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
    throw new AppError('VALIDATION', {
      field,
      reason: { zh: '不是有效的日期时间（ISO 8601）', en: 'not a date-time (ISO 8601)' },
    });
  }
  if (d.getTime() < EARLIEST.getTime()) {
    throw new AppError('VALIDATION', { field, reason: { zh: '早于 1900 年', en: 'before 1900' } });
  }
  if (opts.notAfter && d.getTime() > opts.notAfter.getTime() + SKEW_MS) {
    throw new AppError('VALIDATION', { field, reason: { zh: '不能晚于当前时间', en: 'must not be in the future' } });
  }
  return d;
}
