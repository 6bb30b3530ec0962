/**
 * The bundled price table (`prices.json`, USD per million tokens): its schema, and the vendor rules
 * that fill in rates a vendor derives from the input price, so pricing code never meets a missing rate.
 * @module
 */
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

export type PartialRates = Pick<Rates, 'input' | 'output'> & Partial<Rates>;

/** A long-context tier as `prices.json` writes it: cache rates it leaves out scale with input. */
export interface TierDocument extends PartialRates {
  thresholdTokens: number;
  rule?: 'whole_request';
}

/** One model of `prices.json`. */
export interface ModelDocument extends PartialRates {
  provider: Provider;
  aliases?: string[];
  longContext?: TierDocument;
  fastMultiplier?: number;
  inferenceGeoMultipliers?: Record<string, number>;
  regionalEndpointMultiplier?: number;
  source: string;
  quality: PriceQuality;
  note?: string;
}

/** `prices.json` as table-schema.ts checks it. */
export interface PriceTableDocument {
  version: string;
  currency: 'USD';
  unit: 'per_million_tokens';
  sources: Record<string, Omit<PriceSource, 'id'>>;
  providers: Partial<
    Record<
      Provider,
      { serviceTierMultipliers: Record<string, number>; webSearchPer1000?: number; source: string }
    >
  >;
  models: Record<string, ModelDocument>;
}

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
export function fillTier(base: Rates, tier: TierDocument): LongContextTier {
  const factor = base.input > 0 ? tier.input / base.input : 1;
  return {
    thresholdTokens: tier.thresholdTokens,
    rule: tier.rule ?? 'whole_request',
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

/**
 * Resolves every rate of a checked price table document (see table-schema.ts); `raw` is the
 * document as read, whose hash identifies the table.
 */
export function buildPriceTable(doc: PriceTableDocument, raw: unknown = doc): PriceTable {
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

/**
 * The table shipped with tokenyield, built once. It is not checked here: table.test.ts checks it
 * against the schema, and skipping zod keeps it off every command's start-up.
 */
export function bundledPriceTable(): PriceTable {
  bundled ??= buildPriceTable(bundledJson as PriceTableDocument);
  return bundled;
}
