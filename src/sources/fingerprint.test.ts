import { describe, expect, it } from 'vitest';
import { fingerprintDistance, promptFingerprint } from './fingerprint.js';

describe('prompt fingerprint', () => {
  it('is 16 hex digits and deterministic', () => {
    const f = promptFingerprint('Add a token-bucket limiter to the orders route');
    expect(f).toMatch(/^[0-9a-f]{16}$/);
    expect(promptFingerprint('Add a token-bucket limiter to the orders route')).toBe(f);
  });

  it('keeps near-duplicates close and different prompts far apart', () => {
    const base =
      'please refactor the payment service so that retries use exponential backoff and log every failure';
    const near =
      'Please refactor the payment service so that retries use exponential backoff and log each failure';
    const other = 'write a haiku about autumn leaves falling on a quiet pond in the evening light';
    const dNear = fingerprintDistance(promptFingerprint(base), promptFingerprint(near));
    const dFar = fingerprintDistance(promptFingerprint(base), promptFingerprint(other));
    expect(dNear).toBeLessThan(dFar);
    expect(dNear).toBeLessThanOrEqual(16);
    expect(dFar).toBeGreaterThan(16);
  });

  it('ignores case, digits and punctuation differences', () => {
    expect(promptFingerprint('Fix bug #123 in parser.ts!')).toBe(
      promptFingerprint('fix bug 456 in parser ts'),
    );
  });
});
