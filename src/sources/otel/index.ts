/**
 * OTLP/HTTP receiver logic without the HTTP: decode an export request (JSON or protobuf, already
 * gunzipped), map Claude Code, Codex and Gemini CLI telemetry to canonical drafts, and encode the
 * response. See README.md for the mapping and the dedup rules.
 * @module
 */
export { decodeOtlp } from './decode.js';
export { mapOtlp } from './map.js';
export type {
  AttrMap,
  AttrValue,
  MetricKind,
  OtlpDataPoint,
  OtlpLogRecord,
  OtlpMetric,
  OtlpRequest,
  OtlpResource,
  OtlpScope,
  Temporality,
} from './model.js';
export { encodeOtlpResponse, encodeOtlpStatus } from './response.js';
export {
  type Attributed,
  type OtelMapResult,
  OtlpDecodeError,
  type OtlpEncoding,
  type OtlpSignal,
} from './types.js';
