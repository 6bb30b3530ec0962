import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  retryPolicyOf,
} from './retry.js';

const policy = { maxAttempts: 8, initialDelayMs: 1000, maxDelayMs: 16_000 };

describe('backoffDelay', () => {
  it('doubles each attempt, between half the step and the whole step', () => {
    for (const [attempt, step] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
    ] as const) {
      expect(backoffDelay(attempt, policy, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, policy, () => 0.999_999)).toBe(step);
    }
  });

  it('stops growing at maxDelayMs', () => {
    expect(backoffDelay(5, policy, () => 0.999_999)).toBe(16_000);
    expect(backoffDelay(30, policy, () => 0.999_999)).toBe(16_000);
  });

  it('waits at least what Retry-After asked, up to an hour', () => {
    expect(backoffDelay(1, policy, () => 0, 120_000)).toBe(120_000);
    expect(backoffDelay(1, policy, () => 0, 10)).toBe(500);
    expect(backoffDelay(1, policy, () => 0, 48 * 3600_000)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 3, 18, 9, 30);
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter(new Date(now - 90_000).toUTCString(), now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('retryPolicyOf', () => {
  it('fills what the config leaves out from the defaults', () => {
    expect(retryPolicyOf(undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(retryPolicyOf({ maxAttempts: 3, initialDelayMs: undefined })).toEqual({
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: 3,
    });
  });
});
