import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/fixtures/otel/payloads.js';
import { OTLP_JSON_ELEMENTS } from './decode-json.js';
import { PIECE_BYTES, parseJsonInPieces, planPieces } from './json-in-pieces.js';

const LOGS = OTLP_JSON_ELEMENTS.logs;
const utf8 = new TextDecoder('utf-8', { fatal: true });
type Json = Record<string, unknown>;

/** The real Claude Code 2.1.197 export, its log records repeated `copies` times (ids kept apart). */
function capturedLogs(copies: number): { text: string; records: number } {
  const request = JSON.parse(capture('otlp-json/001_v1_logs.json').toString('utf8'));
  const scope = request.resourceLogs[0].scopeLogs[0];
  const records = scope.logRecords as Json[];
  scope.logRecords = Array.from({ length: copies }, (_, copy) =>
    records.map((r) => ({ ...r, timeUnixNano: String(BigInt(r.timeUnixNano as string) + BigInt(copy)) })),
  ).flat();
  return { text: JSON.stringify(request), records: scope.logRecords.length };
}

/** What the server must get: exactly `JSON.parse` of the decoded text, or its error class. */
function expectSameAsJsonParse(bytes: Uint8Array, keys = LOGS) {
  let expected: unknown;
  let expectedError: string | null = null;
  try {
    expected = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    expectedError = (err as Error).constructor.name;
  }
  let actual: unknown;
  let actualError: string | null = null;
  try {
    actual = parseJsonInPieces(bytes, keys);
  } catch (err) {
    actualError = (err as Error).constructor.name;
  }
  expect(actualError).toBe(expectedError);
  if (!expectedError) expect(actual).toStrictEqual(expected);
}

/** A deterministic generator, so that a failure names a case that can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('parseJsonInPieces', () => {
  it('parses a large Claude Code export in pieces, to exactly what JSON.parse gives', () => {
    const { text, records } = capturedLogs(40);
    const bytes = Buffer.from(text);
    expect(bytes.length).toBeGreaterThan(400_000);
    const plan = planPieces(bytes, LOGS);
    // The pieces hold all but the first record and the last few, and the rest fits in one piece.
    const inPieces = plan?.runs.flatMap((r) => r.elements.flat()).length ?? 0;
    expect(inPieces).toBeGreaterThan(records - 40);
    expect(plan?.outerBytes).toBeLessThanOrEqual(PIECE_BYTES);
    for (const run of plan?.runs ?? [])
      for (const piece of run.elements)
        expect(Buffer.byteLength(JSON.stringify(piece))).toBeLessThanOrEqual(PIECE_BYTES);
    expectSameAsJsonParse(bytes);
  });

  it('parses small texts whole', () => {
    expectSameAsJsonParse(capture('otlp-json/001_v1_logs.json'));
    expect(parseJsonInPieces(Buffer.from('[1,2]'), LOGS)).toEqual([1, 2]);
  });

  it('cuts a gateway batch of many small resources between resources', () => {
    const resources = Array.from({ length: 600 }, (_, i) => ({
      resource: { attributes: [{ key: 'user.email', value: { stringValue: `dev${i}@acme.example` } }] },
      scopeLogs: [
        {
          scope: { name: 'com.anthropic.claude_code.events' },
          logRecords: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
            timeUnixNano: `${1795390736301000000 + i * 10 + j}`,
            attributes: [{ key: 'request_id', value: { stringValue: `req_${i}_${j}` } }],
          })),
        },
      ],
    }));
    const bytes = Buffer.from(JSON.stringify({ resourceLogs: resources }));
    expect(bytes.length).toBeGreaterThan(2 * PIECE_BYTES);
    expect(planPieces(bytes, LOGS)?.outerBytes).toBeLessThanOrEqual(2 * PIECE_BYTES);
    expectSameAsJsonParse(bytes);
  });

  it('cuts a large metrics export between data points', () => {
    const request = JSON.parse(capture('otlp-json/002_v1_metrics.json').toString('utf8'));
    const metric = request.resourceMetrics[0].scopeMetrics[0].metrics[0];
    const kind = ['sum', 'gauge', 'histogram'].find((k) => metric[k] !== undefined)!;
    const points = metric[kind].dataPoints as Json[];
    metric[kind].dataPoints = Array.from({ length: 600 }, (_, i) => ({
      ...points[i % points.length],
      timeUnixNano: String(1795390736539000000n + BigInt(i)),
    }));
    const bytes = Buffer.from(JSON.stringify(request));
    expect(bytes.length).toBeGreaterThan(2 * PIECE_BYTES);
    expect(planPieces(bytes, OTLP_JSON_ELEMENTS.metrics)?.outerBytes).toBeLessThanOrEqual(PIECE_BYTES);
    expectSameAsJsonParse(bytes, OTLP_JSON_ELEMENTS.metrics);
  });

  it('is exact for resources of very different sizes, nested arrays and awkward text', () => {
    const next = random(7);
    const awkward = [
      '},{"timeUnixNano":"1"}', // the cut pattern, inside a string
      '"},{"timeUnixNano"',
      '\\",{"',
      '東京のプロンプト 🚀 ünïcödé',
      '\u0000tokenyield:0000000000000000:0', // shaped like a placeholder, without the secret
      '',
    ];
    const record = (i: number) => ({
      timeUnixNano: `${1795390736301000000 + i}`,
      body: { stringValue: awkward[next(awkward.length)] },
      attributes: [
        { key: 'prompt', value: { stringValue: awkward[next(awkward.length)]!.repeat(1 + next(40)) } },
        { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: '},{' }] } } },
        { key: '__proto__', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
      ],
      // An own `__proto__` key, as JSON.parse makes it (an object literal would set the prototype).
      ...JSON.parse('{"__proto__":{"timeUnixNano":"not a prototype"}}'),
    });
    const sizes = [1, 700, 3, 0, 250, 1];
    let n = 0;
    const body = {
      resourceLogs: sizes.map((count, r) => ({
        resource: { attributes: [{ key: 'n', value: { intValue: String(r) } }] },
        scopeLogs: [{ scope: { name: 's' }, logRecords: Array.from({ length: count }, () => record(n++)) }],
      })),
    };
    const text = JSON.stringify(body);
    expectSameAsJsonParse(Buffer.from(text));
    // The same text pretty-printed has no `},{"` to cut at: it is parsed whole, the same.
    expectSameAsJsonParse(Buffer.from(JSON.stringify(body, null, 1)));
  });

  it('fails exactly where JSON.parse fails, on damaged bodies', () => {
    const bytes = Buffer.from(capturedLogs(25).text);
    const next = random(42);
    for (let i = 0; i < 120; i++) {
      const damaged = Buffer.from(bytes);
      const at = next(damaged.length);
      switch (i % 4) {
        case 0:
          expectSameAsJsonParse(damaged.subarray(0, at));
          continue;
        case 1:
          damaged[at] = '{}[]",:\\x'.charCodeAt(next(9));
          break;
        case 2:
          damaged[at] = 0xc3; // a UTF-8 lead byte without its continuation
          break;
        default:
          damaged[at] = next(256);
      }
      expectSameAsJsonParse(damaged);
    }
  });

  it('reports bytes that are not UTF-8 as the decoder does', () => {
    const bytes = Buffer.from(capturedLogs(25).text);
    bytes[Math.floor(bytes.length / 2)] = 0xff;
    expect(() => parseJsonInPieces(bytes, LOGS)).toThrow(
      expect.objectContaining({ code: 'ERR_ENCODING_INVALID_ENCODED_DATA' }),
    );
  });

  it('parses a view into a larger buffer', () => {
    const text = Buffer.from(`xxxx${capturedLogs(25).text}yyyy`);
    const view = text.subarray(4, text.length - 4);
    expectSameAsJsonParse(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  });
});
