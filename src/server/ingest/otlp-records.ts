/**
 * One OTLP export request to ledger records, and its journal entry. The journal keeps the request
 * as it arrived (decompressed), not the records made from it: writing the body costs no
 * serialisation on the request's path, and replay after a crash runs it through this same mapping.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { PriceBook } from '../../ledger/pricing/index.js';
import type { WriteBatch } from '../../ledger/store/store.js';
import { decodeOtlp, mapOtlp } from '../../sources/otel/index.js';
import type { OtelMapResult, OtlpEncoding, OtlpSignal } from '../../sources/otel/types.js';
import { activityRecord, createPersonResolver, usageRecord } from './normalize.js';

export interface OtlpExport {
  signal: OtlpSignal;
  encoding: OtlpEncoding;
  body: Uint8Array;
}

const KINDS: readonly [OtlpSignal, OtlpEncoding][] = [
  ['logs', 'json'],
  ['logs', 'protobuf'],
  ['metrics', 'json'],
  ['metrics', 'protobuf'],
];

/** Decodes and maps one export request. Throws `OtlpDecodeError` for a body that is not one. */
export function mapOtlpExport(req: OtlpExport): OtelMapResult {
  return mapOtlp(decodeOtlp(req.signal, req.body, req.encoding));
}

/** Ledger records of a mapped request: people resolved through `directory`, costs from `priceBook`. */
export function recordsOf(
  mapped: OtelMapResult,
  directory: PeopleDirectory,
  priceBook: PriceBook,
): WriteBatch {
  const person = createPersonResolver(directory);
  const usage = mapped.usage.map((u) => usageRecord(u, person, priceBook));
  const activity = mapped.activity.map((a) => activityRecord(a, person));
  return { usage, activity, checkpoints: [] };
}

/** Throws `OtlpDecodeError` for a body that is not an export request. */
export function otlpRecords(
  req: OtlpExport,
  directory: PeopleDirectory,
  priceBook: PriceBook,
): { mapped: OtelMapResult; batch: WriteBatch } {
  const mapped = mapOtlpExport(req);
  return { mapped, batch: recordsOf(mapped, directory, priceBook) };
}

/** The journal payload: one byte for signal and encoding, then the body (in two parts, uncopied). */
export function encodeOtlpEntry(req: OtlpExport): Uint8Array[] {
  const kind = KINDS.findIndex(([s, e]) => s === req.signal && e === req.encoding);
  return [Uint8Array.of(kind + 1), req.body];
}

export function decodeOtlpEntry(payload: Buffer): OtlpExport {
  const kind = KINDS[(payload[0] ?? 0) - 1];
  if (!kind) throw new Error(`Unknown journal entry kind ${payload[0]}.`);
  return { signal: kind[0], encoding: kind[1], body: payload.subarray(1) };
}
