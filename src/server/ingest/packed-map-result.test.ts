import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiRequestsBody, capture } from '../../../test/fixtures/otel/payloads.js';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import type { Attributed, OtelMapResult } from '../../sources/otel/types.js';
import { mapOtlpExport, type OtlpExport } from './otlp-records.js';
import { packMapResult, transferablesOf, unpackMapResult } from './packed-map-result.js';

/** What the main thread receives: packed, moved through a real structured clone, unpacked. */
function acrossThreads(mapped: OtelMapResult): OtelMapResult {
  const packed = packMapResult(mapped);
  return unpackMapResult(structuredClone(packed, { transfer: transferablesOf(packed) }));
}

const ALICE = Object.freeze({ 'user.email': 'alice@acme.example', 'user.id': 'install-1' });
const BOB = Object.freeze({ 'user.account_uuid': '6f1c-bob' });

function usage(over: Partial<UsageDraft>): UsageDraft {
  return {
    id: 'u1',
    ts: 1_795_165_200_123,
    source: 'claude_code_otel',
    tool: 'claude-code',
    sessionId: 's1',
    parentSessionId: 'parent-1',
    requestId: 'req_1',
    messageId: 'msg_1',
    model: 'claude-opus-4-6',
    provider: 'anthropic',
    speed: 'fast',
    serviceTier: 'priority',
    inferenceGeo: 'eu',
    tokens: {
      inputUncached: 3,
      cacheRead: 81_234,
      cacheWrite5m: 17,
      cacheWrite1h: 1_024,
      cacheWriteOther: 5,
      output: 900,
      reasoning: 64,
    },
    webSearchRequests: 2,
    credits: 0.75,
    reportedCostUsd: 0.012_345_678_9,
    cwd: '/home/alice/src/app',
    gitBranch: 'feature/ünïcode-✓',
    project: 'app',
    isSubagent: true,
    isSidechain: false,
    granularity: 'request',
    origin: 'otel:claude-code:s1',
    ...over,
  };
}

function activity(over: Partial<ActivityDraft>): ActivityDraft {
  return {
    id: 'a1',
    ts: 1_795_165_200_999,
    source: 'claude_code_otel',
    tool: 'claude-code',
    sessionId: 's1',
    kind: 'prompt',
    name: 'Edit',
    promptLength: 42,
    promptFingerprint: 'fp:abc',
    linesAdded: 12,
    linesRemoved: 3,
    ref: 'refs/heads/main',
    cwd: '/home/alice/src/app',
    gitBranch: 'main',
    isSubagent: false,
    origin: 'otel:claude-code:s1',
    ...over,
  };
}

const NULL_USAGE: Partial<UsageDraft> = {
  parentSessionId: null,
  requestId: null,
  messageId: null,
  model: null,
  speed: null,
  serviceTier: null,
  inferenceGeo: null,
  credits: null,
  reportedCostUsd: null,
  cwd: null,
  gitBranch: null,
  project: null,
};

const NULL_ACTIVITY: Partial<ActivityDraft> = {
  name: null,
  promptLength: null,
  promptFingerprint: null,
  ref: null,
  cwd: null,
  gitBranch: null,
};

const at = <D>(draft: D, rawIdentity: Readonly<Record<string, string>>): Attributed<D> => ({
  draft,
  rawIdentity: rawIdentity as Record<string, string>,
});

describe('packMapResult / unpackMapResult', () => {
  it('gives back every field of every draft, nulls, zeros, flags and identities included', () => {
    const mapped: OtelMapResult = {
      usage: [
        at(usage({}), ALICE),
        // The same values in other string objects, then every nullable field null.
        at(usage({ id: 'u2', sessionId: ['s', '1'].join(''), credits: 0, isSidechain: true }), ALICE),
        at(usage({ id: 'u3', ...NULL_USAGE, isSubagent: false, webSearchRequests: 0 }), BOB),
        at(usage({ id: 'u4', reportedCostUsd: 0, tokens: { ...usage({}).tokens, output: 0 } }), ALICE),
        at(usage({ id: 'u5', granularity: 'day', speed: 'standard', ts: -1 }), BOB),
      ],
      activity: [
        at(activity({}), BOB),
        at(activity({ id: 'a2', ...NULL_ACTIVITY, kind: 'tool_use', isSubagent: true }), ALICE),
        at(activity({ id: 'a3', promptLength: 0, linesAdded: 0 }), ALICE),
      ],
      items: 11,
      rejected: { 'api_request without a model': 2 },
      ignored: { 'claude_code.tool_decision: not metered': 1 },
    };
    const back = acrossThreads(mapped);
    expect(back).toStrictEqual(mapped);
    // Identities stay shared: the person resolver knows them by reference.
    expect(back.usage[1]!.rawIdentity).toBe(back.usage[0]!.rawIdentity);
    expect(back.activity[1]!.rawIdentity).toBe(back.usage[0]!.rawIdentity);
  });

  it('keeps each string once and each run of one identity once', () => {
    const drafts = Array.from({ length: 50 }, (_, i) =>
      at(usage({ id: `u${i}`, requestId: `r${i}` }), ALICE),
    );
    const packed = packMapResult({ usage: drafts, activity: [], items: 50, rejected: {}, ignored: {} });
    // 50 ids, 50 request ids, and each of the 15 other string fields once.
    expect(packed.drafts.strings).toHaveLength(50 + 50 + 15);
    expect(packed.identities).toEqual([ALICE]);
  });

  it('moves its buffers instead of copying them', () => {
    const packed = packMapResult({
      usage: [at(usage({}), ALICE)],
      activity: [at(activity({}), ALICE)],
      items: 2,
      rejected: {},
      ignored: {},
    });
    const buffers = transferablesOf(packed);
    expect(buffers).toHaveLength(2);
    structuredClone(packed, { transfer: buffers });
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
  });

  it('round-trips an empty export', () => {
    const empty: OtelMapResult = { usage: [], activity: [], items: 0, rejected: {}, ignored: {} };
    expect(acrossThreads(empty)).toStrictEqual(empty);
  });

  it('round-trips what Claude Code 2.1.197 exported, and a 300-call export built like it', () => {
    const dir = fileURLToPath(
      new URL('../../../test/fixtures/otel/claude-code-2.1.197/otlp-json', import.meta.url),
    );
    const exports: OtlpExport[] = readdirSync(dir)
      .sort()
      .map((file) => ({
        signal: file.includes('metrics') ? 'metrics' : 'logs',
        encoding: 'json',
        body: new Uint8Array(capture(`otlp-json/${file}`)),
      }));
    exports.push({ signal: 'logs', encoding: 'json', body: apiRequestsBody('packed', 300) });
    let drafts = 0;
    for (const request of exports) {
      const mapped = mapOtlpExport(request);
      drafts += mapped.usage.length + mapped.activity.length;
      expect(acrossThreads(mapped)).toStrictEqual(mapped);
    }
    expect(drafts).toBeGreaterThan(300);
  });
});
