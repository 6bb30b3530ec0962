/**
 * Bearer-token authentication. OTel exporters send the token via
 * `OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>"`. A user token's person is resolved
 * through the people directory once per request, so a token may name a person by any alias.
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import type { TokenTable } from '../auth/tokens.js';
import type { AppEnv, ServerContext } from '../context.js';
import { problem } from './problem.js';

export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function authenticate(ctx: ServerContext, tokens: TokenTable): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerOf(c.req.header('authorization'));
    if (!token)
      return problem(
        c,
        401,
        'unauthenticated',
        'Send a token: "Authorization: Bearer <token>" (tokenyield token create).',
        {
          'WWW-Authenticate': 'Bearer realm="tokenyield"',
        },
      );
    const principal = tokens.principal(token);
    if (!principal)
      return problem(
        c,
        401,
        'unauthenticated',
        'The token is not known to this server (revoked, mistyped, or from another server).',
        {
          'WWW-Authenticate': 'Bearer realm="tokenyield", error="invalid_token"',
        },
      );
    if (principal.kind === 'user' && principal.personId) {
      const directory = ctx.directory();
      const id = principal.personId;
      const person = directory.person(id) ?? directory.resolve(id);
      principal.personId = person?.id ?? id.toLowerCase();
    }
    c.set('principal', principal);
    await next();
  };
}
