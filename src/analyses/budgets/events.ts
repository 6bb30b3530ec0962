/**
 * Budget alerts as events for the dispatcher (src/alerts): one per threshold crossed and one for
 * a projected overrun, each keyed `${budgetId}:${periodStart}:${kind}:${threshold}` so that it is
 * delivered once per budget period however often the status is recomputed.
 * @module
 */
import type { AlertEvent } from '../../alerts/index.js';
import { humanDate } from './calendar.js';
import { MIN_TREND_DAYS } from './forecast.js';
import { formatAmount } from './schema.js';
import type { BudgetStatus } from './status.js';

export function alertKey(status: BudgetStatus, kind: AlertEvent['kind'], threshold: number): string {
  return `${status.id}:${status.period.start}:${kind}:${threshold}`;
}

function periodWords(status: BudgetStatus): string {
  return status.budget.period === 'month' ? status.period.label.split(' ')[0]! : status.period.label;
}

function percentWords(p: number): string {
  return `${Math.floor(p)} %`;
}

/** "Payments has used 80 % of its $40,000 April budget; at this rate it runs out on 24 April." */
export function thresholdMessage(status: BudgetStatus, threshold: number): string {
  const limit = formatAmount(status.limit.total, status.budget.unit);
  const year = status.period.start.slice(0, 4);
  const over = status.percent >= 100;
  const used = `${status.name} has used ${percentWords(over ? status.percent : threshold)} of its ${limit} ${periodWords(status)} budget`;
  if (over) {
    const ranOut = status.days.find((d) => d.cumulative >= status.limit.total)?.date ?? status.today;
    return `${used}; it ran out on ${humanDate(ranOut, year)}.`;
  }
  const f = status.forecast;
  if (f?.exhaustsOn && f.exhaustsOn < status.period.end)
    return `${used}; at this rate it runs out on ${humanDate(f.exhaustsOn, year)}.`;
  return `${used}.`;
}

/** "At this rate the organisation's $2,000,000 year 2026 budget runs out on 14 April (31 % used so far)." */
export function overrunMessage(status: BudgetStatus, exhaustsOn: string): string {
  const limit = formatAmount(status.limit.total, status.budget.unit);
  const year = status.period.start.slice(0, 4);
  const range = status.forecast?.exhaustsRange;
  const between =
    range?.early && range.late && range.early !== range.late
      ? ` (80 % interval ${humanDate(range.early, year)} – ${humanDate(range.late, year)})`
      : '';
  return (
    `At this rate the ${limit} ${periodWords(status)} budget of ${status.name} runs out on ` +
    `${humanDate(exhaustsOn, year)}${between}, before the period ends; ${percentWords(status.percent)} used so far.`
  );
}

/** Days of the period itself a projected-overrun alert needs behind it: two weeks, or a quarter of a shorter period. */
export function overrunEvidenceDays(periodDays: number): number {
  return Math.min(MIN_TREND_DAYS, Math.ceil(periodDays / 4));
}

/**
 * Whether the forecast is firm enough to warn of an overrun: the central projection reaches the
 * limit within the period, fitted on at least two weeks of history, with enough of the period
 * itself elapsed. A new period often brings new behaviour (a new fiscal year's roll-out, new
 * seats), so the history before it alone does not get to raise the alarm.
 */
export function projectsOverrun(status: BudgetStatus): boolean {
  const f = status.forecast;
  const elapsed = status.days.length;
  return (
    f !== null &&
    status.percent < 100 &&
    f.fitDays >= MIN_TREND_DAYS &&
    elapsed >= overrunEvidenceDays(status.period.days) &&
    f.exhaustsOn !== null &&
    f.exhaustsOn < status.period.end
  );
}

/** The events a status raises now (the dispatcher skips those already delivered). */
export function budgetEvents(status: BudgetStatus, detectedAt: number): AlertEvent[] {
  // Per-person allowances are enforced by the budget check and listed in the status; an alert per
  // engineer would flood the channels.
  if (status.budget.perPerson) return [];
  const base = {
    budgetId: status.id,
    budgetName: status.name,
    scope:
      status.budget.scope.kind === 'org'
        ? { kind: 'org' as const }
        : { kind: status.budget.scope.kind, id: status.budget.scope.id },
    period: { start: status.period.start, end: status.period.end, timeZone: status.period.timeZone },
    unit: status.budget.unit,
    spent: status.spent,
    limit: status.limit.total,
    exhaustsOn: status.forecast?.exhaustsOn ?? null,
    detectedAt,
  };
  const events: AlertEvent[] = [];
  for (const t of status.thresholds) {
    if (t.crossedOn === null && status.percent < t.percent) continue;
    events.push({
      ...base,
      key: alertKey(status, 'threshold', t.percent),
      kind: 'threshold',
      threshold: t.percent,
      message: thresholdMessage(status, t.percent),
    });
  }
  if (projectsOverrun(status)) {
    events.push({
      ...base,
      key: alertKey(status, 'projected_overrun', 100),
      kind: 'projected_overrun',
      threshold: 100,
      message: overrunMessage(status, status.forecast!.exhaustsOn!),
    });
  }
  return events;
}
