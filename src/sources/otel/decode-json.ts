/**
 * OTLP/HTTP JSON (formats.md §2.8) → `OtlpRequest`. Accepts what real exporters send beyond strict
 * proto3 JSON: 64-bit integers as strings or numbers, enums as numbers or names, and snake_case
 * keys as some hand-rolled senders write them. Unknown keys are ignored.
 *
 * A body that is not an export request, or whose containers (resources, scopes) are malformed,
 * throws `OtlpDecodeError` (HTTP 400). A malformed log record, metric or data point does not: it
 * is kept with `invalid` set, so that it is counted and reported as rejected while the rest of the
 * request is used.
 * @module
 */

import { parseJsonInPieces } from './json-in-pieces.js';
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
  type OtlpScope,
  type Temporality,
} from './model.js';
import { digitsToMs, jsonNsDigits, jsonNsToMs } from './time.js';
import { OtlpDecodeError, type OtlpSignal } from './types.js';

type Json = Record<string, unknown>;

/**
 * Keys that begin the elements of the arrays that grow with a request, innermost first, in the
 * order the OTel SDKs write their fields: where large bodies may be cut (see `json-in-pieces`).
 */
export const OTLP_JSON_ELEMENTS: Readonly<Record<OtlpSignal, readonly string[]>> = {
  logs: ['timeUnixNano', 'observedTimeUnixNano', 'scope', 'resource'],
  metrics: ['attributes', 'startTimeUnixNano', 'timeUnixNano', 'name', 'scope', 'resource'],
};
/** Deeper AnyValues are not attributes any tool sends; refusing them bounds the recursion. */
const MAX_DEPTH = 16;
/** Returned by the value readers for malformed input (never a valid AttrValue). */
const BAD: unique symbol = Symbol('bad');

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `o[camel]`, else `o[snake]` for senders that keep the proto field names. */
function field(o: Json, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

function jsonInt(x: unknown): number | typeof BAD {
  if (typeof x === 'number') return Number.isInteger(x) ? x : BAD;
  if (typeof x !== 'string' || x.length === 0) return BAD;
  const n = Number(x);
  return Number.isInteger(n) ? n : BAD;
}

/** proto3 JSON doubles: numbers, or the strings "NaN", "Infinity", "-Infinity" (and numeric strings). */
function jsonDouble(x: unknown): number | typeof BAD {
  if (typeof x === 'number') return x;
  if (typeof x !== 'string' || x.length === 0) return BAD;
  const n = Number(x);
  return Number.isNaN(n) && x !== 'NaN' ? BAD : n;
}

function anyValue(v: unknown, depth: number): AttrValue | typeof BAD {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return BAD;
  let x = field(v, 'stringValue', 'string_value');
  if (x !== undefined) return typeof x === 'string' ? x : BAD;
  x = field(v, 'intValue', 'int_value');
  if (x !== undefined) return jsonInt(x);
  x = field(v, 'doubleValue', 'double_value');
  if (x !== undefined) return jsonDouble(x);
  x = field(v, 'boolValue', 'bool_value');
  if (x !== undefined) return typeof x === 'boolean' ? x : x === 'true' ? true : x === 'false' ? false : BAD;
  if (depth >= MAX_DEPTH) return BAD;
  x = field(v, 'arrayValue', 'array_value');
  if (x !== undefined) {
    if (!isObject(x)) return BAD;
    const values = x.values;
    if (values === undefined) return [];
    if (!Array.isArray(values)) return BAD;
    const out: AttrValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const item = anyValue(values[i], depth + 1);
      if (item === BAD) return BAD;
      out[i] = item;
    }
    return out;
  }
  x = field(v, 'kvlistValue', 'kvlist_value');
  if (x !== undefined) {
    if (!isObject(x)) return BAD;
    const map = keyValues(x.values, depth + 1);
    return typeof map === 'string' ? BAD : map;
  }
  x = field(v, 'bytesValue', 'bytes_value');
  if (x !== undefined) return typeof x === 'string' ? new Uint8Array(Buffer.from(x, 'base64')) : BAD;
  return null;
}

/** A `KeyValue[]` as an attribute map, or the reason it is malformed. */
function keyValues(list: unknown, depth: number): AttrMap | string {
  const out = emptyAttributes();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) return 'attributes is not an array';
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    if (!isObject(kv)) return 'attribute is not a key-value object';
    const key = kv.key;
    if (typeof key !== 'string') return 'attribute without a string key';
    const value = anyValue(kv.value, depth);
    if (value === BAD) return 'malformed attribute value';
    out[key] = value;
  }
  return out;
}

function containerList(o: Json, camel: string, snake: string, where: string): unknown[] {
  const list = field(o, camel, snake);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new OtlpDecodeError(`${where}${camel} is not an array`);
  return list;
}

function containerObject(v: unknown, where: string): Json {
  if (!isObject(v)) throw new OtlpDecodeError(`${where} is not an object`);
  return v;
}

function resourceAttributes(r: Json, where: string): AttrMap {
  const resource = r.resource;
  if (resource === undefined || resource === null) return emptyAttributes();
  const attrs = keyValues(containerObject(resource, `${where}.resource`).attributes, 0);
  if (typeof attrs === 'string') throw new OtlpDecodeError(`${where}.resource: ${attrs}`);
  return attrs;
}

function scopeOf(s: Json): Pick<OtlpScope, 'name' | 'version'> {
  const scope = s.scope;
  if (!isObject(scope)) return { name: null, version: null };
  return {
    name: typeof scope.name === 'string' && scope.name !== '' ? scope.name : null,
    version: typeof scope.version === 'string' && scope.version !== '' ? scope.version : null,
  };
}

function logRecord(v: unknown): OtlpLogRecord {
  const rec: OtlpLogRecord = {
    timeMs: null,
    observedMs: null,
    eventName: null,
    body: null,
    attributes: emptyAttributes(),
    invalid: null,
  };
  if (!isObject(v)) {
    rec.invalid = 'log record is not an object';
    return rec;
  }
  const attrs = keyValues(v.attributes, 0);
  if (typeof attrs === 'string') rec.invalid = attrs;
  else rec.attributes = attrs;
  const time = jsonNsToMs(field(v, 'timeUnixNano', 'time_unix_nano'));
  if (time === false) rec.invalid ??= 'invalid timeUnixNano';
  else rec.timeMs = time;
  const observed = jsonNsToMs(field(v, 'observedTimeUnixNano', 'observed_time_unix_nano'));
  if (observed === false) rec.invalid ??= 'invalid observedTimeUnixNano';
  else rec.observedMs = observed;
  const name = field(v, 'eventName', 'event_name');
  if (typeof name === 'string' && name !== '') rec.eventName = name;
  const body = anyValue(v.body, 0);
  if (body === BAD) rec.invalid ??= 'malformed body';
  else rec.body = body;
  return rec;
}

function decodeLogs(root: Json): OtlpResource[] {
  const out: OtlpResource[] = [];
  const list = containerList(root, 'resourceLogs', 'resource_logs', '');
  for (let i = 0; i < list.length; i++) {
    const where = `resourceLogs[${i}]`;
    const r = containerObject(list[i], where);
    const scopes: OtlpScope[] = [];
    const scopeList = containerList(r, 'scopeLogs', 'scope_logs', `${where}.`);
    for (let j = 0; j < scopeList.length; j++) {
      const s = containerObject(scopeList[j], `${where}.scopeLogs[${j}]`);
      const records = containerList(s, 'logRecords', 'log_records', `${where}.scopeLogs[${j}].`);
      const logs: OtlpLogRecord[] = new Array(records.length);
      for (let k = 0; k < records.length; k++) logs[k] = logRecord(records[k]);
      scopes.push({ ...scopeOf(s), logs, metrics: [] });
    }
    out.push({ attributes: resourceAttributes(r, where), scopes });
  }
  return out;
}

const TEMPORALITY: Record<string, Temporality> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

function temporality(v: unknown): Temporality {
  if (v === 1 || v === 2) return v;
  if (typeof v === 'string') return TEMPORALITY[v] ?? (v === '1' ? 1 : v === '2' ? 2 : 0);
  return 0;
}

function newPoint(invalid: string | null): OtlpDataPoint {
  return { attributes: emptyAttributes(), startNs: null, timeNs: null, timeMs: null, value: null, invalid };
}

function dataPoint(v: unknown, numeric: boolean): OtlpDataPoint {
  if (!isObject(v)) return newPoint('data point is not an object');
  const point = newPoint(null);
  const attrs = keyValues(v.attributes, 0);
  if (typeof attrs === 'string') point.invalid = attrs;
  else point.attributes = attrs;
  const start = jsonNsDigits(field(v, 'startTimeUnixNano', 'start_time_unix_nano'));
  if (start === false) point.invalid ??= 'invalid startTimeUnixNano';
  else point.startNs = start;
  const time = jsonNsDigits(field(v, 'timeUnixNano', 'time_unix_nano'));
  if (time === false) point.invalid ??= 'invalid timeUnixNano';
  else {
    point.timeNs = time;
    point.timeMs = time === null ? null : digitsToMs(time);
  }
  if (numeric) {
    const asDouble = field(v, 'asDouble', 'as_double');
    const asInt = field(v, 'asInt', 'as_int');
    const value =
      asDouble !== undefined && asDouble !== null
        ? jsonDouble(asDouble)
        : asInt !== undefined && asInt !== null
          ? jsonInt(asInt)
          : null;
    if (value === null) point.invalid ??= 'data point without value';
    else if (value === BAD || !Number.isFinite(value)) point.invalid ??= 'non-numeric data point value';
    else point.value = value;
  }
  return point;
}

const KINDS: ReadonlyArray<[MetricKind, string, string]> = [
  ['sum', 'sum', 'sum'],
  ['gauge', 'gauge', 'gauge'],
  ['histogram', 'histogram', 'histogram'],
  ['exponential_histogram', 'exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary', 'summary'],
];

function metric(v: unknown): OtlpMetric {
  const m: OtlpMetric = { name: '', unit: '', kind: 'none', temporality: 0, monotonic: false, points: [] };
  if (!isObject(v)) {
    m.points.push(newPoint('metric is not an object'));
    return m;
  }
  if (typeof v.name === 'string') m.name = v.name;
  if (typeof v.unit === 'string') m.unit = v.unit;
  for (const [kind, camel, snake] of KINDS) {
    const data = field(v, camel, snake);
    if (data === undefined || data === null) continue;
    m.kind = kind;
    if (!isObject(data)) {
      m.points.push(newPoint(`${camel} is not an object`));
      return m;
    }
    m.temporality = temporality(field(data, 'aggregationTemporality', 'aggregation_temporality'));
    const mono = field(data, 'isMonotonic', 'is_monotonic');
    m.monotonic = mono === true || mono === 'true';
    const points = field(data, 'dataPoints', 'data_points');
    if (points === undefined || points === null) return m;
    if (!Array.isArray(points)) {
      m.points.push(newPoint('dataPoints is not an array'));
      return m;
    }
    const numeric = kind === 'sum' || kind === 'gauge';
    m.points = new Array(points.length);
    for (let i = 0; i < points.length; i++) m.points[i] = dataPoint(points[i], numeric);
    return m;
  }
  return m;
}

function decodeMetrics(root: Json): OtlpResource[] {
  const out: OtlpResource[] = [];
  const list = containerList(root, 'resourceMetrics', 'resource_metrics', '');
  for (let i = 0; i < list.length; i++) {
    const where = `resourceMetrics[${i}]`;
    const r = containerObject(list[i], where);
    const scopes: OtlpScope[] = [];
    const scopeList = containerList(r, 'scopeMetrics', 'scope_metrics', `${where}.`);
    for (let j = 0; j < scopeList.length; j++) {
      const s = containerObject(scopeList[j], `${where}.scopeMetrics[${j}]`);
      const metricList = containerList(s, 'metrics', 'metrics', `${where}.scopeMetrics[${j}].`);
      const metrics: OtlpMetric[] = new Array(metricList.length);
      for (let k = 0; k < metricList.length; k++) metrics[k] = metric(metricList[k]);
      scopes.push({ ...scopeOf(s), logs: [], metrics });
    }
    out.push({ attributes: resourceAttributes(r, where), scopes });
  }
  return out;
}

export function decodeJson(signal: OtlpSignal, body: Uint8Array): OtlpRequest {
  let root: unknown;
  try {
    root = parseJsonInPieces(body, OTLP_JSON_ELEMENTS[signal]);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA')
      throw new OtlpDecodeError('body is not valid UTF-8');
    // Not the parser's message: it quotes the body, which may hold prompt text.
    if (err instanceof SyntaxError) throw new OtlpDecodeError('invalid JSON');
    throw err;
  }
  if (!isObject(root)) throw new OtlpDecodeError('the body is not a JSON object');
  return { signal, resources: signal === 'logs' ? decodeLogs(root) : decodeMetrics(root) };
}
