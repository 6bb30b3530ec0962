/**
 * The cost of one usage record under a price book.
 * @module
 */
import type { CostBasis, TokenBuckets } from '../records.js';
import type { PricingRow } from '../store/store.js';
import type { PriceBook, ResolvedModel } from './book.js';
import { type ModelPrice, type Rates, roundPrice } from './table.js';

export interface PriceResult {
  /** Null when no price is known; never a silent 0. */
  costUsd: number | null;
  costBasis: CostBasis;
  /** The book version a computed cost used; null when the cost did not come from the book. */
  priceVersion: string | null;
}

/** Every prompt token, cached or not: what long-context thresholds are measured against. */
export function promptTokens(t: TokenBuckets): number {
  return t.inputUncached + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h + t.cacheWriteOther;
}

/**
 * Prices one record. A long-context tier reprices the whole request once the prompt exceeds its
 * threshold (the vendors' rule; ccusage instead tiers only the part of each bucket above 200K, see
 * README). Fast mode, data residency, Bedrock regional profiles and batch/flex tiers multiply the
 * token cost; web searches are a flat fee on top; a negotiated discount applies to the total.
 * A model without a price yields the cost the tool reported, if any, else `unpriced`.
 */
export function priceUsage(book: PriceBook, row: PricingRow): PriceResult {
  const resolved = row.model === null ? undefined : book.resolve(row.model);
  if (!resolved) {
    return row.reportedCostUsd !== null && Number.isFinite(row.reportedCostUsd)
      ? { costUsd: row.reportedCostUsd, costBasis: 'reported', priceVersion: null }
      : { costUsd: null, costBasis: 'unpriced', priceVersion: null };
  }
  const { price } = resolved;
  const searchUsd =
    price.webSearchPer1000 === null ? 0 : (row.webSearchRequests * price.webSearchPer1000) / 1000;
  const discount = 1 - book.discountPercent(price) / 100;
  return {
    costUsd: roundPrice((listTokenUsd(resolved, row) + searchUsd) * discount),
    costBasis: 'computed',
    priceVersion: book.version,
  };
}

/** The tokens' cost at list price: tier and multipliers applied, no fees, discount or rounding. */
function listTokenUsd(resolved: ResolvedModel, row: PricingRow, t: TokenBuckets = row.tokens): number {
  const { price, bedrockGeo } = resolved;
  const rates: Rates =
    price.longContext && promptTokens(t) > price.longContext.thresholdTokens ? price.longContext : price;
  const tokenUsd =
    (t.inputUncached * rates.input +
      t.cacheRead * rates.cacheRead +
      t.cacheWrite5m * rates.cacheWrite5m +
      t.cacheWrite1h * rates.cacheWrite1h +
      t.cacheWriteOther * rates.cacheWriteOther +
      t.output * rates.output) /
    1e6;
  return tokenUsd * tokenMultiplier(price, row, resolved.fast, bedrockGeo);
}

/** How far from a whole token the recovered 1-hour count may be and still be believed. */
const SPLIT_TOLERANCE_TOKENS = 0.05;

/**
 * Recovers the TTL split of cache writes that telemetry reports as one number (Claude Code's OTel
 * `cache_creation_tokens`) from the cost the client reported beside it, which was computed from
 * the API's own split. Cost is linear in the 1-hour share, so the share is exact whenever the
 * client priced the call at the list prices this book holds: the solution is then a whole number
 * of tokens between 0 and all the writes (the real Claude Code capture recovers its 694 1-hour
 * tokens exactly). Anything else — a price override, a web-search fee, a model the client prices
 * differently — leaves the writes unsplit, billed at the 5-minute rate as before.
 */
export function splitCacheWritesByReportedCost<R extends PricingRow>(book: PriceBook, row: R): R {
  const t = row.tokens;
  const reported = row.reportedCostUsd;
  if (t.cacheWrite5m <= 0 || t.cacheWrite1h !== 0 || reported === null || !Number.isFinite(reported))
    return row;
  const resolved = row.model === null ? undefined : book.resolve(row.model);
  if (!resolved) return row;
  const all5m = listTokenUsd(resolved, row);
  const all1h = listTokenUsd(resolved, row, { ...t, cacheWrite5m: 0, cacheWrite1h: t.cacheWrite5m });
  const perToken = (all1h - all5m) / t.cacheWrite5m;
  if (!(perToken > 0)) return row;
  const exact = (reported - all5m) / perToken;
  const oneHour = Math.round(exact);
  if (Math.abs(exact - oneHour) > SPLIT_TOLERANCE_TOKENS || oneHour < 0 || oneHour > t.cacheWrite5m)
    return row;
  if (oneHour === 0) return row;
  return { ...row, tokens: { ...t, cacheWrite5m: t.cacheWrite5m - oneHour, cacheWrite1h: oneHour } };
}

function tokenMultiplier(
  price: ModelPrice,
  row: PricingRow,
  fastName: boolean,
  bedrockGeo: string | null,
): number {
  let m = 1;
  if ((row.speed === 'fast' || fastName) && price.fastMultiplier !== null) m *= price.fastMultiplier;
  if (row.inferenceGeo) m *= price.inferenceGeoMultipliers[row.inferenceGeo.toLowerCase()] ?? 1;
  // `global.` profiles are the base price; `us.`, `eu.` … route within a region at a premium.
  if (bedrockGeo !== null && bedrockGeo !== 'global' && price.regionalEndpointMultiplier !== null) {
    m *= price.regionalEndpointMultiplier;
  }
  if (row.serviceTier) m *= price.serviceTierMultipliers[row.serviceTier.toLowerCase()] ?? 1;
  return m;
}
