import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  capture,
  jsonBody,
  type MetricSpec,
  metricsRequest,
  type Plain,
  servedUsage,
} from '../../../test/fixtures/otel/payloads.js';
import type { UsageRecord } from '../../ledger/records.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { decodeOtlp, mapOtlp, type OtelMapResult } from './index.js';

const METRIC_EXPORTS = [
  ['otlp-json/002_v1_metrics.json', 'json'],
  ['otlp-json/004_v1_metrics.json', 'json'],
  ['otlp-protobuf/002_v1_metrics.bin', 'protobuf'],
] as const;
const LOG_EXPORTS = [
  ['otlp-json/001_v1_logs.json', 'json'],
  ['otlp-json/003_v1_logs.json', 'json'],
  ['otlp-protobuf/001_v1_logs.bin', 'protobuf'],
] as const;

function mapped(
  signal: 'logs' | 'metrics',
  files: typeof METRIC_EXPORTS | typeof LOG_EXPORTS,
): OtelMapResult[] {
  return files.map(([file, encoding]) => mapOtlp(decodeOtlp(signal, capture(file), encoding)));
}

type Sums = Record<string, { input: number; output: number; cacheRead: number; cacheWrite: number }>;

function sumsBySession(rows: ReadonlyArray<{ sessionId: string; tokens: UsageRecord['tokens'] }>): Sums {
  const out: Sums = {};
  for (const { sessionId, tokens: t } of rows) {
    out[sessionId] ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    const s = out[sessionId];
    s.input += t.inputUncached;
    s.output += t.output;
    s.cacheRead += t.cacheRead;
    s.cacheWrite += t.cacheWrite5m + t.cacheWrite1h;
  }
  return out;
}

const SESSIONS: Record<string, string[]> = {
  '2b7bd622-44f4-4526-bf9d-bfbc5a02ca44': ['req_cap_1', 'req_cap_2', 'req_cap_3'],
  '14a9e392-f219-453b-8f83-8a99a0ad7f34': ['req_cap_4'],
  '0c7ebfa9-82c8-4b17-afd2-ed30ddd63299': ['req_cap_5', 'req_cap_6', 'req_cap_7'],
};

function servedSums(): Sums {
  const served = servedUsage();
  const out: Sums = {};
  for (const [session, ids] of Object.entries(SESSIONS)) {
    const s = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    out[session] = s;
    for (const id of ids) {
      const u = served.get(id)!;
      s.input += u.input_tokens;
      s.output += u.output_tokens;
      s.cacheRead += u.cache_read_input_tokens;
      s.cacheWrite += u.cache_creation_input_tokens;
    }
  }
  return out;
}

describe('Claude Code metrics of the 2.1.197 capture', () => {
  it('become interval drafts that are sidechain copies of their session, summing to the served usage', () => {
    const results = mapped('metrics', METRIC_EXPORTS);
    const usage = results.flatMap((r) => r.usage.map((u) => u.draft));
    // One draft per non-zero data point: 4 + 3 (session 2 wrote no cache) + 4.
    expect(usage).toHaveLength(11);
    for (const u of usage) {
      expect(u).toMatchObject({
        source: 'claude_code_otel',
        granularity: 'interval',
        isSidechain: true,
        messageId: `otel-session:claude-code:${u.sessionId}`,
        requestId: null,
        model: 'claude-sonnet-4-5',
      });
      expect(u.id).toMatch(/^ccm:[0-9a-f]{16}:\d{19}:\d{19}$/);
    }
    expect(sumsBySession(usage)).toEqual(servedSums());

    const events = mapped('logs', LOG_EXPORTS).flatMap((r) => r.usage.map((u) => u.draft));
    expect(sumsBySession(events)).toEqual(servedSums());
    for (const e of events) expect(e).toMatchObject({ isSidechain: false, granularity: 'request' });
    // The events carry the same session message ids, which is what supersedes the metrics.
    expect(new Set(events.map((e) => e.messageId))).toEqual(new Set(usage.map((u) => u.messageId)));
  });

  it('maps lines_of_code to lines_changed activity and ignores the other counters with reasons', () => {
    const results = mapped('metrics', METRIC_EXPORTS);
    const lines = results.flatMap((r) => r.activity.map((a) => a.draft));
    // Claude Code counts 25 and 10 lines for files of 24 and 9 lines.
    expect(lines.map((a) => [a.kind, a.linesAdded, a.linesRemoved])).toEqual([
      ['lines_changed', 25, 0],
      ['lines_changed', 10, 0],
    ]);
    expect(results.map((r) => r.items)).toEqual([11, 7, 11]);
    expect(results[0]!.rejected).toEqual({});
    expect(results[0]!.ignored).toEqual({
      'claude_code.session.count: not metered': 1,
      'claude_code.lines_of_code.count: zero': 1,
      'claude_code.commit.count: commits come from tool_result events': 1,
      'claude_code.cost.usage: recomputed from tokens': 1,
      'claude_code.code_edit_tool.decision: decisions come from tool_decision events': 1,
      'claude_code.active_time.total: not metered': 1,
    });
  });
});

describe('the supersession convention in the real store', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokenyield-otel-'));
  let n = 0;
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const records = (results: OtelMapResult[]): UsageRecord[] =>
    results.flatMap((r) =>
      r.usage.map(({ draft, rawIdentity }) => ({
        ...draft,
        personId: 'dev',
        rawIdentity,
        costUsd: null,
        costBasis: 'unpriced' as const,
        priceVersion: null,
      })),
    );

  async function storedSums(batches: UsageRecord[][]): Promise<Sums> {
    const store = await openDuckDbStore({ path: join(root, `ledger-${++n}.duckdb`) });
    try {
      for (const usage of batches) await store.write({ usage, activity: [], checkpoints: [] });
      const rows = await store.usage({ groupBy: 'session', timeZone: 'UTC' });
      return Object.fromEntries(
        rows.map((r) => [
          r.key,
          { input: r.inputUncached, output: r.output, cacheRead: r.cacheRead, cacheWrite: r.cacheWrite5m },
        ]),
      );
    } finally {
      await store.close();
    }
  }

  it('counts a session once whether metrics or events arrive first, and metrics alone when events never do', async () => {
    const metrics = records(mapped('metrics', METRIC_EXPORTS));
    const events = records(mapped('logs', LOG_EXPORTS));
    expect(await storedSums([metrics, events])).toEqual(servedSums());
    expect(await storedSums([events, metrics])).toEqual(servedSums());
    expect(await storedSums([metrics, metrics])).toEqual(servedSums());
    // Events of session 2 only: sessions 1 and 3 are still counted from their metrics.
    const session2 = events.filter((e) => e.sessionId === '14a9e392-f219-453b-8f83-8a99a0ad7f34');
    expect(await storedSums([metrics, session2])).toEqual(servedSums());
  });

  it('keeps the latest value of a cumulative counter and every interval of a delta one', async () => {
    const exports = [100, 250].map((value, i) =>
      records([mapTokens(2, [{ type: 'output', start: '1000000000', time: `${2 + i}000000000`, value }])]),
    );
    expect(exports[0]![0]!.id).toBe(exports[1]![0]!.id);
    expect((await storedSums(exports)).s1!.output).toBe(250);
    expect((await storedSums([exports[1]!, exports[0]!])).s1!.output).toBe(250);

    const deltas = [100, 150].map((value, i) =>
      records([
        mapTokens(1, [{ type: 'output', start: `${1 + i}000000000`, time: `${2 + i}000000000`, value }]),
      ]),
    );
    expect(deltas[0]![0]!.id).not.toBe(deltas[1]![0]!.id);
    // The second batch is a retransmit of the first export plus the next one.
    expect((await storedSums([deltas[0]!, [...deltas[0]!, ...deltas[1]!]])).s1!.output).toBe(250);
  });
});

const RESOURCE = { 'service.name': 'claude-code', 'user.email': 'dev@acme.example' };

interface TokenPoint {
  type: string;
  start: string;
  time: string;
  value: number;
  attrs?: Record<string, Plain>;
}

function mapTokens(temporality: number | string, points: TokenPoint[], name = 'claude_code.token.usage') {
  return mapMetricSpecs([
    {
      name,
      temporality,
      points: points.map((p) => ({
        attrs: { 'session.id': 's1', model: 'claude-opus-4-6', type: p.type, ...p.attrs },
        start: p.start,
        time: p.time,
        value: p.value,
      })),
    },
  ]);
}

function mapMetricSpecs(specs: MetricSpec[], resource: Record<string, Plain> = RESOURCE): OtelMapResult {
  return mapOtlp(decodeOtlp('metrics', jsonBody(metricsRequest(resource, specs)), 'json'));
}

describe('Claude Code counter mapping rules', () => {
  it('names a delta point by series and interval, a cumulative one by series and start', () => {
    const delta = mapTokens(1, [
      { type: 'input', start: '1000000000', time: '2000000000', value: 5 },
      { type: 'cacheCreation', start: '1000000000', time: '2000000000', value: 7 },
    ]).usage.map((u) => u.draft);
    expect(delta.map((d) => d.id.split(':').slice(2))).toEqual([
      ['1000000000', '2000000000'],
      ['1000000000', '2000000000'],
    ]);
    expect(delta[0]!.id).not.toBe(delta[1]!.id);
    expect(delta.map((d) => [d.tokens.inputUncached, d.tokens.cacheWrite5m, d.ts])).toEqual([
      [5, 0, 2000],
      [0, 7, 2000],
    ]);
    const cumulative = mapTokens('AGGREGATION_TEMPORALITY_CUMULATIVE', [
      { type: 'input', start: '1000000000', time: '2000000000', value: 5 },
    ]).usage[0]!.draft;
    expect(cumulative.id.split(':').slice(2)).toEqual(['1000000000']);

    // Another resource (another machine or user) is another series.
    const elsewhere = mapMetricSpecs(
      [
        {
          name: 'claude_code.token.usage',
          points: [
            {
              attrs: { 'session.id': 's1', model: 'claude-opus-4-6', type: 'input' },
              start: '1000000000',
              time: '2000000000',
              value: 5,
            },
          ],
        },
      ],
      { ...RESOURCE, 'user.email': 'other@acme.example' },
    ).usage[0]!.draft;
    expect(elsewhere.id).not.toBe(delta[0]!.id);
  });

  it('ignores points that cannot be reconciled with events, rejects unusable ones', () => {
    const result = mapTokens(1, [
      { type: 'input', start: '1', time: '2', value: 5, attrs: { 'session.id': null } },
      { type: 'input', start: '1', time: '2', value: 0 },
      { type: 'mystery', start: '1', time: '2', value: 5 },
      { type: 'input', start: '1', time: '2', value: 1.5 },
      { type: 'input', start: '1', time: '2', value: -3 },
      { type: 'input', start: '1', time: '2', value: 5, attrs: { model: null } },
      { type: 'input', start: '1', time: '2', value: 5, attrs: { query_source: 'subagent', speed: 'fast' } },
    ]);
    expect(result.ignored).toEqual({
      'claude_code.token.usage: no session.id (cannot be reconciled with events)': 1,
      'claude_code.token.usage: zero': 1,
      'claude_code.token.usage: unknown type': 1,
    });
    expect(result.rejected).toEqual({
      'claude_code.token.usage: value is not a non-negative integer': 2,
      'claude_code.token.usage: no model': 1,
    });
    expect(result.usage.map((u) => [u.draft.isSubagent, u.draft.speed])).toEqual([[true, 'fast']]);
    expect(mapTokens(0, [{ type: 'input', start: '1', time: '2', value: 5 }]).rejected).toEqual({
      'claude_code.token.usage: no aggregation temporality': 1,
    });
  });

  it('ignores non-sum shapes, unknown metrics and cumulative line counters', () => {
    const result = mapMetricSpecs([
      {
        name: 'claude_code.token.usage',
        kind: 'gauge',
        points: [{ attrs: { 'session.id': 's1' }, start: '1', time: '2', value: 1 }],
      },
      { name: 'claude_code.brand_new', points: [{ attrs: {}, start: '1', time: '2', value: 1 }] },
      {
        name: 'http.server.duration',
        kind: 'histogram',
        points: [{ attrs: {}, start: '1', time: '2', value: 1 }],
      },
      {
        name: 'claude_code.lines_of_code.count',
        temporality: 2,
        points: [{ attrs: { 'session.id': 's1', type: 'added' }, start: '1', time: '2', value: 3 }],
      },
    ]);
    expect(result.items).toBe(4);
    expect(result.ignored).toEqual({
      'claude_code.token.usage: not a sum': 1,
      'claude_code.brand_new: not metered': 1,
      'http.server.duration: not metered': 1,
      'claude_code.lines_of_code.count: cumulative temporality not supported': 1,
    });
    const foreign = mapMetricSpecs(
      [{ name: 'http.server.duration', points: [{ attrs: {}, start: '1', time: '2', value: 1 }] }],
      { 'service.name': 'checkout' },
    );
    expect(foreign.ignored).toEqual({ 'http.server.duration: unknown metric': 1 });
  });
});
