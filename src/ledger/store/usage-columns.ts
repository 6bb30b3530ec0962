/**
 * The usage table's token buckets (DESIGN §4), named alike in every engine's schema: what each
 * engine's usage query sums per group.
 * @module
 */
export const TOKEN_COLUMNS = [
  'input_uncached',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'cache_write_other',
  'output',
  'reasoning',
] as const;
