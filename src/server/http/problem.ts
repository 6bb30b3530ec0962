/**
 * Error answers. Every refusal says what was wrong in one sentence a person can act on; none
 * carries a stack trace. Overload and shutdown say when to come back (`Retry-After`).
 * @module
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OverloadedError, ShuttingDownError } from '../ingest/writer.js';

export interface Problem {
  error: { status: number; code: string; message: string };
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers?: Record<string, string>,
) {
  const body: Problem = { error: { status, code, message } };
  return c.json(body, status, headers);
}

/** The answer for a write that did not commit: retryable, because nothing of it was stored. */
export function writeFailure(c: Context, error: unknown) {
  if (error instanceof OverloadedError)
    return problem(c, 429, 'overloaded', error.message, { 'Retry-After': String(error.retryAfterSeconds) });
  if (error instanceof ShuttingDownError)
    return problem(c, 503, 'shutting_down', error.message, { 'Retry-After': '5' });
  const detail = error instanceof Error ? error.message : String(error);
  return problem(
    c,
    503,
    'ledger_unavailable',
    `The ledger could not commit this request; nothing of it was stored (${detail}).`,
    {
      'Retry-After': '5',
    },
  );
}
