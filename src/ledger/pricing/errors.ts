/**
 * The pricing config's error, apart from its zod schema so that code reporting it (the CLI's error
 * handler, the price book) loads without zod.
 * @module
 */

/** The config is wrong in a way retrying cannot fix; the message says what to change. */
export class PricingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingConfigError';
  }
}
