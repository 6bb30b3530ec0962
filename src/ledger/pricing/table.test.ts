import { describe, expect, it } from 'vitest';
import bundledJson from './prices.json' with { type: 'json' };
import { bundledPriceTable, canonicalJson, fillRates } from './table.js';
import { parsePriceTable } from './table-schema.js';

const table = bundledPriceTable();
const byName = new Map(table.models.map((m) => [m.name, m]));

/** formats.md §9: [input, cache write 5m, cache write 1h, cache read, output] per MTok. */
const ANTHROPIC_LIST: Record<string, [number, number, number, number, number]> = {
  'claude-fable-5': [10, 12.5, 20, 1, 50],
  'claude-mythos-5': [10, 12.5, 20, 1, 50],
  'claude-opus-5': [5, 6.25, 10, 0.5, 25],
  'claude-opus-4-8': [5, 6.25, 10, 0.5, 25],
  'claude-opus-4-7': [5, 6.25, 10, 0.5, 25],
  'claude-opus-4-6': [5, 6.25, 10, 0.5, 25],
  'claude-opus-4-5': [5, 6.25, 10, 0.5, 25],
  'claude-opus-4-1': [15, 18.75, 30, 1.5, 75],
  'claude-opus-4': [15, 18.75, 30, 1.5, 75],
  'claude-sonnet-5': [2, 2.5, 4, 0.2, 10],
  'claude-sonnet-4-6': [3, 3.75, 6, 0.3, 15],
  'claude-sonnet-4-5': [3, 3.75, 6, 0.3, 15],
  'claude-sonnet-4': [3, 3.75, 6, 0.3, 15],
  'claude-haiku-4-5': [1, 1.25, 2, 0.1, 5],
  'claude-3-5-haiku': [0.8, 1, 1.6, 0.08, 4],
  'claude-3-haiku': [0.25, 0.3, 0.5, 0.03, 1.25],
};

/** formats.md §9.2 and §9.3: [input, cached input, output, cache write or null]. */
const OTHER_LIST: Record<string, [number, number, number, number | null]> = {
  'gpt-5': [1.25, 0.125, 10, null],
  'gpt-5-codex': [1.25, 0.125, 10, null],
  'gpt-5-mini': [0.25, 0.025, 2, null],
  'gpt-5-nano': [0.05, 0.005, 0.4, null],
  'gpt-5.1-codex-max': [1.25, 0.125, 10, null],
  'gpt-5.1-codex-mini': [0.25, 0.025, 2, null],
  'gpt-5.2': [1.75, 0.175, 14, null],
  'gpt-5.3-codex': [1.75, 0.175, 14, null],
  'gpt-5.4': [2.5, 0.25, 15, null],
  'gpt-5.4-mini': [0.75, 0.075, 4.5, null],
  'gpt-5.4-nano': [0.2, 0.02, 1.25, null],
  'gpt-5.5': [5, 0.5, 30, null],
  'gpt-5.5-pro': [30, 30, 180, null],
  'gpt-5.6-sol': [5, 0.5, 30, 6.25],
  'gpt-5.6-terra': [2, 0.2, 12, 2.5],
  'gpt-5.6-luna': [0.2, 0.02, 1.2, 0.25],
  'gemini-2.5-pro': [1.25, 0.125, 10, null],
  'gemini-2.5-flash': [0.3, 0.03, 2.5, null],
  'gemini-2.5-flash-lite': [0.1, 0.01, 0.4, null],
  'gemini-3.1-pro': [2, 0.2, 12, null],
  'gemini-3.5-flash': [1.5, 0.15, 9, null],
};

describe('the bundled table', () => {
  it('carries a date version and a content hash', () => {
    expect(table.version).toBe('2026-08-21');
    expect(table.hash).toMatch(/^[0-9a-f]{8}$/);
  });

  // bundledPriceTable() trusts prices.json to skip zod at start-up; this is the check it skips.
  it('passes the schema, and the schema changes nothing the build would not', () => {
    expect(parsePriceTable(structuredClone(bundledJson))).toEqual(table);
  });

  it.each(Object.entries(ANTHROPIC_LIST))(
    '%s has the Anthropic list price',
    (name, [input, w5, w1, read, out]) => {
      expect(byName.get(name)).toMatchObject({
        provider: 'anthropic',
        input,
        cacheWrite5m: w5,
        cacheWrite1h: w1,
        cacheRead: read,
        output: out,
        webSearchPer1000: 10,
      });
    },
  );

  it.each(Object.entries(OTHER_LIST))('%s has the listed price', (name, [input, read, out, write]) => {
    expect(byName.get(name)).toMatchObject({
      input,
      cacheRead: read,
      output: out,
      cacheWriteOther: write ?? input,
    });
  });

  it('follows Anthropic cache multiples on every Claude 4+ model', () => {
    for (const m of table.models.filter(
      (p) => p.provider === 'anthropic' && !p.name.startsWith('claude-3'),
    )) {
      expect([m.cacheWrite5m, m.cacheWrite1h, m.cacheRead], m.name).toEqual([
        Number((m.input * 1.25).toPrecision(12)),
        m.input * 2,
        Number((m.input * 0.1).toPrecision(12)),
      ]);
    }
  });

  it('has a long-context premium only where the vendor still charges one', () => {
    const tiered = table.models.filter((m) => m.longContext).map((m) => m.name);
    expect(tiered.sort()).toEqual(
      [
        'claude-sonnet-4',
        'claude-sonnet-4-5',
        'gemini-2.5-pro',
        'gemini-3.1-pro',
        'gpt-5.4',
        'gpt-5.4-pro',
        'gpt-5.5',
        'gpt-5.5-pro',
        'gpt-5.6-luna',
        'gpt-5.6-sol',
        'gpt-5.6-terra',
      ].sort(),
    );
    expect(byName.get('claude-sonnet-4-5')?.longContext).toEqual({
      thresholdTokens: 200_000,
      rule: 'whole_request',
      input: 6,
      output: 22.5,
      cacheRead: 0.6,
      cacheWrite5m: 7.5,
      cacheWrite1h: 12,
      cacheWriteOther: 7.5,
    });
    expect(byName.get('gpt-5.5')?.longContext).toMatchObject({
      thresholdTokens: 272_000,
      input: 10,
      output: 45,
    });
    expect(byName.get('gpt-5.6-sol')?.longContext).toMatchObject({ cacheRead: 1, cacheWriteOther: 12.5 });
  });

  it('has fast-mode multipliers where ccusage and the vendor apply one', () => {
    const fast = Object.fromEntries(
      table.models.filter((m) => m.fastMultiplier).map((m) => [m.name, m.fastMultiplier]),
    );
    expect(fast).toEqual({
      'claude-opus-5': 2,
      'claude-opus-4-8': 2,
      'claude-opus-4-7': 6,
      'claude-opus-4-6': 6,
      'gpt-5.3-codex': 2,
      'gpt-5.4': 2,
      'gpt-5.5': 2.5,
    });
  });

  it('charges US-only inference 1.1× on Claude 4.6 and later only', () => {
    const geo = table.models.filter((m) => m.inferenceGeoMultipliers.us === 1.1).map((m) => m.name);
    expect(geo.sort()).toEqual(
      [
        'claude-fable-5',
        'claude-mythos-5',
        'claude-opus-5',
        'claude-opus-4-8',
        'claude-opus-4-7',
        'claude-opus-4-6',
        'claude-sonnet-5',
        'claude-sonnet-4-6',
      ].sort(),
    );
  });

  it('marks every entry with a dated or explicitly undated source and a quality', () => {
    for (const m of table.models) {
      expect(m.source, m.name).not.toBeNull();
      expect(['primary', 'secondary', 'uncertain'], m.name).toContain(m.quality);
    }
    expect(byName.get('claude-opus-4-8')?.quality).toBe('primary');
    expect(byName.get('gpt-5.1')?.quality).toBe('uncertain');
    expect(byName.get('gemini-2.5-pro')?.quality).toBe('secondary');
  });
});

describe('parsePriceTable', () => {
  const clone = () =>
    structuredClone(bundledJson) as unknown as Record<string, Record<string, Record<string, unknown>>>;

  it('rejects an entry citing an unknown source', () => {
    const doc = clone();
    doc.models!['gpt-5']!.source = 'nowhere';
    expect(() => parsePriceTable(doc)).toThrow(/unknown source/);
  });

  it('rejects a negative price and an unknown field', () => {
    const negative = clone();
    negative.models!['gpt-5']!.input = -1;
    expect(() => parsePriceTable(negative)).toThrow();
    const typo = clone();
    typo.models!['gpt-5']!.ouput = 1;
    expect(() => parsePriceTable(typo)).toThrow();
  });

  it('hashes content, not formatting or key order', () => {
    const reordered = JSON.parse(canonicalJson(bundledJson)) as unknown;
    expect(parsePriceTable(reordered).hash).toBe(table.hash);
  });
});

describe('fillRates', () => {
  it('derives Anthropic cache prices from input', () => {
    expect(fillRates('anthropic', { input: 3, output: 15 })).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      cacheWriteOther: 3.75,
    });
  });

  it('bills OpenAI cache writes as input unless a write price exists', () => {
    expect(fillRates('openai', { input: 2, output: 8 })).toMatchObject({
      cacheRead: 0.2,
      cacheWriteOther: 2,
    });
    expect(fillRates('openai', { input: 2, output: 8, cacheWriteOther: 2.5 })).toMatchObject({
      cacheWrite5m: 2.5,
    });
  });

  it('assumes no cache discount for an unknown vendor', () => {
    expect(fillRates('other', { input: 1, output: 2 })).toMatchObject({ cacheRead: 1, cacheWrite1h: 1 });
  });
});
