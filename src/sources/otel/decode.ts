/**
 * `decodeOtlp`: an OTLP/HTTP export request body (already gunzipped) → `OtlpRequest`.
 * @module
 */
import { decodeJson } from './decode-json.js';
import { decodeProtobuf } from './decode-protobuf.js';
import type { OtlpRequest } from './model.js';
import { OtlpDecodeError, type OtlpEncoding, type OtlpSignal } from './types.js';

/**
 * Decodes one export request. Throws `OtlpDecodeError` when the body is not an export request of
 * `signal` (HTTP 400); malformed items inside a valid request come back marked `invalid` instead.
 */
export function decodeOtlp(signal: OtlpSignal, body: Uint8Array, encoding: OtlpEncoding): OtlpRequest {
  if (signal !== 'logs' && signal !== 'metrics')
    throw new OtlpDecodeError(`unsupported signal ${String(signal)}`);
  if (encoding === 'json') return decodeJson(signal, body);
  if (encoding === 'protobuf') return decodeProtobuf(signal, body);
  throw new OtlpDecodeError(`unsupported encoding ${String(encoding)}`);
}
