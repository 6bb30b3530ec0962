import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  alertEvent,
  closedPort,
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../../test/support/alert-receivers.js';
import { openDuckDbStore } from '../ledger/store/duckdb/index.js';
import type { Store } from '../ledger/store/store.js';
import type { AlertChannelConfig } from './config.js';
import { type AlertDispatcher, type AlertDispatcherOptions, createAlertDispatcher } from './dispatcher.js';
import { AlertEventError } from './event.js';
import { journalKey } from './journal.js';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
const root = mkdtempSync(join(tmpdir(), 'tokenyield-alerts-'));
let ledgerCounter = 0;
let http: HttpReceiver;
let smtp: SmtpReceiver;

beforeAll(async () => {
  http = await startHttpReceiver();
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  await Promise.all([http.close(), smtp.close()]);
  rmSync(root, { recursive: true, force: true });
});

/** Everything opened by a test, closed after it whatever happened. */
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
  http.script();
});

async function ledger(
  path = join(root, `ledger-${++ledgerCounter}.duckdb`),
): Promise<{ store: Store; path: string }> {
  const store = await openDuckDbStore({ path });
  opened.push(store);
  return { store, path };
}

function slackChannel(path = '/slack'): AlertChannelConfig {
  return { name: 'chat', type: 'slack', url: `${http.url}${path}`, retry: { maxAttempts: 4 } };
}
function webhookChannel(path = '/hook'): AlertChannelConfig {
  return { name: 'hook', type: 'webhook', url: `${http.url}${path}`, secretEnv: 'ALERT_SECRET' };
}
function emailChannel(port = smtp.port): AlertChannelConfig {
  return {
    name: 'mail',
    type: 'email',
    host: '127.0.0.1',
    port,
    requireTLS: false,
    from: 'alerts@acme.example',
    to: ['finance@acme.example'],
    retry: { maxAttempts: 3 },
  };
}

/**
 * A clock that only moves when the dispatcher sleeps, and a record of every wait it asked for:
 * retry tests run instantly and check the delays the policy chose, not how long anything took.
 */
function fakeTime(start = Date.UTC(2026, 3, 18, 9, 30)) {
  const clock = { now: start, delays: [] as number[] };
  return {
    clock,
    options: {
      now: () => clock.now,
      sleep: async (ms: number) => {
        clock.delays.push(ms);
        clock.now += ms;
      },
      random: () => 0.5,
      env: { ALERT_SECRET: SECRET },
    } satisfies Partial<AlertDispatcherOptions>,
  };
}

function dispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const d = createAlertDispatcher(options);
  opened.push(d);
  return d;
}

function requestsTo(path: string) {
  return http.requests.filter((r) => r.path === path);
}

/** As a receiver following docs/alerts.md checks it. */
function signatureValid(request: { headers: Record<string, unknown>; body: string }): boolean {
  const timestamp = String(request.headers['x-tokenyield-timestamp']);
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`,
  );
  const given = Buffer.from(String(request.headers['x-tokenyield-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('createAlertDispatcher', () => {
  it('delivers each alert exactly once to every channel, fired twice and again after a restart', async () => {
    const { store, path } = await ledger();
    const time = fakeTime();
    const channels = [slackChannel('/once-slack'), webhookChannel('/once-hook'), emailChannel()];
    const mailsBefore = smtp.messages.length;
    const first = dispatcher({ store, channels, ...time.options });
    const event = alertEvent();

    const [a, b] = await Promise.all([
      first.fire([event, event], { awaitDelivery: true }),
      first.fire([event], { awaitDelivery: true }),
    ]);
    expect(a).toEqual({ fired: [event.key], skipped: [event.key] });
    expect(b).toEqual({ fired: [], skipped: [event.key] });
    expect(await first.fire([event])).toEqual({ fired: [], skipped: [event.key] });

    expect(requestsTo('/once-slack')).toHaveLength(1);
    expect(JSON.parse(requestsTo('/once-slack')[0]!.body).text).toContain(event.message);
    const [hook] = requestsTo('/once-hook');
    expect(JSON.parse(hook!.body)).toEqual(event);
    expect(hook!.headers['x-tokenyield-delivery']).toBe(event.key);
    expect(signatureValid(hook!)).toBe(true);
    expect(smtp.messages.length - mailsBefore).toBe(1);
    expect(smtp.messages.at(-1)!.raw).toContain('Subject: [tokenyield] Payments: 80 % of budget reached');

    await first.close();
    await store.close();
    const reopened = await ledger(path);
    const second = dispatcher({ store: reopened.store, channels, ...time.options });
    expect(
      await second.fire(
        [event, alertEvent({ threshold: 100, key: 'payments-monthly:2026-04-01:threshold:100' })],
        { awaitDelivery: true },
      ),
    ).toEqual({
      fired: ['payments-monthly:2026-04-01:threshold:100'],
      skipped: [event.key],
    });
    expect(requestsTo('/once-hook')).toHaveLength(2);
    expect(requestsTo('/once-hook').map((r) => r.headers['x-tokenyield-delivery'])).toEqual([
      event.key,
      'payments-monthly:2026-04-01:threshold:100',
    ]);
    expect(smtp.messages.length - mailsBefore).toBe(2);

    const [history] = (await second.history()).filter((r) => r.event.key === event.key);
    expect(history!.event).toEqual(event);
    expect(history!.deliveries).toEqual([
      {
        channel: 'chat',
        status: 'delivered',
        attempts: 1,
        lastAttemptAt: time.clock.now,
        deliveredAt: time.clock.now,
      },
      {
        channel: 'hook',
        status: 'delivered',
        attempts: 1,
        lastAttemptAt: time.clock.now,
        deliveredAt: time.clock.now,
      },
      {
        channel: 'mail',
        status: 'delivered',
        attempts: 1,
        lastAttemptAt: time.clock.now,
        deliveredAt: time.clock.now,
      },
    ]);
    expect(time.clock.delays).toEqual([]);
  });

  it('retries after a 503 and records every attempt', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    const start = time.clock.now;
    http.script({ status: 503, body: 'upstream down' }, { status: 502 });
    const d = dispatcher({ store, channels: [webhookChannel('/retry')], ...time.options });
    await d.fire([alertEvent()], { awaitDelivery: true });

    // random 0.5 puts each wait at three quarters of its step: 5 s, then 10 s.
    expect(time.clock.delays).toEqual([3750, 7500]);
    const deliveries = requestsTo('/retry');
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((r) => r.headers['x-tokenyield-delivery'])).size).toBe(1);
    expect(deliveries.every(signatureValid)).toBe(true);
    const [record] = await d.history();
    expect(record!.deliveries).toEqual([
      {
        channel: 'hook',
        status: 'delivered',
        attempts: 3,
        lastError: 'HTTP 502',
        lastAttemptAt: start + 11_250,
        deliveredAt: start + 11_250,
      },
    ]);
    expect(JSON.parse((await store.getMeta(journalKey(alertEvent().key)))!)).toMatchObject({
      v: 1,
      deliveries: [{ status: 'delivered', attempts: 3 }],
    });
  });

  it('waits as long as a 429’s Retry-After asks', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    http.script({ status: 429, headers: { 'retry-after': '120' } });
    const d = dispatcher({ store, channels: [slackChannel('/limited')], ...time.options });
    await d.fire([alertEvent()], { awaitDelivery: true });
    expect(time.clock.delays).toEqual([120_000]);
    expect(requestsTo('/limited')).toHaveLength(2);
    expect((await d.history())[0]!.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastError: 'HTTP 429',
    });
  });

  it('records a permanent 400 as failed without retrying', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    http.script({ status: 400, body: 'invalid_payload' });
    const d = dispatcher({ store, channels: [slackChannel('/bad')], ...time.options });
    await d.fire([alertEvent()], { awaitDelivery: true });
    expect(time.clock.delays).toEqual([]);
    expect(requestsTo('/bad')).toHaveLength(1);
    expect((await d.history())[0]!.deliveries).toEqual([
      {
        channel: 'chat',
        status: 'failed',
        attempts: 1,
        lastError: 'HTTP 400: invalid_payload',
        lastAttemptAt: time.clock.now,
      },
    ]);
  });

  it('records an unreachable SMTP host as failed after its attempts, and delivers to the others', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    const d = dispatcher({
      store,
      channels: [emailChannel(await closedPort()), webhookChannel('/beside-smtp')],
      ...time.options,
    });
    await d.fire([alertEvent()], { awaitDelivery: true });
    expect(time.clock.delays).toEqual([3750, 7500]);
    const [mail, hook] = (await d.history())[0]!.deliveries;
    expect(mail).toMatchObject({ channel: 'mail', status: 'failed', attempts: 3 });
    expect(mail!.lastError).toMatch(/ECONNREFUSED/);
    expect(hook).toMatchObject({ channel: 'hook', status: 'delivered', attempts: 1 });
  });

  it('resumes a delivery left pending by a restart, and delivers it once', async () => {
    const { store, path } = await ledger();
    http.script({ status: 503 });
    // The first process waits for its retry until it is closed: the delivery is left pending.
    const first = dispatcher({
      store,
      channels: [webhookChannel('/resume')],
      env: { ALERT_SECRET: SECRET },
      sleep: (_ms, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    });
    const event = alertEvent();
    const before = http.requests.length;
    expect(await first.fire([event])).toEqual({ fired: [event.key], skipped: [] });
    await http.waitForRequests(before + 1);
    await first.close();
    const [left] = await first.history();
    expect(left!.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(left!.deliveries[0]!.nextAttemptAt).toBeGreaterThan(left!.deliveries[0]!.lastAttemptAt!);
    await store.close();

    const reopened = await ledger(path);
    const time = fakeTime(left!.deliveries[0]!.lastAttemptAt!);
    const second = dispatcher({
      store: reopened.store,
      channels: [webhookChannel('/resume')],
      ...time.options,
    });
    expect(await second.fire([event])).toEqual({ fired: [], skipped: [event.key] });
    await second.idle();
    expect(requestsTo('/resume')).toHaveLength(2);
    expect(time.clock.delays).toHaveLength(1);
    const [done] = await second.history();
    expect(done!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'HTTP 503' });
    expect(await second.resumePending()).toEqual([]);
  });

  it('fails, rather than drops, a pending delivery whose channel is no longer configured', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    await store.setMeta(
      journalKey('old:2026-03-01:threshold:50'),
      JSON.stringify({
        v: 1,
        event: alertEvent({ key: 'old:2026-03-01:threshold:50' }),
        recordedAt: time.clock.now,
        deliveries: [{ channel: 'pager', status: 'pending', attempts: 0 }],
      }),
    );
    const d = dispatcher({ store, channels: [slackChannel()], ...time.options, resume: false });
    expect(await d.resumePending()).toEqual([]);
    expect((await d.history())[0]!.deliveries).toEqual([
      {
        channel: 'pager',
        status: 'failed',
        attempts: 0,
        lastError: 'channel "pager" is no longer configured',
      },
    ]);
  });

  it('reports journal entries it cannot read and leaves them alone', async () => {
    const { store } = await ledger();
    await store.setMeta(journalKey('broken'), '{"v":99}');
    const errors: string[] = [];
    const d = dispatcher({ store, channels: [], onError: (e) => errors.push(e.message), resume: false });
    expect(await d.resumePending()).toEqual([]);
    expect(errors).toEqual(['alert journal entries not readable, left as they are: alert:broken']);
    expect(await d.history()).toEqual([]);
    expect(await store.getMeta(journalKey('broken'))).toBe('{"v":99}');
    // Still fire-once: an unreadable entry keeps its key from firing again.
    expect(await d.fire([alertEvent({ key: 'broken' })])).toEqual({ fired: [], skipped: ['broken'] });
  });

  it('records nothing from a batch holding an invalid event, and says which field', async () => {
    const { store } = await ledger();
    const d = dispatcher({ store, channels: [], resume: false });
    const bad = {
      ...alertEvent({ key: 'x:2026-04-01:threshold:80' }),
      period: { start: '1 April', end: '2026-05-01', timeZone: 'UTC' },
    };
    const error = await d.fire([alertEvent(), bad as never]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertEventError);
    expect((error as Error).message).toContain(
      'events[1] (x:2026-04-01:threshold:80).period.start: must be YYYY-MM-DD',
    );
    expect(await d.history()).toEqual([]);
  });

  it('keeps alerts without channels as history, and sends a budget’s alerts only where asked', async () => {
    const { store } = await ledger();
    const time = fakeTime();
    const d = dispatcher({
      store,
      channels: [{ ...slackChannel('/payments-only'), budgets: ['payments-monthly'] }],
      ...time.options,
    });
    const other = alertEvent({
      key: 'org-annual:2026-01-01:threshold:50',
      budgetId: 'org-annual',
      budgetName: 'Org',
      detectedAt: Date.UTC(2026, 3, 19),
    });
    await d.fire([alertEvent(), other], { awaitDelivery: true });
    expect(requestsTo('/payments-only')).toHaveLength(1);
    const history = await d.history();
    expect(history.map((r) => [r.event.key, r.deliveries.map((x) => x.status)])).toEqual([
      ['org-annual:2026-01-01:threshold:50', []],
      ['payments-monthly:2026-04-01:threshold:80', ['delivered']],
    ]);
    expect((await d.history({ budgetId: 'org-annual' })).map((r) => r.event.budgetId)).toEqual([
      'org-annual',
    ]);
    expect((await d.history({ since: Date.UTC(2026, 3, 18, 12) })).map((r) => r.event.budgetId)).toEqual([
      'org-annual',
    ]);
  });

  it('never throws out of background delivery when the journal cannot be written', async () => {
    const { store } = await ledger();
    const errors: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    http.script({ status: 503 });
    const time = fakeTime();
    const d = dispatcher({
      store,
      channels: [webhookChannel('/journal-gone')],
      ...time.options,
      // The ledger closes while the delivery waits for its retry.
      sleep: async (ms) => {
        time.clock.now += ms;
        await held;
      },
      onError: (e) => errors.push(e.message),
    });
    const before = http.requests.length;
    await d.fire([alertEvent()]);
    await http.waitForRequests(before + 1);
    await store.close();
    release();
    await d.idle();
    expect(requestsTo('/journal-gone')).toHaveLength(2);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^could not record alert payments-monthly:2026-04-01:threshold:80: /);
  });

  it('fails fast on a channel whose secret is not in the environment', () => {
    expect(() =>
      createAlertDispatcher({ store: {} as Store, channels: [webhookChannel()], env: {}, resume: false }),
    ).toThrow('environment variable ALERT_SECRET is not set');
  });

  it('refuses to fire once closed', async () => {
    const { store } = await ledger();
    const d = dispatcher({ store, channels: [], resume: false });
    await d.close();
    await d.close();
    await expect(d.fire([alertEvent()])).rejects.toThrow(
      'The alert dispatcher is closed; nothing was recorded.',
    );
  });
});
