/**
 * The `pricing` section of the user's config: price overrides (USD per million tokens), model
 * aliases for gateway names, and negotiated discounts.
 * @module
 */
import { z } from 'zod';
import { type PriceBook, priceBookFor } from './book.js';
import { PricingConfigError } from './errors.js';
import type { PriceTable } from './table.js';
import { longContextSchema, multiplierSchema, providerSchema, rateSchema } from './table-schema.js';

export { PricingConfigError };

const overrideSchema = z.strictObject({
  /** Needed only for a model the table lacks whose name does not say its vendor. */
  provider: providerSchema.optional(),
  input: rateSchema.optional(),
  output: rateSchema.optional(),
  cacheRead: rateSchema.optional(),
  cacheWrite5m: rateSchema.optional(),
  cacheWrite1h: rateSchema.optional(),
  cacheWriteOther: rateSchema.optional(),
  longContext: longContextSchema.optional(),
  fastMultiplier: multiplierSchema.optional(),
});

const percentSchema = z.number().min(0).max(100);

const discountSchema = z.union([
  z.strictObject({ provider: providerSchema, percent: percentSchema }),
  z.strictObject({ model: z.string().trim().min(1), percent: percentSchema }),
]);

export const pricingConfigSchema = z
  .strictObject({
    overrides: z.record(z.string().trim().min(1), overrideSchema).default({}),
    aliases: z.record(z.string().trim().min(1), z.string().trim().min(1)).default({}),
    discounts: z.array(discountSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.discounts.forEach((d, i) => {
      const key = 'model' in d ? `model ${d.model}` : `provider ${d.provider}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['discounts', i], message: `a second discount for ${key}` });
      }
      seen.add(key);
    });
  });

/** What a user writes (defaults optional). */
export type PricingConfig = z.input<typeof pricingConfigSchema>;
export type ParsedPricingConfig = z.output<typeof pricingConfigSchema>;
export type PriceOverride = z.output<typeof overrideSchema>;

export function parsePricingConfig(config: unknown): ParsedPricingConfig {
  const result = pricingConfigSchema.safeParse(config ?? {});
  if (!result.success) {
    throw new PricingConfigError(`Invalid pricing config:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Builds the price book from the bundled table (or `table`, for tests) and the user's pricing
 * config, checked here. Throws `PricingConfigError` for a config that cannot be applied as written.
 */
export function createPriceBook(config?: PricingConfig, table?: PriceTable): PriceBook {
  return priceBookFor(parsePricingConfig(config), table);
}
