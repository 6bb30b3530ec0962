/**
 * `tokenyield flags` as a user runs it: the built binary on a ledger holding a demo organisation,
 * first locally (list, show, --explain, review, and the board holding people out), then against a
 * real server on the same ledger with tokens of each role.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ExplainedChange,
  ExplainedSession,
  FlagDetail,
  FlagExplanation,
  FlagList,
} from '../../src/analyses/integrity/index.js';
import { buildDemoLedger, type DemoLedger } from '../support/demo-ledger.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { isolatedEnv, runCli } from './run-cli.js';

let demo: DemoLedger;
let env: Record<string, string>;
let args: string[];
let list: FlagList;
let server: TestServer | undefined;

beforeAll(async () => {
  demo = await buildDemoLedger({ seed: 7, engineers: 50, teams: 4, days: 70 });
  const config = join(demo.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ people: demo.peopleFile }));
  env = isolatedEnv();
  args = ['--db', demo.path, '--config', config];
  const res = await runCli(['flags', ...args, '--json'], env);
  expect(res.stderr).toBe('');
  list = JSON.parse(res.stdout) as FlagList;
});

afterAll(async () => {
  await server?.close();
  if (server) rmSync(server.dir, { recursive: true, force: true });
  if (demo) rmSync(demo.dir, { recursive: true, force: true });
});

/** A flagged person whose team has a manager who is not flagged in the same period. */
function flaggedWithManager() {
  for (const f of list.flags) {
    const team = demo.directory.teams.find((t) => t.id === f.team);
    const manager = team?.managers.find((m) => m !== f.personId);
    if (manager) return { flag: f, manager };
  }
  throw new Error('no flagged person with a manager in the demo');
}

describe('tokenyield flags (local ledger)', () => {
  it('lists the flags of every period, as a table and as CSV', async () => {
    expect(list.periods.length).toBeGreaterThan(0);
    expect(list.flags.length).toBeGreaterThan(2);
    const table = await runCli(['flags', ...args], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(list.flags[0]!.id);
    expect(table.stdout).toMatch(/flags, \d+ open/);
    const csv = await runCli(['flags', ...args, '--csv', '--status', 'open'], env);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'id,person,name,team,from,until,status,severity,signals,wasted_usd,spend_usd,decided_by,note',
    );
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(list.flags.length + 1);
  });

  it('explains a flag by a prefix of its id: each evidence number recomputed, and the SQL to check it', async () => {
    const id = list.flags[0]!.id;
    const res = await runCli(['flags', 'show', id.slice(0, 9), ...args, '--explain'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(id);
    expect(res.stdout).toContain('[matches]');
    expect(res.stdout).not.toContain('DIFFERS');
    expect(res.stdout).toMatch(/FROM usage WHERE NOT superseded/);
    expect(res.stdout).toMatch(/Sessions \(\d+;/);
  });

  it('gives in --explain --json the rows that reproduce every evidence number it derives', async () => {
    // One flag per signal the demo raises, each explained by the CLI; from here on only the JSON.
    const chosen = new Map<string, string>();
    for (const f of list.flags) for (const s of f.signals) if (!chosen.has(s)) chosen.set(s, f.id);
    expect(chosen.size).toBeGreaterThan(2);
    let compared = 0;
    for (const id of new Set(chosen.values())) {
      const res = await runCli(['flags', 'show', id, ...args, '--explain', '--json'], env);
      expect(res.code, res.stderr).toBe(0);
      const x = JSON.parse(res.stdout) as FlagExplanation;
      for (const finding of x.flag.findings) {
        const explained = x.findings.find((e) => e.signal === finding.signal)!;
        const recomputed = fromRows(x, finding.signal);
        // Every number the explanation says it derives from its rows is recomputed here, and
        // equals the flag's evidence at the evidence's rounding.
        for (const d of explained.derivations) {
          const mine = recomputed[d.key];
          expect(mine, `${id} ${finding.signal} ${d.key}: not recomputed from the rows`).toBeDefined();
          // Evidence is rounded (to 0.1 at the coarsest, mean PR lines).
          const diff = Math.abs(finding.evidence.numbers[d.key]! - mine!);
          expect(diff, `${id} ${finding.signal} ${d.key}`).toBeLessThanOrEqual(0.051);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(15);
  });

  it('reviews with a note, never one’s own flag, and the board follows the decision', async () => {
    const { flag, manager } = flaggedWithManager();
    const own = await runCli(
      ['flags', 'review', flag.id, ...args, '--dismiss', '--note', 'fine', '--by', flag.personId],
      env,
    );
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/Nobody reviews their own flag/);
    const noNote = await runCli(['flags', 'review', flag.id, ...args, '--dismiss'], env);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/--note/);

    const boardHeld = async () => {
      const b = await runCli(['board', ...args, '--level', 'person', '--all', '--json'], env);
      const held = (JSON.parse(b.stdout) as { heldOutEntries: Array<{ id: string; flagIds: string[] }> })
        .heldOutEntries;
      return held.find((e) => e.id === flag.personId)?.flagIds ?? [];
    };
    expect(await boardHeld()).toContain(flag.id);
    const done = await runCli(
      [
        'flags',
        'review',
        flag.id,
        ...args,
        '--dismiss',
        '--note',
        'Agreed spike for a migration',
        '--by',
        manager,
        '--json',
      ],
      env,
    );
    expect(done.code).toBe(0);
    const reviewed = JSON.parse(done.stdout) as FlagDetail;
    expect(reviewed.status).toBe('dismissed');
    expect(reviewed.decision).toMatchObject({ by: manager, note: 'Agreed spike for a migration' });
    expect(await boardHeld()).not.toContain(flag.id);
    const dismissed = JSON.parse(
      (await runCli(['flags', ...args, '--status', 'dismissed', '--json'], env)).stdout,
    );
    expect((dismissed as FlagList).flags.map((f) => f.id)).toEqual([flag.id]);
  });
});

describe('tokenyield flags --server', () => {
  it('shows an engineer their flags and refuses their review; lets their manager review', async () => {
    const target = list.flags.find((f) => f.status === 'open' && flaggedManagerOf(f.personId, f.team))!;
    const manager = flaggedManagerOf(target.personId, target.team)!;
    server = await startTestServer({
      people: demo.peopleFile,
      dbPath: demo.path,
      tokens: [
        { name: 'engineer', role: 'engineer', person: target.personId },
        { name: 'manager', role: 'manager', person: manager },
      ],
    });
    const remote = (token: string) => ({
      ...env,
      TOKENYIELD_SERVER: server!.url,
      TOKENYIELD_TOKEN: server!.tokens[token]!,
    });
    const mine = await runCli(['flags', '--json'], remote('engineer'));
    expect(mine.code).toBe(0);
    const flags = (JSON.parse(mine.stdout) as FlagList).flags;
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f.personId === target.personId)).toBe(true);
    const explained = await runCli(['flags', 'show', target.id, '--explain'], remote('engineer'));
    expect(explained.stdout).toContain('[matches]');
    const refused = await runCli(
      ['flags', 'review', target.id, '--confirm', '--note', 'me?'],
      remote('engineer'),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/403.*own flag/);
    const ok = await runCli(
      ['flags', 'review', target.id, '--confirm', '--note', 'Overnight loops, twice'],
      remote('manager'),
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/confirmed by .*: Overnight loops, twice/);
  });
});

function flaggedManagerOf(person: string, team: string | null): string | undefined {
  return demo.directory.teams.find((t) => t.id === team)?.managers.find((m) => m !== person);
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const total = (rows: readonly ExplainedSession[]) => rows.reduce((a, s) => a + s.costUsd, 0);
const lines = (c: ExplainedChange) => Math.max(1, c.additions + c.deletions);

function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * A finding's evidence numbers recomputed from the explanation's session and change rows alone,
 * by the definitions in docs/integrity.md, with no tokenyield code: what a reader of the
 * `--explain --json` output can check by hand.
 */
function fromRows(x: FlagExplanation, signal: string): Record<string, number> {
  const f = x.flag.findings.find((g) => g.signal === signal)!;
  const n = f.evidence.numbers;
  const byId = new Map(x.sessions.map((s) => [s.sessionId, s]));
  const named = f.evidence.sessionIds.map((id) => byId.get(id)!);
  const window = x.sessions.filter((s) => s.inWindow);
  const spendUsd = total(window);
  const shipped = x.changes.filter(
    (c) => c.shippedAt !== null && c.shippedAt >= x.flag.window.from && c.shippedAt < x.flag.window.until,
  );
  switch (signal) {
    case 'spend_without_outcomes': {
      const wasteUsd = total(window.filter((s) => s.waste));
      return { spendUsd, wasteUsd, wasteShare: spendUsd > 0 ? wasteUsd / spendUsd : 0 };
    }
    case 'cost_per_outcome': {
      const outcomes = x.changes.filter((c) => f.evidence.changeIds.includes(c.id) && c.qualifying).length;
      return { spendUsd, outcomes, costPerOutcomeUsd: outcomes > 0 ? spendUsd / outcomes : 0 };
    }
    case 'unattended_loops':
      return {
        spendUsd,
        loopSessions: named.length,
        loopCostUsd: total(named),
        loopCalls: named.reduce((a, s) => a + s.calls, 0),
        loopHours: named.reduce((a, s) => a + (s.lastTs - s.firstTs) / HOUR, 0),
        longestUnpromptedHours: Math.max(
          0,
          ...named.map((s) => (s.lastTs - s.firstTs) / (s.prompts + 1) / HOUR),
        ),
      };
    case 'repeated_prompts':
      return { spendUsd, repeatedSessions: named.length, repeatedCostUsd: total(named) };
    case 'cache_padding': {
      const read = named.reduce((a, s) => a + s.cacheReadTokens, 0);
      const out = named.reduce((a, s) => a + s.outputTokens, 0);
      return {
        spendUsd,
        paddedSessions: named.length,
        cacheReadTokens: read,
        outputTokens: out,
        outputPerCacheRead: read > 0 ? out / read : 0,
        paddedCostUsd: total(named),
      };
    }
    case 'no_edit_sessions': {
      const costUsd = total(named);
      return { spendUsd, sessions: named.length, costUsd, share: spendUsd > 0 ? costUsd / spendUsd : 0 };
    }
    case 'churn': {
      const ai = shipped.filter((c) => c.aiAssisted && !c.isRevert);
      const gone = ai.filter(
        (c) => c.revertedBy !== null || c.rolledBackIn !== null || c.incidentIds.length > 0,
      );
      const sumLines = (cs: readonly ExplainedChange[]) => cs.reduce((a, c) => a + lines(c), 0);
      return {
        aiChanges: ai.length,
        churnedChanges: gone.length,
        churnedLineShare: sumLines(gone) / Math.max(1, sumLines(ai)),
        reverted: gone.filter((c) => c.revertedBy !== null).length,
        rolledBack: gone.filter((c) => c.rolledBackIn !== null).length,
        incidents: gone.filter((c) => c.incidentIds.length > 0).length,
        linkedSessionCostUsd: total(named),
      };
    }
    case 'tiny_prs': {
      const prs = shipped.filter((c) => c.kind === 'pull_request');
      const tiny = prs.filter(
        (c) =>
          c.mergedBy === c.author &&
          c.approvers.every((a) => a === c.author) &&
          c.additions + c.deletions <= n.thresholdLines!,
      );
      return {
        mergedPrs: prs.length,
        tinySelfMerged: tiny.length,
        share: tiny.length / Math.max(1, prs.length),
        meanLines:
          tiny.length > 0 ? tiny.reduce((a, c) => a + c.additions + c.deletions, 0) / tiny.length : 0,
        linkedSessionCostUsd: total(named),
      };
    }
    case 'deadline_spikes': {
      const spikeDays = n.spikeDays!;
      const baseDays = n.baseDays!;
      const floor = 0.5; // DEADLINE_SPIKES.floorDailyUsd, docs/integrity.md
      const out: Record<string, number> = {};
      let maxRatio = 0;
      for (let k = 1; k <= n.periods!; k++) {
        const end = n[`period${k}End`]!;
        const spikeFrom = end - spikeDays * DAY;
        const baseFrom = spikeFrom - baseDays * DAY;
        const between = (a: number, b: number) => x.sessions.filter((s) => s.firstTs >= a && s.firstTs < b);
        const spike = between(spikeFrom, end);
        const base = between(baseFrom, spikeFrom);
        const spend = total(spike);
        const waste = total(spike.filter((s) => s.waste));
        const daily = Math.max(total(base) / baseDays, floor);
        const dailyWaste = total(base.filter((s) => s.waste)) / baseDays;
        const ratio = spend / spikeDays / daily;
        const pad = spikeDays * floor;
        const runs = Array.from({ length: baseDays - spikeDays + 1 }, (_, d) =>
          Math.log(total(between(baseFrom + d * DAY, baseFrom + (d + spikeDays) * DAY)) + pad),
        );
        const m = medianOf(runs);
        const mad = medianOf(runs.map((r) => Math.abs(r - m)));
        const ownZ = (Math.log(spend + pad) - m) / (1.4826 * Math.max(mad, 0.3));
        maxRatio = Math.max(maxRatio, ratio);
        Object.assign(out, {
          [`period${k}SpikeUsd`]: spend,
          [`period${k}WasteUsd`]: waste,
          [`period${k}OwnDailyUsd`]: daily,
          [`period${k}OwnDailyWasteUsd`]: dailyWaste,
          [`period${k}Ratio`]: ratio,
          [`period${k}ExcessWasteShare`]: (waste - spikeDays * dailyWaste) / (spend - spikeDays * daily),
          [`period${k}OwnZ`]: ownZ,
          [`period${k}CombinedZ`]: (ownZ + n[`period${k}PeerZ`]!) / Math.SQRT2,
        });
      }
      out.maxRatio = maxRatio;
      return out;
    }
  }
  return {};
}
