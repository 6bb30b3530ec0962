/**
 * Push from laptops (`tokenyield push`): the laptop runs the same incremental reader as
 * `tokenyield ingest` against this server instead of a local ledger.
 *
 * - `GET  /api/v1/push`              what the client needs first: body limit, attribution.
 * - `GET  /api/v1/push/checkpoints`  `?source=` — where this token's reads stopped, per file.
 * - `POST /api/v1/push`              drafts + the checkpoints they complete (wire.ts).
 *
 * A push commits its records and its checkpoints in one transaction (`alone`, so the counts it
 * answers are its own), so a client killed at any point re-sends from the last committed
 * checkpoint and, records being keyed by id, counts nothing twice.
 * @module
 */
import type { Context, Hono } from 'hono';
import type { FileCheckpoint, WriteBatch } from '../../ledger/store/store.js';
import { describeZodError } from '../../sources/github/api-schema.js';
import type { AppEnv, ServerContext } from '../context.js';
import { bodyOrProblem, problem, writeFailure } from '../http/problem.js';
import { activityRecord, usageRecord } from '../ingest/normalize.js';
import { type PushScope, pushScope } from './attribution.js';
import { PUSHABLE_SOURCES, type PushInfo, type PushRequest, pushRequestSchema } from './wire.js';

function scopeOf(c: Context<AppEnv>): PushScope | Response {
  const scope = pushScope(c.get('principal'));
  return (
    scope ??
    problem(
      c,
      403,
      'forbidden',
      'This token may not push usage; use an ingest token or your own engineer token.',
    )
  );
}

function toServerBatch(request: PushRequest, scope: PushScope, ctx: ServerContext): WriteBatch {
  const person = scope.resolver(ctx.directory());
  const rawIdentity = request.identity;
  const at = (origin: string) => `${scope.prefix}${origin}`;
  return {
    usage: request.usage.map((draft) =>
      usageRecord({ draft: { ...draft, origin: at(draft.origin) }, rawIdentity }, person, ctx.priceBook),
    ),
    activity: request.activity.map((draft) =>
      activityRecord({ draft: { ...draft, origin: at(draft.origin) }, rawIdentity }, person),
    ),
    checkpoints: request.checkpoints.map((cp) => ({ ...cp, path: at(cp.path) })),
    replaceOrigins: request.replaceOrigins.map(at),
  };
}

export function mountPush(app: Hono<AppEnv>, ctx: ServerContext): void {
  app.get('/api/v1/push', (c) => {
    const scope = scopeOf(c);
    if (scope instanceof Response) return scope;
    const info: PushInfo = {
      engine: ctx.store.engine,
      maxBodyBytes: ctx.settings.maxBodyBytes,
      attributedTo: scope.attributedTo,
      sources: [...PUSHABLE_SOURCES],
    };
    return c.json(info);
  });

  app.get('/api/v1/push/checkpoints', async (c) => {
    const scope = scopeOf(c);
    if (scope instanceof Response) return scope;
    const source = c.req.query('source');
    const known = PUSHABLE_SOURCES.find((s) => s === source);
    if (!known)
      return problem(
        c,
        400,
        'bad_source',
        `source: expected one of ${PUSHABLE_SOURCES.join(', ')}; got "${source ?? ''}".`,
      );
    const checkpoints: FileCheckpoint[] = [];
    for (const [path, cp] of await ctx.store.checkpoints(known)) {
      if (path.startsWith(scope.prefix)) checkpoints.push({ ...cp, path: path.slice(scope.prefix.length) });
    }
    return c.json({ source: known, checkpoints });
  });

  app.post('/api/v1/push', async (c) => {
    const scope = scopeOf(c);
    if (scope instanceof Response) return scope;
    const body = await bodyOrProblem(c, ctx.settings.maxBodyBytes);
    if (body instanceof Response) return body;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch (err) {
      return problem(c, 400, 'malformed_json', `The body is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = pushRequestSchema.safeParse(json);
    if (!parsed.success)
      return problem(
        c,
        400,
        'invalid_push',
        `Nothing was stored: ${describeZodError('push', parsed.error)}.`,
      );
    try {
      return c.json(await ctx.writer.write(toServerBatch(parsed.data, scope, ctx), { alone: true }));
    } catch (err) {
      return writeFailure(c, err);
    }
  });
}
