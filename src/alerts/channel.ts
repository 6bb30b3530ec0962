/**
 * A channel delivers one event once per call: it resolves when the receiver accepted it and
 * throws otherwise (a `DeliveryError` saying whether retrying can help). Retrying, recording and
 * fire-once are the dispatcher's job, never a channel's.
 * @module
 */
import type { AlertEvent } from './event.js';

export interface SendContext {
  /** The dispatcher's clock: webhook timestamps and `Retry-After` dates are read against it. */
  now: number;
}

export interface SendResult {
  note?: string;
}

export interface AlertChannel {
  readonly name: string;
  readonly type: 'slack' | 'webhook' | 'email';
  /** Budget ids this channel takes; undefined for all. */
  readonly budgets: readonly string[] | undefined;
  /** Resolves once the receiver accepted the event; `note` records a partial problem (a refused recipient). */
  send(event: AlertEvent, context: SendContext): Promise<SendResult>;
  /** Releases connections; called once, when the dispatcher closes. */
  close?(): void;
}

export function channelTakes(channel: AlertChannel, event: AlertEvent): boolean {
  return channel.budgets === undefined || channel.budgets.includes(event.budgetId);
}
