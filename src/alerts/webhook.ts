/**
 * The generic webhook: the `AlertEvent` as JSON, signed with HMAC-SHA256 over
 * `${timestamp}.${body}` so a receiver can both authenticate it and refuse an old one replayed,
 * with the event key as a stable delivery id so a retried delivery can be dropped.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertChannel } from './channel.js';
import type { WebhookChannelConfig } from './config.js';
import type { AlertEvent } from './event.js';
import { postJson } from './http.js';

export const SIGNATURE_HEADER = 'X-Tokenyield-Signature';
export const TIMESTAMP_HEADER = 'X-Tokenyield-Timestamp';
export const DELIVERY_HEADER = 'X-Tokenyield-Delivery';
export const EVENT_HEADER = 'X-Tokenyield-Event';

/** `sha256=<hex>` of HMAC-SHA256 over `${timestamp}.${body}`; timestamp in Unix seconds. */
export function signAlertPayload(body: string, timestamp: number, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature and compare in constant time, and refuse a
 * timestamp more than `toleranceSeconds` from its own clock.
 */
export function verifyAlertSignature(input: {
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  secret: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { body, timestamp, signature, secret, nowSeconds, toleranceSeconds = 300 } = input;
  if (!timestamp || !/^\d+$/.test(timestamp) || !signature) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signAlertPayload(body, Number(timestamp), secret));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Header values must be printable ASCII; anything else in a key is percent-encoded. */
export function deliveryId(key: string): string {
  return key.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

export function createWebhookChannel(
  config: WebhookChannelConfig & { secret: string },
  fetchFn: typeof fetch,
): AlertChannel {
  return {
    name: config.name,
    type: 'webhook',
    budgets: config.budgets,
    async send(event: AlertEvent, { now }) {
      const body = JSON.stringify(event);
      // Signed per attempt: a retry hours later must still pass the receiver's freshness check.
      const timestamp = Math.floor(now / 1000);
      await postJson(
        fetchFn,
        config.url,
        body,
        {
          ...config.headers,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signAlertPayload(body, timestamp, config.secret),
          [DELIVERY_HEADER]: deliveryId(event.key),
          [EVENT_HEADER]: `budget.${event.kind}`,
        },
        now,
      );
      return {};
    },
  };
}
