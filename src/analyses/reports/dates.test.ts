import { describe, expect, it } from 'vitest';
import { addDays, isValidTimeZone, localDate, mondayOf, parseDateArg } from './dates.js';

describe('report dates', () => {
  it('cuts days in the given zone', () => {
    const ts = Date.parse('2026-11-22T23:38:56.268Z');
    expect(localDate(ts, 'UTC')).toBe('2026-11-22');
    expect(localDate(ts, 'Asia/Tokyo')).toBe('2026-11-23');
    expect(localDate(ts, 'America/Los_Angeles')).toBe('2026-11-22');
  });

  it('names a week by its Monday', () => {
    expect(mondayOf('2026-11-23')).toBe('2026-11-23'); // a Monday
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // Sunday
    expect(mondayOf('2026-11-22')).toBe('2026-11-16');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('accepts YYYY-MM-DD and YYYYMMDD and rejects anything else', () => {
    expect(parseDateArg('2026-11-05', '--since')).toBe('2026-11-05');
    expect(parseDateArg('20261105', '--since')).toBe('2026-11-05');
    expect(() => parseDateArg('2026-02-30', '--until')).toThrow(/--until must be a date/);
    expect(() => parseDateArg('yesterday', '--since')).toThrow(/--since/);
  });

  it('validates IANA zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
