/**
 * What the OTLP receiver hands the server: canonical drafts with the raw identity they arrived
 * with, and an account of every item that was not used. Decoding and mapping never talk to the
 * store, never price and never resolve people (the server does, DESIGN §3).
 * @module
 */
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';

export type OtlpSignal = 'logs' | 'metrics';
export type OtlpEncoding = 'json' | 'protobuf';

/** The body is not an OTLP export request at all (malformed JSON/protobuf, wrong top-level types): HTTP 400. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

/** A draft with the identity attributes (`user.email`, `user.account_uuid`, `user.id` …) it carried. */
export interface Attributed<D> {
  draft: D;
  rawIdentity: Record<string, string>;
}

export interface OtelMapResult {
  usage: Attributed<UsageDraft>[];
  activity: Attributed<ActivityDraft>[];
  /** Log records or data points in the request. */
  items: number;
  /**
   * Items that are OTLP but unusable (an api_request without a model, a token count that is not a
   * number …), by reason. They count as rejected in the OTLP partial-success response.
   */
  rejected: Record<string, number>;
  /**
   * Items deliberately kept out of totals, by `<name>: <why>` (unknown event or metric names, events
   * we do not meter, cost counters we recompute from tokens). Reported, never fatal.
   */
  ignored: Record<string, number>;
}
