import { describe, expect, it } from 'vitest';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import { SKIP, TranscriptParser } from './parser.js';
import type { TranscriptLayout } from './paths.js';

const MAIN: TranscriptLayout = { sessionId: 'sess-main', isSubagentFile: false };

function run(lines: string[], layout: TranscriptLayout = MAIN, state: unknown = null) {
  const usage: UsageDraft[] = [];
  const activity: ActivityDraft[] = [];
  const skips: string[] = [];
  const parser = new TranscriptParser(
    '/t/x.jsonl',
    layout,
    { usage: (d) => usage.push(d), activity: (a) => activity.push(a), skip: (r) => skips.push(r) },
    state,
  );
  let offset = 0;
  for (const line of lines) {
    const b = Buffer.from(`  ${line}  `);
    parser.line(b, 2, b.length - 2, offset);
    offset += b.length + 1;
  }
  return { usage, activity, skips, state: parser.state() };
}

const envelope = (extra: Record<string, unknown> = {}) => ({
  uuid: 'u-1',
  timestamp: '2026-11-20T10:00:00.000Z',
  cwd: '/w',
  sessionId: 'sess-line',
  gitBranch: 'main',
  ...extra,
});

/** An assistant line in Claude Code 2.1's key order: `message` first, `type` after it. */
function assistant(
  content: unknown[],
  usage: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-6',
      content,
      stop_reason: null,
      usage,
    },
    requestId: 'req_1',
    type: 'assistant',
    ...envelope(extra),
  });
}

const USAGE = {
  input_tokens: 5,
  output_tokens: 7,
  cache_read_input_tokens: 11,
  cache_creation_input_tokens: 13,
};

describe('TranscriptParser fast paths fall back safely', () => {
  it('finds the real usage when a tool input holds a nested "usage" object', () => {
    const input = { query: 'x', usage: { input_tokens: 999999, output_tokens: 999999 } };
    const { usage, activity, skips } = run([
      assistant([{ type: 'tool_use', id: 'toolu_1', name: 'mcp__db__q', input }], USAGE),
    ]);
    expect(skips).toEqual([]);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.tokens).toMatchObject({ inputUncached: 5, output: 7, cacheRead: 11, cacheWrite5m: 13 });
    expect(activity.map((a) => [a.kind, a.name])).toEqual([['tool_use', 'mcp__db__q']]);
  });

  it('sees every tool_use when one line holds several content blocks', () => {
    const content = [
      { type: 'thinking', thinking: 'plan "it"', signature: 's' },
      { type: 'text', text: 'ok' },
      { type: 'tool_use', id: 'toolu_a', name: 'Edit', input: { file_path: '/a' } },
      { type: 'tool_use', id: 'toolu_b', name: 'Bash', input: { command: 'git commit -m "x"' } },
    ];
    const { usage, activity } = run([assistant(content, USAGE)]);
    expect(usage).toHaveLength(1);
    expect(activity.map((a) => a.id)).toEqual(['cc:tool:toolu_a', 'cc:tool:toolu_b']);
  });

  it('reads lines whose keys come in another order', () => {
    const line = JSON.stringify({
      type: 'assistant',
      timestamp: '2026-11-20T10:00:00.000Z',
      sessionId: 's',
      requestId: 'req_9',
      message: {
        usage: USAGE,
        content: [{ type: 'text', text: 'hi' }],
        model: 'm',
        role: 'assistant',
        id: 'msg_9',
      },
    });
    const { usage } = run([line]);
    expect(usage.map((d) => [d.id, d.model, d.tokens.output])).toEqual([['cc:msg_9:req_9', 'm', 7]]);
  });

  it('still reports a malformed line after a jump', () => {
    const good = assistant([{ type: 'text', text: 'x' }], USAGE);
    const { usage, skips } = run([`${good.slice(0, -1)},"extra":}`]);
    expect(usage).toEqual([]);
    expect(skips).toEqual([SKIP.invalidJson]);
  });
});

describe('TranscriptParser usage mapping', () => {
  it('maps every usage field', () => {
    const u = {
      input_tokens: 1,
      output_tokens: 50,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 4000,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      output_tokens_details: { thinking_tokens: 20 },
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 },
      service_tier: 'priority',
      inference_geo: 'us',
      speed: 'fast',
      iterations: [{ input_tokens: 'not a count' }],
    };
    const { usage } = run([assistant([{ type: 'text', text: 'a' }], u, { isSidechain: true })]);
    expect(usage[0]).toMatchObject({
      id: 'cc:msg_1:req_1',
      ts: Date.UTC(2026, 10, 20, 10),
      sessionId: 'sess-main',
      messageId: 'msg_1',
      requestId: 'req_1',
      model: 'claude-opus-4-6',
      speed: 'fast',
      serviceTier: 'priority',
      inferenceGeo: 'us',
      webSearchRequests: 3,
      tokens: {
        inputUncached: 1,
        cacheRead: 4000,
        cacheWrite5m: 100,
        cacheWrite1h: 200,
        cacheWriteOther: 0,
        output: 50,
        reasoning: 20,
      },
      isSidechain: true,
      isSubagent: true,
      parentSessionId: null,
      credits: null,
      reportedCostUsd: null,
      origin: '/t/x.jsonl',
    });
  });

  it('treats null cache counts as zero and an empty request id as absent', () => {
    const u = {
      input_tokens: 2,
      output_tokens: 3,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
    };
    const { usage, skips } = run([assistant([{ type: 'text', text: 'a' }], u, { requestId: '' })]);
    expect(skips).toEqual([]);
    expect(usage[0]).toMatchObject({
      id: 'cc:msg_1',
      requestId: null,
      tokens: { cacheRead: 0, cacheWrite5m: 0 },
    });
  });

  it('reads an empty gitBranch (not a repository) as no branch', () => {
    const { usage } = run([assistant([{ type: 'text', text: 'a' }], USAGE, { gitBranch: '' })]);
    expect(usage[0]).toMatchObject({ gitBranch: null, cwd: '/w' });
  });

  it('takes the session from the line for a flat agent file and links the parent', () => {
    const { usage } = run([assistant([{ type: 'text', text: 'a' }], USAGE)], {
      sessionId: null,
      isSubagentFile: true,
    });
    expect(usage[0]).toMatchObject({
      sessionId: 'sess-line',
      parentSessionId: 'sess-line',
      isSubagent: true,
      isSidechain: false,
    });
  });

  it.each([
    ['string count', { ...USAGE, input_tokens: '12' }, SKIP.wrongType],
    ['negative count', { ...USAGE, output_tokens: -1 }, SKIP.wrongType],
    ['fractional count', { ...USAGE, output_tokens: 1.5 }, SKIP.wrongType],
    ['boolean count', { ...USAGE, cache_read_input_tokens: true }, SKIP.wrongType],
    ['non-object split', { ...USAGE, cache_creation: 5 }, SKIP.wrongType],
    ['string in split', { ...USAGE, cache_creation: { ephemeral_1h_input_tokens: '1' } }, SKIP.wrongType],
    ['null output', { ...USAGE, output_tokens: null }, SKIP.wrongType],
    ['missing input', { output_tokens: 1 }, SKIP.missingCounts],
  ])('skips a line with a %s', (_name, u, reason) => {
    const { usage, skips } = run([assistant([{ type: 'text', text: 'a' }], u)]);
    expect(usage).toEqual([]);
    expect(skips).toEqual([reason]);
  });

  it('does not count <synthetic> lines and records API errors as activity', () => {
    const zero = { input_tokens: 0, output_tokens: 0 };
    const synthetic = (extra: Record<string, unknown>) =>
      JSON.stringify({
        message: {
          id: 'x',
          role: 'assistant',
          model: '<synthetic>',
          content: [{ type: 'text', text: 'API Error' }],
          usage: zero,
        },
        type: 'assistant',
        ...envelope(extra),
      });
    const { usage, activity, skips } = run([
      synthetic({ isApiErrorMessage: true, error: 'overloaded', uuid: 'err-1' }),
      synthetic({}),
    ]);
    expect(usage).toEqual([]);
    expect(skips).toEqual([SKIP.synthetic]);
    expect(activity).toMatchObject([
      { id: 'cc:error:err-1', kind: 'api_error', name: 'overloaded', sessionId: 'sess-main' },
    ]);
  });

  it('keys a call without message id by its line', () => {
    const line = assistant([{ type: 'text', text: 'a' }], USAGE).replace('"id":"msg_1",', '');
    const { usage } = run([line, line.replace('"uuid":"u-1"', '"uuid":"u-2"')]);
    expect(usage.map((d) => d.id)).toEqual(['cc:line:sess-main:u-1', 'cc:line:sess-main:u-2']);
    expect(usage.map((d) => d.messageId)).toEqual([null, null]);
  });

  it('skips a model explicitly null but counts a model that is absent', () => {
    const nullModel = assistant([{ type: 'text', text: 'a' }], USAGE).replace(
      '"model":"claude-opus-4-6"',
      '"model":null',
    );
    const noModel = assistant([{ type: 'text', text: 'a' }], USAGE).replace('"model":"claude-opus-4-6",', '');
    const { usage, skips } = run([nullModel, noModel]);
    expect(skips).toEqual([SKIP.nullModel]);
    expect(usage.map((d) => d.model)).toEqual([null]);
  });

  it('reads usage from older subagent progress lines', () => {
    const line = JSON.stringify({
      parentUuid: 'p',
      isSidechain: false,
      cwd: '/w',
      sessionId: 'sess-line',
      gitBranch: 'main',
      type: 'progress',
      data: {
        message: {
          type: 'assistant',
          timestamp: '2026-11-20T10:00:05.000Z',
          requestId: 'req_sub',
          message: {
            id: 'msg_sub',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'x' }],
            usage: USAGE,
          },
        },
        type: 'agent_progress',
      },
      uuid: 'u-p',
      timestamp: '2026-11-20T10:00:06.000Z',
    });
    const { usage } = run([line, line.replace('"usage":{', '"nope":{').replace('msg_sub', 'msg_other')]);
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({
      id: 'cc:msg_sub:req_sub',
      ts: Date.UTC(2026, 10, 20, 10, 0, 5),
      sessionId: 'sess-main',
      parentSessionId: 'sess-main',
      isSubagent: true,
      isSidechain: true,
      cwd: '/w',
    });
  });
});

describe('TranscriptParser activity', () => {
  const user = (content: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      type: 'user',
      message: { role: 'user', content },
      ...envelope(extra),
    });

  it('counts typed prompts only', () => {
    const { activity } = run([
      user('Refactor the parser'),
      user([{ type: 'image', source: { type: 'base64', data: 'AAAA' } }], { uuid: 'img' }),
      user('   <command-name>/review</command-name>', { uuid: 'cmd' }),
      user('<bash-input>ls</bash-input>', { uuid: 'bash' }),
      user('hi', { uuid: 'meta', isMeta: true }),
      user('side question', { uuid: 'side', isSidechain: true }),
      user([], { uuid: 'empty' }),
      user('   ', { uuid: 'blank' }),
    ]);
    expect(activity.map((a) => [a.id, a.promptLength])).toEqual([
      ['cc:prompt:u-1', 19],
      ['cc:prompt:img', 0],
    ]);
  });

  it('carries unresolved calls across runs in the state', () => {
    const call = assistant(
      [{ type: 'tool_use', id: 'toolu_w', name: 'Write', input: { file_path: '/w/a', content: 'a\nb' } }],
      USAGE,
    );
    const first = run([call]);
    expect(first.state.pending).toEqual([
      ['toolu_w', 'Write', 0, Date.UTC(2026, 10, 20, 10), 'sess-main', '/w', 'main', 0],
    ]);
    const result = JSON.stringify({
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: 'toolu_w', type: 'tool_result', content: 'ok' }] },
      toolUseResult: { type: 'create', filePath: '/w/a', content: 'a\nb', structuredPatch: [] },
    });
    const second = run([result], MAIN, JSON.parse(JSON.stringify(first.state)));
    // The result line has no timestamp or cwd of its own here: the call's are used.
    expect(second.activity).toMatchObject([
      {
        id: 'cc:lines:toolu_w',
        name: 'Write',
        linesAdded: 2,
        ts: Date.UTC(2026, 10, 20, 10),
        cwd: '/w',
        gitBranch: 'main',
      },
    ]);
    expect(second.state.pending).toEqual([]);
  });

  it('survives a malformed saved state', () => {
    for (const state of ['x', 42, { pending: 'x' }, { pending: [[1, 2], 'x', ['id', 'Write', 0, 'ts']] }]) {
      expect(run([assistant([{ type: 'text', text: 'a' }], USAGE)], MAIN, state).usage).toHaveLength(1);
    }
  });

  it('ignores unknown line types and empty lines without skipping them', () => {
    const { usage, activity, skips } = run([
      '',
      '   ',
      '{"type":"future-thing","usage":{"input_tokens":1}}',
      '{"type":"summary","summary":"s"}',
    ]);
    expect([usage, activity, skips]).toEqual([[], [], []]);
  });

  it('reads compaction summaries whose flags come in either order (once hung the parser)', () => {
    const line = (flags: string) =>
      `{"parentUuid":"p","isSidechain":false,"sessionId":"s","type":"user","message":{"role":"user","content":"This session is being continued"},${flags},"uuid":"u-${flags.length}","timestamp":"2026-10-01T10:51:38.529Z"}`;
    const { usage, activity, skips } = run([
      line('"isVisibleInTranscriptOnly":true,"isCompactSummary":true'),
      line('"isCompactSummary":true,"isVisibleInTranscriptOnly":true'),
    ]);
    // A compaction summary is written by Claude Code, not typed: no prompt, nothing skipped.
    expect([usage, activity, skips]).toEqual([[], [], []]);
  });
});
