/**
 * Budget alerts: delivery of the events the budgets analysis raises to a Slack-compatible
 * incoming webhook, a signed generic webhook and SMTP e-mail, once per key, with retries, and
 * with a journal in the ledger's meta table (docs/alerts.md).
 * @module
 */

/** The config file's `alerts` section. */
export { type AlertChannelConfig, AlertConfigError, alertsConfigSchema } from './config.js';
/** The dispatcher: fire, history, resume, close. */
export {
  type AlertDispatcher,
  type AlertDispatcherOptions,
  abortableSleep,
  createAlertDispatcher,
} from './dispatcher.js';
/** The events and what the journal keeps about them. */
export {
  type AlertDelivery,
  type AlertEvent,
  AlertEventError,
  type AlertRecord,
  alertEventSchema,
  type DeliveryStatus,
  validateAlertEvents,
} from './event.js';
/** Where the journal lives in the meta table. */
export { JOURNAL_PREFIX } from './journal.js';
/** Retry timing. */
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
/** For receivers of the generic webhook written in TypeScript, and for tests. */
export {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signAlertPayload,
  TIMESTAMP_HEADER,
  verifyAlertSignature,
} from './webhook.js';
