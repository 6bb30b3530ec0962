/**
 * The OTLP receiver end to end: the real Claude Code 2.1.197 export bodies (JSON and protobuf,
 * metrics and events for the same calls) posted to a real server over HTTP, and the ledger read
 * back through the REST API. The numbers must be what the API served, call for call.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { capture, servedUsage } from '../../../test/fixtures/otel/payloads.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { Status } from '../../sources/otel/schema.js';
import type { ReportJson } from '../api/report-json.js';

const LOGS_JSON = ['otlp-json/001_v1_logs.json', 'otlp-json/003_v1_logs.json'];
const METRICS_JSON = ['otlp-json/002_v1_metrics.json', 'otlp-json/004_v1_metrics.json'];
const LOGS_PROTOBUF = ['otlp-protobuf/001_v1_logs.bin'];
const METRICS_PROTOBUF = ['otlp-protobuf/002_v1_metrics.bin'];

/** The order Claude Code sent them in: each session's events, then its metrics. */
const AS_SENT = [
  'otlp-json/001_v1_logs.json',
  'otlp-json/002_v1_metrics.json',
  'otlp-json/003_v1_logs.json',
  'otlp-json/004_v1_metrics.json',
  'otlp-protobuf/001_v1_logs.bin',
  'otlp-protobuf/002_v1_metrics.bin',
];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(settings: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer(settings);
  return server;
}

function post(s: TestServer, file: string, init: { gzip?: boolean; token?: string | null } = {}) {
  const signal = file.includes('logs') ? 'logs' : 'metrics';
  const type = file.endsWith('.bin') ? 'application/x-protobuf' : 'application/json';
  const raw = capture(file);
  const headers: Record<string, string> = { 'content-type': type };
  if (init.gzip) headers['content-encoding'] = 'gzip';
  return s.request(`/v1/${signal}`, {
    method: 'POST',
    token: init.token === undefined ? 'ingest' : init.token,
    headers,
    body: init.gzip ? gzipSync(raw) : raw,
  });
}

async function postAll(s: TestServer, files: string[], init: { gzip?: boolean } = {}) {
  for (const file of files) {
    const res = await post(s, file, init);
    expect(res.status, `${file}: ${await res.clone().text()}`).toBe(200);
  }
}

async function totals(s: TestServer, query = ''): Promise<ReportJson['totals']> {
  const res = await s.request(`/api/v1/reports/daily?tz=UTC${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as ReportJson).totals;
}

/** What the stand-in API served for every call of the capture, summed. */
function served() {
  const sum = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, calls: 0 };
  for (const u of servedUsage().values()) {
    sum.input_tokens += u.input_tokens;
    sum.output_tokens += u.output_tokens;
    sum.cache_read_tokens += u.cache_read_input_tokens;
    sum.cache_write_tokens += u.cache_creation_input_tokens;
    sum.calls += 1;
  }
  return sum;
}

describe('OTLP ingest of the real Claude Code capture', () => {
  it('counts every call once when metrics and events describe the same calls', async () => {
    const s = await open();
    await postAll(s, AS_SENT);
    const t = await totals(s);
    expect(t).toMatchObject(served());
    // The cost the transcripts give (ccusage 20.0.24 agrees): cache writes priced by their real TTL,
    // recovered from the cost Claude Code reports beside the unsplit count.
    expect(t.cost_usd).toBeCloseTo(0.06281865, 10);
  });

  it('gives the same totals whatever order the signals arrive in, and on redelivery', async () => {
    const s = await open();
    // Metrics first: until the events come, the metric points stand for the calls.
    await postAll(s, [...METRICS_JSON, ...METRICS_PROTOBUF]);
    const fromMetrics = await totals(s);
    expect(fromMetrics.input_tokens + fromMetrics.output_tokens).toBe(
      served().input_tokens + served().output_tokens,
    );
    await postAll(s, [...LOGS_PROTOBUF, ...LOGS_JSON]);
    expect(await totals(s)).toMatchObject(served());
    // An exporter retrying after a lost answer sends everything again.
    await postAll(s, AS_SENT, { gzip: true });
    expect(await totals(s)).toMatchObject(served());
  });

  it('accepts chunked bodies, as Claude Code 2.1.191–2.1.211 sent them', async () => {
    const s = await open();
    for (const file of AS_SENT) {
      const raw = capture(file);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          // Several chunks, so the body really arrives in pieces without a Content-Length.
          for (let at = 0; at < raw.length; at += 1000) controller.enqueue(raw.subarray(at, at + 1000));
          controller.close();
        },
      });
      const res = await s.request(`/v1/${file.includes('logs') ? 'logs' : 'metrics'}`, {
        method: 'POST',
        token: 'ingest',
        headers: { 'content-type': file.endsWith('.bin') ? 'application/x-protobuf' : 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status, await res.text()).toBe(200);
    }
    expect(await totals(s)).toMatchObject(served());
  });

  it('attributes the calls to the resource user.email, whom an engineer token of theirs can read', async () => {
    const s = await open({ tokens: [{ name: 'dev', role: 'engineer', person: 'dev@acme.example' }] });
    await postAll(s, AS_SENT);
    const res = await s.request('/api/v1/reports/daily?tz=UTC', { token: 'dev' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReportJson).totals).toMatchObject(served());
    const people = await s.request('/api/v1/reports/daily?tz=UTC&person=dev@acme.example', {
      token: 'admin',
    });
    const text = await people.text();
    expect(people.status, text).toBe(200);
    expect((JSON.parse(text) as ReportJson).totals.calls).toBe(served().calls);
  });
});

describe('bad OTLP requests get a 4xx naming the problem, and store nothing', () => {
  const cases: Array<{
    what: string;
    path?: string;
    type?: string;
    encoding?: string;
    token?: string | null;
    body: () => Uint8Array | string;
    status: number;
    says: RegExp;
  }> = [
    { what: 'malformed JSON', body: () => '{"resourceLogs": [', status: 400, says: /not an otlp logs/i },
    {
      what: 'JSON of the wrong types',
      body: () => JSON.stringify({ resourceLogs: 'yes' }),
      status: 400,
      says: /resourceLogs/,
    },
    {
      what: 'a JSON value that is not an object',
      body: () => '[1,2,3]',
      status: 400,
      says: /not an otlp logs/i,
    },
    {
      what: 'malformed protobuf',
      type: 'application/x-protobuf',
      // Field 1, length-delimited, claiming far more bytes than follow.
      body: () => new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]),
      status: 400,
      says: /not an otlp logs/i,
    },
    {
      what: 'a body that says gzip but is not',
      encoding: 'gzip',
      body: () => capture(LOGS_JSON[0]!),
      status: 400,
      says: /gzip/i,
    },
    {
      what: 'a body over the size limit',
      body: () => JSON.stringify({ resourceLogs: [], pad: 'x'.repeat(300_000) }),
      status: 413,
      says: /larger than 262144 bytes/,
    },
    {
      what: 'a gzip body that inflates over the size limit',
      encoding: 'gzip',
      body: () => gzipSync(JSON.stringify({ resourceLogs: [], pad: ' '.repeat(5_000_000) })),
      status: 413,
      says: /larger than 262144 bytes/,
    },
    {
      what: 'an unknown content type',
      type: 'text/plain',
      body: () => 'hello',
      status: 415,
      says: /json|protobuf/,
    },
    { what: 'no token', token: null, body: () => capture(LOGS_JSON[0]!), status: 401, says: /token/i },
    {
      what: 'a wrong token',
      token: 'ty_wrong',
      body: () => capture(LOGS_JSON[0]!),
      status: 401,
      says: /not known/,
    },
    {
      what: 'a user token sending telemetry',
      token: 'dev',
      body: () => capture(LOGS_JSON[0]!),
      status: 403,
      says: /ingest token/,
    },
  ];

  it.each(cases)('$what → $status', async (c) => {
    const s = await open({
      tokens: [{ name: 'dev', role: 'engineer', person: 'dev@acme.example' }],
      settings: { maxBodyBytes: 256 * 1024 },
    });
    const headers: Record<string, string> = { 'content-type': c.type ?? 'application/json' };
    if (c.encoding) headers['content-encoding'] = c.encoding;
    const res = await s.request(c.path ?? '/v1/logs', {
      method: 'POST',
      token: c.token === undefined ? 'ingest' : c.token,
      headers,
      body: c.body(),
    });
    expect(res.status).toBe(c.status);
    // OTLP/HTTP errors are a google.rpc.Status in the request's encoding.
    const bytes = new Uint8Array(await res.arrayBuffer());
    const status =
      res.headers.get('content-type') === 'application/x-protobuf'
        ? (Status.toObject(Status.decode(bytes)) as { code: number; message: string })
        : (JSON.parse(new TextDecoder().decode(bytes)) as { code: number; message: string });
    expect(status.message).toMatch(c.says);
    expect(status.code).toBeGreaterThan(0);
    expect(await totals(s)).toMatchObject({ calls: 0, total_tokens: 0 });
  });

  it('another person’s data is refused to an engineer, and the refusal stores nothing', async () => {
    const s = await open({ tokens: [{ name: 'dev', role: 'engineer', person: 'dev@acme.example' }] });
    await postAll(s, AS_SENT);
    const res = await s.request('/api/v1/reports/daily?person=someone.else@acme.example', { token: 'dev' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /own|yourself|person/i,
    );
    const reading = await s.request('/api/v1/reports/daily', { token: 'ingest' });
    expect(reading.status).toBe(403);
    expect(await totals(s)).toMatchObject(served());
  });
});
