/**
 * The words every channel shares: a headline, amounts in the budget's unit, the period, the
 * detail lines. Channels only lay them out (Slack blocks, a plain-text e-mail).
 * @module
 */
import type { AlertEvent } from './event.js';

export function formatAmount(value: number, unit: AlertEvent['unit']): string {
  switch (unit) {
    case 'usd':
      return new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: 'USD',
        // Cents matter on a $20 allowance, not on a $40,000 budget.
        maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2,
        minimumFractionDigits: Math.abs(value) >= 1000 || Number.isInteger(value) ? 0 : 2,
      }).format(value);
    case 'tokens':
      return `${new Intl.NumberFormat('en-US').format(Math.round(value))} tokens`;
    case 'credits':
      return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value)} credits`;
  }
}

/** The share of the limit spent, as people write it: `80 %`. */
export function formatPercent(spent: number, limit: number): string {
  if (limit <= 0) return '—';
  return `${Math.round((spent / limit) * 100)} %`;
}

/** The period's last day: `end` is exclusive. */
export function lastDayOf(period: AlertEvent['period']): string {
  const [y, m, d] = period.end.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

export function scopeLabel(scope: AlertEvent['scope']): string {
  return scope.id ? `${scope.kind} ${scope.id}` : scope.kind;
}

/** Short enough for an e-mail subject or a notification preview. */
export function headline(event: AlertEvent): string {
  if (event.kind === 'projected_overrun')
    return event.exhaustsOn
      ? `${event.budgetName}: projected to run out on ${event.exhaustsOn}`
      : `${event.budgetName}: projected to overrun`;
  return `${event.budgetName}: ${event.threshold} % of budget reached`;
}

/** Label/value pairs shown under the message. */
export function detailLines(event: AlertEvent): Array<[string, string]> {
  const lines: Array<[string, string]> = [
    ['Budget', `${event.budgetName} (${scopeLabel(event.scope)})`],
    ['Period', `${event.period.start} to ${lastDayOf(event.period)} (${event.period.timeZone})`],
    [
      'Spent',
      `${formatAmount(event.spent, event.unit)} of ${formatAmount(event.limit, event.unit)} (${formatPercent(event.spent, event.limit)})`,
    ],
  ];
  if (event.exhaustsOn) lines.push(['Runs out', event.exhaustsOn]);
  lines.push(['Alert', event.kind === 'threshold' ? `threshold ${event.threshold} %` : 'projected overrun']);
  lines.push(['Detected', new Date(event.detectedAt).toISOString()]);
  return lines;
}
