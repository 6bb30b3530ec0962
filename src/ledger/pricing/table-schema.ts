/**
 * The schema of a price table document (the shape of `prices.json`), for tables that come from
 * outside: a user's file, a test. The bundled table is checked by its test instead (table.ts).
 * @module
 */
import { z } from 'zod';
import { buildPriceTable, type PriceTable, type PriceTableDocument } from './table.js';

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

/** Validates a price table document and resolves every rate. */
export function parsePriceTable(raw: unknown): PriceTable {
  const doc: PriceTableDocument = tableSchema.parse(raw);
  return buildPriceTable(doc, raw);
}
