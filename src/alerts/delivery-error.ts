/**
 * How a channel says an attempt failed: a `DeliveryError` that is permanent (retrying cannot
 * help: a 4xx, a refused recipient, a bad credential) or transient (network, 5xx, 429), with the
 * delay the receiver asked for. Anything else a channel throws counts as transient.
 * @module
 */

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly permanent: boolean;
  /** The receiver's `Retry-After`, in ms, when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { permanent: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.permanent = options.permanent;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  return new DeliveryError(describeError(err), { permanent: false, cause: err });
}

/** A one-line description that keeps the cause's code (`fetch failed: ECONNREFUSED`). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause && (typeof cause.code === 'string' ? cause.code : cause.message);
  return detail && typeof detail === 'string' ? `${err.message}: ${detail}` : err.message;
}
