import { describe, expect, it } from 'vitest';
import {
  jsonBody,
  type LogSpec,
  logsRequest,
  type MetricSpec,
  metricsRequest,
  type Plain,
} from '../../../test/fixtures/otel/payloads.js';
import { promptFingerprint } from '../fingerprint.js';
import { decodeOtlp, mapOtlp, type OtelMapResult } from './index.js';

const SESSION = 'b41f9a77-0c1d-4e2f-9a3b-5c6d7e8f9a0b';
const RESOURCE = { 'service.name': 'gemini-cli', 'service.version': '0.40.0' };

/** A Gemini CLI log record (formats.md §5.1–5.2): prefixed `event.name`, prose body. */
function gemini(name: string, attrs: Record<string, Plain>, body = 'Something happened.'): LogSpec {
  return {
    body,
    timeUnixNano: '1783152021004000000',
    attrs: {
      'event.name': `gemini_cli.${name}`,
      'event.timestamp': '2026-07-04T08:00:21.004Z',
      'session.id': SESSION,
      'installation.id': 'inst-1',
      'user.email': 'dev@gmail.example',
      interactive: true,
      ...attrs,
    },
  };
}

const RESPONSE = {
  model: 'gemini-2.5-pro',
  status_code: 200,
  duration_ms: 1830,
  input_token_count: 18342,
  output_token_count: 611,
  cached_content_token_count: 12288,
  thoughts_token_count: 904,
  tool_token_count: 0,
  total_token_count: 19857,
  prompt_id: 'prompt-1',
  auth_type: 'oauth-personal',
};

function mapLogs(records: LogSpec[]): OtelMapResult {
  return mapOtlp(decodeOtlp('logs', jsonBody(logsRequest(RESOURCE, records)), 'json'));
}

describe('Gemini CLI events', () => {
  it('maps api_response to usage the way the chat-log reader maps TokensSummary', () => {
    const result = mapLogs([
      gemini('api_response', RESPONSE, 'API response from gemini-2.5-pro. Status: 200. Duration: 1830ms.'),
    ]);
    const { draft, rawIdentity } = result.usage[0]!;
    expect(draft).toMatchObject({
      ts: Date.parse('2026-07-04T08:00:21.004Z'),
      source: 'gemini_cli_otel',
      tool: 'gemini-cli',
      provider: 'google',
      sessionId: SESSION,
      messageId: `otel-session:gemini-cli:${SESSION}`,
      isSidechain: false,
      granularity: 'request',
      model: 'gemini-2.5-pro',
      // formats.md §5.4's example: cached split off input, thoughts billed as output.
      tokens: {
        inputUncached: 18342 - 12288,
        cacheRead: 12288,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output: 611 + 904,
        reasoning: 904,
      },
    });
    expect(draft.id).toMatch(new RegExp(`^gmo:req:${SESSION}:[0-9a-f]{16}$`));
    expect(rawIdentity).toEqual({ 'user.email': 'dev@gmail.example', 'installation.id': 'inst-1' });
  });

  it('names a response by session, prompt, time and model; counts tool-use prompt tokens as input', () => {
    const result = mapLogs([
      gemini('api_response', RESPONSE),
      gemini('api_response', RESPONSE),
      gemini('api_response', { ...RESPONSE, prompt_id: 'prompt-2', tool_token_count: 50 }),
      gemini('api_response', { ...RESPONSE, model: 'gemini-2.5-flash' }),
    ]);
    const ids = result.usage.map((u) => u.draft.id);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
    expect(result.usage[2]!.draft.tokens.inputUncached).toBe(18342 - 12288 + 50);
  });

  it('rejects responses without what they need and ignores empty ones', () => {
    const result = mapLogs([
      gemini('api_response', { ...RESPONSE, output_token_count: null }),
      gemini('api_response', { ...RESPONSE, thoughts_token_count: 'many' }),
      gemini('api_response', { ...RESPONSE, model: null }),
      gemini('api_response', { ...RESPONSE, 'session.id': null }),
      gemini('api_response', { ...RESPONSE, cached_content_token_count: null, thoughts_token_count: null }),
      gemini('api_response', {
        ...RESPONSE,
        input_token_count: 0,
        output_token_count: 0,
        cached_content_token_count: 0,
        thoughts_token_count: 0,
      }),
    ]);
    expect(result.rejected).toEqual({
      'gemini_cli.api_response: no output_token_count': 1,
      'gemini_cli.api_response: invalid thoughts_token_count': 1,
      'gemini_cli.api_response: no model': 1,
      'gemini_cli.api_response: no session.id': 1,
    });
    expect(result.ignored).toEqual({ 'gemini_cli.api_response: no tokens': 1 });
    expect(result.usage.map((u) => u.draft.tokens.inputUncached)).toEqual([18342]);
  });

  it('maps prompts (fingerprint only), tool calls with their lines, and API errors', () => {
    const text = 'explain the retry logic in client.ts';
    const result = mapLogs([
      gemini('user_prompt', { prompt_id: 'prompt-1', prompt_length: 36, prompt: text }),
      gemini('tool_call', {
        function_name: 'replace',
        function_args: '{"file_path":"client.ts"}',
        success: true,
        decision: 'accept',
        prompt_id: 'prompt-1',
        metadata: {
          model_added_lines: 4,
          model_removed_lines: 1,
          user_added_lines: 9,
          user_removed_lines: 0,
        },
      }),
      gemini('tool_call', {
        function_name: 'write_file',
        success: true,
        prompt_id: 'prompt-1',
        'event.timestamp': '2026-07-04T08:00:22.000Z',
        metadata: '{"model_added_lines":20,"model_removed_lines":0}',
      }),
      gemini('tool_call', {
        function_name: 'replace',
        success: false,
        prompt_id: 'prompt-1',
        'event.timestamp': '2026-07-04T08:00:23.000Z',
        metadata: { model_added_lines: 4, model_removed_lines: 1 },
      }),
      gemini('api_error', {
        error: 'quota',
        error_type: 'RESOURCE_EXHAUSTED',
        status_code: 429,
        prompt_id: 'p',
      }),
      gemini('file_operation', { operation: 'update', lines: 4 }),
      gemini('loop_detected', {}),
    ]);
    expect(
      result.activity.map((a) => [
        a.draft.kind,
        a.draft.name,
        a.draft.promptLength,
        a.draft.linesAdded,
        a.draft.linesRemoved,
      ]),
    ).toEqual([
      ['prompt', null, 36, 0, 0],
      ['tool_use', 'replace', null, 0, 0],
      ['lines_changed', 'replace', null, 4, 1],
      ['tool_use', 'write_file', null, 0, 0],
      ['lines_changed', 'write_file', null, 20, 0],
      ['tool_use', 'replace', null, 0, 0],
      ['api_error', 'RESOURCE_EXHAUSTED', null, 0, 0],
    ]);
    expect(result.activity[0]!.draft).toMatchObject({
      id: `gmo:prompt:${SESSION}:prompt-1`,
      promptFingerprint: promptFingerprint(text),
    });
    expect(new Set(result.activity.map((a) => a.draft.id)).size).toBe(7);
    expect(JSON.stringify(result)).not.toContain('retry logic');
    expect(result.ignored).toEqual({
      'gemini_cli.file_operation: lines come from tool_call': 1,
      'gemini_cli.loop_detected: not metered': 1,
    });
  });
});

function mapMetrics(specs: MetricSpec[]): OtelMapResult {
  return mapOtlp(decodeOtlp('metrics', jsonBody(metricsRequest(RESOURCE, specs)), 'json'));
}

function tokenUsage(
  temporality: number,
  start: (type: string) => string,
  time: string,
  counts: Record<string, number>,
) {
  return {
    name: 'gemini_cli.token.usage',
    temporality,
    points: Object.entries(counts).map(([type, value]) => ({
      attrs: { 'session.id': SESSION, 'installation.id': 'inst-1', model: 'gemini-2.5-pro', type },
      start: start(type),
      time,
      value,
    })),
  };
}

describe('Gemini CLI token counters', () => {
  const counts = { input: 18342, output: 611, thought: 904, cache: 12288, tool: 0 };

  it('sum the types of one series and collection time into one sidechain draft', () => {
    const result = mapMetrics([
      tokenUsage(
        1,
        (t) => (t === 'cache' ? '1783152021500000000' : '1783152021000000000'),
        '1783152080000000000',
        counts,
      ),
    ]);
    expect(result.items).toBe(5);
    expect(result.ignored).toEqual({ 'gemini_cli.token.usage: zero': 1 });
    expect(result.usage).toHaveLength(1);
    const draft = result.usage[0]!.draft;
    expect(draft).toMatchObject({
      id: expect.stringMatching(/^gmm:[0-9a-f]{16}:1783152021000000000:1783152080000000000$/),
      ts: 1783152080000,
      messageId: `otel-session:gemini-cli:${SESSION}`,
      isSidechain: true,
      granularity: 'interval',
      tokens: { inputUncached: 18342 - 12288, cacheRead: 12288, output: 611 + 904, reasoning: 904 },
    });
  });

  it('keep one id per cumulative series, so the latest running total wins', () => {
    const first = mapMetrics([tokenUsage(2, () => '1000000000', '2000000000', { input: 10, output: 5 })]);
    const later = mapMetrics([
      tokenUsage(2, () => '1000000000', '3000000000', { input: 30, output: 9, cache: 4 }),
    ]);
    expect(first.usage[0]!.draft.id).toBe(later.usage[0]!.draft.id);
    expect(later.usage[0]!.draft.tokens).toMatchObject({ inputUncached: 26, cacheRead: 4, output: 9 });
  });

  it('ignore the line counter (tool_call events carry the lines) and other Gemini metrics', () => {
    const result = mapMetrics([
      {
        name: 'gemini_cli.lines.changed',
        points: [{ attrs: { 'session.id': SESSION, type: 'added' }, start: '1', time: '2', value: 4 }],
      },
      {
        name: 'gemini_cli.api.request.latency',
        kind: 'histogram',
        points: [{ attrs: {}, start: '1', time: '2', value: 3 }],
      },
    ]);
    expect(result.ignored).toEqual({
      'gemini_cli.lines.changed: lines come from tool_call events': 1,
      'gemini_cli.api.request.latency: not metered': 1,
    });
  });
});
