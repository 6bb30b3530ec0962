/**
 * Amplification (DESIGN §5): tokens and model calls per human prompt, i.e. how much machine work
 * each thing a person typed set off. Tokens are every prompt token (uncached input, cache reads,
 * cache writes) plus output. Null when there were no prompts.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ValueModel } from './model.js';

export interface AmplificationMetric {
  prompts: number;
  calls: number;
  tokens: number;
  tokensPerPrompt: number | null;
  callsPerPrompt: number | null;
}

export function amplificationFromAcc(a: Acc): AmplificationMetric {
  const tokens = a.inputTokens + a.cacheReadTokens + a.cacheWriteTokens + a.outputTokens;
  return {
    prompts: a.prompts,
    calls: a.calls,
    tokens,
    tokensPerPrompt: ratio(tokens, a.prompts),
    callsPerPrompt: ratio(a.calls, a.prompts),
  };
}

export function amplification(model: ValueModel, query: MetricQuery = {}): AmplificationMetric {
  return amplificationFromAcc(accFor(model, query));
}
