import { readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import type { DiscoveredFile, ParseEnd, ParseSink } from '../source.js';
import { isSameCall, pickBetter } from './dedup.js';
import { type ClaudeParseOptions, claudeCodeSource, parseTranscript } from './index.js';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/claude-code');

interface Collected {
  usage: UsageDraft[];
  activity: ActivityDraft[];
  skips: Record<string, number>;
  ends: Map<string, ParseEnd>;
}

function sink(into: Collected): ParseSink {
  return {
    usage: (d) => into.usage.push(d),
    activity: (a) => into.activity.push(a),
    skip: (reason) => {
      into.skips[reason] = (into.skips[reason] ?? 0) + 1;
    },
  };
}

async function collect(root: string, options: ClaudeParseOptions = {}): Promise<Collected> {
  const out: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
  const files = await claudeCodeSource.discover({
    env: { CLAUDE_CONFIG_DIR: root },
    homeDir: '/nonexistent-home',
  });
  for (const file of files) {
    out.ends.set(file.path, await parseTranscript(file, { offset: 0, state: null }, sink(out), options));
  }
  return out;
}

/**
 * ccusage's `push_deduped_entry`, in file order: an exact (message id, request id) match first,
 * then a sidechain match on the message id alone; the better copy replaces the kept one.
 */
function dedupeLikeCcusage(drafts: UsageDraft[]): UsageDraft[] {
  const kept: UsageDraft[] = [];
  for (const d of drafts) {
    let i = kept.findIndex(
      (k) => k.messageId !== null && k.messageId === d.messageId && k.requestId === d.requestId,
    );
    if (i === -1) i = kept.findIndex((k) => isSameCall(k, d));
    if (i === -1) kept.push(d);
    else kept[i] = pickBetter(kept[i]!, d);
  }
  return kept;
}

/** What the store does: best copy per id, then a sidechain copy yields to a main-chain one. */
function dedupeLikeStore(drafts: UsageDraft[]): UsageDraft[] {
  const byId = new Map<string, UsageDraft>();
  for (const d of drafts) {
    const k = byId.get(d.id);
    byId.set(d.id, k === undefined ? d : pickBetter(k, d));
  }
  const mainChain = new Set([...byId.values()].filter((d) => !d.isSidechain).map((d) => d.messageId));
  return [...byId.values()].filter(
    (d) => !(d.isSidechain && d.messageId !== null && mainChain.has(d.messageId)),
  );
}

const byTs = (a: { ts: number; id: string }, b: { ts: number; id: string }) =>
  a.ts - b.ts || a.id.localeCompare(b.id);

describe('claudeCodeSource on real Claude Code 2.1.197 transcripts', () => {
  const served = readFileSync(join(FIXTURES, 'capture-2.1.197/api-usage-served.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { cache_creation: Record<string, number> });

  it('reproduces every served call exactly after dedup', async () => {
    const { usage, skips } = await collect(join(FIXTURES, 'capture-2.1.197'));
    expect(skips).toEqual({});
    const calls = dedupeLikeStore(usage).sort(byTs);
    expect(calls).toHaveLength(7);
    expect(dedupeLikeCcusage(usage).sort(byTs)).toEqual(calls);
    calls.forEach((call, i) => {
      const s = served[i]!;
      expect(call.id).toBe(`cc:${s.id}:${s.request_id}`);
      expect(call.messageId).toBe(s.id);
      expect(call.requestId).toBe(s.request_id);
      expect(call.model).toBe(s.model);
      expect(call.tokens).toEqual({
        inputUncached: s.input_tokens,
        cacheRead: s.cache_read_input_tokens,
        cacheWrite5m: s.cache_creation.ephemeral_5m_input_tokens,
        cacheWrite1h: s.cache_creation.ephemeral_1h_input_tokens,
        cacheWriteOther: 0,
        output: s.output_tokens,
        reasoning: 0,
      });
      expect(call.serviceTier).toBe(s.service_tier);
      // The transcript line is written just after the response the stand-in served.
      expect(call.ts - Date.parse(s.ts as string)).toBeGreaterThanOrEqual(0);
      expect(call.ts - Date.parse(s.ts as string)).toBeLessThan(100);
    });
    const six = calls[5]!;
    expect([six.tokens.cacheWrite5m, six.tokens.cacheWrite1h]).toEqual([1388, 694]);
    expect(six).toMatchObject({
      sessionId: '0c7ebfa9-82c8-4b17-afd2-ed30ddd63299',
      parentSessionId: null,
      speed: 'standard',
      inferenceGeo: null,
      provider: 'anthropic',
      cwd: '/home/dev/acme-api',
      project: '/home/dev/acme-api',
      gitBranch: 'master',
      isSubagent: false,
      isSidechain: false,
      granularity: 'request',
      source: 'claude_code_jsonl',
      tool: 'claude-code',
    });
    expect(six.origin).toMatch(/0c7ebfa9-82c8-4b17-afd2-ed30ddd63299\.jsonl$/);
  });

  it('finds the prompts, the two Writes and the two commits', async () => {
    const { activity } = await collect(join(FIXTURES, 'capture-2.1.197'));
    const of = (kind: string) => activity.filter((a) => a.kind === kind).sort(byTs);
    expect(of('prompt').map((p) => [p.id, p.promptLength])).toEqual([
      ['cc:prompt:a8492846-75ff-4076-80ee-56bb1f272942', 'Please WRITE:src/limiter.ts:24 then COMMIT'.length],
      ['cc:prompt:d95a1024-d0a1-45e8-b113-3663c1c58e24', 'What does the limiter do?'.length],
      [
        'cc:prompt:abbdfc1d-a568-4ba7-9b4c-ed374ac2ccc0',
        'Please WRITE:src/limiter.test.ts:9 then COMMIT'.length,
      ],
    ]);
    for (const p of of('prompt')) expect(p.promptFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(of('lines_changed').map((a) => [a.id, a.name, a.linesAdded, a.linesRemoved])).toEqual([
      ['cc:lines:toolu_cap_1', 'Write', 24, 0],
      ['cc:lines:toolu_cap_5', 'Write', 9, 0],
    ]);
    // Claude Code ran `git commit -q`, which prints nothing: the SHAs (ca09f3e…, ad60d2b… in
    // acme-api.bundle) are not in the transcript, so the commits carry no ref.
    expect(of('commit').map((a) => [a.id, a.name, a.ref])).toEqual([
      ['cc:commit:toolu_cap_2', 'Bash', null],
      ['cc:commit:toolu_cap_6', 'Bash', null],
    ]);
    expect(of('tool_use').map((a) => a.name)).toEqual(['Write', 'Bash', 'Write', 'Bash']);
    for (const a of activity) {
      expect(a).toMatchObject({ cwd: '/home/dev/acme-api', gitBranch: 'master', isSubagent: false });
      expect(a.sessionId).toBe(a.origin.split('/').pop()!.replace('.jsonl', ''));
    }
  });
});

describe('dedup fixture: placeholders, resumed copies, sidechain replays, both subagent layouts', () => {
  const S1 = '11111111-1111-4111-8111-111111111111';

  it('emits every usage line and keeps one best copy per call', async () => {
    const { usage, activity, skips } = await collect(join(FIXTURES, 'dedup'));
    expect(skips).toEqual({ 'synthetic message': 1 });
    // 3+2+2+2 lines in the session, 1 resumed copy + 1 new call, 2 in the subagent, 1 flat agent.
    expect(usage).toHaveLength(14);
    const kept = dedupeLikeStore(usage).sort(byTs);
    expect(dedupeLikeCcusage(usage).sort(byTs)).toEqual(kept);
    const summary = kept.map((d) => [d.id, d.tokens.output, d.tokens.cacheRead, d.isSidechain]);
    expect(summary).toEqual([
      ['cc:msg_A:req_A', 120, 20000, false],
      ['cc:msg_B:req_B', 50, 30000, false],
      ['cc:msg_C', 40, 100, false],
      [expect.stringMatching(/^cc:line:11111111-1111-4111-8111-111111111111:/), 11, 0, false],
      [expect.stringMatching(/^cc:line:11111111-1111-4111-8111-111111111111:/), 12, 0, false],
      ['cc:msg_F:req_F', 60, 700, true],
      ['cc:msg_G:req_G', 90, 900, true],
      ['cc:msg_E:req_E', 200, 25000, false],
    ]);
    const a = kept[0]!;
    expect(a.tokens).toEqual({
      inputUncached: 3,
      cacheRead: 20000,
      cacheWrite5m: 600,
      cacheWrite1h: 400,
      cacheWriteOther: 0,
      output: 120,
      reasoning: 40,
    });
    // Equal totals: the copy that reports its speed wins.
    expect(kept[1]!.speed).toBe('fast');
    // No cache_creation split: every write is 5-minute.
    expect(kept[2]!.tokens).toMatchObject({ cacheWrite5m: 500, cacheWrite1h: 0 });
    expect(kept[2]!.requestId).toBeNull();
    const totals = kept.reduce(
      (t, d) => ({ input: t.input + d.tokens.inputUncached, output: t.output + d.tokens.output }),
      { input: 0, output: 0 },
    );
    expect(totals).toEqual({ input: 56, output: 583 });

    const api = activity.filter((x) => x.kind === 'api_error');
    expect(api).toMatchObject([{ name: 'rate_limit', sessionId: S1 }]);
  });

  it('attributes subagent calls to the parent session in both layouts', async () => {
    const { usage } = await collect(join(FIXTURES, 'dedup'));
    const nested = usage.filter((d) => d.origin.includes('/subagents/'));
    const flat = usage.filter((d) => d.origin.endsWith('agent-deadbeef.jsonl'));
    expect(nested.map((d) => d.id)).toEqual(['cc:msg_A:req_btw', 'cc:msg_F:req_F']);
    expect(flat.map((d) => d.id)).toEqual(['cc:msg_G:req_G']);
    for (const d of [...nested, ...flat]) {
      expect(d).toMatchObject({ sessionId: S1, parentSessionId: S1, isSubagent: true, isSidechain: true });
    }
    const resumed = usage.filter((d) => d.origin.endsWith('22222222-2222-4222-8222-222222222222.jsonl'));
    // The session of a main transcript is its file name, even for lines copied from another session.
    expect(resumed.map((d) => d.sessionId)).toEqual([
      '22222222-2222-4222-8222-222222222222',
      '22222222-2222-4222-8222-222222222222',
    ]);
    expect(resumed.every((d) => d.parentSessionId === null && !d.isSubagent)).toBe(true);
  });

  it('does not count subagent prompts as typed prompts but counts their edits', async () => {
    const { activity } = await collect(join(FIXTURES, 'dedup'));
    expect(activity.filter((a) => a.kind === 'prompt').map((a) => a.sessionId)).toEqual([
      S1,
      '22222222-2222-4222-8222-222222222222',
    ]);
    expect(
      activity
        .filter((a) => a.kind === 'lines_changed')
        .map((a) => [a.id, a.linesAdded, a.linesRemoved, a.isSubagent]),
    ).toEqual([
      ['cc:lines:toolu_A1', 2, 1, false],
      ['cc:lines:toolu_G1', 3, 0, true],
    ]);
  });
});

describe('activity fixture', () => {
  it('extracts prompts, line counts, commits and PR links', async () => {
    const { activity, skips } = await collect(join(FIXTURES, 'activity'));
    expect(skips).toEqual({});
    const prompts = activity.filter((a) => a.kind === 'prompt');
    expect(prompts.map((p) => [p.id, p.promptLength])).toEqual([
      ['cc:prompt:bbbbbbbb-0000-4000-8000-000000000001', 'Please make the checkout faster 🚀'.length - 1],
      ['cc:prompt:bbbbbbbb-0000-4000-8000-000000000002', 'Now also cache the prices'.length],
    ]);
    const lines = activity.filter((a) => a.kind === 'lines_changed');
    expect(lines.map((a) => [a.id, a.name, a.linesAdded, a.linesRemoved])).toEqual([
      ['cc:lines:toolu_E1', 'Edit', 3, 3],
      ['cc:lines:toolu_M1', 'MultiEdit', 1, 1],
      ['cc:lines:toolu_W2', 'Write', 1, 1],
    ]);
    const commits = activity.filter((a) => a.kind === 'commit');
    expect(commits.map((a) => [a.id, a.ref])).toEqual([
      ['cc:commit:toolu_B1', '1a2b3c4'],
      ['cc:commit:toolu_B2', '9f8e7d6c5b4a'],
    ]);
    const prs = activity.filter((a) => a.kind === 'pull_request');
    expect(prs.map((a) => [a.id, a.ref])).toEqual([
      [
        'cc:pr:33333333-3333-4333-8333-333333333333:https://github.com/acme/shop/pull/42',
        'https://github.com/acme/shop/pull/42',
      ],
      [
        'cc:pr:33333333-3333-4333-8333-333333333333:https://github.com/acme/shop/pull/42',
        'https://github.com/acme/shop/pull/42',
      ],
    ]);
    expect(activity.filter((a) => a.kind === 'tool_use').map((a) => a.name)).toEqual([
      'Edit',
      'MultiEdit',
      'Write',
      'Read',
      'Edit',
      'Bash',
      'Bash',
      'Bash',
      'Bash',
    ]);
    for (const a of activity) {
      expect(a).toMatchObject({
        sessionId: '33333333-3333-4333-8333-333333333333',
        cwd: '/home/dev/shop',
        gitBranch: 'feat/cart',
      });
      expect(a.promptLength === null).toBe(a.kind !== 'prompt');
    }
  });

  it('reads results the same way when the calls were not seen (resumed mid-file without state)', async () => {
    const root = join(FIXTURES, 'activity');
    const [file] = await claudeCodeSource.discover({ env: { CLAUDE_CONFIG_DIR: root }, homeDir: '/x' });
    const all: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    await parseTranscript(file!, { offset: 0, state: null }, sink(all));
    // Start each result line on its own, as if its call were in an earlier, forgotten run.
    const text = readFileSync(file!.path);
    const lines: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    for (const line of text.toString('utf8').split('\n')) {
      if (line.includes('"toolUseResult"')) {
        const one = join(await mkdtemp(join(tmpdir(), 'cc-line-')), 'x.jsonl');
        await writeFile(one, `${line}\n`);
        await parseTranscript({ path: one, root: '' }, { offset: 0, state: null }, sink(lines));
        await rm(one);
      }
    }
    const pick = (c: Collected) =>
      c.activity
        .filter((a) => a.kind === 'lines_changed' || (a.kind === 'commit' && a.ref !== null))
        .map((a) => [a.id, a.name, a.linesAdded, a.linesRemoved, a.ref, a.ts]);
    expect(pick(lines)).toEqual(pick(all));
  });
});

describe('bad input', () => {
  const root = join(FIXTURES, 'bad-input');

  it('skips every bad line with a reason and keeps the good ones around them', async () => {
    const { usage, skips, ends } = await collect(root);
    expect(usage.map((d) => d.id)).toEqual(['cc:msg_V1:req_V1', 'cc:msg_BIG:req_BIG', 'cc:msg_V2:req_V2']);
    expect(skips).toEqual({
      'invalid JSON': 2,
      'not a JSON object': 1,
      'invalid UTF-8': 1,
      'usage field of wrong type': 3,
      'usage without token counts': 1,
      'unparseable timestamp': 1,
      'model is null': 1,
    });
    const [end] = [...ends.values()];
    const size = (await stat([...ends.keys()][0]!)).size;
    expect(end).toMatchObject({ offset: size, bytesRead: size, lines: 15 });
  });

  it('skips a line longer than maxLineBytes as too long', async () => {
    const { usage, skips } = await collect(root, { maxLineBytes: 4096, chunkBytes: 1024 });
    expect(usage.map((d) => d.id)).toEqual(['cc:msg_V1:req_V1', 'cc:msg_V2:req_V2']);
    expect(skips['line too long']).toBe(1);
  });

  it('gives the same result with tiny read chunks', async () => {
    const normal = await collect(root);
    const tiny = await collect(root, { chunkBytes: 7 });
    expect(tiny.usage).toEqual(normal.usage);
    expect(tiny.skips).toEqual(normal.skips);
  });
});

describe('growing and odd files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-src-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const session = '55555555-5555-4555-8555-555555555555';
  const capture = join(
    FIXTURES,
    'capture-2.1.197/projects/-home-dev-acme-api/2b7bd622-44f4-4526-bf9d-bfbc5a02ca44.jsonl',
  );

  async function transcript(): Promise<DiscoveredFile> {
    const p = join(dir, 'projects', '-home-dev-acme-api');
    await mkdir(p, { recursive: true });
    return { path: join(p, `${session}.jsonl`), root: dir };
  }

  it('leaves a truncated last line for the next run and completes it from the returned offset', async () => {
    const file = await transcript();
    const full = readFileSync(capture);
    // Cut inside the Write result line, whose call (line 6) is complete.
    const lines = full.toString('utf8').split('\n');
    const cutLine = 6;
    const before = Buffer.byteLength(lines.slice(0, cutLine).join('\n')) + 1;
    const cut = before + 300;
    await writeFile(file.path, full.subarray(0, cut));
    const first: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    const end1 = await claudeCodeSource.parse(file, { offset: 0, state: null }, sink(first));
    expect(end1.offset).toBe(before);
    expect(first.skips).toEqual({});
    expect(first.usage.map((d) => d.id)).toEqual(['cc:msg_cap_1:req_cap_1']);
    expect(first.activity.filter((a) => a.kind === 'lines_changed')).toEqual([]);

    await appendFile(file.path, full.subarray(cut));
    const second: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    const end2 = await claudeCodeSource.parse(
      file,
      { offset: end1.offset, state: JSON.parse(JSON.stringify(end1.state)) },
      sink(second),
    );
    expect(end2.offset).toBe(full.length);
    expect(second.skips).toEqual({});
    expect(second.usage.map((d) => d.id)).toEqual(['cc:msg_cap_2:req_cap_2', 'cc:msg_cap_3:req_cap_3']);
    const lc = second.activity.find((a) => a.kind === 'lines_changed');
    expect(lc).toMatchObject({
      id: 'cc:lines:toolu_cap_1',
      name: 'Write',
      linesAdded: 24,
      sessionId: session,
    });
    expect(second.activity.filter((a) => a.kind === 'commit').map((a) => a.id)).toEqual([
      'cc:commit:toolu_cap_2',
    ]);
  });

  it('consumes a last line without newline when it is already a whole object', async () => {
    const file = await transcript();
    const full = readFileSync(capture).toString('utf8').trimEnd();
    await writeFile(file.path, full);
    const out: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    const end = await claudeCodeSource.parse(file, { offset: 0, state: null }, sink(out));
    expect(end.offset).toBe(Buffer.byteLength(full));
    expect(out.usage).toHaveLength(3);
  });

  it('reads an empty file as nothing', async () => {
    const file = await transcript();
    await writeFile(file.path, '');
    const out: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    expect(await claudeCodeSource.parse(file, { offset: 0, state: null }, sink(out))).toEqual({
      offset: 0,
      state: { pending: [] },
      bytesRead: 0,
      lines: 0,
    });
    expect(out).toMatchObject({ usage: [], activity: [], skips: {} });
  });

  it('parses the same drafts from a copy with CRLF line ends', async () => {
    const file = await transcript();
    await writeFile(file.path, readFileSync(capture, 'utf8').replaceAll('\n', '\r\n'));
    const crlf: Collected = { usage: [], activity: [], skips: {}, ends: new Map() };
    await claudeCodeSource.parse(file, { offset: 0, state: null }, sink(crlf));
    expect(crlf.usage.map((d) => d.tokens)).toEqual([
      expect.objectContaining({ inputUncached: 77, output: 78 }),
      expect.objectContaining({ inputUncached: 114, output: 131 }),
      expect.objectContaining({ inputUncached: 151, output: 184, cacheWrite5m: 1791 }),
    ]);
    expect(crlf.activity.filter((a) => a.kind === 'lines_changed').map((a) => a.linesAdded)).toEqual([24]);
  });
});
