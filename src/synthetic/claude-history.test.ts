import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToOneFile, generateClaudeHistory, readTruth, writeHugeTranscript } from './claude-history.js';
import { ccusageDaily, findCcusage } from './peer.js';
import type { Truth } from './truth.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CAPTURES = '/work/shared/reference/captures/claude-code-2.1.197/transcripts';
const scratch = mkdtempSync(join(tmpdir(), 'tokenyield-synthetic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: transcript lines are parsed JSON of many shapes; the assertions check them.
type Line = Record<string, any>;

function jsonlFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((p) => p.endsWith('.jsonl'))
    .map((p) => join(root, p))
    .sort();
}

function* lines(root: string): Generator<{ file: string; line: Line; raw: string }> {
  for (const file of jsonlFiles(root)) {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      if (raw.length > 0) yield { file, line: JSON.parse(raw) as Line, raw };
    }
  }
}

function hashTree(root: string): string {
  const h = createHash('sha256');
  for (const file of jsonlFiles(root)) {
    h.update(file.slice(root.length));
    h.update(readFileSync(file));
  }
  return h.digest('hex');
}

interface Sums {
  calls: number;
  input_uncached: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  output: number;
}

interface Entry {
  ts: string;
  model: string;
  sidechain: boolean;
  messageId: string;
  size: number;
  usage: Line;
}

function usageSize(u: Line): number {
  return (
    u.input_tokens + u.output_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0)
  );
}

/**
 * The dedup rules written out independently of the generator: one entry per (message.id,
 * requestId) keeping the largest, sidechain copies dropped when a main-chain copy of the same
 * message.id exists, `<synthetic>` ignored. Result: day → model → sums.
 */
function recount(root: string): Map<string, Map<string, Sums>> {
  const byKey = new Map<string, Entry>();
  for (const { line } of lines(join(root, 'projects'))) {
    if (line.type !== 'assistant' || line.message?.model === '<synthetic>') continue;
    const u = line.message.usage;
    const key = `${line.message.id}|${line.requestId ?? ''}`;
    const e: Entry = {
      ts: line.timestamp,
      model: line.message.model,
      sidechain: line.isSidechain === true,
      messageId: line.message.id,
      size: usageSize(u),
      usage: u,
    };
    const prev = byKey.get(key);
    if (prev === undefined || e.size > prev.size) byKey.set(key, e);
  }
  const mainIds = new Set<string>();
  for (const e of byKey.values()) if (!e.sidechain) mainIds.add(e.messageId);
  const days = new Map<string, Map<string, Sums>>();
  for (const e of byKey.values()) {
    if (e.sidechain && mainIds.has(e.messageId)) continue;
    const day = e.ts.slice(0, 10);
    const models = days.get(day) ?? new Map<string, Sums>();
    days.set(day, models);
    const s = models.get(e.model) ?? {
      calls: 0,
      input_uncached: 0,
      cache_read: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      output: 0,
    };
    models.set(e.model, s);
    const cc = e.usage.cache_creation;
    s.calls++;
    s.input_uncached += e.usage.input_tokens;
    s.cache_read += e.usage.cache_read_input_tokens ?? 0;
    s.cache_write_5m +=
      cc === undefined ? (e.usage.cache_creation_input_tokens ?? 0) : cc.ephemeral_5m_input_tokens;
    s.cache_write_1h += cc === undefined ? 0 : cc.ephemeral_1h_input_tokens;
    s.output += e.usage.output_tokens;
  }
  return days;
}

function truthAsSums(truth: Truth): Map<string, Map<string, Sums>> {
  const days = new Map<string, Map<string, Sums>>();
  for (const d of truth.days) {
    const models = new Map<string, Sums>();
    for (const [name, b] of Object.entries(d.models)) {
      const { cost_usd: _cost, ...sums } = b;
      models.set(name, sums);
    }
    days.set(d.date, models);
  }
  return days;
}

const shared = join(scratch, 'shared');
let truth: Truth;

beforeAll(() => {
  truth = generateClaudeHistory(shared, {
    seed: 5,
    targetBytes: 16 * 1024 * 1024,
    files: 120,
    days: 20,
    startDate: '2026-10-01',
  }).truth;
});

describe('generateClaudeHistory', () => {
  it('is deterministic: the same seed gives the same bytes, another seed different ones', () => {
    const opts = { targetBytes: 3 * 1024 * 1024, files: 30, days: 5 };
    generateClaudeHistory(join(scratch, 'a'), { ...opts, seed: 11 });
    generateClaudeHistory(join(scratch, 'b'), { ...opts, seed: 11 });
    generateClaudeHistory(join(scratch, 'c'), { ...opts, seed: 12 });
    const a = hashTree(join(scratch, 'a'));
    expect(hashTree(join(scratch, 'b'))).toBe(a);
    expect(hashTree(join(scratch, 'c'))).not.toBe(a);
    expect(readFileSync(join(scratch, 'b', 'truth.json'), 'utf8')).toBe(
      readFileSync(join(scratch, 'a', 'truth.json'), 'utf8'),
    );
  });

  it('writes exactly the requested number of files and about the requested bytes', () => {
    const files = jsonlFiles(join(shared, 'projects'));
    expect(files).toHaveLength(120);
    expect(truth.files).toBe(120);
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    expect(truth.bytes).toBe(bytes);
    expect(bytes / (16 * 1024 * 1024)).toBeGreaterThan(0.85);
    expect(bytes / (16 * 1024 * 1024)).toBeLessThan(1.2);
  });

  it('refuses to write into an existing history', () => {
    expect(() => generateClaudeHistory(shared, { files: 2, targetBytes: 10_000 })).toThrow(/not empty/);
  });

  it('records in truth.json exactly what an independent dedup recount finds', () => {
    expect(readTruth(shared)).toEqual(truth);
    expect(recount(shared)).toEqual(truthAsSums(truth));
    const t = truth.totals;
    expect(t.total_tokens).toBe(
      t.input_tokens + t.output_tokens + t.cache_write_tokens + t.cache_read_tokens,
    );
    expect(t.cache_write_tokens).toBe(t.cache_write_5m + t.cache_write_1h);
    expect(t.cost_usd).toBeGreaterThan(0);
  });

  it('spreads sessions over days, projects, branches and models', () => {
    expect(truth.days.length).toBeGreaterThanOrEqual(15);
    const models = new Set(truth.days.flatMap((d) => Object.keys(d.models)));
    expect(models.size).toBeGreaterThanOrEqual(4);
    const projects = readdirSync(join(shared, 'projects'));
    expect(projects.length).toBeGreaterThanOrEqual(5);
    expect(projects.some((p) => p.startsWith('-Users-'))).toBe(true);
    const branches = new Set<string>();
    const versions = new Set<string>();
    for (const { line } of lines(join(shared, 'projects'))) {
      if (typeof line.gitBranch === 'string') branches.add(line.gitBranch);
      if (typeof line.version === 'string') versions.add(line.version.split('.').slice(0, 2).join('.'));
    }
    expect(branches.size).toBeGreaterThanOrEqual(4);
    expect([...versions].sort()).toEqual(['1.0', '2.0', '2.1']);
  });

  it('contains every trap a usage parser has to survive', () => {
    const filesByMessage = new Map<string, Set<string>>();
    const groups = new Map<string, Line[]>();
    const sidechainIds: Array<{ id: string; requestId: string }> = [];
    const mainRequest = new Map<string, string>();
    const seen = {
      noRequestId: 0,
      synthetic: 0,
      noCacheCreation: 0,
      summary: 0,
      snapshot: 0,
      queue: 0,
      lastPrompt: 0,
      commit: 0,
      attachment: 0,
    };
    for (const { file, line } of lines(join(shared, 'projects'))) {
      if (line.type === 'summary') seen.summary++;
      if (line.type === 'file-history-snapshot') seen.snapshot++;
      if (line.type === 'queue-operation') seen.queue++;
      if (line.type === 'last-prompt') seen.lastPrompt++;
      if (line.type === 'attachment') seen.attachment++;
      if (
        typeof line.toolUseResult?.stdout === 'string' &&
        /^\[\S+ [0-9a-f]{7}\] /.test(line.toolUseResult.stdout)
      ) {
        seen.commit++;
      }
      if (line.type !== 'assistant') continue;
      if (line.isApiErrorMessage === true) {
        expect(line.message.model).toBe('<synthetic>');
        expect(line.requestId).toBeUndefined();
        seen.synthetic++;
        continue;
      }
      const id = line.message.id as string;
      if (line.requestId === undefined) seen.noRequestId++;
      if (line.message.usage.cache_creation === undefined) seen.noCacheCreation++;
      if (!line.isSidechain) {
        const files = filesByMessage.get(id) ?? new Set();
        files.add(file);
        filesByMessage.set(id, files);
        mainRequest.set(id, line.requestId);
      } else {
        sidechainIds.push({ id, requestId: line.requestId });
        expect(line.agentId).toMatch(/^a?[0-9a-f]{8,16}$/);
      }
      const key = `${file}|${id}|${line.requestId}`;
      groups.set(key, [...(groups.get(key) ?? []), line]);
    }
    for (const v of Object.values(seen)) expect(v).toBeGreaterThan(0);
    // Resumed sessions: the same main-chain call in two files.
    expect([...filesByMessage.values()].filter((f) => f.size > 1).length).toBeGreaterThan(0);
    // `/btw` replays: a sidechain line with a main-chain message.id and a different requestId.
    const replays = sidechainIds.filter(
      (s) => mainRequest.has(s.id) && mainRequest.get(s.id) !== s.requestId,
    );
    expect(replays.length).toBe(truth.stats.sideQuestionReplays);
    expect(replays.length).toBeGreaterThan(0);
    // Streaming: 1–4 lines per call, placeholders first, the real count and stop_reason last.
    let multiLine = 0;
    for (const g of groups.values()) {
      expect(g.length).toBeGreaterThanOrEqual(1);
      expect(g.length).toBeLessThanOrEqual(4);
      const last = g[g.length - 1]!;
      expect(last.message.stop_reason).not.toBeNull();
      for (const l of g) {
        if (l.message.stop_reason !== null) continue;
        multiLine++;
        expect(l.message.usage.output_tokens).toBeLessThanOrEqual(9);
        expect(l.message.usage.output_tokens).toBeLessThan(last.message.usage.output_tokens);
      }
    }
    expect(multiLine).toBeGreaterThan(0);
    const dir = join(shared, 'projects');
    const all = jsonlFiles(dir).map((f) => f.slice(dir.length + 1));
    expect(all.some((f) => /^[^/]+\/[0-9a-f-]{36}\/subagents\/agent-a[0-9a-f]{16}\.jsonl$/.test(f))).toBe(
      true,
    );
    expect(all.some((f) => /^[^/]+\/agent-[0-9a-f]{8}\.jsonl$/.test(f))).toBe(true);
  });

  it('keeps every prompt below 200k tokens', () => {
    let max = 0;
    for (const { line } of lines(join(shared, 'projects'))) {
      if (line.type !== 'assistant') continue;
      const u = line.message.usage;
      max = Math.max(max, u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens);
    }
    expect(max).toBeGreaterThan(20_000);
    expect(max).toBeLessThan(200_000);
  });

  it('is dominated by file contents and tool output, like real histories', () => {
    let tool = 0;
    let total = 0;
    for (const { line, raw } of lines(join(shared, 'projects'))) {
      total += raw.length;
      const toolUse = line.type === 'assistant' && line.message.content[0]?.type === 'tool_use';
      if (line.toolUseResult !== undefined || toolUse) tool += raw.length;
    }
    expect(tool / total).toBeGreaterThan(0.6);
  });

  it.skipIf(!existsSync(CAPTURES))(
    'writes 2.1.x lines with the key order of real Claude Code 2.1.197 lines',
    () => {
      const kind = (l: Line): string => {
        if (l.type === 'queue-operation') return `queue:${l.operation}`;
        if (l.type === 'user') return l.toolUseResult === undefined ? 'prompt' : 'tool-result';
        return l.type;
      };
      // Optional keys real lines carry only sometimes (sdk prompts, named sessions).
      const shape = (l: Line): string[] => Object.keys(l).filter((k) => k !== 'promptSource' && k !== 'slug');
      const expected = new Map<string, string[]>();
      const expectedMessage = new Map<string, string[]>();
      let usageKeys: string[] = [];
      const results = new Map<string, string[]>();
      for (const f of readdirSync(CAPTURES)) {
        for (const raw of readFileSync(join(CAPTURES, f), 'utf8').split('\n')) {
          if (raw.length === 0) continue;
          const l = JSON.parse(raw) as Line;
          expected.set(kind(l), shape(l));
          if (l.message !== undefined) expectedMessage.set(kind(l), Object.keys(l.message));
          if (l.type === 'assistant') usageKeys = Object.keys(l.message.usage);
          if (l.toolUseResult?.type === 'create') results.set('Write', Object.keys(l.toolUseResult));
          if (l.toolUseResult?.stdout !== undefined) results.set('Bash', Object.keys(l.toolUseResult));
        }
      }
      const checked = new Set<string>();
      for (const { line } of lines(join(shared, 'projects'))) {
        if (!String(line.version ?? '2.1.').startsWith('2.1.') || line.isSidechain === true) continue;
        if (line.isApiErrorMessage === true || line.isCompactSummary === true) continue;
        // Gateway calls lack requestId by design; their other keys are covered by the rest.
        if (line.type === 'assistant' && line.requestId === undefined) continue;
        const k = kind(line);
        const want = expected.get(k);
        if (want === undefined) continue;
        expect(shape(line), k).toEqual(want);
        if (line.message !== undefined) expect(Object.keys(line.message), k).toEqual(expectedMessage.get(k));
        if (k === 'assistant') expect(Object.keys(line.message.usage)).toEqual(usageKeys);
        if (line.toolUseResult?.type === 'create')
          expect(Object.keys(line.toolUseResult)).toEqual(results.get('Write'));
        if (line.toolUseResult?.stdout !== undefined)
          expect(Object.keys(line.toolUseResult)).toEqual(results.get('Bash'));
        checked.add(k);
      }
      expect([...checked].sort()).toEqual([...expected.keys()].sort());
    },
  );
});

describe('appendToOneFile', () => {
  it('grows one transcript with new distinct calls and keeps truth.json exact', () => {
    const root = join(scratch, 'append');
    generateClaudeHistory(root, { seed: 21, targetBytes: 4 * 1024 * 1024, files: 40, days: 6 });
    const before = readTruth(root);
    const sizes = new Map(jsonlFiles(root).map((f) => [f, statSync(f).size]));
    const first = appendToOneFile(root, 1);
    const second = appendToOneFile(root, 1);
    expect(first.calls).toBeGreaterThanOrEqual(2);
    expect(second.calls).toBeGreaterThanOrEqual(2);
    const after = readTruth(root);
    expect(after.appends).toBe(2);
    expect(after.totals.calls).toBe(before.totals.calls + first.calls + second.calls);
    expect(after.totals.output_tokens).toBe(
      before.totals.output_tokens + first.totals.output_tokens + second.totals.output_tokens,
    );
    expect(recount(root)).toEqual(truthAsSums(after));
    const grown = jsonlFiles(root).filter((f) => statSync(f).size !== sizes.get(f));
    expect(grown.length).toBeGreaterThanOrEqual(1);
    expect(grown.length).toBeLessThanOrEqual(2);
    const added = grown.reduce((n, f) => n + statSync(f).size - sizes.get(f)!, 0);
    expect(added).toBe(first.bytes + second.bytes);
    expect(after.bytes).toBe(before.bytes + added);
    // Appended lines continue the file's session.
    const tail = readFileSync(first.file, 'utf8').trimEnd().split('\n').slice(-3);
    const sessionId = basename(first.file, '.jsonl');
    for (const raw of tail) {
      const l = JSON.parse(raw) as Line;
      if (l.sessionId !== undefined) expect(l.sessionId).toBe(sessionId);
    }
  });
});

describe('writeHugeTranscript', () => {
  it('streams one long session whose truth matches a recount and whose prompts stay below 200k', () => {
    const root = join(scratch, 'huge');
    const dir = join(root, 'projects', '-home-dev-monorepo');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, '0f1e2d3c-4b5a-4697-8877-665544332211.jsonl');
    const t = writeHugeTranscript(path, 6 * 1024 * 1024, { seed: 3 });
    expect(statSync(path).size).toBe(t.bytes);
    expect(t.bytes).toBeGreaterThanOrEqual(6 * 1024 * 1024);
    expect(t.stats.compactions).toBeGreaterThan(0);
    expect(recount(root)).toEqual(truthAsSums(t));
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
      if (!raw.includes('"usage":{')) continue;
      const u = (JSON.parse(raw) as Line).message.usage;
      expect(u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens).toBeLessThan(
        200_000,
      );
    }
  });
});

describe('longContextShare', () => {
  it('produces prompts above 200k only when asked, and the truth still matches', () => {
    const root = join(scratch, 'long');
    const t = generateClaudeHistory(root, {
      seed: 8,
      targetBytes: 2 * 1024 * 1024,
      files: 12,
      longContextShare: 1,
    }).truth;
    expect(t.stats.longContextCalls).toBeGreaterThan(0);
    expect(recount(root)).toEqual(truthAsSums(t));
  });
});

const ccusage = findCcusage(REPO);

describe.skipIf(ccusage === null)('ccusage 20.0.24 agrees with the truth (realism check)', () => {
  const emptyHome = join(scratch, 'empty-home');

  it('reports exactly the truth tokens per day and model, and the list-price cost', () => {
    mkdirSync(emptyHome, { recursive: true });
    const report = ccusageDaily(ccusage!, emptyHome, { CLAUDE_CONFIG_DIR: shared });
    expect(report.daily.map((d) => d.period)).toEqual(truth.days.map((d) => d.date));
    for (const d of report.daily) {
      const t = truth.days.find((x) => x.date === d.period)!;
      expect([d.inputTokens, d.outputTokens, d.cacheCreationTokens, d.cacheReadTokens], d.period).toEqual([
        t.totals.input_tokens,
        t.totals.output_tokens,
        t.totals.cache_write_tokens,
        t.totals.cache_read_tokens,
      ]);
      for (const m of d.modelBreakdowns) {
        const tm = t.models[m.modelName]!;
        expect([m.inputTokens, m.outputTokens, m.cacheCreationTokens, m.cacheReadTokens]).toEqual([
          tm.input_uncached,
          tm.output,
          tm.cache_write_5m + tm.cache_write_1h,
          tm.cache_read,
        ]);
        expect(Math.abs(m.cost - tm.cost_usd!)).toBeLessThan(1e-6 * Math.max(1, tm.cost_usd!));
      }
    }
    expect(report.totals.totalTokens).toBe(truth.totals.total_tokens);
  });

  it('over-counts requestId-less streaming lines, which is why they are single-line by default', () => {
    const root = join(scratch, 'split');
    const t = generateClaudeHistory(root, {
      seed: 3,
      targetBytes: 8 * 1024 * 1024,
      files: 80,
      splitGatewayCalls: true,
    }).truth;
    expect(recount(root)).toEqual(truthAsSums(t));
    // ccusage collapses verbatim copies of a line (resumed sessions) but counts each streaming line
    // of a requestId-less call on its own; the truth counts the call once.
    const distinctLines = new Map<string, number>();
    const largest = new Map<string, number>();
    for (const { line } of lines(join(root, 'projects'))) {
      if (line.type !== 'assistant' || line.requestId !== undefined || line.message.model === '<synthetic>')
        continue;
      const size = usageSize(line.message.usage);
      distinctLines.set(line.uuid, size);
      largest.set(line.message.id, Math.max(largest.get(line.message.id) ?? 0, size));
    }
    const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    const excess = sum(distinctLines) - sum(largest);
    expect(excess).toBeGreaterThan(0);
    const report = ccusageDaily(ccusage!, emptyHome, { CLAUDE_CONFIG_DIR: root });
    expect(report.totals.totalTokens - t.totals.total_tokens).toBe(excess);
  });
});
