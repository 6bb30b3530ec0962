/**
 * Where a budget stands now: its current period, the limit with roll-over, spend to date per day,
 * the thresholds crossed and when, per-person allowances, and the forecast of the period's end.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Store } from '../../ledger/store/store.js';
import { addDays, localDate } from '../reports/dates.js';
import { adoptionSeries } from './adoption.js';
import { type Period, periodAt, previousPeriod, startOfLocalDay } from './calendar.js';
import { crossedOn, FIT_DAYS, type Forecast, forecastPeriod, SEASON_DAYS } from './forecast.js';
import { carriedOver } from './rollover.js';
import { type Budget, type BudgetDefinition, type BudgetSource, budgetName } from './schema.js';
import { resolvePersonId, scopeExists, scopeHeadcount } from './scope.js';
import { dailySpend, spendByPerson, totalSpend } from './spend.js';

export type BudgetState = 'ok' | 'warning' | 'exceeded';

export interface ThresholdState {
  percent: number;
  /** The amount at which it is crossed (limit × percent). */
  amount: number;
  crossedOn: string | null;
}

export interface AllowanceRow {
  personId: string;
  spent: number;
  /** Percent of the person's allowance. */
  percent: number;
}

export interface AllowanceStatus {
  /** Each person's allowance per period. */
  amount: number;
  /** People the directory places in the scope (or who spent in it, when it cannot say). */
  people: number;
  /** People past the lowest threshold, and past 100 %. */
  pastThreshold: number;
  over: number;
  /** Everyone who spent in the period, most first. */
  rows: AllowanceRow[];
}

export interface BudgetStatus {
  id: string;
  name: string;
  budget: Budget;
  source: BudgetSource;
  period: Period;
  /** Local date of `computedAt` in the budget's zone. */
  today: string;
  limit: { base: number; carried: number; total: number };
  /** The previous period's spend, when roll-over needed it. */
  previous: { start: string; end: string; spent: number } | null;
  spent: number;
  remaining: number;
  /** Spent as a percentage of the limit. */
  percent: number;
  state: BudgetState;
  thresholds: ThresholdState[];
  /** The period's days so far, today included (partial). */
  days: { date: string; amount: number; cumulative: number }[];
  forecast: Forecast | null;
  allowances: AllowanceStatus | null;
  warnings: string[];
  computedAt: number;
}

export interface StatusOptions {
  /** Compute the forecast (reads adoption from the sessions, the costliest part). */
  forecast: boolean;
  draws?: number;
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The budget's name, else the directory's name of its team or person, else a description of the scope. */
export function displayName(budget: Budget, directory: PeopleDirectory): string {
  if (budget.name) return budget.name;
  const { scope } = budget;
  const known =
    scope.kind === 'team'
      ? directory.teams.find((t) => t.id === scope.id)?.name
      : scope.kind === 'person'
        ? directory.person(resolvePersonId(directory, scope.id))?.name
        : undefined;
  return known ? `${known}${budget.perPerson ? ' per person' : ''}` : budgetName(budget);
}

function stateOf(percent: number, thresholds: readonly number[]): BudgetState {
  if (percent >= 100) return 'exceeded';
  return thresholds.some((t) => t < 100 && percent >= t) ? 'warning' : 'ok';
}

/** The status of one budget at instant `now`. */
export async function budgetStatus(
  store: Store,
  directory: PeopleDirectory,
  definition: BudgetDefinition,
  now: number,
  options: StatusOptions,
): Promise<BudgetStatus> {
  const { budget } = definition;
  const zone = budget.timeZone;
  const period = periodAt(budget.period, now, zone, budget.fiscalYearStart);
  const today = localDate(now, zone);
  const todayStart = startOfLocalDay(today, zone);
  const dayLength = startOfLocalDay(addDays(today, 1), zone) - todayStart;
  const dayFraction = Math.min(1, Math.max(0, (now - todayStart) / dayLength));
  const warnings: string[] = [];
  const { scope } = budget;
  if ((scope.kind === 'team' || scope.kind === 'person') && !scopeExists(scope, directory))
    warnings.push(
      scope.kind === 'team'
        ? `The people directory has no team "${scope.id}": this budget counts nothing until it does.`
        : `The people directory does not know "${scope.id}": only usage recorded under exactly that id counts.`,
    );

  const wantsForecast = options.forecast && !budget.perPerson;
  const historyStart = wantsForecast ? [period.start, addDays(today, -SEASON_DAYS)].sort()[0]! : period.start;
  const history = await dailySpend(store, budget, directory, historyStart, today, now);
  const inPeriod = history.filter((d) => d.date >= period.start);
  let cumulative = 0;
  const days = inPeriod.map((d) => {
    cumulative += d.amount;
    return { date: d.date, amount: d.amount, cumulative };
  });
  const spent = cumulative;

  let previous: BudgetStatus['previous'] = null;
  let carried = 0;
  if (budget.rollover) {
    const prev = previousPeriod(period, budget.fiscalYearStart);
    const prevSpent = await totalSpend(
      store,
      budget,
      directory,
      prev.start,
      addDays(prev.end, -1),
      prev.endTs,
    );
    carried = carriedOver(budget.amount, prevSpent, budget.rollover.cap);
    previous = { start: prev.start, end: prev.end, spent: prevSpent };
  }

  let allowances: AllowanceStatus | null = null;
  let total = budget.amount + carried;
  let percent = total > 0 ? (spent / total) * 100 : 0;
  let state = stateOf(percent, budget.thresholds);
  if (budget.perPerson) {
    const byPerson = await spendByPerson(store, budget, directory, period.start, today, now);
    const rows = [...byPerson]
      .map(([personId, amount]) => ({ personId, spent: amount, percent: (amount / budget.amount) * 100 }))
      .sort((a, b) => b.spent - a.spent || a.personId.localeCompare(b.personId));
    const people = Math.max(scopeHeadcount(budget.scope, directory, period.startTs, now) ?? 0, rows.length);
    const lowest = budget.thresholds[0]!;
    allowances = {
      amount: budget.amount,
      people,
      pastThreshold: rows.filter((r) => r.percent >= lowest).length,
      over: rows.filter((r) => r.percent >= 100).length,
      rows,
    };
    // The shared view of an allowance: everyone's allowances together.
    total = budget.amount * Math.max(1, people);
    percent = (spent / total) * 100;
    state = rows.length > 0 ? stateOf(rows[0]!.percent, budget.thresholds) : 'ok';
  }

  const thresholds = budget.thresholds.map((t) => {
    const amount = (total * t) / 100;
    return { percent: t, amount, crossedOn: budget.perPerson ? null : crossedOn(inPeriod, amount) };
  });

  let forecast: Forecast | null = null;
  if (wantsForecast) {
    const complete = history.filter((d) => d.date < today);
    const fitFrom = addDays(today, -FIT_DAYS);
    const adoption = await adoptionSeries(store, budget, directory, fitFrom, addDays(today, -1));
    forecast = forecastPeriod({
      periodStart: period.start,
      periodEnd: period.end,
      today,
      dayFraction,
      history: complete,
      todaySoFar: inPeriod.at(-1)?.amount ?? 0,
      spentToDate: spent,
      limit: total,
      exhaustedOn: crossedOn(inPeriod, total),
      adoption: {
        points: adoption,
        headcount: scopeHeadcount(budget.scope, directory, startOfLocalDay(fitFrom, zone), now),
      },
      seed: seedOf(`${budget.id}|${today}`),
      draws: options.draws,
    });
  }

  return {
    id: budget.id,
    name: displayName(budget, directory),
    budget,
    source: definition.source,
    period,
    today,
    limit: { base: budget.amount, carried, total },
    previous,
    spent,
    remaining: Math.max(0, total - spent),
    percent,
    state,
    thresholds,
    days,
    forecast,
    allowances,
    warnings,
    computedAt: now,
  };
}
