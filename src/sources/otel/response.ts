/**
 * The `Export{Logs,Metrics}ServiceResponse` body. With nothing rejected it is empty (`{}` / zero
 * bytes); otherwise `partialSuccess` tells the exporter how many items were rejected and why, and
 * that it must not retry them (formats.md §2.8).
 * @module
 */
import { ExportLogsServiceResponse, ExportMetricsServiceResponse, Status } from './schema.js';
import type { OtlpEncoding, OtlpSignal } from './types.js';

const MAX_MESSAGE = 1000;

export function encodeOtlpResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  rejected: number,
  message?: string,
): Uint8Array | string {
  const count = Number.isSafeInteger(rejected) && rejected > 0 ? rejected : 0;
  const errorMessage = message ? message.slice(0, MAX_MESSAGE) : '';
  // A message without rejections is a warning, which OTLP allows; without either the body is empty.
  const empty = count === 0 && errorMessage === '';
  const countKey = signal === 'logs' ? 'rejectedLogRecords' : 'rejectedDataPoints';
  if (encoding === 'json') {
    if (empty) return '{}';
    const partialSuccess: Record<string, string> = {};
    // int64 is a decimal string in OTLP JSON.
    if (count > 0) partialSuccess[countKey] = String(count);
    if (errorMessage !== '') partialSuccess.errorMessage = errorMessage;
    return JSON.stringify({ partialSuccess });
  }
  if (empty) return new Uint8Array(0);
  const type = signal === 'logs' ? ExportLogsServiceResponse : ExportMetricsServiceResponse;
  return type.encode(type.create({ partialSuccess: { [countKey]: count, errorMessage } })).finish();
}

/** gRPC status codes for the HTTP statuses the receiver answers with (OTLP/HTTP maps them so). */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 3,
  415: 3,
  429: 8, // RESOURCE_EXHAUSTED
  503: 14, // UNAVAILABLE
};

/**
 * The body of an OTLP/HTTP error answer: a `google.rpc.Status` in the request's encoding, as the
 * spec requires, so an exporter can decode and log the message.
 */
export function encodeOtlpStatus(
  encoding: OtlpEncoding,
  httpStatus: number,
  message: string,
): Uint8Array | string {
  const code = GRPC_CODE[httpStatus] ?? 13; // INTERNAL
  const text = message.slice(0, MAX_MESSAGE);
  if (encoding === 'json') return JSON.stringify({ code, message: text });
  return Status.encode(Status.create({ code, message: text })).finish();
}
