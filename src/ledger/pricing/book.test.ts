import { describe, expect, it } from 'vitest';
import { EMPTY_TOKENS, type TokenBuckets } from '../records.js';
import type { PricingRow } from '../store/store.js';
import { type PriceBook, resolveModelPrice } from './book.js';
import { createPriceBook, type PricingConfig, PricingConfigError, pricingConfigSchema } from './config.js';
import { priceUsage } from './cost.js';
import { listPrices } from './listing.js';
import bundledJson from './prices.json' with { type: 'json' };
import { bundledPriceTable } from './table.js';
import { parsePriceTable } from './table-schema.js';

const EXAMPLE: PricingConfig = {
  overrides: {
    'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 },
    'my-gateway-model': { input: 1, output: 2 },
  },
  aliases: { 'my-gateway-model-v2': 'claude-sonnet-4-5' },
  discounts: [
    { provider: 'anthropic', percent: 10 },
    { model: 'claude-opus-4-8', percent: 20 },
  ],
};

function cost(book: PriceBook, model: string, tokens: Partial<TokenBuckets>): number | null {
  const row: PricingRow = {
    id: 't',
    tool: 'api',
    provider: 'other',
    model,
    speed: null,
    serviceTier: null,
    inferenceGeo: null,
    tokens: { ...EMPTY_TOKENS, ...tokens },
    webSearchRequests: 0,
    reportedCostUsd: null,
  };
  return priceUsage(book, row).costUsd;
}

const price = (book: PriceBook, name: string) => book.models.get(name);

describe('pricingConfigSchema', () => {
  it('accepts the documented example', () => {
    expect(pricingConfigSchema.parse(EXAMPLE)).toEqual(EXAMPLE);
  });

  it('defaults every section', () => {
    expect(pricingConfigSchema.parse({})).toEqual({ overrides: {}, aliases: {}, discounts: [] });
  });

  it.each([
    ['a misspelt rate', { overrides: { 'claude-sonnet-4-5': { inptu: 3 } } }],
    ['a negative price', { overrides: { x: { input: -1, output: 1 } } }],
    [
      'a discount naming both model and provider',
      { discounts: [{ model: 'gpt-5', provider: 'openai', percent: 5 }] },
    ],
    ['a discount naming neither', { discounts: [{ percent: 5 }] }],
    ['a discount over 100%', { discounts: [{ provider: 'openai', percent: 120 }] }],
    [
      'two discounts for one provider',
      {
        discounts: [
          { provider: 'openai', percent: 5 },
          { provider: 'openai', percent: 7 },
        ],
      },
    ],
    ['an unknown provider', { discounts: [{ provider: 'mistral', percent: 5 }] }],
    ['an unknown section', { prices: {} }],
  ])('rejects %s', (_what, config) => {
    expect(pricingConfigSchema.safeParse(config).success).toBe(false);
    expect(() => createPriceBook(config as PricingConfig)).toThrow(PricingConfigError);
  });
});

describe('overrides', () => {
  it('an input-only override scales Anthropic cache prices 1.25× / 2× / 0.1× and keeps output', () => {
    const book = createPriceBook({ overrides: { 'claude-sonnet-4-5': { input: 4 } } });
    expect(price(book, 'claude-sonnet-4-5')).toMatchObject({
      input: 4,
      output: 15,
      cacheWrite5m: 5,
      cacheWrite1h: 8,
      cacheRead: 0.4,
      cacheWriteOther: 5,
      origin: 'override',
      source: null,
    });
    // The long-context tier keeps its 2× premium over the new input.
    expect(price(book, 'claude-sonnet-4-5')?.longContext).toMatchObject({
      input: 8,
      cacheRead: 0.8,
      output: 22.5,
    });
  });

  it('an input-only override scales the OpenAI cached-input price 0.1×', () => {
    const book = createPriceBook({ overrides: { 'gpt-5': { input: 2 } } });
    expect(price(book, 'gpt-5')).toMatchObject({ input: 2, cacheRead: 0.2, output: 10 });
  });

  it('explicit cache prices win over scaling', () => {
    const book = createPriceBook({ overrides: { 'claude-haiku-4-5': { input: 2, cacheRead: 0.05 } } });
    expect(price(book, 'claude-haiku-4-5')).toMatchObject({ input: 2, cacheRead: 0.05, cacheWrite5m: 2.5 });
  });

  it('applies to every spelling of the model it names', () => {
    const book = createPriceBook({ overrides: { 'claude-sonnet-4.5': { output: 10 } } });
    expect(cost(book, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', { output: 100_000 })).toBe(1.1);
    expect(cost(book, 'claude-sonnet-4-5-20250929', { output: 100_000 })).toBe(1);
  });

  it('adds a model the table lacks, with vendor cache rules from its name or provider', () => {
    const book = createPriceBook({
      overrides: {
        'my-gateway-model': { input: 1, output: 2 },
        'claude-next-7': { input: 10, output: 40 },
        'house-model': { provider: 'openai', input: 1, output: 4 },
      },
    });
    expect(price(book, 'my-gateway-model')).toMatchObject({
      provider: 'other',
      cacheRead: 1,
      cacheWrite5m: 1,
    });
    expect(price(book, 'claude-next-7')).toMatchObject({
      provider: 'anthropic',
      cacheRead: 1,
      cacheWrite1h: 20,
    });
    expect(price(book, 'house-model')).toMatchObject({ provider: 'openai', cacheRead: 0.1 });
    expect(cost(book, 'my-gateway-model', { inputUncached: 1_000_000, output: 500_000 })).toBe(2);
  });

  it('refuses a new model without both input and output', () => {
    expect(() => createPriceBook({ overrides: { 'my-gateway-model': { input: 1 } } })).toThrow(
      /input and output/,
    );
  });

  it('refuses two overrides of one model', () => {
    const config = { overrides: { 'claude-opus-4-1': { input: 1 }, 'claude-opus-4.1': { input: 2 } } };
    expect(() => createPriceBook(config)).toThrow(PricingConfigError);
  });
});

describe('aliases', () => {
  it('prices a gateway name as its target, in any spelling tools use', () => {
    const book = createPriceBook(EXAMPLE);
    expect(resolveModelPrice(book, 'my-gateway-model-v2')).toBe('claude-sonnet-4-5');
    expect(resolveModelPrice(book, 'litellm/my-gateway-model-v2')).toBe('claude-sonnet-4-5');
    expect(resolveModelPrice(createPriceBook(), 'my-gateway-model-v2')).toBeUndefined();
  });

  it('may redirect a known name and may contain slashes', () => {
    const book = createPriceBook({
      aliases: { 'claude-sonnet-4-6': 'claude-opus-4-8', 'team/fast': 'gpt-5-mini' },
    });
    expect(resolveModelPrice(book, 'claude-sonnet-4-6')).toBe('claude-opus-4-8');
    expect(resolveModelPrice(book, 'team/fast')).toBe('gpt-5-mini');
  });

  it('refuses an alias to nothing', () => {
    expect(() => createPriceBook({ aliases: { a: 'no-such-model' } })).toThrow(/no-such-model/);
  });
});

describe('discounts', () => {
  const book = createPriceBook(EXAMPLE);

  it('a model discount beats the provider discount', () => {
    expect(cost(book, 'claude-opus-4-8', { output: 1_000_000 })).toBe(20);
    expect(cost(book, 'claude-opus-4-6', { output: 1_000_000 })).toBe(22.5);
    expect(cost(book, 'gpt-5', { output: 1_000_000 })).toBe(10);
  });

  it('covers a web search fee too', () => {
    const row: PricingRow = {
      id: 't',
      tool: 'claude-code',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      speed: null,
      serviceTier: null,
      inferenceGeo: null,
      tokens: EMPTY_TOKENS,
      webSearchRequests: 100,
      reportedCostUsd: null,
    };
    expect(priceUsage(book, row).costUsd).toBe(0.9);
  });

  it('refuses a discount for a model with no price', () => {
    expect(() => createPriceBook({ discounts: [{ model: 'gpt-9', percent: 5 }] })).toThrow(/gpt-9/);
  });

  it('refuses two discounts that land on one model', () => {
    const discounts = [
      { model: 'claude-opus-4-1', percent: 5 },
      { model: 'claude-opus-4.1', percent: 6 },
    ];
    expect(() => createPriceBook({ discounts })).toThrow(PricingConfigError);
  });
});

describe('version', () => {
  const base = createPriceBook();

  it('is the table date and content hash without a config', () => {
    expect(base.version).toMatch(/^2026-08-21\.[0-9a-f]{8}$/);
    expect(base.version).toBe(base.tableVersion);
    expect(createPriceBook({}).version).toBe(base.version);
  });

  it('gains a config hash with overrides, aliases or discounts', () => {
    const a = createPriceBook({ overrides: { 'gpt-5': { input: 2 } } }).version;
    const b = createPriceBook({ overrides: { 'gpt-5': { input: 3 } } }).version;
    const c = createPriceBook({ discounts: [{ provider: 'openai', percent: 3 }] }).version;
    expect(a).toMatch(new RegExp(`^${base.version.replace('.', '\\.')}\\+[0-9a-f]{8}$`));
    expect(new Set([base.version, a, b, c]).size).toBe(4);
  });

  it('ignores key order in the config', () => {
    const one = createPriceBook({ overrides: { x: { input: 1, output: 2 }, y: { input: 3, output: 4 } } });
    const two = createPriceBook({ overrides: { y: { output: 4, input: 3 }, x: { output: 2, input: 1 } } });
    expect(one.version).toBe(two.version);
  });

  it('changes with any price in the table', () => {
    const edited = structuredClone(bundledJson);
    edited.models['gpt-5'].output = 11;
    const table = parsePriceTable(edited);
    expect(table.version).toBe(bundledPriceTable().version);
    expect(createPriceBook(undefined, table).version).not.toBe(base.version);
    expect(createPriceBook(undefined, parsePriceTable(structuredClone(bundledJson))).version).toBe(
      base.version,
    );
  });
});

describe('listPrices', () => {
  it('lists every table model with its source, then config additions', () => {
    const rows = listPrices(createPriceBook(EXAMPLE));
    expect(rows).toHaveLength(bundledPriceTable().models.length + 1);
    expect(rows.find((r) => r.model === 'claude-opus-4-6')).toMatchObject({
      provider: 'anthropic',
      input: 5,
      output: 25,
      cacheWrite5m: 6.25,
      cacheWrite1h: 10,
      cacheRead: 0.5,
      fastMultiplier: 6,
      discountPercent: 10,
      origin: 'table',
      date: '2026-08-21',
      quality: 'primary',
    });
    expect(rows.find((r) => r.model === 'claude-opus-4-8')?.discountPercent).toBe(20);
    expect(rows.at(-1)).toMatchObject({ model: 'my-gateway-model', origin: 'override', source: 'config' });
    expect(rows.find((r) => r.model === 'claude-sonnet-4-5')).toMatchObject({ origin: 'override' });
  });
});
