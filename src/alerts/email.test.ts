import { afterEach, describe, expect, it } from 'vitest';
import {
  alertEvent,
  closedPort,
  type SmtpReceiver,
  startSmtpReceiver,
} from '../../test/support/alert-receivers.js';
import type { EmailChannelConfig } from './config.js';
import { DeliveryError } from './delivery-error.js';
import { createEmailChannel, emailText } from './email.js';

const receivers: SmtpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function smtp(options: Parameters<typeof startSmtpReceiver>[0] = {}) {
  const receiver = await startSmtpReceiver(options);
  receivers.push(receiver);
  return receiver;
}

function channel(
  port: number,
  over: Partial<EmailChannelConfig> & { auth?: { user: string; pass: string } } = {},
) {
  return createEmailChannel({
    name: 'mail',
    type: 'email',
    host: '127.0.0.1',
    port,
    requireTLS: false,
    from: 'tokenyield <alerts@acme.example>',
    to: ['finance@acme.example', 'payments-lead@acme.example'],
    ...over,
  });
}

async function sendError(send: Promise<unknown>): Promise<DeliveryError> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('emailText', () => {
  it('is the message, then aligned details, then the alert id', () => {
    expect(emailText(alertEvent())).toBe(
      [
        'Payments has used 80 % of its $40,000 April budget; at this rate it runs out on 24 April.',
        '',
        'Budget:   Payments (team payments)',
        'Period:   2026-04-01 to 2026-04-30 (Europe/Berlin)',
        'Spent:    $32,000 of $40,000 (80 %)',
        'Runs out: 2026-04-24',
        'Alert:    threshold 80 %',
        'Detected: 2026-04-18T09:30:00.000Z',
        '',
        'Alert id: payments-monthly:2026-04-01:threshold:80',
        '',
      ].join('\n'),
    );
  });
});

describe('createEmailChannel', () => {
  it('sends one message to every recipient, with a stable Message-ID', async () => {
    const receiver = await smtp();
    await channel(receiver.port).send(alertEvent(), { now: Date.now() });
    expect(receiver.messages).toHaveLength(1);
    const [mail] = receiver.messages;
    expect(mail).toMatchObject({
      from: 'alerts@acme.example',
      to: ['finance@acme.example', 'payments-lead@acme.example'],
      secure: false,
    });
    expect(mail!.raw).toContain('Subject: [tokenyield] Payments: 80 % of budget reached');
    expect(mail!.raw).toContain('X-Tokenyield-Delivery: payments-monthly:2026-04-01:threshold:80');
    expect(mail!.raw).toMatch(/Message-ID: <alert\.[0-9a-f]{32}@acme\.example>/);
    expect(mail!.raw).toContain('Runs out: 2026-04-24');
  });

  it('upgrades with STARTTLS and authenticates', async () => {
    const receiver = await smtp({ starttls: true, auth: { user: 'alerts', pass: 'hunter2' } });
    await channel(receiver.port, {
      requireTLS: true,
      allowSelfSigned: true,
      auth: { user: 'alerts', pass: 'hunter2' },
    }).send(alertEvent({ kind: 'projected_overrun', threshold: 100 }), { now: Date.now() });
    expect(receiver.messages[0]).toMatchObject({ secure: true, user: 'alerts' });
    expect(receiver.messages[0]!.raw).toContain(
      'Subject: [tokenyield] Payments: projected to run out on 2026-04-24',
    );
  });

  it('refuses to send in the clear when TLS is required and not offered (permanent)', async () => {
    const receiver = await smtp();
    const error = await sendError(
      channel(receiver.port, { requireTLS: true }).send(alertEvent(), { now: 0 }),
    );
    expect(error.permanent).toBe(true);
    expect(receiver.messages).toHaveLength(0);
  });

  it('refuses an unverifiable certificate unless told otherwise (permanent)', async () => {
    const receiver = await smtp({ starttls: true });
    const error = await sendError(
      channel(receiver.port, { requireTLS: true }).send(alertEvent(), { now: 0 }),
    );
    expect(error).toMatchObject({ permanent: true });
    // smtp-server's built-in test certificate is self-signed and, by now, expired.
    expect(error.message).toMatch(/^ESOCKET\/(CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT): certificate/);
  });

  it('treats wrong credentials as permanent', async () => {
    const receiver = await smtp({ starttls: true, auth: { user: 'alerts', pass: 'hunter2' } });
    const error = await sendError(
      channel(receiver.port, { allowSelfSigned: true, auth: { user: 'alerts', pass: 'wrong' } }).send(
        alertEvent(),
        {
          now: 0,
        },
      ),
    );
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/^EAUTH: .*535/);
  });

  it('sorts refused recipients: 5xx permanent, 4xx transient, some refused is delivered with a note', async () => {
    const receiver = await smtp({
      refuse: { 'finance@acme.example': 550, 'payments-lead@acme.example': 550, 'busy@acme.example': 451 },
    });
    const everyone = await sendError(channel(receiver.port).send(alertEvent(), { now: 0 }));
    expect(everyone).toMatchObject({ permanent: true });
    expect(everyone.message).toMatch(/^EENVELOPE: .*550/);

    const busy = await sendError(
      channel(receiver.port, { to: ['busy@acme.example'] }).send(alertEvent(), { now: 0 }),
    );
    expect(busy).toMatchObject({ permanent: false });
    expect(busy.message).toMatch(/451/);

    const some = await channel(receiver.port, { to: ['finance@acme.example', 'ok@acme.example'] }).send(
      alertEvent(),
      { now: 0 },
    );
    expect(some).toEqual({ note: 'refused by the server for finance@acme.example' });
    expect(receiver.messages.map((m) => m.to)).toEqual([['ok@acme.example']]);
  });

  it('treats a host that refuses connections as transient', async () => {
    const error = await sendError(channel(await closedPort()).send(alertEvent(), { now: 0 }));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
