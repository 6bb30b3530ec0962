/**
 * Spend in a budget's unit, read from the ledger through `Store.usage()`: per local day of the
 * budget's zone, and per person (for allowances and what-if caps).
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Store, UsageGroupRow } from '../../ledger/store/store.js';
import { addDays } from '../reports/dates.js';
import { datesBetween, startOfLocalDay } from './calendar.js';
import type { Budget, BudgetUnit } from './schema.js';
import { usageFilter } from './scope.js';

export interface DailyAmount {
  /** Local date in the budget's zone. */
  date: string;
  amount: number;
}

/** A usage group's amount in a unit: USD (priced calls), every token bucket, or credits. */
export function amountOf(row: UsageGroupRow, unit: BudgetUnit): number {
  switch (unit) {
    case 'usd':
      return row.costUsd;
    case 'credits':
      return row.credits;
    case 'tokens':
      return (
        row.inputUncached +
        row.cacheRead +
        row.cacheWrite5m +
        row.cacheWrite1h +
        row.cacheWriteOther +
        row.output
      );
  }
}

/**
 * Spend per local day from `from` to `until` (both inclusive), every day present (0 when none).
 * Team membership is judged from the start of `from` to `untilTs`.
 */
export async function dailySpend(
  store: Store,
  budget: Budget,
  directory: PeopleDirectory,
  from: string,
  until: string,
  untilTs: number,
): Promise<DailyAmount[]> {
  const fromTs = startOfLocalDay(from, budget.timeZone);
  const rows = await store.usage({
    groupBy: 'day',
    timeZone: budget.timeZone,
    since: from,
    until,
    ...usageFilter(budget.scope, directory, fromTs, untilTs),
  });
  const byDay = new Map(rows.map((r) => [r.key, amountOf(r, budget.unit)]));
  return datesBetween(from, addDays(until, 1)).map((date) => ({ date, amount: byDay.get(date) ?? 0 }));
}

/** Spend per person in the scope over local dates `from`–`until` (inclusive). */
export async function spendByPerson(
  store: Store,
  budget: Budget,
  directory: PeopleDirectory,
  from: string,
  until: string,
  untilTs: number,
): Promise<Map<string, number>> {
  const fromTs = startOfLocalDay(from, budget.timeZone);
  const rows = await store.usage({
    groupBy: 'person',
    timeZone: budget.timeZone,
    since: from,
    until,
    ...usageFilter(budget.scope, directory, fromTs, untilTs),
  });
  return new Map(rows.map((r) => [r.key, amountOf(r, budget.unit)]));
}

/** Total spend over local dates `from`–`until` (inclusive). */
export async function totalSpend(
  store: Store,
  budget: Budget,
  directory: PeopleDirectory,
  from: string,
  until: string,
  untilTs: number,
): Promise<number> {
  const days = await dailySpend(store, budget, directory, from, until, untilTs);
  return days.reduce((sum, d) => sum + d.amount, 0);
}
