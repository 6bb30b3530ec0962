/**
 * OTLP/HTTP protobuf → `OtlpRequest`, walking the messages protobufjs decoded (schema.ts) instead
 * of converting them with `toObject`, which would copy the whole tree once more. A body protobufjs
 * cannot decode throws `OtlpDecodeError`; the wire format leaves no room for malformed items other
 * than a data point without a value.
 * @module
 */
import {
  type AttrMap,
  type AttrValue,
  emptyAttributes,
  type MetricKind,
  type OtlpDataPoint,
  type OtlpLogRecord,
  type OtlpMetric,
  type OtlpRequest,
  type OtlpResource,
  type Temporality,
} from './model.js';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest } from './schema.js';
import { type LongLike, longNsDigits, longNsToMs } from './time.js';
import { OtlpDecodeError, type OtlpSignal } from './types.js';

// The decoded shapes (schema.ts, camelCase). A set oneof member is an own property of its
// message; unset scalars and lists fall through to defaults on the prototype.
type Long64 = LongLike | number;
interface PbAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long64;
  doubleValue?: number;
  arrayValue?: { values?: PbAnyValue[] };
  kvlistValue?: { values?: PbKeyValue[] };
  bytesValue?: Uint8Array;
}
interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}
interface PbScope {
  name?: string;
  version?: string;
}
interface PbResource {
  attributes?: PbKeyValue[];
}
interface PbLogRecord {
  timeUnixNano?: Long64;
  observedTimeUnixNano?: Long64;
  eventName?: string;
  body?: PbAnyValue | null;
  attributes?: PbKeyValue[];
}
interface PbScopeLogs {
  scope?: PbScope | null;
  logRecords?: PbLogRecord[];
}
interface PbResourceLogs {
  resource?: PbResource | null;
  scopeLogs?: PbScopeLogs[];
}
interface PbDataPoint {
  attributes?: PbKeyValue[];
  startTimeUnixNano?: Long64;
  timeUnixNano?: Long64;
  asDouble?: number;
  asInt?: Long64;
}
interface PbMetricData {
  dataPoints?: PbDataPoint[];
  aggregationTemporality?: number;
  isMonotonic?: boolean;
}
interface PbMetric {
  name?: string;
  unit?: string;
  gauge?: PbMetricData;
  sum?: PbMetricData;
  histogram?: PbMetricData;
  exponentialHistogram?: PbMetricData;
  summary?: PbMetricData;
}
interface PbScopeMetrics {
  scope?: PbScope | null;
  metrics?: PbMetric[];
}
interface PbResourceMetrics {
  resource?: PbResource | null;
  scopeMetrics?: PbScopeMetrics[];
}

const MAX_DEPTH = 16;
const has = Object.hasOwn;

function int64(v: Long64): number {
  if (typeof v === 'number') return v;
  return (v.unsigned ? v.high >>> 0 : v.high) * 4294967296 + (v.low >>> 0);
}

function anyValue(v: PbAnyValue | null | undefined, depth: number): AttrValue {
  if (!v) return null;
  // Checked in order of frequency: nearly every attribute is a string.
  if (has(v, 'stringValue')) return v.stringValue!;
  if (has(v, 'intValue')) return int64(v.intValue!);
  if (has(v, 'doubleValue')) return v.doubleValue!;
  if (has(v, 'boolValue')) return v.boolValue!;
  if (depth >= MAX_DEPTH) return null;
  if (has(v, 'arrayValue')) {
    const values = v.arrayValue?.values ?? [];
    const out: AttrValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], depth + 1);
    return out;
  }
  if (has(v, 'kvlistValue')) return keyValues(v.kvlistValue?.values, depth + 1);
  if (has(v, 'bytesValue')) return v.bytesValue!;
  return null;
}

function keyValues(list: PbKeyValue[] | undefined, depth: number): AttrMap {
  const out = emptyAttributes();
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]!;
    out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

function scopeOf(s: PbScope | null | undefined): { name: string | null; version: string | null } {
  return { name: s?.name || null, version: s?.version || null };
}

function decodeLogs(list: PbResourceLogs[]): OtlpResource[] {
  const out: OtlpResource[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const scopeList = r.scopeLogs ?? [];
    out[i] = {
      attributes: keyValues(r.resource?.attributes, 0),
      scopes: scopeList.map((s) => {
        const records = s.logRecords ?? [];
        const logs: OtlpLogRecord[] = new Array(records.length);
        for (let k = 0; k < records.length; k++) {
          const rec = records[k]!;
          logs[k] = {
            timeMs: longNsToMs(rec.timeUnixNano),
            observedMs: longNsToMs(rec.observedTimeUnixNano),
            eventName: rec.eventName || null,
            body: anyValue(rec.body, 0),
            attributes: keyValues(rec.attributes, 0),
            invalid: null,
          };
        }
        return { ...scopeOf(s.scope), logs, metrics: [] };
      }),
    };
  }
  return out;
}

function temporality(v: number | undefined): Temporality {
  return v === 1 || v === 2 ? v : 0;
}

function dataPoint(p: PbDataPoint, numeric: boolean): OtlpDataPoint {
  const timeNs = longNsDigits(p.timeUnixNano);
  const point: OtlpDataPoint = {
    attributes: keyValues(p.attributes, 0),
    startNs: longNsDigits(p.startTimeUnixNano),
    timeNs,
    timeMs: timeNs === null ? null : longNsToMs(p.timeUnixNano),
    value: null,
    invalid: null,
  };
  if (numeric) {
    if (has(p, 'asDouble')) point.value = p.asDouble!;
    else if (has(p, 'asInt')) point.value = int64(p.asInt!);
    else point.invalid = 'data point without value';
    if (point.value !== null && !Number.isFinite(point.value)) {
      point.value = null;
      point.invalid = 'non-numeric data point value';
    }
  }
  return point;
}

const KINDS: ReadonlyArray<[MetricKind, keyof PbMetric]> = [
  ['sum', 'sum'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['exponential_histogram', 'exponentialHistogram'],
  ['summary', 'summary'],
];

function metric(m: PbMetric): OtlpMetric {
  const out: OtlpMetric = {
    name: m.name ?? '',
    unit: m.unit ?? '',
    kind: 'none',
    temporality: 0,
    monotonic: false,
    points: [],
  };
  for (const [kind, key] of KINDS) {
    if (!has(m, key)) continue;
    const data = m[key] as PbMetricData;
    out.kind = kind;
    out.temporality = temporality(data.aggregationTemporality);
    out.monotonic = data.isMonotonic === true;
    const numeric = kind === 'sum' || kind === 'gauge';
    out.points = (data.dataPoints ?? []).map((p) => dataPoint(p, numeric));
    break;
  }
  return out;
}

function decodeMetrics(list: PbResourceMetrics[]): OtlpResource[] {
  return list.map((r) => ({
    attributes: keyValues(r.resource?.attributes, 0),
    scopes: (r.scopeMetrics ?? []).map((s) => ({
      ...scopeOf(s.scope),
      logs: [],
      metrics: (s.metrics ?? []).map(metric),
    })),
  }));
}

function decode<T>(type: typeof ExportLogsServiceRequest, body: Uint8Array): T {
  try {
    // A Buffer (a view, not a copy) gets protobufjs's native string reader (schema.ts).
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return type.decode(buffer) as unknown as T;
  } catch (error) {
    // protobufjs names the wire problem (truncated message, invalid wire type), nothing of the body.
    const why = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`invalid protobuf (${why})`);
  }
}

export function decodeProtobuf(signal: OtlpSignal, body: Uint8Array): OtlpRequest {
  if (signal === 'logs') {
    const msg = decode<{ resourceLogs?: PbResourceLogs[] }>(ExportLogsServiceRequest, body);
    return { signal, resources: decodeLogs(msg.resourceLogs ?? []) };
  }
  const msg = decode<{ resourceMetrics?: PbResourceMetrics[] }>(ExportMetricsServiceRequest, body);
  return { signal, resources: decodeMetrics(msg.resourceMetrics ?? []) };
}
