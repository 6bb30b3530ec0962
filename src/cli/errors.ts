/**
 * Errors meant for the user: printed as one message, never as a stack trace.
 * @module
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
