/**
 * A price book: the bundled table with the user's overrides, aliases and discounts applied, under
 * one version string that changes whenever any of them changes (stored costs carry it, so a
 * changed version means "re-price").
 * @module
 */
import type { Provider } from '../records.js';
import type { ParsedPricingConfig, PriceOverride } from './config.js';
import { PricingConfigError } from './errors.js';
import { modelKey, parseModelName } from './resolve.js';
import {
  bundledPriceTable,
  contentHash,
  fillRates,
  fillTier,
  type LongContextTier,
  type ModelPrice,
  type PriceTable,
  RATE_KEYS,
  type Rates,
  roundPrice,
  roundRates,
} from './table.js';

export interface ResolvedModel {
  price: ModelPrice;
  /** The name itself asked for fast mode (`…-fast`). */
  fast: boolean;
  bedrockGeo: string | null;
}

/** Model names (and aliases) to prices, matched through `modelKey`. */
class ModelIndex {
  readonly models = new Map<string, ModelPrice>();
  readonly #names = new Map<string, string>();
  readonly #aliases = new Map<string, string>();

  add(price: ModelPrice): void {
    for (const name of [price.name, ...price.aliases]) {
      const key = modelKey(name);
      const holder = this.#names.get(key);
      if (holder !== undefined && holder !== price.name) {
        throw new PricingConfigError(`"${name}" would name both ${holder} and ${price.name}.`);
      }
      this.#names.set(key, price.name);
    }
    this.models.set(price.name, price);
  }

  alias(alias: string, target: string): void {
    this.#aliases.set(modelKey(alias), target);
  }

  /**
   * Config aliases first (they exist to redirect names), then models. The name exactly as written
   * is tried before parsing, so an alias may be any string, slashes included.
   */
  resolve(model: string, useAliases = true): ResolvedModel | undefined {
    const indexes = useAliases ? [this.#aliases, this.#names] : [this.#names];
    for (const index of indexes) {
      const price = this.#get(index, modelKey(model));
      if (price) return { price, fast: false, bedrockGeo: null };
    }
    const parsed = parseModelName(model);
    if (!parsed) return undefined;
    for (const index of indexes) {
      for (const candidate of parsed.candidates) {
        const price = this.#get(index, modelKey(candidate));
        if (price) return { price, fast: parsed.fast, bedrockGeo: parsed.bedrockGeo };
      }
    }
    return undefined;
  }

  #get(index: Map<string, string>, key: string): ModelPrice | undefined {
    const name = index.get(key);
    return name === undefined ? undefined : this.models.get(name);
  }
}

export class PriceBook {
  readonly #index: ModelIndex;
  readonly #modelDiscounts: ReadonlyMap<string, number>;
  readonly #providerDiscounts: ReadonlyMap<Provider, number>;
  /** Re-pricing a ledger resolves the same few names millions of times. */
  readonly #resolved = new Map<string, ResolvedModel | null>();

  constructor(
    /** `<table date>.<table hash>`, plus `+<config hash>` when a config changes anything. */
    readonly version: string,
    /** `<table date>.<table hash>` of the bundled (or given) table alone. */
    readonly tableVersion: string,
    index: ModelIndex,
    modelDiscounts: ReadonlyMap<string, number>,
    providerDiscounts: ReadonlyMap<Provider, number>,
  ) {
    this.#index = index;
    this.#modelDiscounts = modelDiscounts;
    this.#providerDiscounts = providerDiscounts;
  }

  /** Every priced model by its table (or override) name, in table order, config additions last. */
  get models(): ReadonlyMap<string, ModelPrice> {
    return this.#index.models;
  }

  /** Finds the price for a model name as a tool wrote it; undefined when unknown or synthetic. */
  resolve(model: string): ResolvedModel | undefined {
    let resolved = this.#resolved.get(model);
    if (resolved === undefined) {
      // Bounded so a stream of distinct junk names cannot grow it without limit.
      if (this.#resolved.size >= 10_000) this.#resolved.clear();
      resolved = this.#index.resolve(model) ?? null;
      this.#resolved.set(model, resolved);
    }
    return resolved ?? undefined;
  }

  /** Percent off a model's cost: a discount naming the model beats one naming its provider. */
  discountPercent(price: ModelPrice): number {
    return this.#modelDiscounts.get(price.name) ?? this.#providerDiscounts.get(price.provider) ?? 0;
  }
}

const NO_CONFIG: ParsedPricingConfig = { overrides: {}, aliases: {}, discounts: [] };

/**
 * Builds the price book from the bundled table (or `table`, for tests) and a pricing config already
 * checked by its schema (the config file's is; `createPriceBook` checks one that is not). Throws
 * `PricingConfigError` for a config that cannot be applied as written.
 */
export function priceBookFor(
  parsed: ParsedPricingConfig = NO_CONFIG,
  table: PriceTable = bundledPriceTable(),
): PriceBook {
  const index = new ModelIndex();
  for (const price of table.models) index.add(price);

  const overriddenBy = new Map<string, string>();
  for (const [key, override] of Object.entries(parsed.overrides)) {
    const existing = index.resolve(key, false)?.price;
    if (!existing) {
      index.add(newModel(key, override, table));
      continue;
    }
    const earlier = overriddenBy.get(existing.name);
    if (earlier !== undefined) {
      throw new PricingConfigError(
        `Overrides "${earlier}" and "${key}" both price ${existing.name}; keep one.`,
      );
    }
    overriddenBy.set(existing.name, key);
    index.models.set(existing.name, mergeOverride(existing, override, table));
  }

  for (const [alias, target] of Object.entries(parsed.aliases)) {
    const resolved = index.resolve(target, false);
    if (!resolved) {
      throw new PricingConfigError(
        `Alias "${alias}" points to "${target}", which is neither in the price table nor in overrides.`,
      );
    }
    index.alias(alias, resolved.price.name);
  }

  const modelDiscounts = new Map<string, number>();
  const providerDiscounts = new Map<Provider, number>();
  for (const discount of parsed.discounts) {
    if ('provider' in discount) {
      providerDiscounts.set(discount.provider, discount.percent);
      continue;
    }
    const resolved = index.resolve(discount.model);
    if (!resolved) {
      throw new PricingConfigError(`Discount for "${discount.model}", a model with no price to discount.`);
    }
    if (modelDiscounts.has(resolved.price.name)) {
      throw new PricingConfigError(`Two discounts apply to ${resolved.price.name}; keep one.`);
    }
    modelDiscounts.set(resolved.price.name, discount.percent);
  }

  const tableVersion = `${table.version}.${table.hash}`;
  const version = isEmpty(parsed) ? tableVersion : `${tableVersion}+${contentHash(parsed)}`;
  return new PriceBook(version, tableVersion, index, modelDiscounts, providerDiscounts);
}

/** The matched model's name, for display; undefined when the model is unknown. */
export function resolveModelPrice(book: PriceBook, model: string): string | undefined {
  return book.resolve(model)?.price.name;
}

function isEmpty(config: ParsedPricingConfig): boolean {
  return (
    Object.keys(config.overrides).length === 0 &&
    Object.keys(config.aliases).length === 0 &&
    config.discounts.length === 0
  );
}

function inferProvider(name: string): Provider {
  const n = name.toLowerCase();
  if (n.includes('claude')) return 'anthropic';
  if (n.includes('gemini')) return 'google';
  if (/(?:^|[/.])(?:gpt-|o\d|codex)/.test(n)) return 'openai';
  return 'other';
}

function newModel(name: string, override: PriceOverride, table: PriceTable): ModelPrice {
  const { input, output } = override;
  if (input === undefined || output === undefined) {
    throw new PricingConfigError(
      `Override "${name}" adds a model the price table lacks, so it must set both input and output.`,
    );
  }
  const provider = override.provider ?? inferProvider(name);
  const rates = fillRates(provider, { ...override, input, output });
  const modifiers = table.providers.get(provider);
  return {
    name,
    provider,
    aliases: [],
    ...rates,
    longContext: override.longContext ? fillTier(rates, override.longContext) : null,
    fastMultiplier: override.fastMultiplier ?? null,
    inferenceGeoMultipliers: {},
    regionalEndpointMultiplier: null,
    serviceTierMultipliers: modifiers?.serviceTierMultipliers ?? {},
    webSearchPer1000: modifiers?.webSearchPer1000 ?? null,
    origin: 'override',
    source: null,
    quality: null,
    note: null,
  };
}

/**
 * Rates the override leaves out keep the table's value, except that a new input price carries the
 * cache prices with it (they are defined as multiples of input), and the long-context tier keeps
 * its premium over whatever the base rates become.
 */
function mergeOverride(base: ModelPrice, override: PriceOverride, table: PriceTable): ModelPrice {
  const provider = override.provider ?? base.provider;
  const input = override.input ?? base.input;
  const output = override.output ?? base.output;
  let rates: Rates;
  if (override.input !== undefined && base.input === 0) {
    // A free model gives no ratio to scale from; its vendor's usual multiples of the new input apply.
    rates = fillRates(provider, { ...override, input, output });
  } else {
    const scale = input / (base.input || 1);
    rates = roundRates({
      input,
      output,
      cacheRead: override.cacheRead ?? base.cacheRead * scale,
      cacheWrite5m: override.cacheWrite5m ?? base.cacheWrite5m * scale,
      cacheWrite1h: override.cacheWrite1h ?? base.cacheWrite1h * scale,
      cacheWriteOther: override.cacheWriteOther ?? base.cacheWriteOther * scale,
    });
  }

  let longContext = base.longContext;
  if (override.longContext) longContext = fillTier(rates, override.longContext);
  else if (longContext) longContext = scaleTier(longContext, base, rates);

  const modifiers = provider === base.provider ? base : table.providers.get(provider);
  return {
    ...base,
    ...rates,
    provider,
    longContext,
    fastMultiplier: override.fastMultiplier ?? base.fastMultiplier,
    serviceTierMultipliers: modifiers?.serviceTierMultipliers ?? {},
    webSearchPer1000: modifiers?.webSearchPer1000 ?? null,
    origin: 'override',
    source: null,
    quality: null,
    note: null,
  };
}

function scaleTier(tier: LongContextTier, from: Rates, to: Rates): LongContextTier {
  const scaled: LongContextTier = { ...tier };
  for (const k of RATE_KEYS) {
    scaled[k] = from[k] > 0 ? roundPrice((tier[k] * to[k]) / from[k]) : tier[k];
  }
  return scaled;
}
