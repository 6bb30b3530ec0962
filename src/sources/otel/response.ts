/**
 * The `Export{Logs,Metrics}ServiceResponse` body. With nothing rejected it is empty (`{}` / zero
 * bytes); otherwise `partialSuccess` tells the exporter how many items were rejected and why, and
 * that it must not retry them (formats.md §2.8).
 * @module
 */
import { ExportLogsServiceResponse, ExportMetricsServiceResponse } from './schema.js';
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
