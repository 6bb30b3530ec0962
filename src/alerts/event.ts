/**
 * What a budget raises and what the journal keeps about it: the `AlertEvent` the budgets side
 * hands over, and the `AlertRecord` (the event plus one delivery per channel) kept under
 * `alert:${key}` in the ledger's meta table.
 * @module
 */
import { z } from 'zod';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Control characters would break header values and log lines; the key is also a header.
const NO_CONTROL = /^[^\p{Cc}]+$/u;

export const alertEventSchema = z.object({
  key: z.string().min(1).max(1000).regex(NO_CONTROL, 'must not hold control characters'),
  budgetId: z.string().min(1),
  budgetName: z.string().min(1),
  scope: z.object({
    kind: z.enum(['org', 'team', 'person', 'tool', 'model']),
    id: z.string().min(1).optional(),
  }),
  period: z.object({
    start: z.string().regex(LOCAL_DATE, 'must be YYYY-MM-DD'),
    end: z.string().regex(LOCAL_DATE, 'must be YYYY-MM-DD'),
    timeZone: z.string().min(1),
  }),
  kind: z.enum(['threshold', 'projected_overrun']),
  threshold: z.number().finite().positive(),
  unit: z.enum(['usd', 'tokens', 'credits']),
  spent: z.number().finite(),
  limit: z.number().finite(),
  exhaustsOn: z.string().regex(LOCAL_DATE, 'must be YYYY-MM-DD').nullable().optional(),
  message: z.string().min(1),
  detectedAt: z.number().int().nonnegative(),
});

/** One alert a budget raised: a threshold crossed, or a projected overrun. */
export interface AlertEvent {
  /** Fire-once key: the same key is delivered at most once, ever. Built by the budgets side as
   *  `${budgetId}:${periodStart}:${kind}:${threshold}` (threshold as a percentage, e.g. 80). */
  key: string;
  budgetId: string;
  budgetName: string;
  /** What the budget covers, e.g. { kind: 'team', id: 'payments' } or { kind: 'org' }. */
  scope: { kind: 'org' | 'team' | 'person' | 'tool' | 'model'; id?: string };
  /** The budget period, local dates YYYY-MM-DD in the budget's time zone; end exclusive. */
  period: { start: string; end: string; timeZone: string };
  kind: 'threshold' | 'projected_overrun';
  /** Percent of the limit: 50, 80, 100 … for thresholds; 100 for a projected overrun. */
  threshold: number;
  unit: 'usd' | 'tokens' | 'credits';
  spent: number;
  limit: number;
  /** Projected exhaustion date (YYYY-MM-DD) when known. */
  exhaustsOn?: string | null;
  /** One sentence for people, e.g. "Payments has used 80 % of its $40,000 April budget; at this rate it runs out on 24 April." */
  message: string;
  /** Epoch ms when the budgets side detected it. */
  detectedAt: number;
}

// Kept in step with the interface above: the interface is the contract's wording, the schema checks it.
type SchemaMatches =
  z.infer<typeof alertEventSchema> extends AlertEvent
    ? AlertEvent extends z.infer<typeof alertEventSchema>
      ? true
      : never
    : never;
const _schemaMatches: SchemaMatches = true;
void _schemaMatches;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One channel's delivery of one event. */
export interface AlertDelivery {
  channel: string;
  status: DeliveryStatus;
  /** Attempts started, including one a crash interrupted. */
  attempts: number;
  lastError?: string;
  /** Epoch ms of the attempt that succeeded. */
  deliveredAt?: number;
  /** Epoch ms the last attempt started. */
  lastAttemptAt?: number;
  /** Epoch ms the next attempt is due, while pending after a failure. */
  nextAttemptAt?: number;
}

export interface AlertRecord {
  event: AlertEvent;
  /** Epoch ms the dispatcher recorded the event (fire time). */
  recordedAt: number;
  deliveries: AlertDelivery[];
}

export class AlertEventError extends Error {
  override name = 'AlertEventError';
}

/** Checks every event before any is recorded, so a bad batch records nothing and says why. */
export function validateAlertEvents(events: readonly unknown[]): AlertEvent[] {
  const problems: string[] = [];
  const valid: AlertEvent[] = [];
  events.forEach((event, index) => {
    const parsed = alertEventSchema.safeParse(event);
    if (parsed.success) {
      valid.push(parsed.data);
      return;
    }
    const key =
      typeof (event as { key?: unknown })?.key === 'string' ? ` (${(event as { key: string }).key})` : '';
    for (const issue of parsed.error.issues)
      problems.push(`  events[${index}]${key}.${issue.path.join('.') || '(event)'}: ${issue.message}`);
  });
  if (problems.length)
    throw new AlertEventError(`Alert events are invalid; none was recorded:\n${problems.join('\n')}`);
  return valid;
}
