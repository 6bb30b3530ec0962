/**
 * A flag's evidence is reproducible from the ledger by its explanation alone: on a real DuckDB
 * ledger holding a demo organisation (token burners, PR splitters, people whose changes get
 * reverted), every flag is explained, the ledger is then read with nothing but the SQL the
 * explanation prints, and the evidence numbers recomputed from those rows must equal the flag's.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoLedger } from '../../../test/support/demo-ledger.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { EDIT_TOOLS } from '../../ledger/store/duckdb/work-tables.js';
import { valueModelFromStore } from '../value/from-store.js';
import { ALL_TIME } from '../value/time.js';
import { explainFlag, type FlagExplanation } from './explain.js';
import { flagBookFromStore } from './from-store.js';
import { round, type SignalId } from './types.js';

interface LedgerSession {
  calls: number;
  costUsd: number;
  output: number;
  cacheRead: number;
  first: number;
  last: number;
  prompts: number;
  edits: number;
}

interface LedgerPr {
  additions: number;
  deletions: number;
  mergedBy: string | null;
  approvers: string[];
  author: string;
}

let dir: string;
let explanations: FlagExplanation[] = [];
const sessions = new Map<string, LedgerSession>();
const prs = new Map<string, LedgerPr>();

beforeAll(async () => {
  const demo = await buildDemoLedger({ seed: 3, engineers: 60, teams: 4, days: 70 });
  dir = demo.dir;
  const path = demo.path;
  const store = await openDuckDbStore({ path });
  try {
    const model = await valueModelFromStore(store, demo.directory);
    const book = await flagBookFromStore(store, model, ALL_TIME);
    const fingerprints = new Map<string, string[]>();
    for (const p of book.periods)
      for (const s of await store.sessions({ since: p.from, until: p.until, promptFingerprints: true }))
        fingerprints.set(s.sessionId, s.promptFingerprints ?? []);
    explanations = book.flags.map((f) => explainFlag(model, f, { fingerprints }));
  } finally {
    await store.close();
  }

  // From here on, only the ledger file and the SQL the explanations print.
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const db = await instance.connect();
  try {
    for (const x of explanations) {
      for (const r of (await db.runAndReadAll(x.reproduce.sessions)).getRowObjectsJS())
        sessions.set(String(r.session), {
          calls: Number(r.calls),
          costUsd: Number(r.cost_usd),
          output: Number(r.output),
          cacheRead: Number(r.cache_read),
          first: (r.first as Date).getTime(),
          last: (r.last as Date).getTime(),
          prompts: 0,
          edits: 0,
        });
      for (const r of (await db.runAndReadAll(x.reproduce.activity)).getRowObjectsJS()) {
        const s = sessions.get(String(r.session_id));
        if (!s) continue;
        if (r.kind === 'prompt') s.prompts = Number(r.n);
        if (r.kind === 'tool_use' && EDIT_TOOLS.includes(String(r.name))) s.edits += Number(r.n);
      }
      const [prQuery] = x.reproduce.changes.split('; ');
      for (const r of (await db.runAndReadAll(prQuery!)).getRowObjectsJS())
        prs.set(String(r.id), {
          additions: Number(r.additions),
          deletions: Number(r.deletions),
          mergedBy: r.merged_by === null ? null : String(r.merged_by),
          approvers: JSON.parse(String(r.approvers)) as string[],
          author: String(r.author),
        });
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const costOf = (ids: readonly string[]) => ids.reduce((a, id) => a + sessions.get(id)!.costUsd, 0);

/** Evidence numbers recomputed here from the ledger's rows alone, per signal. */
function fromLedger(x: FlagExplanation, signal: SignalId): Record<string, number> {
  const f = x.flag.findings.find((g) => g.signal === signal)!;
  const named = f.evidence.sessionIds;
  const inWindow = x.sessions.filter((s) => s.inWindow).map((s) => s.sessionId);
  const rows = named.map((id) => sessions.get(id)!);
  const spendUsd = round(costOf(inWindow));
  switch (signal) {
    case 'unattended_loops':
      return {
        spendUsd,
        loopSessions: named.length,
        loopCostUsd: round(costOf(named)),
        loopCalls: rows.reduce((a, s) => a + s.calls, 0),
        loopHours: round(
          rows.reduce((a, s) => a + (s.last - s.first) / HOUR, 0),
          2,
        ),
        longestUnpromptedHours: round(
          Math.max(...rows.map((s) => (s.last - s.first) / (s.prompts + 1) / HOUR)),
          2,
        ),
      };
    case 'cache_padding':
      return {
        spendUsd,
        paddedSessions: named.length,
        paddedCostUsd: round(costOf(named)),
        cacheReadTokens: rows.reduce((a, s) => a + s.cacheRead, 0),
        outputTokens: rows.reduce((a, s) => a + s.output, 0),
      };
    case 'no_edit_sessions':
      return { spendUsd, sessions: named.length, costUsd: round(costOf(named)) };
    case 'repeated_prompts':
      return { spendUsd, repeatedSessions: named.length, repeatedCostUsd: round(costOf(named)) };
    case 'spend_without_outcomes':
    case 'cost_per_outcome':
      return { spendUsd };
    case 'tiny_prs': {
      const merged = x.changes.filter(
        (c) =>
          c.kind === 'pull_request' &&
          c.shippedAt !== null &&
          c.shippedAt >= x.flag.window.from &&
          c.shippedAt < x.flag.window.until,
      );
      const tiny = merged.filter((c) => {
        const pr = prs.get(c.id)!;
        const alone = pr.mergedBy === pr.author && pr.approvers.every((a) => a === pr.author);
        return alone && pr.additions + pr.deletions <= 20;
      });
      return {
        mergedPrs: merged.length,
        tinySelfMerged: tiny.length,
        linkedSessionCostUsd: round(costOf(named)),
      };
    }
    case 'churn':
      return { linkedSessionCostUsd: round(costOf(named)) };
    case 'deadline_spikes': {
      const out: Record<string, number> = {};
      for (let k = 1; k <= (f.evidence.numbers.periods ?? 0); k++) {
        const end = f.evidence.numbers[`period${k}End`]!;
        const spike = x.sessions.filter((s) => s.firstTs >= end - 3 * 86_400_000 && s.firstTs < end);
        out[`period${k}SpikeUsd`] = round(costOf(spike.map((s) => s.sessionId)));
      }
      return out;
    }
  }
}

describe('flag explanations', () => {
  it('flag the demo’s planted behaviours, with several signals among them', () => {
    const signals = new Set(explanations.flatMap((x) => x.flag.signals));
    expect(explanations.length).toBeGreaterThan(3);
    for (const s of ['unattended_loops', 'cache_padding', 'tiny_prs'] as const) expect(signals).toContain(s);
  });

  it('show each session and change as the ledger holds it', () => {
    for (const x of explanations) {
      for (const s of x.sessions) {
        const l = sessions.get(s.sessionId);
        expect(l, s.sessionId).toBeDefined();
        expect(s.calls).toBe(l!.calls);
        expect(s.costUsd).toBeCloseTo(l!.costUsd, 9);
        expect(s.outputTokens).toBe(l!.output);
        expect(s.cacheReadTokens).toBe(l!.cacheRead);
        expect([s.firstTs, s.lastTs]).toEqual([l!.first, l!.last]);
        expect([s.prompts, s.edits]).toEqual([l!.prompts, l!.edits]);
      }
      for (const c of x.changes.filter((c) => c.kind === 'pull_request')) {
        const pr = prs.get(c.id)!;
        expect([c.additions, c.deletions, c.mergedBy]).toEqual([pr.additions, pr.deletions, pr.mergedBy]);
      }
    }
  });

  it('recompute every evidence number they derive, and each rule they state holds', () => {
    for (const x of explanations)
      for (const f of x.findings) {
        expect(f.derivations.length, `${x.flag.id} ${f.signal}`).toBeGreaterThan(0);
        for (const d of f.derivations) expect(d.matches, `${x.flag.id} ${f.signal} ${d.key}`).toBe(true);
        for (const c of f.checks.filter((c) => !c.what.startsWith('multiple')))
          expect(c.met, `${x.flag.id} ${f.signal} ${c.what}`).toBe(true);
      }
  });

  it('have evidence that the ledger’s rows alone reproduce', () => {
    let compared = 0;
    for (const x of explanations)
      for (const f of x.flag.findings) {
        const expected = fromLedger(x, f.signal);
        for (const [key, value] of Object.entries(expected)) {
          expect(f.evidence.numbers[key], `${x.flag.id} ${f.signal} ${key}`).toBeCloseTo(value, 2);
          compared++;
        }
      }
    expect(compared).toBeGreaterThan(20);
  });
});
