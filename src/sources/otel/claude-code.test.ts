import { describe, expect, it } from 'vitest';
import {
  capture,
  jsonBody,
  type LogSpec,
  logsRequest,
  type Plain,
  servedUsage,
} from '../../../test/fixtures/otel/payloads.js';
import { promptFingerprint } from '../fingerprint.js';
import { decodeOtlp, mapOtlp, type OtelMapResult } from './index.js';

/** Every log export of the capture: sessions 1 and 2 as http/json, session 3 as http/protobuf. */
const LOG_EXPORTS = [
  ['otlp-json/001_v1_logs.json', 'json'],
  ['otlp-json/003_v1_logs.json', 'json'],
  ['otlp-protobuf/001_v1_logs.bin', 'protobuf'],
] as const;

function captured(): OtelMapResult[] {
  return LOG_EXPORTS.map(([file, encoding]) => mapOtlp(decodeOtlp('logs', capture(file), encoding)));
}

const SESSION_1 = '2b7bd622-44f4-4526-bf9d-bfbc5a02ca44';
const SESSION_3 = '0c7ebfa9-82c8-4b17-afd2-ed30ddd63299';

describe('Claude Code events of the 2.1.197 capture', () => {
  it('api_request tokens equal what the API served, per request id, in all three sessions', () => {
    const served = servedUsage();
    const usage = captured().flatMap((r) => r.usage.map((u) => u.draft));
    expect(usage.map((u) => u.requestId).sort()).toEqual([...served.keys()].sort());
    expect(new Set(usage.map((u) => u.sessionId)).size).toBe(3);
    for (const u of usage) {
      const truth = served.get(u.requestId!)!;
      expect(u.id).toBe(`cco:req:${u.requestId}`);
      expect({
        input: u.tokens.inputUncached,
        output: u.tokens.output,
        cacheRead: u.tokens.cacheRead,
        cacheCreation: u.tokens.cacheWrite5m + u.tokens.cacheWrite1h,
      }).toEqual({
        input: truth.input_tokens,
        output: truth.output_tokens,
        cacheRead: truth.cache_read_input_tokens,
        cacheCreation: truth.cache_creation_input_tokens,
      });
    }
    // OTel does not split cache writes by TTL: req_cap_6's 694 one-hour tokens arrive as 5-minute.
    const six = usage.find((u) => u.requestId === 'req_cap_6')!;
    expect(served.get('req_cap_6')!.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 1388,
      ephemeral_1h_input_tokens: 694,
    });
    expect(six.tokens).toMatchObject({ cacheWrite5m: 2082, cacheWrite1h: 0 });
  });

  it('maps every field of an api_request draft', () => {
    const [first] = captured();
    expect(first!.usage[0]).toEqual({
      draft: {
        id: 'cco:req:req_cap_1',
        ts: Date.parse('2026-11-22T23:38:56.300Z'),
        source: 'claude_code_otel',
        tool: 'claude-code',
        sessionId: SESSION_1,
        parentSessionId: null,
        requestId: 'req_cap_1',
        messageId: `otel-session:claude-code:${SESSION_1}`,
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        speed: 'standard',
        serviceTier: null,
        inferenceGeo: null,
        tokens: {
          inputUncached: 77,
          cacheRead: 8131,
          cacheWrite5m: 0,
          cacheWrite1h: 0,
          cacheWriteOther: 0,
          output: 78,
          reasoning: 0,
        },
        webSearchRequests: 0,
        credits: null,
        reportedCostUsd: 0.0038402999999999996,
        cwd: null,
        gitBranch: null,
        project: null,
        // query_source "sdk" is the main thread of an SDK session.
        isSubagent: false,
        isSidechain: false,
        granularity: 'request',
        origin: `otel:claude-code:${SESSION_1}`,
      },
      rawIdentity: {
        'user.email': 'dev@acme.example',
        'user.id': '16c081e17140eb0ec9c9bc387a045120549c88cc8d8a846a743f1191752e49c5',
      },
    });
  });

  it('maps prompts, tool results, commits and decisions; counts every record once', () => {
    const results = captured();
    const kinds = results.map((r) => r.activity.map((a) => [a.draft.kind, a.draft.name, a.draft.id]));
    expect(kinds[2]).toEqual([
      ['prompt', null, `cco:prompt:${SESSION_3}:21563ec4-06c7-4b77-9734-807354480853`],
      ['decision', 'Write', `cco:decision:${SESSION_3}:toolu_cap_5`],
      ['tool_use', 'Write', `cco:tool_use:${SESSION_3}:toolu_cap_5`],
      ['decision', 'Bash', `cco:decision:${SESSION_3}:toolu_cap_6`],
      ['tool_use', 'Bash', `cco:tool_use:${SESSION_3}:toolu_cap_6`],
      // 2.1.197 sends no git_commit_id; the command says it was a commit.
      ['commit', 'Bash', `cco:commit:${SESSION_3}:toolu_cap_6`],
    ]);
    const prompt = results[0]!.activity[0]!.draft;
    expect(prompt).toMatchObject({ kind: 'prompt', promptLength: 42, promptFingerprint: null });
    expect(results.map((r) => [r.items, r.rejected, r.ignored])).toEqual([
      [9, {}, { 'claude_code.assistant_response: usage comes from api_request': 1 }],
      [3, {}, { 'claude_code.assistant_response: usage comes from api_request': 1 }],
      [9, {}, { 'claude_code.assistant_response: usage comes from api_request': 1 }],
    ]);
  });
});

const RESOURCE = { 'service.name': 'claude-code', 'user.email': 'dev@acme.example', 'team.id': 'payments' };

function request(extra: Record<string, Plain>, spec: Partial<LogSpec> = {}): LogSpec {
  return {
    body: 'claude_code.api_request',
    timeUnixNano: '1795390736301000000',
    ...spec,
    attrs: {
      'event.name': 'api_request',
      'event.timestamp': '2026-11-22T23:38:56.300Z',
      'event.sequence': 4,
      'session.id': 's1',
      model: 'claude-opus-4-6',
      input_tokens: 10,
      output_tokens: 20,
      cache_read_tokens: 30,
      cache_creation_tokens: 40,
      request_id: 'req_1',
      ...extra,
    },
  };
}

function map(records: LogSpec[], resource: Record<string, Plain> = RESOURCE): OtelMapResult {
  return mapOtlp(decodeOtlp('logs', jsonBody(logsRequest(resource, records)), 'json'));
}

describe('Claude Code api_request mapping rules', () => {
  it('falls back from request_id to client_request_id to session and sequence', () => {
    const ids = map([
      request({}),
      request({ request_id: null, client_request_id: 'c-1' }),
      request({ request_id: null }),
    ]).usage.map((u) => u.draft.id);
    expect(ids).toEqual(['cco:req:req_1', 'cco:creq:c-1', 'cco:seq:s1:4']);
    const none = map([request({ request_id: null, 'event.sequence': null })]);
    expect(none.usage).toEqual([]);
    expect(none.rejected).toEqual({
      'claude_code.api_request: no request_id, client_request_id or event.sequence': 1,
    });
  });

  it('parses counts leniently but never turns a missing or bad count into 0', () => {
    const ok = map([request({ input_tokens: '10', output_tokens: 20.0, cache_read_tokens: '30' })]);
    expect(ok.usage[0]!.draft.tokens).toMatchObject({ inputUncached: 10, output: 20, cacheRead: 30 });
    const bad = map([
      request({ input_tokens: null }),
      request({ output_tokens: 'lots' }),
      request({ cache_read_tokens: -1 }),
      request({ cache_creation_tokens: 1.5 }),
      request({ model: null }),
      request({ 'session.id': null }),
    ]);
    expect(bad.usage).toEqual([]);
    expect(bad.rejected).toEqual({
      'claude_code.api_request: no input_tokens': 1,
      'claude_code.api_request: invalid output_tokens': 1,
      'claude_code.api_request: invalid cache_read_tokens': 1,
      'claude_code.api_request: invalid cache_creation_tokens': 1,
      'claude_code.api_request: no model': 1,
      'claude_code.api_request: no session.id': 1,
    });
    expect(bad.items).toBe(6);
  });

  it('takes the time from event.timestamp, else timeUnixNano, else observedTimeUnixNano', () => {
    const times = map([
      request({}),
      request({ 'event.timestamp': 'yesterday' }, { timeUnixNano: '1795390736999000000' }),
      request(
        { 'event.timestamp': null },
        { timeUnixNano: undefined, observedTimeUnixNano: 1795390737000000000 },
      ),
    ]).usage.map((u) => u.draft.ts);
    expect(times).toEqual([Date.parse('2026-11-22T23:38:56.300Z'), 1795390736999, 1795390737000]);
    const none = map([request({ 'event.timestamp': null }, { timeUnixNano: undefined })]);
    expect(none.rejected).toEqual({ 'claude_code.api_request: no timestamp': 1 });
  });

  it('maps speed, reported cost and subagent calls', () => {
    const drafts = map([
      request({ speed: 'fast', cost_usd: null, cost_usd_micros: 2500 }),
      request({ speed: 'normal', query_source: 'repl_main_thread' }),
      request({ speed: 'warp', query_source: 'agent:builtin:Explore', cost_usd: '0.5' }),
      request({ query_source: 'compact' }),
      request({ query_source: 'subagent' }),
    ]).usage.map((u) => u.draft);
    expect(drafts.map((d) => [d.speed, d.reportedCostUsd, d.isSubagent])).toEqual([
      ['fast', 0.0025, false],
      ['standard', null, false],
      [null, 0.5, true],
      [null, null, false],
      [null, null, true],
    ]);
  });

  it('takes identity from record and resource attributes, the record winning', () => {
    const [u] = map([
      request({ 'user.email': 'other@acme.example', 'user.account_uuid': 'uuid-1', 'user.id': 7 }),
    ]).usage;
    expect(u!.rawIdentity).toEqual({
      'user.account_uuid': 'uuid-1',
      'user.email': 'other@acme.example',
      'user.id': '7',
    });
  });

  it('recognises the event by body, event.name or eventName, and by service.name for bare names', () => {
    const byBody = map([request({ 'event.name': null })]);
    const byField = map([
      request({ 'event.name': null }, { body: 'free text', eventName: 'claude_code.api_request' }),
    ]);
    const byService = map([request({}, { body: undefined })]);
    const unknownService = map([request({}, { body: undefined })], { 'service.name': 'something-else' });
    expect([byBody, byField, byService].map((r) => r.usage.length)).toEqual([1, 1, 1]);
    expect(unknownService.usage).toEqual([]);
    expect(unknownService.ignored).toEqual({ 'api_request: unknown event': 1 });
  });
});

function event(name: string, attrs: Record<string, Plain>): LogSpec {
  return {
    body: `claude_code.${name}`,
    attrs: {
      'event.name': name,
      'event.timestamp': '2026-11-22T23:38:56.300Z',
      'event.sequence': 9,
      'session.id': 's1',
      ...attrs,
    },
  };
}

describe('Claude Code activity mapping rules', () => {
  it('fingerprints a logged prompt and never keeps its text', () => {
    const text = 'Please refactor the rate limiter in src/limiter.ts';
    const result = map([
      event('user_prompt', { 'prompt.id': 'p1', prompt_length: 50, prompt: text }),
      event('user_prompt', { 'prompt.id': 'p2', prompt: text }),
      event('user_prompt', { prompt: '<REDACTED>', prompt_length: '12' }),
    ]);
    expect(result.activity.map((a) => [a.draft.id, a.draft.promptLength, a.draft.promptFingerprint])).toEqual(
      [
        ['cco:prompt:s1:p1', 50, promptFingerprint(text)],
        ['cco:prompt:s1:p2', text.length, promptFingerprint(text)],
        ['cco:prompt:s1:9', 12, null],
      ],
    );
    expect(JSON.stringify(result)).not.toContain('rate limiter');
  });

  it('turns a successful Bash git commit into a commit with its SHA', () => {
    const params = (p: Record<string, string>) => JSON.stringify(p);
    const result = map([
      event('tool_result', {
        tool_name: 'Bash',
        tool_use_id: 'toolu_1',
        success: 'true',
        tool_parameters: params({ full_command: 'git commit -m "x"', git_commit_id: 'abc1234' }),
      }),
      event('tool_result', {
        tool_name: 'Bash',
        tool_use_id: 'toolu_2',
        success: 'false',
        tool_parameters: params({ full_command: 'git commit -m "x"' }),
      }),
      event('tool_result', {
        tool_name: 'Bash',
        tool_use_id: 'toolu_3',
        success: true,
        tool_parameters: params({ full_command: 'echo commit' }),
      }),
      event('tool_result', {
        tool_name: 'Bash',
        tool_use_id: 'toolu_4',
        success: 'true',
        tool_parameters: '{bad',
      }),
      event('tool_result', {
        tool_name: 'Bash',
        tool_use_id: 'toolu_5',
        success: 'true',
        tool_parameters: { full_command: 'git -C repo commit -am wip' },
      }),
    ]);
    expect(
      result.activity.filter((a) => a.draft.kind === 'commit').map((a) => [a.draft.id, a.draft.ref]),
    ).toEqual([
      ['cco:commit:s1:toolu_1', 'abc1234'],
      ['cco:commit:s1:toolu_5', null],
    ]);
    expect(result.activity.filter((a) => a.draft.kind === 'tool_use')).toHaveLength(5);
  });

  it('maps API errors and decisions; ignores known unmetered events and unknown ones', () => {
    const result = map([
      event('api_error', { status_code: 529, error: 'Overloaded' }),
      event('api_error', { error: 'x'.repeat(500), 'event.sequence': 10 }),
      event('tool_decision', { tool_name: 'Edit', tool_use_id: 'toolu_9', decision: 'reject' }),
      event('hook_execution_start', {}),
      event('brand_new_event', {}),
      event('tool_result', { 'event.sequence': null, tool_name: 'Read' }),
    ]);
    expect(result.activity.map((a) => [a.draft.id, a.draft.kind, a.draft.name?.length])).toEqual([
      ['cco:api_error:s1:9', 'api_error', 3],
      ['cco:api_error:s1:10', 'api_error', 120],
      ['cco:decision:s1:toolu_9', 'decision', 4],
    ]);
    expect(result.ignored).toEqual({
      'claude_code.hook_execution_start: not metered': 1,
      'claude_code.brand_new_event: unknown event': 1,
    });
    expect(result.rejected).toEqual({ 'claude_code.tool_result: no event.sequence': 1 });
  });
});
