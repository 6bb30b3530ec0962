/**
 * Webhook signatures: `sha256=<hex>` of HMAC-SHA256 over the body with a shared secret, the
 * scheme GitHub uses (`X-Hub-Signature-256`) and tokenyield's generic webhook copies, so one
 * `openssl dgst -sha256 -hmac` line signs for either.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER_FORM = /^sha256=([0-9a-f]{64})$/i;

export function signBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is a valid signature of `body`; compared in constant time. */
export function signatureMatches(body: Uint8Array, secret: string, header: string | undefined): boolean {
  const match = HEADER_FORM.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
