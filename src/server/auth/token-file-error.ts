/**
 * The tokens file's error, apart from tokens.ts and its zod schema so that the CLI's error handler
 * loads without them.
 * @module
 */
export class TokenFileError extends Error {
  override name = 'TokenFileError';
}
