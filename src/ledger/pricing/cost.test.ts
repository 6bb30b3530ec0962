import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMPTY_TOKENS, type TokenBuckets } from '../records.js';
import type { PricingRow } from '../store/store.js';
import { createPriceBook } from './config.js';
import { priceUsage, splitCacheWritesByReportedCost } from './cost.js';

const book = createPriceBook();

function row(
  model: string | null,
  tokens: Partial<TokenBuckets>,
  extra: Partial<PricingRow> = {},
): PricingRow {
  return {
    id: 'test',
    tool: 'claude-code',
    provider: 'anthropic',
    model,
    speed: null,
    serviceTier: null,
    inferenceGeo: null,
    tokens: { ...EMPTY_TOKENS, ...tokens },
    webSearchRequests: 0,
    reportedCostUsd: null,
    ...extra,
  };
}

function cost(
  model: string | null,
  tokens: Partial<TokenBuckets>,
  extra: Partial<PricingRow> = {},
): number | null {
  return priceUsage(book, row(model, tokens, extra)).costUsd;
}

const MTOK = 1_000_000;

describe('Claude Code 2.1.197 capture (ground truth: ccusage 20.0.24 reports 0.06281865 USD)', () => {
  interface Served {
    model: string;
    input_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
    output_tokens: number;
    cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  }
  const calls: Served[] = readFileSync(
    new URL('../../../test/fixtures/pricing/claude-code-2.1.197-api-usage-served.jsonl', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Served);
  const rows = calls.map((c) =>
    row(c.model, {
      inputUncached: c.input_tokens,
      cacheRead: c.cache_read_input_tokens,
      cacheWrite5m: c.cache_creation.ephemeral_5m_input_tokens,
      cacheWrite1h: c.cache_creation.ephemeral_1h_input_tokens,
      output: c.output_tokens,
    }),
  );

  it('has the seven served calls with the known bucket totals', () => {
    expect(calls).toHaveLength(7);
    const sum = (k: keyof TokenBuckets) => rows.reduce((s, r) => s + r.tokens[k], 0);
    expect([
      sum('inputUncached'),
      sum('output'),
      sum('cacheRead'),
      sum('cacheWrite5m'),
      sum('cacheWrite1h'),
    ]).toEqual([1316, 1659, 59668, 3179, 694]);
    for (const c of calls) {
      expect(c.cache_creation.ephemeral_5m_input_tokens + c.cache_creation.ephemeral_1h_input_tokens).toBe(
        c.cache_creation_input_tokens,
      );
    }
  });

  it('prices each call and the calls sum to what ccusage reports', () => {
    const results = rows.map((r) => priceUsage(book, r));
    for (const r of results) {
      expect(r.costBasis).toBe('computed');
      expect(r.priceVersion).toBe(book.version);
    }
    const total = results.reduce((s, r) => s + (r.costUsd ?? Number.NaN), 0);
    expect(total).toBeCloseTo(0.06281865, 12);
    // Call 6 is the only one with a 1-hour write: 262×3 + 8786×0.30 + 1388×3.75 + 694×6 + 343×15.
    expect(results[5]!.costUsd).toBe(0.0179358);
  });

  it('prices the summed buckets to exactly 0.06281865', () => {
    const summed = cost('claude-sonnet-4-5', {
      inputUncached: 1316,
      output: 1659,
      cacheRead: 59668,
      cacheWrite5m: 3179,
      cacheWrite1h: 694,
    });
    expect(summed).toBe(0.06281865);
  });
});

describe('reference examples', () => {
  it('formats.md §1.11: the Sonnet 4.6 call costs ≈ $0.0250', () => {
    const c = cost('claude-sonnet-4-6', {
      inputUncached: 3,
      cacheWrite5m: 1830,
      cacheRead: 41210,
      output: 388,
    });
    expect(c).toBe(0.0250545);
    expect(c).toBeCloseTo(0.025, 3);
  });

  it('formats.md §4.1: the Codex gpt-5.4 token_count, mapped to canonical buckets', () => {
    // input 14475 includes 2432 cached; output 216 includes 64 reasoning, billed once.
    const tokens = { inputUncached: 14475 - 2432, cacheRead: 2432, output: 216, reasoning: 64 };
    const r = priceUsage(book, row('gpt-5.4', tokens, { tool: 'codex', provider: 'openai' }));
    expect(r).toEqual({ costUsd: 0.0339555, costBasis: 'computed', priceVersion: book.version });
  });
});

describe('unpriced and reported', () => {
  it('an unknown model has no cost, never $0', () => {
    expect(priceUsage(book, row('claude-haiku-4-6', { inputUncached: 1000 }))).toEqual({
      costUsd: null,
      costBasis: 'unpriced',
      priceVersion: null,
    });
  });

  it('synthetic and missing models are unpriced', () => {
    expect(priceUsage(book, row('<synthetic>', { output: 10 })).costBasis).toBe('unpriced');
    expect(priceUsage(book, row(null, { output: 10 })).costBasis).toBe('unpriced');
    expect(priceUsage(book, row('', { output: 10 })).costBasis).toBe('unpriced');
  });

  it('falls back to the cost the tool reported only when the model is unpriced', () => {
    expect(priceUsage(book, row('my-private-model', { output: 10 }, { reportedCostUsd: 0.42 }))).toEqual({
      costUsd: 0.42,
      costBasis: 'reported',
      priceVersion: null,
    });
    const priced = priceUsage(book, row('claude-haiku-4-5', { output: MTOK }, { reportedCostUsd: 0.42 }));
    expect(priced).toMatchObject({ costUsd: 5, costBasis: 'computed' });
  });

  it('a priced model with no tokens costs exactly 0', () => {
    expect(priceUsage(book, row('claude-opus-4-8', {}))).toMatchObject({ costUsd: 0, costBasis: 'computed' });
  });
});

describe('long context', () => {
  const at = (prompt: number) => ({ inputUncached: 10_000, cacheRead: prompt - 10_000, output: 1000 });

  it('sonnet-4-5 above 200K bills the whole request at the tier rates', () => {
    // 10k input × 6 + 240k read × 0.60 + 1k output × 22.50
    expect(cost('claude-sonnet-4-5', at(250_000))).toBe(0.2265);
    // ccusage would charge 10k×3 + (200k×0.30 + 40k×0.60) + 1k×15 = 0.129: only the excess of a bucket.
  });

  it('sonnet-4-5 at exactly 200K stays at the base rates', () => {
    expect(cost('claude-sonnet-4-5', at(200_000))).toBe(0.102);
  });

  it('counts cache writes toward the threshold and reprices them too', () => {
    const tokens = { inputUncached: 1000, cacheWrite5m: 100_000, cacheWrite1h: 100_000, output: 0 };
    // 1k × 6 + 100k × 7.50 + 100k × 12
    expect(cost('claude-sonnet-4-20250514', tokens)).toBe(1.956);
  });

  it('sonnet-4-6 and opus-4-6 have no long-context premium', () => {
    expect(cost('claude-sonnet-4-6', at(900_000))).toBe(0.312);
    expect(cost('claude-opus-4-6[1m]', { inputUncached: 900_000 })).toBe(4.5);
  });

  it('gpt-5.4 and gpt-5.5 above 272K: 2× input and cached, 1.5× output, whole request', () => {
    const tokens = { inputUncached: 100_000, cacheRead: 200_000, output: 10_000 };
    expect(cost('gpt-5.4', tokens)).toBe(0.825);
    expect(cost('gpt-5.5', tokens)).toBe(1.65);
    expect(cost('gpt-5.4', { ...tokens, cacheRead: 172_000 })).toBe(0.443);
  });

  it('gemini-2.5-pro above 200K', () => {
    expect(cost('gemini-2.5-pro', { inputUncached: 250_000, output: 1000 })).toBe(0.64);
  });
});

describe('modifiers', () => {
  it.each([
    ['claude-opus-4-6', 6],
    ['claude-opus-4-7', 6],
    ['claude-opus-4-8', 2],
    ['claude-opus-5', 2],
    ['gpt-5.5', 2.5],
    ['gpt-5.4', 2],
    ['gpt-5.3-codex', 2],
  ])('fast mode on %s multiplies the whole cost by %d', (model, multiplier) => {
    const tokens = { inputUncached: 1000, cacheRead: 50_000, cacheWrite5m: 2000, output: 800 };
    const standard = cost(model, tokens)!;
    expect(standard).toBeGreaterThan(0);
    expect(cost(model, tokens, { speed: 'fast' })).toBeCloseTo(standard * multiplier, 12);
    expect(cost(`${model}-fast`, tokens)).toBeCloseTo(standard * multiplier, 12);
  });

  it('fast mode leaves models without a fast price alone', () => {
    expect(cost('claude-sonnet-4-5', { output: MTOK }, { speed: 'fast' })).toBe(15);
  });

  it('Opus 4.6 fast mode matches the vendor list price $30 / $150', () => {
    expect(cost('claude-opus-4-6', { inputUncached: MTOK, output: MTOK }, { speed: 'fast' })).toBe(180);
  });

  it('US-only inference costs 1.1× on Claude 4.6+ only', () => {
    expect(cost('claude-opus-4-6', { output: MTOK }, { inferenceGeo: 'us' })).toBe(27.5);
    expect(cost('claude-sonnet-4-6', { cacheRead: MTOK }, { inferenceGeo: 'us' })).toBe(0.33);
    expect(cost('claude-opus-4-5', { output: MTOK }, { inferenceGeo: 'us' })).toBe(25);
    expect(cost('claude-opus-4-6', { output: MTOK }, { inferenceGeo: 'global' })).toBe(25);
  });

  it('Bedrock geographic profiles cost 1.1× on Sonnet 4.5 and later, global ones do not', () => {
    expect(cost('us.anthropic.claude-sonnet-4-5-20250929-v1:0', { inputUncached: 100_000 })).toBe(0.33);
    expect(cost('eu.anthropic.claude-haiku-4-5-20251001-v1:0', { output: MTOK })).toBe(5.5);
    expect(cost('global.anthropic.claude-sonnet-4-5-20250929-v1:0', { inputUncached: 100_000 })).toBe(0.3);
    expect(cost('us.anthropic.claude-sonnet-4-20250514-v1:0', { inputUncached: 100_000 })).toBe(0.3);
  });

  it('Anthropic web search is $10 per 1,000 on top of tokens', () => {
    expect(cost('claude-sonnet-4-6', { output: 1000 }, { webSearchRequests: 3 })).toBe(0.045);
    expect(cost('gpt-5', {}, { webSearchRequests: 3 })).toBe(0);
  });

  it('batch halves token prices', () => {
    expect(
      cost('claude-sonnet-4-5', { inputUncached: 100_000, output: 100_000 }, { serviceTier: 'batch' }),
    ).toBe(0.9);
    expect(cost('claude-sonnet-4-5', { inputUncached: 100_000 }, { serviceTier: 'standard' })).toBe(0.3);
  });

  it('cache writes of other TTL: the GPT-5.6 write price, Anthropic 5-minute writes, else input', () => {
    expect(cost('gpt-5.6-terra', { cacheWriteOther: 100_000 })).toBe(0.25);
    expect(cost('gpt-5.6-sol', { cacheWriteOther: 100_000 })).toBe(0.625);
    expect(cost('claude-opus-4-8', { cacheWriteOther: MTOK })).toBe(6.25);
    expect(cost('gpt-5', { cacheWriteOther: MTOK })).toBe(1.25);
  });

  it('reasoning is part of output and never billed twice', () => {
    expect(cost('gpt-5', { output: MTOK, reasoning: MTOK / 2 })).toBe(10);
  });
});

describe('cache-write TTL recovered from the reported cost (OTel carries the writes unsplit)', () => {
  // req_cap_6 of the Claude Code 2.1.197 capture: the API served 1,388 5-minute and 694 1-hour
  // writes; Claude Code's api_request event says cache_creation_tokens=2082, cost_usd=0.0179358.
  const otel = row(
    'claude-sonnet-4-5',
    { inputUncached: 262, output: 343, cacheRead: 8786, cacheWrite5m: 2082 },
    { reportedCostUsd: 0.017935800000000002 },
  );

  it('splits the writes exactly as the API served them', () => {
    expect(splitCacheWritesByReportedCost(book, otel).tokens).toMatchObject({
      cacheWrite5m: 1388,
      cacheWrite1h: 694,
    });
    expect(priceUsage(book, splitCacheWritesByReportedCost(book, otel)).costUsd).toBeCloseTo(0.0179358, 10);
  });

  it('leaves the writes unsplit when the reported cost does not fit list prices', () => {
    const overridden = createPriceBook({ overrides: { 'claude-sonnet-4-5': { input: 4 } } });
    expect(splitCacheWritesByReportedCost(overridden, otel)).toBe(otel);
    for (const reportedCostUsd of [0.0179358 + 0.01, 0.0179, null]) {
      const other = { ...otel, reportedCostUsd };
      expect(splitCacheWritesByReportedCost(book, other)).toBe(other);
    }
  });

  it('keeps a known split, and reads all-5-minute writes as such', () => {
    const known = { ...otel, tokens: { ...otel.tokens, cacheWrite5m: 1388, cacheWrite1h: 694 } };
    expect(splitCacheWritesByReportedCost(book, known)).toBe(known);
    const all5m = { ...otel, reportedCostUsd: priceUsage(book, otel).costUsd };
    expect(splitCacheWritesByReportedCost(book, all5m)).toBe(all5m);
  });
});
