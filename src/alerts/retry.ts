/**
 * Retry timing: exponential backoff with jitter, and the receiver's `Retry-After` honoured.
 * Pure functions of the attempt number, the clock and a random source, so tests need no timers.
 * @module
 */
import type { RetryConfig } from './config.js';

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Eight attempts over about ten minutes: long enough to ride out a deploy of the receiver. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  initialDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
};

/** A `Retry-After` beyond this is taken as this; a receiver asking for days is misconfigured. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export function retryPolicyOf(config: RetryConfig | undefined): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...stripUndefined(config ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The wait after failed attempt number `attempt` (1 for the first): "equal jitter", half the
 * exponential step fixed and half random, so retries of many alerts spread out but never bunch
 * at zero. A `Retry-After` from the receiver is a floor.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as ms from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month; Date.parse alone would take `-5` for a year.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
