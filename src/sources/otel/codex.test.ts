import { describe, expect, it } from 'vitest';
import { jsonBody, type LogSpec, logsRequest, type Plain } from '../../../test/fixtures/otel/payloads.js';
import { promptFingerprint } from '../fingerprint.js';
import { decodeOtlp, mapOtlp, type OtelMapResult } from './index.js';

const CONVERSATION = '019f2a1c-7b4e-7d10-9a55-3c2b1e0f9d84';
const RESOURCE = { 'service.name': 'codex_exec', 'service.version': '0.150.0' };

/** A Codex log record as formats.md §4.2 describes it: the prefixed name in `event.name`. */
function codex(name: string, attrs: Record<string, Plain>, spec: Partial<LogSpec> = {}): LogSpec {
  return {
    body: spec.body ?? null,
    timeUnixNano: '1783102519978000000',
    ...spec,
    attrs: {
      'event.name': `codex.${name}`,
      'event.timestamp': '2026-07-03T18:15:19.978Z',
      'conversation.id': CONVERSATION,
      'app.version': '0.150.0',
      auth_mode: 'Chatgpt',
      'user.account_id': 'acct-1',
      'user.email': 'dev@acme.example',
      'terminal.type': 'xterm',
      model: 'gpt-5.4',
      slug: 'gpt-5.4',
      ...attrs,
    },
  };
}

function completed(counts: Record<string, Plain>, extra: Record<string, Plain> = {}): LogSpec {
  return codex('sse_event', { 'event.kind': 'response.completed', ...counts, ...extra });
}

const COUNTS = {
  input_token_count: 14475,
  output_token_count: 216,
  cached_token_count: 2432,
  reasoning_token_count: 64,
  tool_token_count: 14691,
};

function map(records: LogSpec[]): OtelMapResult {
  return mapOtlp(decodeOtlp('logs', jsonBody(logsRequest(RESOURCE, records)), 'json'));
}

describe('Codex events', () => {
  it('maps response.completed to usage the way the rollout reader maps token_count', () => {
    const result = map([completed(COUNTS)]);
    expect(result.usage).toHaveLength(1);
    const { draft, rawIdentity } = result.usage[0]!;
    expect(draft).toMatchObject({
      ts: Date.parse('2026-07-03T18:15:19.978Z'),
      source: 'codex_otel',
      tool: 'codex',
      provider: 'openai',
      sessionId: CONVERSATION,
      requestId: null,
      messageId: `otel-session:codex:${CONVERSATION}`,
      model: 'gpt-5.4',
      isSidechain: false,
      isSubagent: false,
      granularity: 'request',
      origin: `otel:codex:${CONVERSATION}`,
      // formats.md §4.1's worked example: 14475 − 2432 uncached, output includes the 64 reasoning.
      tokens: {
        inputUncached: 12043,
        cacheRead: 2432,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output: 216,
        reasoning: 64,
      },
    });
    expect(draft.id).toMatch(new RegExp(`^cxo:req:${CONVERSATION}:[0-9a-f]{16}$`));
    expect(rawIdentity).toEqual({ 'user.account_id': 'acct-1', 'user.email': 'dev@acme.example' });
  });

  it('gives a retransmitted response the same id and a different response another', () => {
    const ids = map([
      completed(COUNTS),
      completed(COUNTS),
      completed({ ...COUNTS, output_token_count: 217 }),
      completed(COUNTS, { 'event.timestamp': '2026-07-03T18:15:20.001Z' }),
      codex('websocket_event', { 'event.kind': 'response.completed', ...COUNTS, model: 'gpt-5.5' }),
    ]).usage.map((u) => u.draft.id);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(4);
  });

  it('reads the websocket transport, optional counts, and the kind from the body', () => {
    const result = map([
      codex(
        'websocket_event',
        { input_token_count: '100', output_token_count: '7' },
        { body: 'response.completed' },
      ),
      codex('sse_event', { 'event.kind': 'response.output_text.delta' }),
      codex('websocket_event', {}, { body: 'response.output_item.added' }),
    ]);
    expect(result.usage.map((u) => u.draft.tokens)).toEqual([
      {
        inputUncached: 100,
        cacheRead: 0,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output: 7,
        reasoning: 0,
      },
    ]);
    expect(result.ignored).toEqual({
      'codex.sse_event: not response.completed': 1,
      'codex.websocket_event: not response.completed': 1,
    });
  });

  it('rejects responses without the counts, model, conversation or time they need', () => {
    const result = map([
      completed({ output_token_count: 1 }),
      completed({ ...COUNTS, cached_token_count: 'some' }),
      completed(COUNTS, { model: null }),
      completed(COUNTS, { 'conversation.id': null }),
      completed(COUNTS, { 'event.timestamp': null }),
      completed({ input_token_count: 0, output_token_count: 0 }),
    ]);
    // The fifth still has timeUnixNano.
    expect(result.usage).toHaveLength(1);
    expect(result.rejected).toEqual({
      'codex.sse_event: no input_token_count': 1,
      'codex.sse_event: invalid cached_token_count': 1,
      'codex.sse_event: no model': 1,
      'codex.sse_event: no conversation.id': 1,
    });
    expect(result.ignored).toEqual({ 'codex.sse_event: no tokens': 1 });
  });

  it('maps prompts and tool results to activity, ignores the rest', () => {
    const text = 'add a Dockerfile';
    const result = map([
      codex('user_prompt', { prompt_length: 16, prompt: '[REDACTED]' }),
      codex('user_prompt', { prompt: text, 'event.timestamp': '2026-07-03T18:16:00.000Z' }),
      codex('tool_result', { tool_name: 'shell', call_id: 'call_1', success: 'true', output: 'ok' }),
      codex('tool_decision', { tool_name: 'shell', decision: 'approved' }),
      codex('conversation_starts', {}),
      codex('api_request', {}),
      codex('something_new', {}),
    ]);
    expect(
      result.activity.map((a) => [a.draft.kind, a.draft.id, a.draft.promptLength, a.draft.promptFingerprint]),
    ).toEqual([
      ['prompt', `cxo:prompt:${CONVERSATION}:${Date.parse('2026-07-03T18:15:19.978Z')}`, 16, null],
      [
        'prompt',
        `cxo:prompt:${CONVERSATION}:${Date.parse('2026-07-03T18:16:00.000Z')}`,
        16,
        promptFingerprint(text),
      ],
      ['tool_use', `cxo:tool_use:${CONVERSATION}:call_1`, null, null],
    ]);
    expect(result.activity[2]!.draft.name).toBe('shell');
    expect(JSON.stringify(result)).not.toContain(text);
    expect(result.ignored).toEqual({
      'codex.tool_decision: not metered': 1,
      'codex.conversation_starts: not metered': 1,
      'codex.api_request: usage comes from response.completed': 1,
      'codex.something_new: unknown event': 1,
    });
  });
});
