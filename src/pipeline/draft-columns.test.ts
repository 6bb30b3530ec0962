import { describe, expect, it } from 'vitest';
import type { ActivityDraft, UsageDraft } from '../ledger/records.js';
import { type DraftColumns, DraftEncoder, decodeDrafts } from './draft-columns.js';

const usage = (over: Partial<UsageDraft> = {}): UsageDraft => ({
  id: 'cc:msg_1:req_1',
  ts: 1_764_000_000_123,
  source: 'claude_code_jsonl',
  tool: 'claude-code',
  sessionId: 's1',
  parentSessionId: null,
  requestId: 'req_1',
  messageId: 'msg_1',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  speed: null,
  serviceTier: 'standard',
  inferenceGeo: null,
  tokens: {
    inputUncached: 3,
    cacheRead: 120_000,
    cacheWrite5m: 50,
    cacheWrite1h: 7,
    cacheWriteOther: 0,
    output: 900,
    reasoning: 0,
  },
  webSearchRequests: 0,
  credits: null,
  reportedCostUsd: null,
  cwd: '/home/u/p',
  gitBranch: 'main',
  project: '/home/u/p',
  isSubagent: false,
  isSidechain: false,
  granularity: 'request',
  origin: '/home/u/.claude/projects/p/s1.jsonl',
  ...over,
});

const activity = (over: Partial<ActivityDraft> = {}): ActivityDraft => ({
  id: 'cc:act:1',
  ts: 1_764_000_000_456,
  source: 'claude_code_jsonl',
  tool: 'claude-code',
  sessionId: 's1',
  kind: 'prompt',
  name: null,
  promptLength: 42,
  promptFingerprint: 'abcd',
  linesAdded: 0,
  linesRemoved: 0,
  ref: null,
  cwd: '/home/u/p',
  gitBranch: null,
  isSubagent: false,
  origin: '/home/u/.claude/projects/p/s1.jsonl',
  ...over,
});

function roundTrip(columns: DraftColumns) {
  const u: UsageDraft[] = [];
  const a: ActivityDraft[] = [];
  decodeDrafts(
    columns,
    (d) => u.push(d),
    (d) => a.push(d),
  );
  return { u, a };
}

describe('draft columns', () => {
  it('decodes exactly what was encoded, nulls and flags included', () => {
    const drafts = [
      usage(),
      usage({
        id: 'cc:line:s2:9',
        requestId: null,
        messageId: null,
        model: null,
        speed: 'fast',
        inferenceGeo: 'us',
        credits: 1.5,
        reportedCostUsd: 0.25,
        parentSessionId: 's2',
        cwd: null,
        gitBranch: null,
        project: null,
        isSubagent: true,
        isSidechain: true,
        webSearchRequests: 2,
      }),
    ];
    const acts = [
      activity(),
      activity({
        id: 'cc:act:2',
        kind: 'lines_changed',
        name: 'Edit',
        promptLength: null,
        promptFingerprint: null,
        linesAdded: 12,
        linesRemoved: 3,
        ref: 'abc1234',
        isSubagent: true,
      }),
    ];
    const enc = new DraftEncoder();
    for (const d of drafts) enc.addUsage(structuredClone(d));
    for (const d of acts) enc.addActivity(structuredClone(d));
    expect(enc.size).toBe(4);
    const { u, a } = roundTrip(enc.take());
    expect(u).toEqual(drafts);
    expect(a).toEqual(acts);
    expect(enc.size).toBe(0);
  });

  it('stores each distinct string once per batch and starts a fresh table after take()', () => {
    const enc = new DraftEncoder();
    for (let i = 0; i < 100; i++) enc.addUsage(usage({ id: `cc:m${i}` }));
    const first = enc.take();
    // 100 ids plus the strings every record shares.
    expect(first.strings.filter((s) => s === '/home/u/p')).toHaveLength(1);
    expect(first.strings.length).toBeLessThan(120);
    enc.addActivity(activity());
    const second = enc.take();
    expect(second.usageCount).toBe(0);
    expect(roundTrip(second).a).toEqual([activity()]);
  });

  it('keeps a value once when runs of it alternate with others, and decodes each record right', () => {
    const enc = new DraftEncoder();
    const models = ['claude-opus-4-6', 'claude-haiku-4-5'];
    const drafts = Array.from({ length: 10 }, (_, i) =>
      // Rebuilt strings: equal in content, not the same objects.
      usage({ id: `cc:m${i}`, model: [models[i % 2]!].join(''), cwd: i < 5 ? '/a' : '/b' }),
    );
    for (const d of drafts) enc.addUsage(d);
    // After a cwd run of /b, /a comes back: the map, not the last value, must find it.
    enc.addUsage(usage({ id: 'cc:last', cwd: '/a' }));
    const columns = enc.take();
    for (const s of [...models, '/a', '/b']) expect(columns.strings.filter((x) => x === s)).toHaveLength(1);
    expect(roundTrip(columns).u).toEqual([...drafts, usage({ id: 'cc:last', cwd: '/a' })]);
  });

  it('survives a transfer to another thread unchanged', async () => {
    const { MessageChannel } = await import('node:worker_threads');
    const enc = new DraftEncoder();
    enc.addUsage(usage());
    const columns = enc.take();
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<DraftColumns>((resolve) => port2.once('message', resolve));
    port1.postMessage(columns, [columns.numbers.buffer as ArrayBuffer]);
    const got = await received;
    port1.close();
    expect(columns.numbers.byteLength).toBe(0); // transferred, not copied
    expect(roundTrip(got).u).toEqual([usage()]);
  });
});
