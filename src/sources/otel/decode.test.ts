import { describe, expect, it } from 'vitest';
import { capture, jsonBody, logsRequest, metricsRequest } from '../../../test/fixtures/otel/payloads.js';
import { decodeOtlp, mapOtlp, type OtlpRequest } from './index.js';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest } from './schema.js';
import { OtlpDecodeError } from './types.js';

const logsOf = (req: OtlpRequest) => req.resources.flatMap((r) => r.scopes.flatMap((s) => s.logs));
const metricsOf = (req: OtlpRequest) => req.resources.flatMap((r) => r.scopes.flatMap((s) => s.metrics));

describe('decodeOtlp on the Claude Code 2.1.197 captures', () => {
  it('decodes the http/json exports', () => {
    const logs = decodeOtlp('logs', capture('otlp-json/001_v1_logs.json'), 'json');
    expect(logs.resources).toHaveLength(1);
    expect(logs.resources[0]!.attributes['service.name']).toBe('claude-code');
    expect(logs.resources[0]!.scopes[0]!.name).toBe('com.anthropic.claude_code.events');
    const records = logsOf(logs);
    expect(records).toHaveLength(9);
    const request = records[1]!;
    expect(request.body).toBe('claude_code.api_request');
    expect(request.timeMs).toBe(1795390736301);
    expect(request.attributes['event.sequence']).toBe(1);
    expect(request.attributes.input_tokens).toBe(77);
    expect(request.attributes.cost_usd).toBeCloseTo(0.0038403, 7);
    expect(records.every((r) => r.invalid === null)).toBe(true);

    const metrics = decodeOtlp('metrics', capture('otlp-json/002_v1_metrics.json'), 'json');
    const tokens = metricsOf(metrics).find((m) => m.name === 'claude_code.token.usage')!;
    expect(tokens).toMatchObject({ kind: 'sum', temporality: 1, monotonic: true, unit: 'tokens' });
    expect(tokens.points.map((p) => [p.attributes.type, p.value])).toEqual([
      ['input', 342],
      ['output', 393],
      ['cacheRead', 24786],
      ['cacheCreation', 1791],
    ]);
    expect(tokens.points[0]).toMatchObject({
      startNs: '1795390736297000000',
      timeNs: '1795390736539000000',
      timeMs: 1795390736539,
    });
  });

  it('decodes the http/protobuf exports, 64-bit times exactly', () => {
    const logs = decodeOtlp('logs', capture('otlp-protobuf/001_v1_logs.bin'), 'protobuf');
    const records = logsOf(logs);
    expect(records).toHaveLength(9);
    expect(records.map((r) => r.body)).toContain('claude_code.api_request');
    const first = records[0]!;
    expect(first.attributes['session.id']).toBe('0c7ebfa9-82c8-4b17-afd2-ed30ddd63299');
    expect(first.attributes['event.sequence']).toBe(0);
    expect(first.attributes.prompt_length).toBe('46');
    // The capture's nanosecond times are whole milliseconds; a double division would lose one.
    expect(records.every((r) => r.timeMs !== null && r.observedMs === r.timeMs)).toBe(true);
    expect(records[1]!.timeMs).toBe(1795390738576);

    const metrics = decodeOtlp('metrics', capture('otlp-protobuf/002_v1_metrics.bin'), 'protobuf');
    const tokens = metricsOf(metrics).find((m) => m.name === 'claude_code.token.usage')!;
    expect(tokens).toMatchObject({ kind: 'sum', temporality: 1, monotonic: true });
    expect(tokens.points.map((p) => p.value)).toEqual([786, 1029, 26358, 2082]);
    expect(tokens.points[0]).toMatchObject({
      startNs: '1795390738574000000',
      timeNs: '1795390738786000000',
      timeMs: 1795390738786,
    });
  });

  it('decodes the same request identically from JSON and from protobuf', () => {
    for (const [signal, file] of [
      ['logs', 'otlp-json/001_v1_logs.json'],
      ['metrics', 'otlp-json/002_v1_metrics.json'],
    ] as const) {
      const json = capture(file);
      const type = signal === 'logs' ? ExportLogsServiceRequest : ExportMetricsServiceRequest;
      const proto = type.encode(type.fromObject(JSON.parse(json.toString('utf8')))).finish();
      expect(decodeOtlp(signal, proto, 'protobuf')).toEqual(decodeOtlp(signal, json, 'json'));
    }
  });
});

describe('decodeOtlp rejects bodies that are not export requests', () => {
  const bad: Array<[string, string | Uint8Array]> = [
    ['malformed JSON', '{"resourceLogs": ['],
    ['empty body', ''],
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['resourceLogs not an array', '{"resourceLogs": {}}'],
    ['a resource that is not an object', '{"resourceLogs": [1]}'],
    ['scopeLogs not an array', '{"resourceLogs": [{"scopeLogs": "x"}]}'],
    ['logRecords not an array', '{"resourceLogs": [{"scopeLogs": [{"logRecords": {}}]}]}'],
    ['resource attributes not an array', '{"resourceLogs": [{"resource": {"attributes": 3}}]}'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['an overlong UTF-8 sequence', new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d])],
    ['a UTF-8-encoded surrogate', new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])],
    ['a UTF-8 sequence cut short', new Uint8Array([0x7b, 0x7d, 0xe2, 0x82])],
  ];
  for (const [what, body] of bad) {
    it(`JSON: ${what}`, () => {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      expect(() => decodeOtlp('logs', bytes, 'json')).toThrow(OtlpDecodeError);
    });
  }

  it('JSON: a body starting with a byte-order mark, or holding non-ASCII text, decodes', () => {
    const json =
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"user.email","value":{"stringValue":"zoë@acme.example"}}]}}]}';
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(json)]);
    const [resource] = decodeOtlp('logs', bytes, 'json').resources;
    expect(resource!.attributes['user.email']).toBe('zoë@acme.example');
  });

  it('JSON: the error never quotes the body', () => {
    const secret = 'my secret prompt';
    expect(() => decodeOtlp('logs', new TextEncoder().encode(`{"x": ${secret}}`), 'json')).toThrow(
      /^invalid JSON$/,
    );
  });

  it('protobuf: truncated or invalid wire data', () => {
    // Field 1 (resource_logs), length 100, but only two bytes follow.
    expect(() => decodeOtlp('logs', new Uint8Array([0x0a, 100, 1, 2]), 'protobuf')).toThrow(OtlpDecodeError);
    // Wire type 7 does not exist.
    expect(() => decodeOtlp('metrics', new Uint8Array([0x0f, 0x01]), 'protobuf')).toThrow(OtlpDecodeError);
    const truncated = capture('otlp-protobuf/001_v1_logs.bin').subarray(0, 1000);
    expect(() => decodeOtlp('logs', truncated, 'protobuf')).toThrow(OtlpDecodeError);
  });

  it('protobuf: an attribute value sent as "", false or 0 is that value, not absent', () => {
    // Wire bytes written out by hand, so that the schema under test does not also write them.
    const field = (n: number, bytes: number[]) => [(n << 3) | 2, bytes.length, ...bytes];
    const text = (s: string) => [...new TextEncoder().encode(s)];
    const attr = (key: string, anyValue: number[]) =>
      field(6, [...field(1, text(key)), ...field(2, anyValue)]);
    const record = [
      ...attr('s', [0x0a, 0x00]), // string_value ""
      ...attr('b', [0x10, 0x00]), // bool_value false
      ...attr('i', [0x18, 0x00]), // int_value 0
      ...attr('d', [0x21, 0, 0, 0, 0, 0, 0, 0, 0]), // double_value 0
      ...attr('none', []),
      // Two members of the oneof (no conforming encoder sends this): the string is taken.
      ...attr('two', [0x0a, 0x01, 0x78, 0x18, 0x05]),
    ];
    const body = new Uint8Array(field(1, field(2, field(2, record))));
    const [rec] = logsOf(decodeOtlp('logs', body, 'protobuf'));
    const a = rec!.attributes;
    expect([a.s, a.b, a.i, a.d, a.none, a.two]).toEqual(['', false, 0, 0, null, 'x']);

    // A string that is not UTF-8 refuses the request, as protobufjs's own reader does; one that
    // merely contains U+FFFD is valid.
    const withValue = (anyValue: number[]) =>
      new Uint8Array(field(1, field(2, field(2, attr('v', anyValue)))));
    const replacement = text('a\uFFFDb');
    expect(() => decodeOtlp('logs', withValue([0x0a, 3, 0x61, 0xff, 0x62]), 'protobuf')).toThrow(
      OtlpDecodeError,
    );
    const [ok] = logsOf(
      decodeOtlp('logs', withValue([0x0a, replacement.length, ...replacement]), 'protobuf'),
    );
    expect(ok!.attributes.v).toBe('a\uFFFDb');
  });

  it('protobuf: short strings come back exactly, however many share a table slot', () => {
    // Short ASCII strings are shared through a 4,096-slot table keyed by a hash of their bytes:
    // 20,000 distinct values of equal length collide in every slot, and each must still decode to
    // itself, before and after its neighbours, as must non-ASCII, longer and empty strings.
    const values = Array.from({ length: 20_000 }, (_, i) => `v${String(i * 7919).padStart(9, '0')}`);
    values.push('é', 'naïve-ünïcödé', 'x'.repeat(64), 'y'.repeat(65), '');
    const type = ExportLogsServiceRequest;
    const records = (list: string[]) =>
      Array.from({ length: Math.ceil(list.length / 100) }, (_, r) => ({
        attributes: list
          .slice(r * 100, r * 100 + 100)
          .map((v, i) => ({ key: `key.${i}`, value: { stringValue: v } })),
      }));
    for (const list of [values, [...values].reverse(), values]) {
      const body = type
        .encode(type.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: records(list) }] }] }))
        .finish();
      const decoded = logsOf(decodeOtlp('logs', body, 'protobuf')).flatMap((r) =>
        Array.from({ length: Object.keys(r.attributes).length }, (_, i) => r.attributes[`key.${i}`]),
      );
      expect(decoded).toEqual(list);
    }
  });

  it('an empty request is valid', () => {
    expect(decodeOtlp('logs', new Uint8Array(0), 'protobuf').resources).toEqual([]);
    expect(decodeOtlp('metrics', new TextEncoder().encode('{}'), 'json').resources).toEqual([]);
  });
});

describe('decodeOtlp: JSON leniency and malformed items', () => {
  it('accepts 64-bit values as strings or numbers, enum names, snake_case keys; ignores unknown fields', () => {
    const body = {
      resource_logs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'claude-code' } }] },
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: 1795390736151000000,
                  observed_time_unix_nano: '1795390736152000000',
                  trace_id: '5B8EFFF798038103D269B633813FC60C',
                  traceId: '5b8efff798038103d269b633813fc60c',
                  somethingNew: { nested: true },
                  event_name: 'claude_code.user_prompt',
                  attributes: [
                    { key: 'n', value: { int_value: 7 } },
                    { key: 's', value: { intValue: '12' } },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                    { key: 'b', value: { boolValue: true } },
                    {
                      key: 'a',
                      value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } },
                    },
                    {
                      key: 'm',
                      value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } },
                    },
                    { key: 'bytes', value: { bytesValue: 'AQI=' } },
                    { key: 'empty', value: {} },
                    { key: '__proto__', value: { stringValue: 'harmless' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const [rec] = logsOf(decodeOtlp('logs', new TextEncoder().encode(JSON.stringify(body)), 'json'));
    expect(rec).toMatchObject({
      timeMs: 1795390736151,
      observedMs: 1795390736152,
      eventName: 'claude_code.user_prompt',
      invalid: null,
    });
    const a = rec!.attributes;
    expect([a.n, a.s, a.b, a.a, a.empty]).toEqual([7, 12, true, ['x', 1], null]);
    expect(Number.isNaN(a.d)).toBe(true);
    expect({ ...(a.m as object) }).toEqual({ k: 'v' });
    expect(a.bytes).toEqual(new Uint8Array([1, 2]));
    // Nothing inherited: a sender's key can only ever name what the sender sent.
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(key in a, key).toBe(false);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(a))).toBeNull();
    expect(Object.getOwnPropertyDescriptor(a, '__proto__')?.value).toBe('harmless');

    const metrics = metricsRequest({}, [
      {
        name: 'x',
        temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
        points: [{ attrs: {}, start: '1', time: '2000000', value: 3 }],
      },
    ]);
    const [metric] = metricsOf(decodeOtlp('metrics', jsonBody(metrics), 'json'));
    expect(metric).toMatchObject({
      temporality: 2,
      points: [{ startNs: '1', timeNs: '2000000', timeMs: 2 }],
    });
  });

  it('keeps malformed items, marked, without failing the request; mapping rejects and counts them', () => {
    const body = logsRequest({ 'service.name': 'claude-code' }, []);
    const records = (body.resourceLogs as Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }>)[0]!
      .scopeLogs[0]!.logRecords;
    records.push(
      { attributes: 'not an array' },
      'not an object',
      { attributes: [{ key: 1, value: {} }] },
      { attributes: [{ key: 'x', value: { intValue: 'twelve' } }] },
      { timeUnixNano: '-5', attributes: [] },
      { timeUnixNano: 'abc', attributes: [] },
      { body: { stringValue: 7 }, attributes: [] },
    );
    const req = decodeOtlp('logs', jsonBody(body), 'json');
    expect(logsOf(req).map((r) => r.invalid)).toEqual([
      'attributes is not an array',
      'log record is not an object',
      'attribute without a string key',
      'malformed attribute value',
      'invalid timeUnixNano',
      'invalid timeUnixNano',
      'malformed body',
    ]);
    const mapped = mapOtlp(req);
    expect(mapped.items).toBe(7);
    expect(Object.values(mapped.rejected).reduce((a, b) => a + b, 0)).toBe(7);
    expect(mapped.rejected['log record: invalid timeUnixNano']).toBe(2);

    const metrics = metricsRequest({ 'service.name': 'claude-code' }, [
      { name: 'claude_code.token.usage', points: [{ attrs: {}, start: '1', time: '2', value: 1 }] },
    ]) as { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<Record<string, unknown>> }> }> };
    const list = metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    const sum = list[0]!.sum as { dataPoints: Array<Record<string, unknown>> };
    sum.dataPoints.push(
      { asDouble: 'many', attributes: [] },
      { attributes: [] },
      { asInt: '5', attributes: {} },
    );
    list.push('garbage' as never, { name: 'y', sum: { dataPoints: 'no' } });
    const decoded = decodeOtlp('metrics', jsonBody(metrics), 'json');
    expect(metricsOf(decoded).flatMap((m) => m.points.map((p) => p.invalid))).toEqual([
      null,
      'non-numeric data point value',
      'data point without value',
      'attributes is not an array',
      'metric is not an object',
      'dataPoints is not an array',
    ]);
    const mappedMetrics = mapOtlp(decoded);
    expect(mappedMetrics.items).toBe(6);
    // The one well-formed point has no session.id: ignored, not rejected.
    expect(Object.values(mappedMetrics.rejected).reduce((a, b) => a + b, 0)).toBe(5);
  });
});
