/**
 * The OTLP/HTTP receiver: `POST /v1/logs` and `/v1/metrics`, JSON or protobuf, optionally gzip.
 * Answers follow the OTLP spec: 200 with a partial-success body naming what was rejected (the
 * client must not retry those), 400 for a body that is not an export request (permanent), 429 and
 * 503 with Retry-After when the server cannot commit now (the exporter retries). 200 is sent only
 * after the records are durable: committed to the ledger, or synced to the ingest journal.
 * @module
 */
import type { Hono } from 'hono';
import { encodeOtlpResponse } from '../../sources/otel/index.js';
import { type OtelMapResult, OtlpDecodeError, type OtlpSignal } from '../../sources/otel/types.js';
import { canIngest } from '../auth/principal.js';
import type { AppEnv, ServerContext } from '../context.js';
import { recordsOf } from '../ingest/otlp-records.js';
import { bodyOrProblem, otlpEncodingOf, problem, writeFailure } from './problem.js';

function summarize(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([why, n]) => `${n} × ${why}`)
    .join('; ');
}

export function mountOtlp(app: Hono<AppEnv>, ctx: ServerContext): void {
  for (const signal of ['logs', 'metrics'] as const satisfies readonly OtlpSignal[]) {
    app.post(`/v1/${signal}`, async (c) => {
      if (!canIngest(c.get('principal')))
        return problem(c, 403, 'forbidden', 'This token may not send telemetry; use an ingest token.');
      const encoding = otlpEncodingOf(c.req.header('content-type'));
      if (!encoding)
        return problem(
          c,
          415,
          'unsupported_media_type',
          'Send OTLP as application/json or application/x-protobuf.',
        );
      const body = await bodyOrProblem(c, ctx.settings.maxBodyBytes);
      if (body instanceof Response) return body;
      const request = { signal, encoding, body };
      let mapped: OtelMapResult;
      try {
        mapped = await ctx.mapper.map(request);
      } catch (err) {
        if (err instanceof OtlpDecodeError) {
          ctx.metrics.records.inc({ signal, outcome: 'malformed' });
          return problem(c, 400, 'malformed_otlp', `Not an OTLP ${signal} export request: ${err.message}`);
        }
        throw err;
      }
      const batch = recordsOf(mapped, ctx.directory(), ctx.priceBook);
      if (batch.usage.length + batch.activity.length > 0) {
        try {
          await ctx.writer.accept(batch, request);
        } catch (err) {
          return writeFailure(c, err);
        }
      }
      const rejected = Object.values(mapped.rejected).reduce((a, b) => a + b, 0);
      const ignored = Object.values(mapped.ignored).reduce((a, b) => a + b, 0);
      ctx.metrics.records.inc({ signal, outcome: 'accepted' }, mapped.items - rejected - ignored);
      if (rejected) ctx.metrics.records.inc({ signal, outcome: 'rejected' }, rejected);
      if (ignored) ctx.metrics.records.inc({ signal, outcome: 'ignored' }, ignored);
      const message = rejected ? `rejected: ${summarize(mapped.rejected)}` : undefined;
      const payload = encodeOtlpResponse(signal, encoding, rejected, message);
      return c.body(payload as never, 200, {
        'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      });
    });
  }
}
