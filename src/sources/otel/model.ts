/**
 * The in-memory form of an OTLP export request, the same for both wire encodings, so that mapping
 * never needs to know how a request arrived. Only what mapping reads is kept; ids of traces and
 * spans, exemplars, flags, schema URLs and descriptions are dropped at decoding.
 * @module
 */
import type { OtlpSignal } from './types.js';

/** An OTLP `AnyValue` as a plain JS value; 64-bit integers become numbers. Empty AnyValue is null. */
export type AttrValue = string | number | boolean | null | Uint8Array | AttrValue[] | AttrMap;

/**
 * Attributes by key. Always created by `emptyAttributes`, with nothing inherited: keys come from
 * the sender, and a plain object would answer `constructor` or treat `__proto__` as its prototype.
 */
export interface AttrMap {
  [key: string]: AttrValue;
}

export interface OtlpRequest {
  signal: OtlpSignal;
  resources: OtlpResource[];
}

export interface OtlpResource {
  attributes: AttrMap;
  scopes: OtlpScope[];
}

export interface OtlpScope {
  name: string | null;
  version: string | null;
  /** Log records (signal `logs`); empty for metrics. */
  logs: OtlpLogRecord[];
  /** Metrics (signal `metrics`); empty for logs. */
  metrics: OtlpMetric[];
}

export interface OtlpLogRecord {
  /** `timeUnixNano` as epoch ms (truncated); null when unset (0) or absent. */
  timeMs: number | null;
  observedMs: number | null;
  /** The LogRecord `event_name` field (newer SDKs); null when empty. */
  eventName: string | null;
  body: AttrValue;
  attributes: AttrMap;
  /** Why this record is not well-formed OTLP (it is then rejected, not mapped); null when fine. */
  invalid: string | null;
}

export type MetricKind = 'sum' | 'gauge' | 'histogram' | 'exponential_histogram' | 'summary' | 'none';

/** OTLP `AggregationTemporality`: 0 unspecified, 1 delta, 2 cumulative. */
export type Temporality = 0 | 1 | 2;

export interface OtlpMetric {
  name: string;
  unit: string;
  kind: MetricKind;
  temporality: Temporality;
  monotonic: boolean;
  /** Every data point of the metric whatever its kind; each one is an item of the request. */
  points: OtlpDataPoint[];
}

export interface OtlpDataPoint {
  attributes: AttrMap;
  /**
   * `startTimeUnixNano` / `timeUnixNano` exactly, as decimal strings (they name counter intervals
   * in record ids, and a double cannot hold them); null when unset (0) or absent.
   */
  startNs: string | null;
  timeNs: string | null;
  timeMs: number | null;
  /** `asDouble` / `asInt` of a number data point; null for histogram-like points. */
  value: number | null;
  /** Why this point (or its whole metric) is not well-formed OTLP; null when fine. */
  invalid: string | null;
}

/*
 * Instances of a constructor whose prototype is an empty object without a prototype: nothing is
 * inherited (not `constructor`, not Object.prototype's `__proto__` accessor, so a `__proto__` key
 * is an own property like any other), yet V8 keeps them fast objects with shared shapes. An object
 * made by Object.create(null) starts as a hash table instead: building the ~15 attributes of each
 * event that way took 2–3× as long and made the busiest allocation of the loaded server.
 */
function Attributes(): void {}
Attributes.prototype = Object.create(null);

/** A fresh attribute map (see `AttrMap` for why nothing may be inherited). */
export function emptyAttributes(): AttrMap {
  return new (Attributes as unknown as new () => AttrMap)();
}
