/**
 * "What if" caps: had every person in a budget's scope been capped at `cap` per period, how much
 * of the period's spend would have been saved, and who would have been stopped, on which day.
 * Computed from the ledger as it is, so it describes the past (or the period so far), not a promise.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Store } from '../../ledger/store/store.js';
import { addDays, localDate } from '../reports/dates.js';
import type { Period } from './calendar.js';
import type { Budget, BudgetUnit } from './schema.js';
import { usageFilter } from './scope.js';
import { amountOf, spendByPerson } from './spend.js';

export interface WhatIfRow {
  personId: string;
  spent: number;
  /** What the cap would have saved on this person. */
  excess: number;
  /** The day the person would have reached the cap (null when not looked up, see `datedPeople`). */
  stoppedOn: string | null;
}

export interface WhatIfResult {
  budgetId: string;
  cap: number;
  unit: BudgetUnit;
  period: { start: string; end: string; label: string };
  /** Last local date counted (the period's last day, or today for the current period). */
  through: string;
  /** People who spent in the scope in the period. */
  people: number;
  spent: number;
  saved: number;
  /** `saved` / `spent`. */
  savedShare: number;
  stopped: number;
  /** The people the cap would have stopped, largest excess first. */
  rows: WhatIfRow[];
  /** How many of them have `stoppedOn` (each needs a query of its own). */
  datedPeople: number;
}

export async function whatIfCap(
  store: Store,
  directory: PeopleDirectory,
  budget: Budget,
  cap: number,
  period: Period,
  now: number,
  options: { datedPeople?: number } = {},
): Promise<WhatIfResult> {
  if (!(cap > 0) || !Number.isFinite(cap)) throw new RangeError('The cap must be a positive amount.');
  const lastDay = addDays(period.end, -1);
  const untilTs = Math.min(now, period.endTs);
  const through = now >= period.endTs ? lastDay : localDate(Math.max(now, period.startTs), period.timeZone);
  const byPerson = await spendByPerson(store, budget, directory, period.start, through, untilTs);
  const rows: WhatIfRow[] = [];
  let spent = 0;
  for (const [personId, amount] of byPerson) {
    spent += amount;
    if (amount > cap) rows.push({ personId, spent: amount, excess: amount - cap, stoppedOn: null });
  }
  rows.sort((a, b) => b.excess - a.excess || a.personId.localeCompare(b.personId));
  const dated = Math.min(rows.length, options.datedPeople ?? 50);
  const filter = usageFilter(budget.scope, directory, period.startTs, untilTs);
  for (const row of rows.slice(0, dated)) {
    const personFilter = filter.personSpans
      ? { ...filter, personSpans: filter.personSpans.filter((s) => s.personId === row.personId) }
      : { ...filter, personIds: [row.personId] };
    const days = await store.usage({
      groupBy: 'day',
      timeZone: budget.timeZone,
      since: period.start,
      until: through,
      ...personFilter,
    });
    let cum = 0;
    for (const d of days) {
      cum += amountOf(d, budget.unit);
      if (cum >= cap) {
        row.stoppedOn = d.key;
        break;
      }
    }
  }
  const saved = rows.reduce((s, r) => s + r.excess, 0);
  return {
    budgetId: budget.id,
    cap,
    unit: budget.unit,
    period: { start: period.start, end: period.end, label: period.label },
    through,
    people: byPerson.size,
    spent,
    saved,
    savedShare: spent > 0 ? saved / spent : 0,
    stopped: rows.length,
    rows,
    datedPeople: dated,
  };
}
