/**
 * Error answers. Every refusal says what was wrong in one sentence a person can act on; none
 * carries a stack trace. Overload and shutdown say when to come back (`Retry-After`).
 * @module
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { encodeOtlpStatus, type OtlpEncoding } from '../../sources/otel/index.js';
import { OverloadedError, ShuttingDownError } from '../ingest/writer.js';
import { BodyError, readBody } from './body.js';

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
  // OTLP exporters expect a google.rpc.Status in the encoding they sent.
  if (c.req.path.startsWith('/v1/')) {
    const encoding = otlpEncodingOf(c.req.header('content-type')) ?? 'json';
    const type = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
    return c.body(encodeOtlpStatus(encoding, status, message) as never, status, {
      ...headers,
      'content-type': type,
    });
  }
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

/** The OTLP encoding a Content-Type names, if any. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return undefined;
}

/** The request's body within `limit` (see body.ts), or the error answer to send instead. */
export async function bodyOrProblem(c: Context, limit: number): Promise<Uint8Array | Response> {
  try {
    return await readBody(c.req.raw, limit);
  } catch (err) {
    if (err instanceof BodyError) return problem(c, err.status, 'bad_body', err.message);
    throw err;
  }
}
