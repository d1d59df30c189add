// Dates people read are the city's dates (issue 9 §5: an export at 01:03 Beijing time was named for the day before).
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../platform/numbering.ts';
import { cityDate, cityDateTime } from '../../platform/time.ts';
import { exportFileName } from './incidents.export.ts';

describe("the city's dates", () => {
  it('names a day by Beijing time, not UTC', () => {
    expect(cityDate(new Date('2026-12-03T17:03:00Z'))).toBe('2026-12-04');
    expect(cityDate(new Date('2026-12-03T15:59:59Z'))).toBe('2026-12-03');
    expect(exportFileName(new Date('2026-12-03T17:03:00Z'))).toBe('incidents-2026-12-04.xlsx');
    // a new year's first minutes in Beijing are the new year's (numbers are per year)
    expect(cityDate(new Date('2026-12-31T16:30:00Z')).slice(0, 4)).toBe('2027');
    expect(formatNumber('WH', 2027, 1)).toBe('WH-2027-000001');
    // a time in an alarm or message: Beijing's wall clock, to the minute, midnight as 00
    expect(cityDateTime(new Date('2026-12-03T16:05:30Z'))).toBe('2026-12-04 00:05');
    expect(cityDateTime(Date.parse('2026-06-30T23:59:00Z'))).toBe('2026-07-01 07:59');
  });
});
