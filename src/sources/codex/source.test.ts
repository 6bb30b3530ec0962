import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumTokens, tokens } from '../../../test/support/tokens.js';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import { promptFingerprint } from '../fingerprint.js';
import type { ParseEnd } from '../source.js';
import { codexSource } from './index.js';
import type { CodexState } from './state.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/codex/', import.meta.url));
const HOME = join(FIXTURES, 'home');
const P = '019f2a1c-7b4e-7d10-9a55-3c2b1e0f9d84';
const C = '019f2a3e-1c20-7a41-8f02-5d6e7f809a1b';
const F = '019f2a52-9d3a-7c11-b4e5-6a7b8c9d0e1f';
const E = '01992d6a-4b1c-7e2d-9f30-a1b2c3d4e5f6';
const PARENT = join(HOME, `sessions/2026/07/03/rollout-2026-07-03T18-15-02-${P}.jsonl`);
const CHILD = join(HOME, `sessions/2026/07/03/rollout-2026-07-03T18-20-00-${C}.jsonl`);
const FORK = join(HOME, `sessions/2026/07/03/rollout-2026-07-03T18-30-00-${F}.jsonl`);
const EARLY = join(HOME, `sessions/2025/09/08/rollout-2025-09-08T10-00-00-${E}.jsonl`);
const CACHE_WRITE = join(
  FIXTURES,
  'cache-write/sessions/2026/07/10/rollout-2026-07-10T08-00-00-019f3000-aaaa-7bbb-8ccc-dddddddddddd.jsonl',
);
const GARBAGE = join(
  FIXTURES,
  'garbage/sessions/2026/07/12/rollout-2026-07-12T07-00-00-019f4000-0000-7000-8000-00000000beef.jsonl',
);

interface Parsed {
  usage: UsageDraft[];
  activity: ActivityDraft[];
  skipped: Record<string, number>;
  end: ParseEnd;
}

async function parse(path: string, start = { offset: 0, state: null as unknown }): Promise<Parsed> {
  const usage: UsageDraft[] = [];
  const activity: ActivityDraft[] = [];
  const skipped: Record<string, number> = {};
  const end = await codexSource.parse({ path, root: '' }, start, {
    usage: (d) => usage.push(d),
    activity: (d) => activity.push(d),
    skip: (reason) => {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    },
  });
  return { usage, activity, skipped, end };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tokenyield-codex-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeTmp(name: string, content: string | Buffer): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, content);
  return path;
}

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
}

describe('discover', () => {
  it('finds sessions and archived rollouts, reading a rollout present in both only from sessions/', async () => {
    const files = await codexSource.discover({ env: { CODEX_HOME: HOME }, homeDir: '/nonexistent' });
    expect(files.map((f) => f.path.slice(HOME.length + 1))).toEqual([
      `sessions/2025/09/08/rollout-2025-09-08T10-00-00-${E}.jsonl`,
      'sessions/2026/07/01/rollout-2026-07-01T09-00-00-019f1f00-2a3b-7c4d-8e5f-60718293a4b5.jsonl',
      `sessions/2026/07/03/rollout-2026-07-03T18-15-02-${P}.jsonl`,
      `sessions/2026/07/03/rollout-2026-07-03T18-20-00-${C}.jsonl`,
      `sessions/2026/07/03/rollout-2026-07-03T18-30-00-${F}.jsonl`,
      'archived_sessions/rollout-2026-06-20T14-00-00-019ef0aa-0b1c-7d2e-8f30-415263748596.jsonl',
    ]);
    expect(new Set(files.map((f) => f.root))).toEqual(new Set([HOME]));
  });

  it('takes a comma-separated CODEX_HOME and defaults to ~/.codex', async () => {
    const both = await codexSource.discover({
      env: { CODEX_HOME: ` ${HOME} , ${join(FIXTURES, 'cache-write')} ` },
      homeDir: '/nonexistent',
    });
    expect(both).toHaveLength(7);
    const home = join(tmp, 'home-default');
    await mkdir(join(home, '.codex/sessions/2026/01/02'), { recursive: true });
    await writeFile(join(home, '.codex/sessions/2026/01/02/rollout-x.jsonl'), '');
    await writeFile(join(home, '.codex/sessions/2026/01/02/notes.jsonl'), '');
    const dflt = await codexSource.discover({ env: {}, homeDir: home });
    expect(dflt).toEqual([
      { path: join(home, '.codex/sessions/2026/01/02/rollout-x.jsonl'), root: join(home, '.codex') },
    ]);
    expect(await codexSource.discover({ env: { CODEX_HOME: join(tmp, 'absent') }, homeDir: home })).toEqual(
      [],
    );
  });
});

describe('all rollouts of a Codex home', () => {
  it('sum to the totals ccusage 20.0.24 reports for the same directory (`codex daily`)', async () => {
    const files = await codexSource.discover({ env: { CODEX_HOME: HOME }, homeDir: '/nonexistent' });
    const byId = new Map<string, UsageDraft>();
    for (const f of files) for (const u of (await parse(f.path)).usage) byId.set(u.id, u);
    expect(byId.size).toBe(11);
    expect(sumTokens([...byId.values()])).toEqual(
      tokens({ inputUncached: 41224, cacheRead: 89496, output: 3475, reasoning: 992 }),
    );
  });
});

describe('parse: main session', () => {
  it('maps the formats.md §4.1 example exactly', async () => {
    const { usage } = await parse(PARENT);
    expect(usage[0]).toEqual({
      id: `cx:${P}:14691`,
      ts: Date.parse('2026-07-03T18:15:19.978Z'),
      source: 'codex_rollout',
      tool: 'codex',
      sessionId: P,
      parentSessionId: null,
      requestId: null,
      messageId: null,
      model: 'gpt-5.4',
      provider: 'openai',
      speed: null,
      serviceTier: null,
      inferenceGeo: null,
      tokens: tokens({ inputUncached: 12043, cacheRead: 2432, output: 216, reasoning: 64 }),
      webSearchRequests: 0,
      credits: null,
      reportedCostUsd: null,
      cwd: '/home/dev/acme-api',
      gitBranch: 'feat/rate-limit',
      project: '/home/dev/acme-api',
      isSubagent: false,
      isSidechain: false,
      granularity: 'request',
      origin: PARENT,
    });
  });

  it('skips the repeated event and info:null, and recovers a total-only event from the previous total', async () => {
    const { usage, skipped } = await parse(PARENT);
    expect(usage.map((u) => u.id)).toEqual([
      `cx:${P}:14691`,
      `cx:${P}:31550`,
      `cx:${P}:49845`,
      `cx:${P}:70245`,
    ]);
    expect(usage[1]!.tokens).toEqual(
      tokens({ inputUncached: 2593, cacheRead: 13952, output: 314, reasoning: 128 }),
    );
    // The sum equals the thread's final cumulative total: 69220 input (52304 cached), 1025 output.
    expect(sumTokens(usage)).toEqual(
      tokens({ inputUncached: 16916, cacheRead: 52304, output: 1025, reasoning: 292 }),
    );
    expect(skipped).toEqual({});
  });

  it('records prompts, tool calls, changed lines and the successful commit', async () => {
    const { activity } = await parse(PARENT);
    const by = (kind: string) => activity.filter((a) => a.kind === kind);
    expect(by('prompt').map((a) => [a.promptLength, a.promptFingerprint])).toEqual([
      [16, promptFingerprint('add a Dockerfile')],
      [40, promptFingerprint('now make the image smaller and commit it')],
    ]);
    expect(by('tool_use').map((a) => a.name)).toEqual(['shell', 'apply_patch', 'shell']);
    // Add of a 5-line file plus +3/-1 in an update; the second patch only listed its files at begin.
    expect(by('lines_changed').map((a) => [a.name, a.linesAdded, a.linesRemoved])).toEqual([
      ['apply_patch', 8, 1],
      ['apply_patch', 3, 1],
    ]);
    expect(by('commit').map((a) => [a.ref, a.gitBranch, a.cwd])).toEqual([
      ['3f9c2ab', 'feat/rate-limit', '/home/dev/acme-api'],
    ]);
    expect(activity).toHaveLength(8);
    for (const a of activity) {
      expect(a.id).toMatch(new RegExp(`^cx:${a.kind}:${P}:\\d+$`));
      expect(a.sessionId).toBe(P);
      expect(a.isSubagent).toBe(false);
    }
    expect(new Set(activity.map((a) => a.id)).size).toBe(activity.length);
  });
});

describe('parse: replayed histories', () => {
  it('does not count the parent history a forked sub-agent replays', async () => {
    const { usage, activity } = await parse(CHILD);
    expect(usage.map((u) => [u.id, u.model, u.isSubagent, u.parentSessionId])).toEqual([
      [`cx:${C}:62145`, 'gpt-5.4-mini', true, P],
      [`cx:${C}:76345`, 'gpt-5.4-mini', true, P],
    ]);
    expect(usage.map((u) => u.tokens)).toEqual([
      tokens({ inputUncached: 2000, cacheRead: 10000, output: 300, reasoning: 50 }),
      tokens({ inputUncached: 2000, cacheRead: 12000, output: 200, reasoning: 50 }),
    ]);
    expect(activity.map((a) => [a.kind, a.name, a.promptLength])).toEqual([
      ['prompt', null, 37],
      ['tool_use', 'shell', null],
    ]);
  });

  it('does not count the history a user fork replays either', async () => {
    const { usage, activity } = await parse(FORK);
    expect(usage.map((u) => [u.id, u.isSubagent, u.parentSessionId, u.tokens])).toEqual([
      [`cx:${F}:36650`, false, null, tokens({ inputUncached: 1000, cacheRead: 4000, output: 100 })],
    ]);
    expect(activity.map((a) => a.kind)).toEqual(['prompt']);
  });

  it("finds the burst by ccusage's rule when the copied session_meta is missing", async () => {
    const all = await lines(CHILD);
    const path = await writeTmp(`rollout-nometa-${C}.jsonl`, `${[all[0], ...all.slice(2)].join('\n')}\n`);
    const { usage } = await parse(path);
    expect(usage.map((u) => u.id)).toEqual([`cx:${C}:62145`, `cx:${C}:76345`]);
  });

  it('does not adopt the copied parent session_meta when its own first line is unreadable', async () => {
    const all = await lines(CHILD);
    const path = await writeTmp(
      basename(CHILD),
      `{"timestamp":"2026-07-03T18:20:00.100Z","type":"session_meta","payload":{"id":"019f2a3e-1c2\n${all.slice(1).join('\n')}\n`,
    );
    const { usage, skipped } = await parse(path);
    expect(skipped).toEqual({ 'invalid JSON': 1 });
    expect(usage.map((u) => [u.id, u.sessionId])).toEqual([
      [`cx:${C}:62145`, C],
      [`cx:${C}:76345`, C],
    ]);
  });

  it('does not take a repeated first event of a sub-agent for a replay', async () => {
    const all = await lines(CHILD);
    const own = all.slice(9);
    const firstEvent = own.findIndex((l) => l.includes('"token_count"'));
    const dup = own[firstEvent]!.replace('18:20:09.000Z', '18:20:09.400Z');
    const rows = [all[0], ...own.slice(0, firstEvent + 1), dup, ...own.slice(firstEvent + 1)];
    const path = await writeTmp(`rollout-dupfirst-${C}.jsonl`, `${rows.join('\n')}\n`);
    const { usage } = await parse(path);
    // Without the replayed history the first event's last_token_usage is the child's own call.
    expect(usage.map((u) => u.id)).toEqual([`cx:${C}:62145`, `cx:${C}:76345`]);
  });
});

describe('parse: models, buckets, counters', () => {
  it('falls back to gpt-5 when no turn_context ever named the model, and counts those events', async () => {
    const { usage, end } = await parse(EARLY);
    expect(usage.map((u) => [u.model, u.tokens])).toEqual([
      ['gpt-5', tokens({ inputUncached: 8000, output: 500, reasoning: 200 })],
      ['gpt-5', tokens({ inputUncached: 2332, cacheRead: 7168, output: 400, reasoning: 100 })],
    ]);
    const state = end.state as CodexState;
    expect([state.modelIsFallback, state.fallbackModelEvents]).toEqual([true, 2]);
  });

  it('keeps cache writes apart from uncached input', async () => {
    const { usage } = await parse(CACHE_WRITE);
    expect(usage.map((u) => u.tokens)).toEqual([
      tokens({ inputUncached: 2500, cacheRead: 6000, cacheWriteOther: 1500, output: 200, reasoning: 40 }),
    ]);
  });

  it('keys events that carry only last_token_usage by the running total, and keeps later totals consistent', async () => {
    const meta = JSON.stringify({
      timestamp: '2026-01-01T00:00:00Z',
      type: 'session_meta',
      payload: { id: 'thread-last', cwd: '/w' },
    });
    const ev = (ts: string, info: object) =>
      JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count', info } });
    const u = (i: number, c: number, o: number, t: number) => ({
      input_tokens: i,
      cached_input_tokens: c,
      output_tokens: o,
      reasoning_output_tokens: 0,
      total_tokens: t,
    });
    const rows = [
      meta,
      ev('2026-01-01T00:00:05Z', { last_token_usage: u(100, 0, 10, 110) }),
      ev('2026-01-01T00:00:09Z', { last_token_usage: u(200, 50, 20, 220) }),
      ev('2026-01-01T00:00:15Z', { total_token_usage: u(700, 150, 60, 760) }),
      // The counter restarted (a build that did not seed totals on resume).
      ev('2026-01-01T00:05:00Z', { total_token_usage: u(90, 0, 9, 99), last_token_usage: u(90, 0, 9, 99) }),
      ev('2026-01-01T00:05:09Z', { total_token_usage: u(300, 40, 19, 319) }),
    ];
    const path = await writeTmp('rollout-lastonly.jsonl', `${rows.join('\n')}\n`);
    const { usage } = await parse(path);
    expect(usage.map((x) => [x.id, x.tokens.inputUncached, x.tokens.cacheRead, x.tokens.output])).toEqual([
      ['cx:thread-last:110', 100, 0, 10],
      ['cx:thread-last:330', 150, 50, 20],
      ['cx:thread-last:760', 300, 100, 30],
      ['cx:thread-last:r1:99', 90, 0, 9],
      ['cx:thread-last:r1:319', 170, 40, 10],
    ]);
  });
});

describe('parse: bad input', () => {
  it('skips garbage with a reason, never throws, and leaves an unfinished last line for the next run', async () => {
    const { usage, skipped, end } = await parse(GARBAGE);
    expect(skipped).toEqual({
      'invalid JSON': 2,
      'invalid token counts': 3,
      'invalid UTF-8': 1,
      'not a JSON object': 1,
      'token_count without timestamp': 1,
    });
    expect(usage.map((u) => [u.id, u.model, u.tokens])).toEqual([
      [
        'cx:019f4000-0000-7000-8000-00000000beef:3050',
        'gpt-5.4',
        tokens({ inputUncached: 2000, cacheRead: 1000, output: 50, reasoning: 10 }),
      ],
    ]);
    const bytes = await readFile(GARBAGE);
    const tailStart = bytes.lastIndexOf(0x0a) + 1;
    expect(end.offset).toBe(tailStart);
    expect(end.bytesRead).toBe(bytes.length);

    // The writer finishes the line: the next run continues from the checkpoint and counts it.
    const done = Buffer.concat([
      bytes,
      Buffer.from(
        'put_tokens":2000,"output_tokens":80,"reasoning_output_tokens":0,"total_tokens":5080}},"rate_limits":null}}\n',
      ),
    ]);
    const path = await writeTmp(basename(GARBAGE), done);
    const next = await parse(path, { offset: end.offset, state: JSON.parse(JSON.stringify(end.state)) });
    expect(next.usage.map((u) => [u.id, u.tokens])).toEqual([
      [
        'cx:019f4000-0000-7000-8000-00000000beef:5080',
        tokens({ inputUncached: 1000, cacheRead: 1000, output: 30 }),
      ],
    ]);
    expect(next.skipped).toEqual({});
    expect(next.end.offset).toBe(done.length);
  });

  it('reads again from the top when the saved state is unusable', async () => {
    const full = await parse(PARENT);
    const again = await parse(PARENT, { offset: 500, state: { v: 0, junk: true } });
    expect(again.usage).toEqual(full.usage);
    expect(again.activity).toEqual(full.activity);
  });
});

describe('parse: resuming from a checkpoint', () => {
  // Every line boundary of every fixture: a run that stopped there and a later run that continued
  // with the saved (JSON round-tripped) state together yield exactly what one full parse yields.
  for (const [name, file] of [
    ['main session', PARENT],
    ['forked sub-agent', CHILD],
    ['user fork', FORK],
    ['no turn_context', EARLY],
  ] as const) {
    it(`gives the same records as a full parse: ${name}`, async () => {
      const content = await readFile(file);
      const full = await parse(file);
      const cuts: number[] = [];
      for (let i = 0; i < content.length; i++) if (content[i] === 0x0a) cuts.push(i + 1);
      for (const cut of cuts) {
        const path = await writeTmp(basename(file), content.subarray(0, cut));
        const first = await parse(path);
        expect(first.end.offset).toBe(cut);
        await writeFile(path, content);
        const second = await parse(path, {
          offset: first.end.offset,
          state: JSON.parse(JSON.stringify(first.end.state)),
        });
        expect([...first.usage, ...second.usage]).toEqual(full.usage.map((u) => ({ ...u, origin: path })));
        expect([...first.activity, ...second.activity]).toEqual(
          full.activity.map((a) => ({ ...a, origin: path })),
        );
      }
    });
  }
});
