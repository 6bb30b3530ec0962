/**
 * The demo organisation: deterministic, at the requested scale, internally consistent (every SHA
 * a record names exists), priced by the ledger's own pricing code, backed by real git
 * repositories, and with behaviours whose truth matches what their records show.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPriceBook, priceUsage } from '../../ledger/pricing/index.js';
import type { ActivityRecord } from '../../ledger/records.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import { EDIT_TOOLS } from '../../ledger/store/duckdb/work-tables.js';
import { BEHAVIOURS, type Behaviour, type DemoOrg, type DemoOrgOptions, generateDemoOrg } from './index.js';

const scratch = mkdtempSync(join(tmpdir(), 'tokenyield-demo-org-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(repo: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
}

/** Every SHA in the repository (all refs), as git itself lists them. */
function gitShas(repo: string): Set<string> {
  return new Set(git(repo, ['rev-list', '--all']).trim().split('\n'));
}

/** A hash of everything the generator produced, records and git objects alike. */
function summaryHash(org: DemoOrg): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([org.people, org.teams]));
  for (const batch of org.usageBatches()) {
    for (const u of batch.usage)
      h.update(`${u.id}|${u.ts}|${u.model}|${JSON.stringify(u.tokens)}|${u.costUsd}\n`);
    for (const a of batch.activity) h.update(`${a.id}|${a.ts}|${a.kind}|${a.ref}|${a.promptFingerprint}\n`);
  }
  h.update(JSON.stringify(org.work));
  for (const r of org.gitRepos) h.update(git(r.path, ['rev-parse', 'main']));
  return h.digest('hex');
}

describe('determinism', () => {
  const small = (seed: number, dir: string): DemoOrgOptions => ({
    seed,
    engineers: 40,
    teams: 5,
    days: 21,
    gitTeams: 2,
    gitDir: join(scratch, dir),
  });

  it('gives the same records, ids and SHAs for the same seed, and others for another seed', () => {
    const a = summaryHash(generateDemoOrg(small(7, 'a')));
    const b = summaryHash(generateDemoOrg(small(7, 'b')));
    const c = summaryHash(generateDemoOrg(small(8, 'c')));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('gives every usage and activity record a unique id', () => {
    const org = generateDemoOrg({ seed: 3, engineers: 30, teams: 4, days: 14 });
    const ids = new Set<string>();
    let n = 0;
    for (const b of org.usageBatches()) {
      for (const r of [...b.usage, ...b.activity]) {
        ids.add(r.id);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(ids.size).toBe(n);
  });

  it('refuses a git directory that already holds a repository of the same name', () => {
    const options = {
      seed: 2,
      engineers: 12,
      teams: 2,
      days: 5,
      gitTeams: 1,
      gitDir: join(scratch, 'twice'),
    };
    generateDemoOrg(options);
    expect(() => generateDemoOrg(options)).toThrow(/already exists/);
  });
});

describe('the default organisation (300 engineers, 20 teams, 120 days, 3 git repos)', () => {
  let org: DemoOrg;
  const spend = new Map<string, number>();
  const tools = new Set<string>();
  const models = new Set<string>();
  const commitRefs: string[] = [];
  const prUrls: string[] = [];
  const costMismatches: string[] = [];
  type SessionCounts = { calls: number; edits: number; prompts: number };
  const sessionsByPerson = new Map<string, Map<string, SessionCounts>>();
  const fingerprintsByPerson = new Map<string, string[]>();
  let usageCount = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  let maxBatch = 0;
  let batchesSpanningDays = 0;
  let paddingCalls = 0;
  let generationMs = 0;

  beforeAll(() => {
    const started = performance.now();
    org = generateDemoOrg({ gitDir: join(scratch, 'default') });
    void org.work;
    generationMs = performance.now() - started;
    const book = createPriceBook();
    const session = (personId: string, id: string) => {
      const m = sessionsByPerson.get(personId) ?? new Map<string, SessionCounts>();
      sessionsByPerson.set(personId, m);
      const s = m.get(id) ?? { calls: 0, edits: 0, prompts: 0 };
      m.set(id, s);
      return s;
    };
    for (const batch of org.usageBatches()) {
      maxBatch = Math.max(maxBatch, batch.usage.length + batch.activity.length);
      const days = new Set(batch.usage.map((u) => Math.floor(u.ts / 86_400_000)));
      // A session started late may run past midnight; a batch covering 3+ days would not be daily.
      if (days.size > 2) batchesSpanningDays++;
      for (const u of batch.usage) {
        usageCount++;
        spend.set(u.personId, (spend.get(u.personId) ?? 0) + (u.costUsd ?? 0));
        tools.add(u.tool);
        models.add(`${u.tool}:${u.model}`);
        minTs = Math.min(minTs, u.ts);
        maxTs = Math.max(maxTs, u.ts);
        const expected = priceUsage(book, u);
        if (
          u.costUsd !== expected.costUsd ||
          u.costBasis !== 'computed' ||
          u.priceVersion !== expected.priceVersion
        ) {
          costMismatches.push(u.id);
        }
        if (u.tokens.cacheRead > 140_000 && u.tokens.output < 50) paddingCalls++;
        session(u.personId, u.sessionId).calls++;
      }
      for (const a of batch.activity) {
        if (a.kind === 'commit') commitRefs.push(a.ref!);
        if (a.kind === 'pull_request') prUrls.push(a.ref!);
        if (a.kind === 'lines_changed') session(a.personId, a.sessionId).edits++;
        if (a.kind === 'prompt') {
          session(a.personId, a.sessionId).prompts++;
          const list = fingerprintsByPerson.get(a.personId) ?? [];
          list.push(a.promptFingerprint!);
          fingerprintsByPerson.set(a.personId, list);
        }
      }
    }
  }, 900_000);

  const peopleWith = (b: Behaviour) => org.people.filter((p) => org.truth.behaviours[p.id] === b);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('has the requested scale, three tools and every behaviour', () => {
    expect(org.people.length).toBe(300);
    expect(org.teams.length).toBe(20);
    expect(new Set(org.people.map((p) => p.id)).size).toBe(300);
    expect(tools).toEqual(new Set(['claude-code', 'codex', 'gemini-cli']));
    const start = Date.parse('2026-03-03T00:00:00Z');
    const end = Date.parse('2026-07-01T00:00:00Z');
    expect(minTs).toBeGreaterThanOrEqual(start);
    expect(minTs).toBeLessThan(start + 3 * 86_400_000);
    expect(maxTs).toBeGreaterThan(end - 3 * 86_400_000);
    expect(maxTs).toBeLessThan(end + 86_400_000); // an evening loop may run past midnight
    for (const b of BEHAVIOURS) expect(peopleWith(b).length, b).toBeGreaterThan(0);
    expect(usageCount).toBeGreaterThan(500_000);
    expect(generationMs).toBeGreaterThan(0);
  });

  it('streams usage in bounded, day-sized batches', () => {
    expect(maxBatch).toBeLessThan(60_000);
    expect(batchesSpanningDays).toBe(0);
  });

  it('prices every call with the ledger pricing code', () => {
    expect(costMismatches).toEqual([]);
    expect(models).toContain('claude-code:claude-haiku-4-5-20251001');
    expect([...models].some((m) => m.startsWith('codex:gpt-'))).toBe(true);
    expect([...models].some((m) => m.startsWith('gemini-cli:gemini-'))).toBe(true);
  });

  it('gives people aliases, memberships with moves, managers and opt-ins', () => {
    for (const p of org.people) {
      expect(p.email).toMatch(/^[a-z]+\.[a-z]+\d*@acme\.example$/);
      expect(p.aliases.some((a) => a.kind === 'github')).toBe(true);
    }
    expect(
      org.people.some((p) => p.aliases.some((a) => /^\d+\+.+@users\.noreply\.github\.com$/.test(a.value))),
    ).toBe(true);
    const movers = org.people.filter((p) => p.memberships.length > 1);
    expect(movers.length).toBeGreaterThan(0);
    expect(movers.length).toBe(org.truth.movers.length);
    for (const m of movers) expect(m.memberships[0]!.until! < m.memberships[1]!.from!).toBe(true);
    const ids = new Set(org.people.map((p) => p.id));
    for (const t of org.teams) for (const m of t.managers) expect(ids.has(m)).toBe(true);
    const optIn = org.people.filter((p) => p.boardOptIn).length;
    expect(optIn).toBeGreaterThan(30);
    expect(optIn).toBeLessThan(270);
  });

  it('creates real git repositories whose SHAs the PR records and deployments name', () => {
    expect(org.gitRepos.map((r) => r.repo)).toEqual([
      'acme/payments-service',
      'acme/checkout-api',
      'acme/identity-web',
    ]);
    for (const { path, repo } of org.gitRepos) {
      expect(git(path, ['remote', 'get-url', 'origin']).trim()).toBe(`https://github.com/${repo}.git`);
      expect(git(path, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
      expect(git(path, ['status', '--porcelain'])).toBe('');
      const shas = gitShas(path);
      const prs = org.work.pullRequests.filter((p) => p.repo === repo);
      expect(prs.length).toBeGreaterThan(100);
      for (const pr of prs) {
        expect(shas.has(pr.headSha!), `${pr.id} head`).toBe(true);
        if (pr.state === 'merged') expect(shas.has(pr.mergeCommitSha!), `${pr.id} merge`).toBe(true);
        else expect(pr.mergeCommitSha).toBeNull();
      }
      const log = git(path, ['log', '--format=%H %P%n%B', 'main']);
      const merges = log.match(/^Merge pull request #\d+ from acme\//gm) ?? [];
      expect(merges.length).toBeGreaterThan(50);
      expect(log).toContain('Co-Authored-By: Claude <noreply@anthropic.com>');
      const revert = /^Revert "[^\n]+"\n\nThis reverts commit ([0-9a-f]{40})\./m.exec(log);
      expect(revert, `${repo} has a revert`).not.toBeNull();
      expect(shas.has(revert![1]!)).toBe(true);
      // No git-backed commit is duplicated in the work batch; the git source reads them.
      expect(org.work.commits.some((c) => c.repo === repo)).toBe(false);
      // Real diffs: a one-commit PR's numstat is the PR record's size.
      const single: typeof prs = [];
      for (const p of prs) {
        if (single.length === 5) break;
        if (p.state !== 'merged' || p.additions + p.deletions <= 3) continue;
        const count = git(path, ['rev-list', '--count', `${p.mergeCommitSha}^1..${p.headSha}`]).trim();
        if (count === '1') single.push(p);
      }
      expect(single.length).toBe(5);
      for (const p of single) {
        const numstat = git(path, ['diff', '--numstat', `${p.headSha}^`, p.headSha!])
          .trim()
          .split('\n');
        const sum = (col: number) => numstat.reduce((n, l) => n + Number(l.split('\t')[col]), 0);
        expect([sum(0), sum(1)], p.id).toEqual([p.additions, p.deletions]);
      }
    }
  });

  it('names only SHAs that exist: deployments, incidents, reverts and session commits', () => {
    const known = new Set(org.work.commits.map((c) => c.sha));
    for (const r of org.gitRepos) for (const s of gitShas(r.path)) known.add(s);
    for (const c of org.work.commits) for (const p of c.parents) expect(known.has(p)).toBe(true);
    const prod = org.work.deployments.filter((d) => d.production);
    expect(prod.length).toBeGreaterThan(20 * 17 * 2); // several a week per service
    for (const d of org.work.deployments) for (const s of d.shas) expect(known.has(s), d.id).toBe(true);
    for (const i of org.work.incidents)
      for (const s of i.rootCauseShas) expect(known.has(s), i.id).toBe(true);
    for (const c of org.work.commits) if (c.revertsSha) expect(known.has(c.revertsSha)).toBe(true);
    const prefixes = new Set([...known].map((s) => s.slice(0, 7)));
    expect(commitRefs.length).toBeGreaterThan(1000);
    for (const ref of commitRefs) expect(prefixes.has(ref), ref).toBe(true);
    const prIds = new Set(org.work.pullRequests.map((p) => `https://github.com/${p.repo}/pull/${p.number}`));
    for (const url of prUrls) expect(prIds.has(url), url).toBe(true);
  });

  it('ships merged SHAs in production deployments, with failures, a rollback and its incident', () => {
    const byId = new Map(org.work.deployments.map((d) => [d.id, d]));
    expect(org.work.deployments.some((d) => d.status === 'failure')).toBe(true);
    const rollbacks = org.work.deployments.filter((d) => d.rollbackOf !== null);
    expect(rollbacks.length).toBeGreaterThan(0);
    for (const r of rollbacks) expect(byId.get(r.rollbackOf!)!.status).toBe('rolled_back');
    const caused = org.work.incidents.filter((i) => i.rootCauseShas.length > 0);
    expect(caused.length).toBe(rollbacks.length);
    for (const i of caused) expect(byId.get(i.deploymentId!)!.shas).toContain(i.rootCauseShas[0]);
    const mergeShas = new Set(
      org.work.pullRequests.flatMap((p) => (p.mergeCommitSha ? [p.mergeCommitSha] : [])),
    );
    const shipped = new Set(org.work.deployments.filter((d) => d.production).flatMap((d) => d.shas));
    const mergedEarly = org.work.pullRequests.filter(
      (p) => p.mergedAt !== null && p.mergedAt < Date.parse('2026-06-20T00:00:00Z'),
    );
    const unshipped = mergedEarly.filter((p) => !shipped.has(p.mergeCommitSha!));
    expect(unshipped.length).toBeLessThan(mergedEarly.length * 0.02);
    for (const s of shipped) expect(mergeShas.has(s)).toBe(true);
    expect(org.work.tasks.length).toBeGreaterThan(1000);
  });

  it('marks AI-assisted work the way the tools do', () => {
    const prs = org.work.pullRequests;
    expect(prs.some((p) => p.aiEvidence.some((e) => e.detail.includes('Generated with [Claude Code]')))).toBe(
      true,
    );
    expect(prs.some((p) => p.labels.includes('codex'))).toBe(true);
    const squash = org.work.commits.filter((c) => /\(#\d+\)$/.test(c.subject));
    expect(squash.length).toBeGreaterThan(100);
    expect(squash.some((c) => c.trailers.some((t) => t.value === 'Codex <noreply@openai.com>'))).toBe(true);
    expect(org.work.commits.some((c) => c.aiEvidence.some((e) => e.tool === 'claude-code'))).toBe(true);
    for (const p of prs)
      if (p.state === 'merged' && p.mergedBy !== p.author) expect(p.approvers.length).toBeGreaterThan(0);
  });

  it('makes token burners spend like heavy shippers without shipping anything durable', () => {
    const burners = peopleWith('token_burner');
    const shippers = peopleWith('heavy_shipper');
    const burnerSpend = median(burners.map((p) => spend.get(p.id) ?? 0));
    const shipperSpend = median(shippers.map((p) => spend.get(p.id) ?? 0));
    expect(burnerSpend).toBeGreaterThan(shipperSpend * 0.5);
    expect(burnerSpend).toBeLessThan(shipperSpend * 2);
    expect(median(peopleWith('light').map((p) => spend.get(p.id) ?? 0))).toBeLessThan(shipperSpend / 10);
    for (const p of burners) {
      expect(org.truth.people[p.id]!.prsDurable).toBe(0);
      // Long unattended loops: hundreds of calls on one prompt, no edits.
      const sessions = [...sessionsByPerson.get(p.id)!.values()];
      expect(sessions.some((s) => s.calls >= 150 && s.prompts === 1 && s.edits === 0)).toBe(true);
      // The same busywork prompt again and again: fingerprints repeat.
      const fps = fingerprintsByPerson.get(p.id)!;
      expect(new Set(fps).size).toBeLessThan(fps.length * 0.8);
    }
    expect(paddingCalls).toBeGreaterThan(1000);
    for (const p of shippers) {
      const t = org.truth.people[p.id]!;
      expect(t.prsDurable).toBeGreaterThan(100);
      expect(t.productiveSessions).toBeGreaterThan(50);
      expect(t.prsSelfMerged).toBe(0);
    }
  });

  it('makes PR splitters self-merge many tiny PRs and reverted people lose theirs', () => {
    const splitters = new Set(peopleWith('pr_splitter').map((p) => p.id));
    const logins = new Map(org.people.map((p) => [p.aliases.find((a) => a.kind === 'github')!.value, p.id]));
    // Splitters also open the odd revert of a teammate's change; those get reviewed as usual.
    const theirs = org.work.pullRequests.filter(
      (p) => splitters.has(logins.get(p.author)!) && !p.labels.includes('revert'),
    );
    expect(theirs.length).toBeGreaterThan(splitters.size * 200);
    for (const p of theirs.filter((x) => x.state === 'merged')) {
      expect(p.mergedBy).toBe(p.author);
      expect(p.approvers).toEqual([]);
      expect(p.additions).toBeLessThanOrEqual(4);
    }
    for (const p of peopleWith('reverted')) {
      const t = org.truth.people[p.id]!;
      expect(t.prsReverted).toBeGreaterThan(t.prsShipped * 0.2);
      expect(t.prsDurable).toBeLessThan(t.prsShipped);
    }
    expect(org.truth.rolledBackDeployments.length).toBeGreaterThan(0);
  });
});

describe('session summaries', () => {
  /**
   * `readSessionSummaries` in plain code: usage grouped by parent-or-own session id, activity by
   * session id; branch of the latest call; prompts without subagents'; edits by EDIT_TOOLS;
   * distinct sorted SHAs and PR URLs; ordered by first call, then id.
   */
  function foldLikeTheStore(org: DemoOrg): SessionSummary[] {
    const edit = new Set(EDIT_TOOLS);
    const byId = new Map<string, SessionSummary & { subagents: boolean; branchTs: number }>();
    const acts: ActivityRecord[] = [];
    for (const batch of org.usageBatches()) {
      for (const u of batch.usage) {
        const sid = u.parentSessionId ?? u.sessionId;
        let s = byId.get(sid);
        if (!s) {
          s = {
            sessionId: sid,
            tool: u.tool,
            personId: u.personId,
            cwd: u.cwd,
            gitBranch: null,
            branchTs: Number.NEGATIVE_INFINITY,
            firstTs: u.ts,
            lastTs: u.ts,
            calls: 0,
            costUsd: 0,
            unpricedCalls: 0,
            inputTokens: 0,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: 0,
            prompts: 0,
            toolUses: 0,
            edits: 0,
            linesAdded: 0,
            linesRemoved: 0,
            commitShas: [],
            prUrls: [],
            agentic: false,
            subagents: false,
          };
          byId.set(sid, s);
        }
        s.firstTs = Math.min(s.firstTs, u.ts);
        s.lastTs = Math.max(s.lastTs, u.ts);
        if (u.gitBranch !== null && u.ts > s.branchTs) {
          s.branchTs = u.ts;
          s.gitBranch = u.gitBranch;
        }
        s.calls++;
        if (u.costUsd === null) s.unpricedCalls++;
        else s.costUsd += u.costUsd;
        s.inputTokens += u.tokens.inputUncached;
        s.cacheReadTokens += u.tokens.cacheRead;
        s.cacheWriteTokens += u.tokens.cacheWrite5m + u.tokens.cacheWrite1h + u.tokens.cacheWriteOther;
        s.outputTokens += u.tokens.output;
        s.subagents ||= u.isSubagent;
      }
      acts.push(...batch.activity);
    }
    for (const a of acts) {
      const s = byId.get(a.sessionId);
      if (!s) continue;
      if (a.kind === 'prompt' && !a.isSubagent) s.prompts++;
      if (a.kind === 'tool_use') s.toolUses++;
      if (a.kind === 'tool_use' && a.name !== null && edit.has(a.name)) s.edits++;
      s.linesAdded += a.linesAdded;
      s.linesRemoved += a.linesRemoved;
      if (a.kind === 'commit' && a.ref !== null && !s.commitShas.includes(a.ref)) s.commitShas.push(a.ref);
      if (a.kind === 'pull_request' && a.ref !== null && !s.prUrls.includes(a.ref)) s.prUrls.push(a.ref);
    }
    return [...byId.values()]
      .map(({ subagents, branchTs: _, ...s }) => ({
        ...s,
        commitShas: s.commitShas.sort(),
        prUrls: s.prUrls.sort(),
        agentic: s.edits > 0 || subagents || s.toolUses >= 3 * Math.max(1, s.prompts),
      }))
      .sort((a, b) => a.firstTs - b.firstTs || (a.sessionId < b.sessionId ? -1 : 1));
  }

  it('equal the store’s fold of the usage and activity records', () => {
    const org = generateDemoOrg({ seed: 5, engineers: 36, teams: 4, days: 14 });
    const expected = foldLikeTheStore(org);
    const actual = org.sessionSummaries();
    expect(actual.length).toBeGreaterThan(200);
    // Every kind of session the fold has to get right is in the sample.
    expect(actual.some((s) => s.commitShas.length > 0 && s.prUrls.length > 0)).toBe(true);
    expect(actual.some((s) => s.agentic && s.edits === 0)).toBe(true);
    expect(actual.some((s) => !s.agentic)).toBe(true);
    expect(actual).toEqual(expected);
  });
});
