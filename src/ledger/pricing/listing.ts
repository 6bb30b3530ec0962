/**
 * The price book as rows, for `tokenyield prices`: what each model costs and where that number
 * comes from, so a user can check a price before trusting a report built on it.
 * @module
 */
import type { Provider } from '../records.js';
import type { PriceBook } from './book.js';
import type { LongContextTier, PriceQuality } from './table.js';

export interface PriceListing {
  model: string;
  provider: Provider;
  aliases: readonly string[];
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheWriteOther: number;
  longContext: LongContextTier | null;
  fastMultiplier: number | null;
  /** Percent off from the config's discounts (0 when none applies). */
  discountPercent: number;
  origin: 'table' | 'override';
  /** Source title; `config` for overrides. */
  source: string;
  url: string | null;
  date: string | null;
  quality: PriceQuality | null;
  note: string | null;
}

export function listPrices(book: PriceBook): PriceListing[] {
  return [...book.models.values()].map((p) => ({
    model: p.name,
    provider: p.provider,
    aliases: p.aliases,
    input: p.input,
    output: p.output,
    cacheRead: p.cacheRead,
    cacheWrite5m: p.cacheWrite5m,
    cacheWrite1h: p.cacheWrite1h,
    cacheWriteOther: p.cacheWriteOther,
    longContext: p.longContext,
    fastMultiplier: p.fastMultiplier,
    discountPercent: book.discountPercent(p),
    origin: p.origin,
    source: p.source?.title ?? 'config',
    url: p.source?.url ?? null,
    date: p.source?.date ?? null,
    quality: p.quality,
    note: p.note,
  }));
}
