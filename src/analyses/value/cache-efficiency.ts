/**
 * Cache efficiency (DESIGN §5): cache reads / all prompt tokens (uncached input + cache reads +
 * cache writes). Output tokens are not prompt tokens and are left out. Null with no prompt tokens.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ValueModel } from './model.js';

export interface CacheEfficiencyMetric {
  cacheReadTokens: number;
  promptTokens: number;
  efficiency: number | null;
}

export function cacheFromAcc(a: Acc): CacheEfficiencyMetric {
  const promptTokens = a.inputTokens + a.cacheReadTokens + a.cacheWriteTokens;
  return {
    cacheReadTokens: a.cacheReadTokens,
    promptTokens,
    efficiency: ratio(a.cacheReadTokens, promptTokens),
  };
}

export function cacheEfficiency(model: ValueModel, query: MetricQuery = {}): CacheEfficiencyMetric {
  return cacheFromAcc(accFor(model, query));
}
