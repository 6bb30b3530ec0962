/**
 * The part every webhook shares: refuse when no secret is configured, read the body within the
 * limit, check its signature, and only then look at it. Nothing about an unsigned request is
 * parsed or stored.
 * @module
 */
import type { Context } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { bodyOrProblem, problem } from '../http/problem.js';
import { validDeliveryId } from './deliveries.js';
import { signatureMatches } from './signature.js';

export interface WebhookSpec {
  /** For messages: `GitHub`, `Deployment`. */
  name: string;
  secret: (ctx: ServerContext) => string | null;
  /** Where an operator sets the secret, for the 503 message. */
  secretHint: string;
  signatureHeader: string;
  deliveryHeader: string;
}

export type SignedRequest = { ok: true; body: Uint8Array } | { ok: false; response: Response };

export async function readSignedBody(
  c: Context<AppEnv>,
  ctx: ServerContext,
  spec: WebhookSpec,
): Promise<SignedRequest> {
  const secret = spec.secret(ctx);
  if (!secret)
    return {
      ok: false,
      response: problem(
        c,
        503,
        'webhook_not_configured',
        `${spec.name} webhooks are off: no secret is configured (${spec.secretHint}).`,
      ),
    };
  const body = await bodyOrProblem(c, ctx.settings.maxBodyBytes);
  if (body instanceof Response) return { ok: false, response: body };
  if (!signatureMatches(body, secret, c.req.header(spec.signatureHeader)))
    return {
      ok: false,
      response: problem(
        c,
        401,
        'bad_signature',
        `${spec.signatureHeader} is missing or does not match the body: sign it as "sha256=" + HMAC-SHA256(body, secret) in hex, with the secret this server is configured with.`,
      ),
    };
  return { ok: true, body };
}

/** The delivery id header, or the 400 answer when it is missing or unusable. */
export function deliveryId(
  c: Context<AppEnv>,
  spec: WebhookSpec,
): { ok: true; id: string } | { ok: false; response: Response } {
  const id = c.req.header(spec.deliveryHeader)?.trim();
  if (validDeliveryId(id)) return { ok: true, id };
  return {
    ok: false,
    response: problem(
      c,
      400,
      'missing_delivery_id',
      `Send ${spec.deliveryHeader}: a unique id per delivery (up to 200 printable characters, no spaces), so that a retried delivery is not stored twice.`,
    ),
  };
}

export function parseJson(
  c: Context<AppEnv>,
  body: Uint8Array,
): { ok: true; value: unknown } | { ok: false; response: Response } {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(body).toString('utf8')) };
  } catch (err) {
    return {
      ok: false,
      response: problem(c, 400, 'malformed_json', `The body is not valid JSON: ${(err as Error).message}`),
    };
  }
}
