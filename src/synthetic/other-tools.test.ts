import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCodexRollouts } from './codex-rollouts.js';
import { generateGeminiChats } from './gemini-chats.js';
import { ccusageDaily, findCcusage } from './peer.js';
import type { Truth } from './truth.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'tokenyield-synthetic-other-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: records are parsed JSON of many shapes; the assertions check them.
type Rec = Record<string, any>;

function records(root: string): Array<{ file: string; rec: Rec }> {
  const out: Array<{ file: string; rec: Rec }> = [];
  for (const rel of (readdirSync(root, { recursive: true }) as string[])
    .filter((p) => p.endsWith('.jsonl'))
    .sort()) {
    for (const raw of readFileSync(join(root, rel), 'utf8').split('\n')) {
      if (raw.length > 0) out.push({ file: rel, rec: JSON.parse(raw) as Rec });
    }
  }
  return out;
}

/** day → [input_uncached, cache_read, output, calls], summed over models. */
function byDay(truth: Truth): Map<string, number[]> {
  return new Map(
    truth.days.map((d) => [
      d.date,
      [d.totals.input_tokens, d.totals.cache_read_tokens, d.totals.output_tokens, d.totals.calls],
    ]),
  );
}

function add(m: Map<string, number[]>, day: string, v: number[]): void {
  const cur = m.get(day) ?? [0, 0, 0, 0];
  m.set(
    day,
    cur.map((x, i) => x + v[i]!),
  );
}

describe('generateCodexRollouts', () => {
  const root = join(scratch, 'codex');
  const truth = generateCodexRollouts(root, { seed: 4, sessions: 5 });

  it('lays files out as sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl', () => {
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((p) => p.endsWith('.jsonl'));
    expect(files).toHaveLength(5);
    for (const f of files) {
      expect(f).toMatch(
        /^sessions\/\d{4}\/\d{2}\/\d{2}\/rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.jsonl$/,
      );
    }
  });

  it('has a truth equal to a recount that skips null-info and repeated token_count events', () => {
    expect(truth.stats.repeatedTokenCounts).toBeGreaterThan(0);
    expect(truth.stats.nullInfoEvents).toBeGreaterThan(0);
    const days = new Map<string, number[]>();
    let previous = '';
    let file = '';
    for (const { file: f, rec } of records(root)) {
      if (f !== file) {
        file = f;
        previous = '';
      }
      if (rec.type !== 'event_msg' || rec.payload.type !== 'token_count' || rec.payload.info === null)
        continue;
      const total = JSON.stringify(rec.payload.info.total_token_usage);
      if (total === previous) continue;
      previous = total;
      const last = rec.payload.info.last_token_usage;
      add(days, rec.timestamp.slice(0, 10), [
        last.input_tokens - last.cached_input_tokens,
        last.cached_input_tokens,
        last.output_tokens,
        1,
      ]);
    }
    expect(days).toEqual(byDay(truth));
  });
});

describe('generateGeminiChats', () => {
  const root = join(scratch, 'gemini');
  const truth = generateGeminiChats(root, { seed: 4, sessions: 5 });

  it('has a truth equal to a last-write-wins fold with rewinds applied', () => {
    expect(truth.stats.rewrittenMessages).toBeGreaterThan(0);
    expect(truth.stats.rewinds).toBeGreaterThan(0);
    const days = new Map<string, number[]>();
    const byFile = new Map<string, Rec[]>();
    for (const { file, rec } of records(root)) byFile.set(file, [...(byFile.get(file) ?? []), rec]);
    for (const [file, recs] of byFile) {
      expect(file).toMatch(
        /^tmp\/[0-9a-f]{64}\/chats\/session-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-[0-9a-f]{8}\.jsonl$/,
      );
      expect(recs[0]!.sessionId).toBeTypeOf('string');
      let order: string[] = [];
      const messages = new Map<string, Rec>();
      for (const r of recs.slice(1)) {
        if (typeof r.$rewindTo === 'string') {
          order = order.slice(0, order.indexOf(r.$rewindTo));
        } else if (typeof r.id === 'string') {
          if (!messages.has(r.id) || !order.includes(r.id)) order.push(r.id);
          messages.set(r.id, r);
        }
      }
      for (const id of order) {
        const m = messages.get(id)!;
        if (m.type !== 'gemini' || m.tokens === null) continue;
        const t = m.tokens;
        add(days, m.timestamp.slice(0, 10), [t.input - t.cached, t.cached, t.output + t.thoughts, 1]);
      }
    }
    expect(days).toEqual(byDay(truth));
  });
});

const ccusage = findCcusage(REPO);

describe.skipIf(ccusage === null)('ccusage 20.0.24 on the small Codex and Gemini homes', () => {
  const emptyHome = join(scratch, 'empty-home');
  mkdirSync(emptyHome, { recursive: true });

  it('reads the Codex rollouts to exactly the truth', () => {
    const root = join(scratch, 'codex-cc');
    const truth = generateCodexRollouts(root, { seed: 9, sessions: 6 });
    const report = ccusageDaily(ccusage!, emptyHome, { CODEX_HOME: root });
    expect(
      new Map(report.daily.map((d) => [d.period, [d.inputTokens, d.cacheReadTokens, d.outputTokens]])),
    ).toEqual(new Map([...byDay(truth)].map(([day, v]) => [day, v.slice(0, 3)])));
  });

  it('reads the Gemini chats to the truth except that it leaves thinking tokens out of output', () => {
    const root = join(scratch, 'gemini-cc');
    const truth = generateGeminiChats(root, { seed: 9, sessions: 6 });
    let thoughts = 0;
    for (const { rec } of records(root))
      if (rec.type === 'gemini' && rec.tokens !== null) thoughts += rec.tokens.thoughts;
    const report = ccusageDaily(ccusage!, emptyHome, { GEMINI_DATA_DIR: root });
    expect(report.totals.inputTokens).toBe(truth.totals.input_tokens);
    expect(report.totals.cacheReadTokens).toBe(truth.totals.cache_read_tokens);
    expect(report.totals.totalTokens).toBe(truth.totals.total_tokens);
    expect(report.totals.outputTokens).toBe(truth.totals.output_tokens - thoughts);
  });
});
