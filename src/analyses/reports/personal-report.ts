/**
 * The report `tokenyield` prints with no arguments: this week (Monday to today, in the user's
 * zone) by day, by tool and by model, with cost.
 * @module
 */
import type { Store } from '../../ledger/store/store.js';
import { addDays, localDate, mondayOf } from './dates.js';
import { toolReport, type UsageReport, usageReport, ZERO_TOTALS } from './usage-report.js';

export interface PersonalReport {
  timeZone: string;
  since: string;
  until: string;
  byDay: UsageReport;
  byTool: UsageReport;
  byModel: UsageReport;
}

export async function personalReport(
  store: Store,
  timeZone: string,
  now = Date.now(),
): Promise<PersonalReport> {
  const until = localDate(now, timeZone);
  const since = mondayOf(until);
  const window = { timeZone, since, until };
  const byDay = await usageReport(store, { kind: 'daily', ...window });
  const byTool = await toolReport(store, window);
  const byModel = await usageReport(store, { kind: 'model', ...window });
  // Show every day of the week so far, including days without usage.
  const seen = new Set(byDay.rows.map((r) => r.date));
  for (let d = since; d <= until; d = addDays(d, 1)) {
    if (!seen.has(d))
      byDay.rows.push({ date: d, ...ZERO_TOTALS, models: [], tools: [], first_ts: '', last_ts: '' });
  }
  byDay.rows.sort((a, b) => String(a.date).localeCompare(String(b.date)));
  return { timeZone, since, until, byDay, byTool, byModel };
}
