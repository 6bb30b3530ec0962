import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumTokens, tokens } from '../../../test/support/tokens.js';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import { promptFingerprint } from '../fingerprint.js';
import type { FileSource, ParseEnd } from '../source.js';
import { createGeminiCliSource, geminiCliSource } from './index.js';

const TMP = fileURLToPath(new URL('../../../test/fixtures/gemini-cli/tmp/', import.meta.url));
const PROJECT = join(TMP, '9c2e4a1f0b7d3c5e8a6f2d1b0c9e8f7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a');
const S = 'b41f9a77-2c1d-4e5f-8a9b-0c1d2e3f4a5b';
const SUB = '7d8e9f00-1111-4222-8333-944455566677';
const L = 'a0b1c2d3-e4f5-4a6b-8c7d-8e9fa0b1c2d3';
const J = 'deadbeef-0000-4000-8000-000000000bad';
const MAIN = join(PROJECT, 'chats/session-2026-07-04T08-00-b41f9a77.jsonl');
const SUBAGENT = join(PROJECT, `chats/${S}/${SUB}.jsonl`);
const LEGACY = join(PROJECT, 'chats/session-2026-06-01T10-00-a0b1c2d3.json');
const MIGRATED = join(PROJECT, 'chats/session-2026-06-01T10-00-a0b1c2d3.jsonl');
const GARBAGE = join(TMP, 'ffff/chats/session-2026-07-05T09-00-deadbeef.jsonl');

interface Parsed {
  usage: UsageDraft[];
  activity: ActivityDraft[];
  skipped: Record<string, number>;
  end: ParseEnd;
}

async function parse(path: string, source: FileSource = geminiCliSource): Promise<Parsed> {
  const usage: UsageDraft[] = [];
  const activity: ActivityDraft[] = [];
  const skipped: Record<string, number> = {};
  const end = await source.parse(
    { path, root: TMP },
    { offset: 0, state: null },
    {
      usage: (d) => usage.push(d),
      activity: (d) => activity.push(d),
      skip: (reason) => {
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      },
    },
  );
  return { usage, activity, skipped, end };
}

const drop = createGeminiCliSource({ removedMessages: 'drop' });

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tokenyield-gemini-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const line = (o: unknown) => `${JSON.stringify(o)}\n`;
const meta = (sessionId: string) =>
  line({ sessionId, projectHash: 'p', startTime: '2026-01-01T00:00:00.000Z' });
const gem = (id: string, ts: string, tk: object | null, extra: object = {}) =>
  line({ id, timestamp: ts, type: 'gemini', content: [], model: 'gemini-2.5-pro', tokens: tk, ...extra });
const tk = (input: number, output: number, cached: number) => ({
  input,
  output,
  cached,
  thoughts: 0,
  tool: 0,
  total: input + output,
});

describe('discover', () => {
  it('finds main, legacy and sub-agent recordings under GEMINI_DATA_DIR', async () => {
    const files = await geminiCliSource.discover({ env: { GEMINI_DATA_DIR: TMP }, homeDir: '/nonexistent' });
    expect(files.map((f) => f.path)).toEqual([SUBAGENT, LEGACY, MIGRATED, MAIN, GARBAGE]);
    expect(new Set(files.map((f) => f.root))).toEqual(new Set([TMP]));
  });

  it('accepts a project or chats directory in a comma list, and defaults to ~/.gemini/tmp', async () => {
    const listed = await geminiCliSource.discover({
      env: { GEMINI_DATA_DIR: `${join(TMP, 'ffff')}, ${join(PROJECT, 'chats')}` },
      homeDir: '/nonexistent',
    });
    expect(listed.map((f) => f.path)).toEqual([GARBAGE, SUBAGENT, LEGACY, MIGRATED, MAIN]);

    const home = join(tmp, 'home');
    await mkdir(join(home, '.gemini/tmp/proj/chats'), { recursive: true });
    await writeFile(join(home, '.gemini/tmp/proj/chats/session-2026-01-01T00-00-abcd1234.jsonl'), meta('x'));
    await writeFile(join(home, '.gemini/tmp/proj/chats/notes.jsonl'), '');
    await writeFile(join(home, '.gemini/tmp/proj/logs.json'), '[]');
    const expected = [join(home, '.gemini/tmp/proj/chats/session-2026-01-01T00-00-abcd1234.jsonl')];
    expect((await geminiCliSource.discover({ env: {}, homeDir: home })).map((f) => f.path)).toEqual(expected);
    expect(
      (await geminiCliSource.discover({ env: { GEMINI_CLI_HOME: home }, homeDir: '/nonexistent' })).map(
        (f) => f.path,
      ),
    ).toEqual(expected);
    expect(await geminiCliSource.discover({ env: {}, homeDir: join(tmp, 'nobody') })).toEqual([]);
  });
});

describe('parse: main session', () => {
  it('maps the formats.md §5.4 example exactly, once, although its tokens arrived in a second write', async () => {
    const { usage } = await parse(MAIN);
    expect(usage.filter((u) => u.id === `gm:${S}:m2`)).toEqual([
      {
        id: `gm:${S}:m2`,
        ts: Date.parse('2026-07-04T08:00:21.004Z'),
        source: 'gemini_cli_chat',
        tool: 'gemini-cli',
        sessionId: S,
        parentSessionId: null,
        requestId: null,
        messageId: null,
        model: 'gemini-2.5-pro',
        provider: 'google',
        speed: null,
        serviceTier: null,
        inferenceGeo: null,
        tokens: tokens({ inputUncached: 6054, cacheRead: 12288, output: 1515, reasoning: 904 }),
        webSearchRequests: 0,
        credits: null,
        reportedCostUsd: null,
        cwd: null,
        gitBranch: null,
        project: null,
        isSubagent: false,
        isSidechain: false,
        granularity: 'request',
        origin: MAIN,
      },
    ]);
  });

  it('keeps every billed call, rewound and compacted ones included, and adds tool-use prompt tokens to input', async () => {
    const { usage, skipped, end } = await parse(MAIN);
    expect(usage.map((u) => [u.id.split(':')[2], u.model])).toEqual([
      ['m2', 'gemini-2.5-pro'],
      ['m4', 'gemini-2.5-pro'],
      ['m5', 'gemini-2.5-pro'],
      ['m7', 'gemini-2.5-pro'],
      ['m9', 'gemini-2.5-flash'],
      ['m10', 'gemini-2.5-flash'],
    ]);
    expect(usage[1]!.tokens).toEqual(
      tokens({ inputUncached: 2135, cacheRead: 18000, output: 365, reasoning: 120 }),
    );
    expect(sumTokens(usage)).toEqual(
      tokens({ inputUncached: 21609, cacheRead: 90268, output: 2700, reasoning: 1124 }),
    );
    expect(skipped).toEqual({});
    // The half-written last record is left for the next read.
    const bytes = await readFile(MAIN);
    expect(end.offset).toBe(bytes.lastIndexOf(0x0a) + 1);
    expect(end.bytesRead).toBe(bytes.length);
    expect(end.state).toBeNull();
  });

  it('records prompts (as typed, not the snapshot), tool calls and lines from diffStat', async () => {
    const { activity } = await parse(MAIN);
    expect(activity.map((a) => [a.id, a.kind, a.name, a.promptLength, a.linesAdded, a.linesRemoved])).toEqual(
      [
        [`gm:prompt:${S}:m1`, 'prompt', null, 36, 0, 0],
        [`gm:prompt:${S}:m3`, 'prompt', null, 43, 0, 0],
        [`gm:tool_use:${S}:replace-1720080070-1`, 'tool_use', 'replace', null, 0, 0],
        [`gm:lines_changed:${S}:replace-1720080070-1`, 'lines_changed', 'replace', null, 4, 1],
        [`gm:prompt:${S}:m6`, 'prompt', null, 21, 0, 0],
        [`gm:prompt:${S}:m8`, 'prompt', null, 28, 0, 0],
        [`gm:tool_use:${S}:run_shell_command-1720080191-2`, 'tool_use', 'run_shell_command', null, 0, 0],
      ],
    );
    expect(activity[1]!.promptFingerprint).toBe(
      promptFingerprint('add jitter to the backoff in @src/client.ts'),
    );
    expect(activity[2]!.ts).toBe(Date.parse('2026-07-04T08:01:10.000Z'));
  });

  it('with removedMessages "drop", counts only the conversation Gemini CLI would resume', async () => {
    const { usage, activity } = await parse(MAIN, drop);
    expect(usage.map((u) => u.id)).toEqual([`gm:${S}:m9`, `gm:${S}:m10`]);
    expect(sumTokens(usage)).toEqual(
      tokens({ inputUncached: 10520, cacheRead: 20480, output: 510, reasoning: 60 }),
    );
    expect(activity.map((a) => a.id)).toEqual([
      `gm:prompt:${S}:m8`,
      `gm:tool_use:${S}:run_shell_command-1720080191-2`,
    ]);
  });
});

describe('parse: other recordings', () => {
  it('marks sub-agent recordings with their parent session', async () => {
    const { usage, activity } = await parse(SUBAGENT);
    expect(
      usage.map((u) => [u.id, u.sessionId, u.parentSessionId, u.isSubagent, u.cwd, u.project, u.tokens]),
    ).toEqual([
      [
        `gm:${SUB}:a2`,
        SUB,
        S,
        true,
        '/home/dev/acme-web',
        '/home/dev/acme-web',
        tokens({ inputUncached: 5200, output: 450, reasoning: 310 }),
      ],
      [
        `gm:${SUB}:a3`,
        SUB,
        S,
        true,
        '/home/dev/acme-web',
        '/home/dev/acme-web',
        tokens({ inputUncached: 1504, cacheRead: 4096, output: 90 }),
      ],
    ]);
    expect(activity.map((a) => [a.kind, a.name, a.promptLength, a.isSubagent])).toEqual([
      ['prompt', null, 31, true],
      ['tool_use', 'grep_search', null, true],
    ]);
  });

  it('reads a legacy .json recording whole, and gives its .jsonl migration the same ids', async () => {
    const legacy = await parse(LEGACY);
    expect(legacy.usage.map((u) => [u.id, u.tokens])).toEqual([
      [`gm:${L}:l2`, tokens({ inputUncached: 5964, cacheRead: 2048, output: 1200, reasoning: 500 })],
      [`gm:${L}:l4`, tokens({ inputUncached: 808, cacheRead: 8192, output: 50 })],
    ]);
    expect(
      legacy.activity.map((a) => [a.kind, a.name, a.promptLength, a.linesAdded, a.linesRemoved]),
    ).toEqual([
      ['prompt', null, 28, 0, 0],
      ['tool_use', 'write_file', null, 0, 0],
      ['lines_changed', 'write_file', null, 20, 0],
    ]);
    const size = (await stat(LEGACY)).size;
    expect(legacy.end).toEqual({ offset: size, bytesRead: size, lines: 1, state: null });

    const migrated = await parse(MIGRATED);
    const strip = (xs: Array<{ origin: string }>) => xs.map((x) => ({ ...x, origin: '' }));
    expect(strip(migrated.usage)).toEqual(strip(legacy.usage));
    expect(strip(migrated.activity)).toEqual(strip(legacy.activity));
  });

  it('skips bad records with a reason and keeps the good ones', async () => {
    const { usage, skipped } = await parse(GARBAGE);
    expect(skipped).toEqual({
      'invalid JSON': 1,
      'invalid token counts': 2,
      'invalid UTF-8': 1,
      'not a JSON object': 1,
    });
    expect(usage.map((u) => [u.id, u.model, u.ts, u.tokens])).toEqual([
      // No model of its own: the one named last before it.
      [
        `gm:${J}:j4`,
        'gemini-2.5-pro',
        Date.parse('2026-07-05T09:00:08.000Z'),
        tokens({ inputUncached: 3000, cacheRead: 1000, output: 100 }),
      ],
      // No timestamp: the session's start.
      [
        `gm:${J}:j5`,
        'gemini-2.5-flash',
        Date.parse('2026-07-05T09:00:00.000Z'),
        tokens({ inputUncached: 300, output: 20 }),
      ],
    ]);
    // A rewind to an unknown id empties the conversation, as Gemini CLI's loader does.
    expect((await parse(GARBAGE, drop)).usage).toEqual([]);
  });
});

describe('all recordings under a data dir', () => {
  it('sum to ccusage 20.0.24 (`gemini session`) less its double count of the migrated legacy file', async () => {
    const files = await geminiCliSource.discover({ env: { GEMINI_DATA_DIR: TMP }, homeDir: '/nonexistent' });
    const byId = new Map<string, UsageDraft>();
    for (const f of files) for (const u of (await parse(f.path)).usage) byId.set(u.id, u);
    expect(byId.size).toBe(12);
    // ccusage: input 45257, cache read 115844, output 3426 (+ thoughts, which it keeps apart). It
    // also counts the .json and its .jsonl migration twice (6772 input, 10240 cached, 750 output)
    // and a record with a negative count (100 input) that is skipped here.
    expect(sumTokens([...byId.values()])).toEqual(
      tokens({ inputUncached: 38385, cacheRead: 105604, output: 4610, reasoning: 1934 }),
    );
  });
});

describe('parse: folding rules', () => {
  it('applies $patch removals and never lets a partial copy erase tokens', async () => {
    const path = join(tmp, 'session-2026-01-01T00-00-patch000.jsonl');
    await writeFile(
      path,
      meta('patch') +
        gem('g1', '2026-01-01T00:00:05.000Z', tk(1000, 10, 0)) +
        gem('g2', '2026-01-01T00:00:09.000Z', tk(2000, 20, 1000)) +
        line({ $patch: { updates: [{ id: 'g1', content: [{ text: 'masked' }] }], removeIds: ['g1'] } }) +
        line({
          $set: {
            messages: [
              { id: 'g2', timestamp: '2026-01-01T00:00:09.000Z', type: 'gemini', content: [], tokens: null },
            ],
          },
        }) +
        gem('g3', '2026-01-01T00:00:20.000Z', null, { model: undefined }),
    );
    const kept = await parse(path);
    expect(kept.usage.map((u) => [u.id, u.model, u.tokens.inputUncached])).toEqual([
      ['gm:patch:g1', 'gemini-2.5-pro', 1000],
      ['gm:patch:g2', 'gemini-2.5-pro', 1000],
    ]);
    expect((await parse(path, drop)).usage.map((u) => u.id)).toEqual(['gm:patch:g2']);
  });

  it('gives a rewritten file the same ids, so the pipeline can replace the old records', async () => {
    const path = join(tmp, 'session-2026-01-01T00-00-rewrite0.json');
    const doc = {
      sessionId: 'rw',
      projectHash: 'p',
      startTime: '2026-01-01T00:00:00.000Z',
      lastUpdated: '',
      messages: [] as object[],
    };
    doc.messages.push({
      id: 'r1',
      timestamp: '2026-01-01T00:00:05.000Z',
      type: 'gemini',
      tokens: tk(500, 5, 100),
    });
    await writeFile(path, JSON.stringify(doc));
    const before = await parse(path);
    doc.messages.push({
      id: 'r2',
      timestamp: '2026-01-01T00:00:09.000Z',
      type: 'gemini',
      tokens: tk(600, 6, 500),
    });
    await writeFile(path, JSON.stringify(doc, null, 2));
    const after = await parse(path);
    expect(before.usage.map((u) => u.id)).toEqual(['gm:rw:r1']);
    expect(after.usage.map((u) => u.id)).toEqual(['gm:rw:r1', 'gm:rw:r2']);
    expect(after.usage[0]).toEqual(before.usage[0]);
    // No model anywhere: left null (unpriced), never guessed.
    expect(after.usage[1]!.model).toBeNull();
  });

  it('refuses a legacy file too large to parse whole, and one that is not a conversation', async () => {
    const big = join(tmp, 'session-big.json');
    await writeFile(big, '{}');
    const { truncate } = await import('node:fs/promises');
    await truncate(big, 256 * 1024 * 1024 + 1);
    const r = await parse(big);
    expect([r.skipped, r.usage.length, r.end.offset]).toEqual([
      { 'file too large': 1 },
      0,
      256 * 1024 * 1024 + 1,
    ]);
    const notConv = join(tmp, 'session-list.json');
    await writeFile(notConv, '[{"id":"x"}]');
    expect((await parse(notConv)).skipped).toEqual({ 'not a Gemini CLI conversation': 1 });
  });
});
