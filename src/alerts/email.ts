/**
 * E-mail over SMTP with nodemailer: one plain-text message per event to the configured list.
 * SMTP replies decide retrying: 5xx (and bad credentials or TLS) are permanent, 4xx and lost
 * connections are transient.
 * @module
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertChannel } from './channel.js';
import type { EmailChannelConfig } from './config.js';
import { DeliveryError, describeError } from './delivery-error.js';
import type { AlertEvent } from './event.js';
import { detailLines, headline } from './format.js';

/** Connection and greeting limits per attempt; a silent server is retried like a refused one. */
export const SMTP_TIMEOUT_MS = 10_000;

// Configuration problems that no retry can fix.
const PERMANENT_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'ETLS',
  'EREQUIRETLS',
  'EENVELOPE',
  'EMESSAGE',
  'ECONFIG',
]);
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^ERR_TLS_/;

export function emailText(event: AlertEvent): string {
  const details = detailLines(event);
  const width = Math.max(...details.map(([label]) => label.length)) + 2;
  return [
    event.message,
    '',
    ...details.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    `Alert id: ${event.key}`,
    '',
  ].join('\n');
}

/** Classifies a nodemailer failure; its `responseCode` is the SMTP reply when there was one. */
export function smtpDeliveryError(err: unknown): DeliveryError {
  const { code, originalCode, responseCode, response } = err as {
    code?: string;
    originalCode?: string;
    responseCode?: number;
    response?: string;
  };
  const message = response ? `${describeError(err)} (${response.trim().slice(0, 200)})` : describeError(err);
  const permanent =
    typeof responseCode === 'number'
      ? responseCode >= 500
      : (code !== undefined && PERMANENT_CODES.has(code)) ||
        // A certificate that fails verification (nodemailer reports it as a socket error) stays failing.
        (originalCode !== undefined && CERTIFICATE_CODE.test(originalCode));
  const codes = [code, originalCode].filter(Boolean).join('/');
  return new DeliveryError(codes ? `${codes}: ${message}` : message, { permanent, cause: err });
}

function messageId(event: AlertEvent, from: string): string {
  // Stable per event, so a resend after a crash threads with (and can be dropped as) the first.
  const hash = createHash('sha256').update(event.key).digest('hex').slice(0, 32);
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'tokenyield.invalid';
  return `<alert.${hash}@${domain}>`;
}

export function createEmailChannel(
  config: EmailChannelConfig & { auth?: { user: string; pass: string } },
): AlertChannel {
  const secure = config.secure ?? false;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port ?? (secure ? 465 : 587),
    secure,
    requireTLS: !secure && (config.requireTLS ?? true),
    auth: config.auth ? { user: config.auth.user, pass: config.auth.pass } : undefined,
    tls: { rejectUnauthorized: !config.allowSelfSigned },
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: 3 * SMTP_TIMEOUT_MS,
  });
  const prefix = config.subjectPrefix ?? '[tokenyield]';
  return {
    name: config.name,
    type: 'email',
    budgets: config.budgets,
    async send(event) {
      let info: { rejected?: unknown[] };
      try {
        info = await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: prefix ? `${prefix} ${headline(event)}` : headline(event),
          text: emailText(event),
          messageId: messageId(event, config.from),
          headers: { 'X-Tokenyield-Delivery': event.key },
        });
      } catch (err) {
        throw smtpDeliveryError(err);
      }
      // Some recipients refused while others took it: delivered (resending would repeat it to
      // the others), with the refusal kept as the delivery's last error.
      if (info.rejected?.length)
        return { note: `refused by the server for ${info.rejected.map(String).join(', ')}` };
      return {};
    },
    close() {
      transport.close();
    },
  };
}
