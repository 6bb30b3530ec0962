/**
 * The bundled price table (`prices.json`, USD per million tokens): its schema, and the vendor rules
 * that fill in rates a vendor derives from the input price, so pricing code never meets a missing rate.
 * @module
 */
import { z } from 'zod';
import { shortHash } from '../ids.js';
import type { Provider } from '../records.js';
import bundledJson from './prices.json' with { type: 'json' };

export type PriceQuality = 'primary' | 'secondary' | 'uncertain';

/** Rates in USD per million tokens, one per canonical token bucket. */
export interface Rates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheWriteOther: number;
}

/** Rates that replace the base rates for the whole request once its prompt exceeds the threshold. */
export interface LongContextTier extends Rates {
  thresholdTokens: number;
  rule: 'whole_request';
}

export interface PriceSource {
  id: string;
  title: string;
  url: string | null;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: only as precise as the source itself. */
  date: string | null;
  quality: PriceQuality;
}

/** One priced model with every rate and modifier resolved. */
export interface ModelPrice extends Rates {
  name: string;
  provider: Provider;
  aliases: readonly string[];
  longContext: LongContextTier | null;
  fastMultiplier: number | null;
  /** Keyed by `inference_geo` value (`us`); applies to token prices only. */
  inferenceGeoMultipliers: Readonly<Record<string, number>>;
  /** Premium of a geographic Bedrock inference profile (`us.`, `eu.` …) over `global.`. */
  regionalEndpointMultiplier: number | null;
  serviceTierMultipliers: Readonly<Record<string, number>>;
  webSearchPer1000: number | null;
  origin: 'table' | 'override';
  /** Null for prices that come from the user's config. */
  source: PriceSource | null;
  quality: PriceQuality | null;
  note: string | null;
}

export interface PriceTable {
  /** Date of the newest price in the table, `YYYY-MM-DD`. */
  version: string;
  /** First 8 hex digits of the SHA-256 of the table's canonical JSON. */
  hash: string;
  models: readonly ModelPrice[];
  sources: ReadonlyMap<string, PriceSource>;
  /** Per-provider modifiers, also applied to models the config adds. */
  providers: ReadonlyMap<Provider, ProviderModifiers>;
}

export interface ProviderModifiers {
  serviceTierMultipliers: Readonly<Record<string, number>>;
  webSearchPer1000: number | null;
}

export const providerSchema = z.enum(['anthropic', 'openai', 'google', 'other']);
const qualitySchema = z.enum(['primary', 'secondary', 'uncertain']);
export const rateSchema = z.number().nonnegative();
export const multiplierSchema = z.number().positive();

const cacheRateFields = {
  cacheRead: rateSchema.optional(),
  cacheWrite5m: rateSchema.optional(),
  cacheWrite1h: rateSchema.optional(),
  cacheWriteOther: rateSchema.optional(),
};

export const longContextSchema = z.strictObject({
  thresholdTokens: z.int().positive(),
  rule: z.literal('whole_request').default('whole_request'),
  input: rateSchema,
  output: rateSchema,
  ...cacheRateFields,
});

export type PartialRates = Pick<Rates, 'input' | 'output'> & Partial<Rates>;

const entrySchema = z.strictObject({
  provider: providerSchema,
  aliases: z.array(z.string().min(1)).optional(),
  input: rateSchema,
  output: rateSchema,
  ...cacheRateFields,
  longContext: longContextSchema.optional(),
  fastMultiplier: multiplierSchema.optional(),
  inferenceGeoMultipliers: z.record(z.string(), multiplierSchema).optional(),
  regionalEndpointMultiplier: multiplierSchema.optional(),
  source: z.string(),
  quality: qualitySchema,
  note: z.string().optional(),
});

const tableSchema = z
  .strictObject({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    currency: z.literal('USD'),
    unit: z.literal('per_million_tokens'),
    sources: z.record(
      z.string(),
      z.strictObject({
        title: z.string(),
        url: z.string().nullable(),
        date: z
          .string()
          .regex(/^\d{4}(-\d{2}){0,2}$/)
          .nullable(),
        quality: qualitySchema,
      }),
    ),
    providers: z.partialRecord(
      providerSchema,
      z.strictObject({
        serviceTierMultipliers: z.record(z.string(), multiplierSchema),
        webSearchPer1000: rateSchema.optional(),
        source: z.string(),
      }),
    ),
    models: z.record(z.string().min(1), entrySchema),
  })
  .superRefine((table, ctx) => {
    const cited = [
      ...Object.entries(table.models).map(([name, e]) => [['models', name], e.source] as const),
      ...Object.entries(table.providers).map(([name, p]) => [['providers', name], p?.source] as const),
    ];
    for (const [path, source] of cited) {
      if (source === undefined || !(source in table.sources)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'source'], message: `unknown source "${source}"` });
      }
    }
  });

/** Trims float noise (0.1 × 3 = 0.30000000000000004) without touching any real price digit. */
export function roundPrice(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * Completes a model's rates with its vendor's rule for the ones it did not list. Anthropic derives
 * cache prices from input (5m 1.25×, 1h 2×, read 0.1×); OpenAI and Google discount reads to 0.1×
 * and bill cache writes as ordinary input unless a write price exists (GPT-5.6+). For any other
 * vendor nothing is assumed: cached tokens cost what input costs.
 */
export function fillRates(provider: Provider, r: PartialRates): Rates {
  const { input, output } = r;
  let rates: Rates;
  if (provider === 'anthropic') {
    const cacheWrite5m = r.cacheWrite5m ?? input * 1.25;
    rates = {
      input,
      output,
      cacheRead: r.cacheRead ?? input * 0.1,
      cacheWrite5m,
      cacheWrite1h: r.cacheWrite1h ?? input * 2,
      // Anthropic's default TTL is 5 minutes, so a write of unknown TTL is most likely that.
      cacheWriteOther: r.cacheWriteOther ?? cacheWrite5m,
    };
  } else {
    const write = r.cacheWriteOther ?? input;
    rates = {
      input,
      output,
      cacheRead: r.cacheRead ?? (provider === 'other' ? input : input * 0.1),
      cacheWrite5m: r.cacheWrite5m ?? write,
      cacheWrite1h: r.cacheWrite1h ?? write,
      cacheWriteOther: write,
    };
  }
  return roundRates(rates);
}

/** Tier cache rates the source did not list scale with the tier's input premium ("same factors"). */
export function fillTier(base: Rates, tier: z.output<typeof longContextSchema>): LongContextTier {
  const factor = base.input > 0 ? tier.input / base.input : 1;
  return {
    thresholdTokens: tier.thresholdTokens,
    rule: tier.rule,
    ...roundRates({
      input: tier.input,
      output: tier.output,
      cacheRead: tier.cacheRead ?? base.cacheRead * factor,
      cacheWrite5m: tier.cacheWrite5m ?? base.cacheWrite5m * factor,
      cacheWrite1h: tier.cacheWrite1h ?? base.cacheWrite1h * factor,
      cacheWriteOther: tier.cacheWriteOther ?? base.cacheWriteOther * factor,
    }),
  };
}

export const RATE_KEYS = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite5m',
  'cacheWrite1h',
  'cacheWriteOther',
] as const satisfies ReadonlyArray<keyof Rates>;

export function roundRates(r: Rates): Rates {
  const out = { ...r };
  for (const k of RATE_KEYS) out[k] = roundPrice(r[k]);
  return out;
}

/** JSON with object keys sorted, so equal content hashes equally whatever its key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function contentHash(value: unknown): string {
  return shortHash(canonicalJson(value), 8);
}

/** Validates a price table document (the shape of `prices.json`) and resolves every rate. */
export function parsePriceTable(raw: unknown): PriceTable {
  const doc = tableSchema.parse(raw);
  const sources = new Map<string, PriceSource>(
    Object.entries(doc.sources).map(([id, s]) => [id, { id, ...s }]),
  );
  const providers = new Map<Provider, ProviderModifiers>();
  for (const [name, p] of Object.entries(doc.providers)) {
    if (p === undefined) continue;
    providers.set(name as Provider, {
      serviceTierMultipliers: p.serviceTierMultipliers,
      webSearchPer1000: p.webSearchPer1000 ?? null,
    });
  }
  const models = Object.entries(doc.models).map(([name, e]): ModelPrice => {
    const rates = fillRates(e.provider, e);
    const modifiers = providers.get(e.provider);
    return {
      name,
      provider: e.provider,
      aliases: e.aliases ?? [],
      ...rates,
      longContext: e.longContext ? fillTier(rates, e.longContext) : null,
      fastMultiplier: e.fastMultiplier ?? null,
      inferenceGeoMultipliers: e.inferenceGeoMultipliers ?? {},
      regionalEndpointMultiplier: e.regionalEndpointMultiplier ?? null,
      serviceTierMultipliers: modifiers?.serviceTierMultipliers ?? {},
      webSearchPer1000: modifiers?.webSearchPer1000 ?? null,
      origin: 'table',
      source: sources.get(e.source) ?? null,
      quality: e.quality,
      note: e.note ?? null,
    };
  });
  return { version: doc.version, hash: contentHash(raw), models, sources, providers };
}

let bundled: PriceTable | undefined;

/** The table shipped with tokenyield, parsed once. */
export function bundledPriceTable(): PriceTable {
  bundled ??= parsePriceTable(bundledJson);
  return bundled;
}
