/**
 * The demo organisation's budgets (its config's `budgets` section, docs/budgets.md), sized from
 * the spend the demo has just written so the budgets page tells a story on the demo's last day:
 * an annual budget for the organisation and a quarterly one per team and per tool, all on track
 * except the biggest-spending team's, which is projected to run out before its quarter ends, and
 * a monthly allowance per engineer that a few people have gone past.
 * @module
 */
import { periodOfDate } from '../../analyses/budgets/calendar.js';
import { BUDGET_TOOLS, type BudgetInput, parseBudget } from '../../analyses/budgets/schema.js';
import { dailySpend, spendByPerson } from '../../analyses/budgets/spend.js';
import { addDays } from '../../analyses/reports/dates.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Store } from '../../ledger/store/store.js';

/**
 * The demo's fiscal year starts in February (as at many retailers): the demo's last day, 30 June,
 * is then two months into a quarter and five into a year, so both have a future to forecast.
 */
export const DEMO_FISCAL_YEAR_START = 2;
/** Days the current rate of spend is averaged over. */
const RATE_DAYS = 28;
/** Room left above the spend a flat rate would reach: an on-track budget. */
const ON_TRACK_MARGIN = 1.3;

/** Rounded up to two significant digits, as a person would write a budget. */
function roundUp(amount: number): number {
  if (amount <= 0) return 1;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(amount)) - 1);
  return Math.ceil(amount / step) * step;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Budgets for the demo whose last day is `end` (UTC), from the spend in `store`. Spend before the
 * demo's first day does not exist, so a year's spend so far is what the demo holds of it.
 */
export async function demoBudgets(
  store: Store,
  directory: PeopleDirectory,
  end: string,
): Promise<BudgetInput[]> {
  const untilTs = Date.parse(`${addDays(end, 1)}T00:00:00Z`);
  const rateFrom = addDays(end, -(RATE_DAYS - 1));
  /** Spend so far in the budget's current period, the days left in it, and the recent daily rate. */
  const measure = async (input: BudgetInput) => {
    const budget = parseBudget(input);
    const period = periodOfDate(budget.period, end, budget.timeZone, budget.fiscalYearStart);
    const days = await dailySpend(
      store,
      budget,
      directory,
      [period.start, rateFrom].sort()[0]!,
      end,
      untilTs,
    );
    const spent = days.filter((d) => d.date >= period.start).reduce((s, d) => s + d.amount, 0);
    const recent = days.filter((d) => d.date >= rateFrom);
    const rate = recent.reduce((s, d) => s + d.amount, 0) / Math.max(1, recent.length);
    return { spent, rate, left: daysBetween(end, period.end) - 1 };
  };
  const onTrack = async (input: BudgetInput): Promise<BudgetInput | null> => {
    const m = await measure(input);
    return m.spent + m.rate <= 0
      ? null
      : { ...input, amount: roundUp((m.spent + m.rate * m.left) * ON_TRACK_MARGIN) };
  };

  const out: BudgetInput[] = [];
  const fiscal = { fiscalYearStart: DEMO_FISCAL_YEAR_START, timeZone: 'UTC', unit: 'usd' as const };
  const org = await onTrack({
    id: 'org-annual',
    name: 'Engineering, annual AI budget',
    scope: { kind: 'org' },
    period: 'year',
    amount: 1,
    ...fiscal,
  });
  if (org) out.push(org);

  // Per team; the team spending most per day gets a budget that its rate exhausts halfway
  // through the rest of the quarter, the case the forecast and its alert exist for.
  const teams: { input: BudgetInput; spent: number; rate: number; left: number }[] = [];
  for (const team of directory.teams) {
    const input: BudgetInput = {
      id: `team-${team.id}`
        .toLowerCase()
        .replace(/[^a-z0-9._-]/g, '-')
        .slice(0, 64),
      name: `${team.name}, quarterly`,
      scope: { kind: 'team', id: team.id },
      period: 'quarter',
      amount: 1,
      ...fiscal,
    };
    const m = await measure(input);
    if (m.spent + m.rate > 0) teams.push({ input, ...m });
  }
  const hungriest = teams.reduce<(typeof teams)[number] | null>(
    (a, t) => (a && a.rate >= t.rate ? a : t),
    null,
  );
  for (const t of teams) {
    const amount =
      t === hungriest
        ? roundUp(t.spent + (t.rate * t.left) / 2)
        : roundUp((t.spent + t.rate * t.left) * ON_TRACK_MARGIN);
    out.push({ ...t.input, amount });
  }

  for (const tool of BUDGET_TOOLS) {
    const budget = await onTrack({
      id: `tool-${tool}`,
      name: `${tool}, quarterly`,
      scope: { kind: 'tool', id: tool },
      period: 'quarter',
      amount: 1,
      ...fiscal,
    });
    if (budget) out.push(budget);
  }

  // An allowance per engineer for the month: the 80th percentile of this month's spend per
  // person, so about one in five is past it.
  const allowance: BudgetInput = {
    id: 'engineer-monthly',
    name: 'Per-engineer monthly allowance',
    scope: { kind: 'org' },
    period: 'month',
    perPerson: true,
    amount: 1,
    timeZone: 'UTC',
    unit: 'usd',
  };
  const month = periodOfDate('month', end, 'UTC');
  const perPerson = [
    ...(await spendByPerson(store, parseBudget(allowance), directory, month.start, end, untilTs)).values(),
  ]
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  if (perPerson.length > 0)
    out.push({ ...allowance, amount: roundUp(perPerson[Math.floor(0.8 * (perPerson.length - 1))]!) });
  return out;
}
