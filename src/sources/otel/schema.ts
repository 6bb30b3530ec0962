/**
 * The part of opentelemetry-proto (v1) the receiver decodes and answers with, as .proto text
 * parsed once at load. Field numbers are the spec's; messages and fields we never read are left
 * out on purpose (protobufjs skips unknown fields without allocating), e.g. trace/span ids and
 * exemplars. Names are protobufjs's camelCase conversions of the snake_case fields.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package otlp;

// The spec's oneof value, written as proto3 optional fields: the same wire format and the same
// presence (an own property for each member on the wire, even "" or 0), but protobufjs's setter for
// a real oneof deletes every other member from each decoded value, one slow delete per member,
// and that was ~6 % of the loaded server's time. A value whose encoder broke the oneof by sending
// two members is read by decode-protobuf.ts's order of precedence instead of the last one sent.
message AnyValue {
  optional string string_value = 1;
  optional bool bool_value = 2;
  optional int64 int_value = 3;
  optional double double_value = 4;
  optional ArrayValue array_value = 5;
  optional KeyValueList kvlist_value = 6;
  optional bytes bytes_value = 7;
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}

message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  fixed64 observed_time_unix_nano = 11;
  string event_name = 12;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }

// google.rpc.Status, the body of every OTLP/HTTP 4xx and 5xx answer (details left out).
message Status {
  int32 code = 1;
  string message = 2;
}

message NumberDataPoint {
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  oneof value {
    double as_double = 4;
    sfixed64 as_int = 6;
  }
  repeated KeyValue attributes = 7;
  uint32 flags = 8;
}
message HistogramDataPoint {
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  repeated KeyValue attributes = 9;
}
message ExponentialHistogramDataPoint {
  repeated KeyValue attributes = 1;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
}
message SummaryDataPoint {
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  repeated KeyValue attributes = 7;
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum {
  repeated NumberDataPoint data_points = 1;
  int32 aggregation_temporality = 2;
  bool is_monotonic = 3;
}
message Histogram {
  repeated HistogramDataPoint data_points = 1;
  int32 aggregation_temporality = 2;
}
message ExponentialHistogram {
  repeated ExponentialHistogramDataPoint data_points = 1;
  int32 aggregation_temporality = 2;
}
message Summary { repeated SummaryDataPoint data_points = 1; }
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data {
    Gauge gauge = 5;
    Sum sum = 7;
    Histogram histogram = 9;
    ExponentialHistogram exponential_histogram = 10;
    Summary summary = 11;
  }
}
message ScopeMetrics {
  InstrumentationScope scope = 1;
  repeated Metric metrics = 2;
  string schema_url = 3;
}
message ResourceMetrics {
  Resource resource = 1;
  repeated ScopeMetrics scope_metrics = 2;
  string schema_url = 3;
}
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsPartialSuccess {
  int64 rejected_data_points = 1;
  string error_message = 2;
}
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
`;

const root = protobuf.parse(PROTO, { keepCase: false }).root;

/*
 * proto3 strings must be valid UTF-8, and protobufjs 8 checks that for every string it reads with a
 * JavaScript decoder that builds each string by concatenating 8-character pieces: a third of all
 * memory the loaded server allocated, and a garbage collector kept busy. Its reader for Node
 * Buffers already decodes unchecked strings natively (utf8Slice); this gives it the checked
 * one too. utf8Slice turns every invalid sequence into U+FFFD, so only a string containing U+FFFD
 * needs the (native) check, and a string that fails it is refused as protobufjs would refuse it.
 */
type NativeBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
};
interface NativeBufferReader {
  buf: NativeBuffer;
  pos: number;
  len: number;
  size(): number;
}

/*
 * Most strings in an export repeat in every record: attribute keys, and values such as the
 * session, the user, the model or the event name. A short ASCII string is looked up in a small
 * direct-mapped table by a hash of its bytes and, when the bytes match, the string already made
 * is returned: no native call, no new string to collect, and a key V8 has already internalised
 * when the attribute maps use it as a property name. Unique strings (request ids, timestamps) only
 * overwrite one slot each, so they cannot flush the recurring ones out.
 */
const SHARED_MAX_BYTES = 64;
const SHARED_SLOTS = 4096;
const shared: (string | undefined)[] = new Array(SHARED_SLOTS).fill(undefined);

function sharedAscii(buf: NativeBuffer, start: number, end: number): string | undefined {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    if (byte >= 0x80) return undefined;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  const slot = (hash ^ (hash >>> 15)) & (SHARED_SLOTS - 1);
  const known = shared[slot];
  if (known !== undefined && known.length === end - start) {
    let i = 0;
    while (i < known.length && known.charCodeAt(i) === buf[start + i]) i++;
    if (i === known.length) return known;
  }
  const text = buf.latin1Slice(start, end);
  shared[slot] = text;
  return text;
}

Object.defineProperty(protobuf.BufferReader.prototype, 'stringVerify', {
  value: function stringVerify(this: NativeBufferReader): string {
    const length = this.size();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    this.pos = end;
    if (length <= SHARED_MAX_BYTES) {
      const ascii = sharedAscii(this.buf, start, end);
      if (ascii !== undefined) return ascii;
    }
    const text = this.buf.utf8Slice(start, end);
    if (text.includes('\uFFFD') && !isUtf8(this.buf.subarray(start, end))) throw new Error('invalid UTF-8');
    return text;
  },
  writable: true,
  configurable: true,
});

function type(name: string): protobuf.Type {
  return root.lookupType(`otlp.${name}`);
}

export const ExportLogsServiceRequest = type('ExportLogsServiceRequest');
export const ExportLogsServiceResponse = type('ExportLogsServiceResponse');
export const ExportMetricsServiceRequest = type('ExportMetricsServiceRequest');
export const ExportMetricsServiceResponse = type('ExportMetricsServiceResponse');
export const Status = type('Status');
