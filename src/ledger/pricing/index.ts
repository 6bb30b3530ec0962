export { type PriceBook, priceBookFor, type ResolvedModel, resolveModelPrice } from './book.js';
export {
  createPriceBook,
  type ParsedPricingConfig,
  type PriceOverride,
  type PricingConfig,
  PricingConfigError,
  parsePricingConfig,
  pricingConfigSchema,
} from './config.js';
export { type PriceResult, priceUsage, promptTokens, splitCacheWritesByReportedCost } from './cost.js';
export { listPrices, type PriceListing } from './listing.js';
export { type ParsedModelName, parseModelName } from './resolve.js';
export {
  bundledPriceTable,
  type LongContextTier,
  type ModelPrice,
  type PriceQuality,
  type PriceSource,
  type PriceTable,
  type Rates,
} from './table.js';
export { parsePriceTable } from './table-schema.js';
