import { describe, expect, it } from 'vitest';
import { periodAt, periodDates, periodOfDate, previousPeriod, startOfLocalDay } from './calendar.js';

const iso = (ts: number) => new Date(ts).toISOString();

describe('budget periods', () => {
  it('months end on their last day, February included, leap years too', () => {
    expect(periodDates('month', '2026-01-31')).toEqual({ start: '2026-01-01', end: '2026-02-01' });
    expect(periodDates('month', '2026-12-31')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
    expect(periodOfDate('month', '2024-02-29', 'UTC')).toMatchObject({
      start: '2024-02-01',
      end: '2024-03-01',
      days: 29,
      label: 'February 2024',
    });
    expect(periodOfDate('month', '2026-02-14', 'UTC').days).toBe(28);
    expect(periodOfDate('year', '2024-07-01', 'UTC').days).toBe(366);
    expect(periodOfDate('year', '2025-07-01', 'UTC').days).toBe(365);
    expect(periodOfDate('quarter', '2024-02-29', 'UTC')).toMatchObject({ days: 91, label: 'Q1 2024' });
  });

  it('a fiscal year starting in April moves quarters and years, not months', () => {
    expect(periodDates('quarter', '2026-03-31', 4)).toEqual({ start: '2026-01-01', end: '2026-04-01' });
    expect(periodDates('quarter', '2026-04-01', 4)).toEqual({ start: '2026-04-01', end: '2026-07-01' });
    expect(periodDates('year', '2026-03-31', 4)).toEqual({ start: '2025-04-01', end: '2026-04-01' });
    expect(periodDates('year', '2026-04-01', 4)).toEqual({ start: '2026-04-01', end: '2027-04-01' });
    expect(periodDates('month', '2026-03-31', 4)).toEqual({ start: '2026-03-01', end: '2026-04-01' });
    // November start: the quarter holding December crosses the calendar year.
    expect(periodDates('quarter', '2026-12-31', 11)).toEqual({ start: '2026-11-01', end: '2027-02-01' });
    expect(periodDates('quarter', '2027-01-15', 11)).toEqual({ start: '2026-11-01', end: '2027-02-01' });
    expect(periodDates('year', '2026-10-31', 11)).toEqual({ start: '2025-11-01', end: '2026-11-01' });
    const fy = periodOfDate('year', '2026-06-01', 'UTC', 4);
    expect(fy.label).toBe('fiscal year 2026-04-01 – 2027-03-31');
    expect(fy.days).toBe(365);
    expect(previousPeriod(fy, 4)).toMatchObject({ start: '2025-04-01', end: '2026-04-01' });
  });

  it('a budget in America/New_York resets at local midnight, not UTC midnight', () => {
    const zone = 'America/New_York';
    expect(periodAt('month', Date.parse('2026-04-01T03:59:59.999Z'), zone).start).toBe('2026-03-01');
    expect(periodAt('month', Date.parse('2026-04-01T04:00:00Z'), zone).start).toBe('2026-04-01');
    // In UTC the same instants are already April.
    expect(periodAt('month', Date.parse('2026-04-01T03:59:59Z'), 'UTC').start).toBe('2026-04-01');
  });

  it('periods across DST changes begin at the local midnight of their own offset', () => {
    const march = periodOfDate('month', '2026-03-15', 'America/New_York');
    expect(iso(march.startTs)).toBe('2026-03-01T05:00:00.000Z'); // EST, UTC−5
    expect(iso(march.endTs)).toBe('2026-04-01T04:00:00.000Z'); // EDT, UTC−4
    // The month is an hour short of 31 × 24 hours: the clocks sprang forward on 8 March.
    expect(march.endTs - march.startTs).toBe((31 * 24 - 1) * 3_600_000);
    const november = periodOfDate('month', '2026-11-15', 'America/New_York');
    expect(november.endTs - november.startTs).toBe((30 * 24 + 1) * 3_600_000);
    expect(iso(startOfLocalDay('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(startOfLocalDay('2026-10-25', 'Europe/Berlin'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(startOfLocalDay('2026-10-26', 'Europe/Berlin'))).toBe('2026-10-25T23:00:00.000Z');
  });

  it('a day whose midnight does not exist begins at its first instant', () => {
    // Chile springs forward at midnight: 2024-09-08 00:00 never happened; the day starts at 01:00 (UTC−3).
    expect(iso(startOfLocalDay('2024-09-08', 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
    // It falls back at midnight too: 6 April's last hour happens twice, 7 April begins once, at UTC−4.
    expect(iso(startOfLocalDay('2024-04-07', 'America/Santiago'))).toBe('2024-04-07T04:00:00.000Z');
  });

  it('zones with odd offsets: India (+5:30), Kiritimati (+14), Lord Howe (half-hour DST)', () => {
    expect(iso(startOfLocalDay('2026-01-01', 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
    expect(iso(startOfLocalDay('2026-01-01', 'Pacific/Kiritimati'))).toBe('2025-12-31T10:00:00.000Z');
    // Lord Howe moves from +10:30 to +11 at 02:00 on 2024-10-06; midnight is still +10:30.
    expect(iso(startOfLocalDay('2024-10-06', 'Australia/Lord_Howe'))).toBe('2024-10-05T13:30:00.000Z');
    expect(iso(startOfLocalDay('2024-10-07', 'Australia/Lord_Howe'))).toBe('2024-10-06T13:00:00.000Z');
  });
});
