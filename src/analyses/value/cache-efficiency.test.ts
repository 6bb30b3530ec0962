import { describe, expect, it } from 'vitest';
import { cacheEfficiency } from './cache-efficiency.js';
import { sessionScenario } from './fixtures.js';

describe('cacheEfficiency', () => {
  const { model } = sessionScenario();

  it('is cache reads over all prompt tokens', () => {
    // Cache reads 3000+500+900+1000 = 5400. Uncached input 1000+2000+500+100+300+1000+100 = 5000,
    // cache writes 1000+300 = 1300 → prompt tokens 5000 + 5400 + 1300 = 11700.
    expect(cacheEfficiency(model)).toEqual({
      cacheReadTokens: 5400,
      promptTokens: 11700,
      efficiency: 5400 / 11700,
    });
  });

  it('leaves output out and is null without prompt tokens', () => {
    // Carol: 100 uncached input, no cache → 0.
    expect(cacheEfficiency(model, { scope: { kind: 'person', personId: 'carol' } }).efficiency).toBe(0);
    expect(cacheEfficiency(model, { scope: { kind: 'person', personId: 'nobody' } }).efficiency).toBeNull();
  });
});
