import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertEvent,
  closedPort,
  type HttpReceiver,
  startHttpReceiver,
} from '../../test/support/alert-receivers.js';
import { DeliveryError } from './delivery-error.js';
import { createWebhookChannel, deliveryId, signAlertPayload, verifyAlertSignature } from './webhook.js';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());

/** What a receiver written from docs/alerts.md does, with nothing from tokenyield. */
function receiverAccepts(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds: number,
) {
  const timestamp = String(headers['x-tokenyield-timestamp']);
  const given = Buffer.from(String(headers['x-tokenyield-signature']));
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  const fresh = Math.abs(nowSeconds - Number(timestamp)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

describe('createWebhookChannel', () => {
  const now = Date.UTC(2026, 3, 18, 9, 31, 7);
  const channel = () =>
    createWebhookChannel(
      {
        name: 'hook',
        type: 'webhook',
        url: `${receiver.url}/hooks/tokenyield`,
        secret,
        headers: { 'X-Api-Key': 'gw-key' },
      },
      fetch,
    );

  it('posts the event as JSON, signed over the timestamp and the body', async () => {
    const event = alertEvent();
    await channel().send(event, { now });
    const request = receiver.requests.at(-1)!;
    expect(JSON.parse(request.body)).toEqual(event);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-tokenyield-timestamp': String(Math.floor(now / 1000)),
      'x-tokenyield-delivery': event.key,
      'x-tokenyield-event': 'budget.threshold',
      'x-api-key': 'gw-key',
    });
    expect(request.headers['x-tokenyield-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(receiverAccepts(request.headers, request.body, Math.floor(now / 1000) + 2)).toBe(true);
    expect(
      receiverAccepts(request.headers, request.body.replace('32000', '3200'), Math.floor(now / 1000)),
    ).toBe(false);
  });

  it('retries stay verifiable: each attempt is signed with its own time', async () => {
    const later = now + 3 * 3600_000;
    await channel().send(alertEvent(), { now: later });
    const request = receiver.requests.at(-1)!;
    expect(receiverAccepts(request.headers, request.body, Math.floor(later / 1000))).toBe(true);
  });

  it('sorts failures: 5xx and 429 transient with Retry-After, other 4xx permanent', async () => {
    receiver.script(
      { status: 503, body: 'upstream down' },
      { status: 429, headers: { 'retry-after': '30' } },
      { status: 401, body: '{"error":"bad signature"}' },
    );
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(
        await channel()
          .send(alertEvent(), { now })
          .catch((e: unknown) => e),
      );
    expect(
      results.map((e) => e instanceof DeliveryError && [e.permanent, e.retryAfterMs, e.message]),
    ).toEqual([
      [false, undefined, 'HTTP 503: upstream down'],
      [false, 30_000, 'HTTP 429'],
      [true, undefined, 'HTTP 401: {"error":"bad signature"}'],
    ]);
  });

  it('reports a refused connection as transient', async () => {
    const port = await closedPort();
    const unreachable = createWebhookChannel(
      { name: 'hook', type: 'webhook', url: `http://127.0.0.1:${port}/`, secret },
      fetch,
    );
    await expect(unreachable.send(alertEvent(), { now })).rejects.toMatchObject({
      permanent: false,
      message: 'fetch failed: ECONNREFUSED',
    });
  });
});

describe('verifyAlertSignature', () => {
  const body = JSON.stringify(alertEvent());
  const timestamp = 1_776_504_667;
  const signature = signAlertPayload(body, timestamp, secret);
  const check = (over: Partial<Parameters<typeof verifyAlertSignature>[0]>) =>
    verifyAlertSignature({
      body,
      timestamp: String(timestamp),
      signature,
      secret,
      nowSeconds: timestamp,
      ...over,
    });

  it('accepts what was signed, within five minutes', () => {
    expect(check({})).toBe(true);
    expect(check({ nowSeconds: timestamp + 300 })).toBe(true);
  });
  it('refuses a stale or future timestamp, another body, another secret, a missing header', () => {
    expect(check({ nowSeconds: timestamp + 301 })).toBe(false);
    expect(check({ nowSeconds: timestamp - 301 })).toBe(false);
    expect(check({ body: `${body} ` })).toBe(false);
    expect(check({ secret: `${secret}x` })).toBe(false);
    expect(check({ timestamp: String(timestamp + 1), nowSeconds: timestamp })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ timestamp: 'yesterday' })).toBe(false);
  });
});

describe('deliveryId', () => {
  it('is the event key, with what a header cannot carry percent-encoded', () => {
    expect(deliveryId('payments:2026-04-01:threshold:80')).toBe('payments:2026-04-01:threshold:80');
    expect(deliveryId('équipe paie:2026-04-01:threshold:80')).toBe(
      '%C3%A9quipe%20paie:2026-04-01:threshold:80',
    );
  });
});
