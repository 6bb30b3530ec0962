/**
 * Record builders and a small in-memory people directory for the analyses' tests (and for demos):
 * each builder fills every field of a canonical record with a neutral default so a test states
 * only what it is about. SHAs are derived from labels, so `sha('a1')` is stable and readable.
 * @module
 */
import type { PeopleDirectory, Person, Team } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { CommitRecord, DeploymentRecord, IncidentRecord, PullRequestRecord } from '../../ledger/work.js';
import { buildValueModel, type ValueInput } from './model.js';
import type { ValueOptions } from './options.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-03-02 00:00 UTC: fixtures start on a week boundary so week counts are easy to check. */
export const T0 = Date.UTC(2026, 2, 2);

function fnv(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 40-hex-digit SHA derived from a label. */
export function sha(label: string): string {
  let out = '';
  for (let i = 0; out.length < 40; i++)
    out += fnv(label, 0x811c9dc5 + i * 7919)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, 40);
}

export interface PersonSpec {
  id: string;
  name?: string;
  /** Team for all time, or memberships with dates. */
  team?: string;
  memberships?: Person['memberships'];
  optIn?: boolean;
  /** Git e-mail aliases; defaults to `<id>@example.com`. */
  emails?: string[];
  /** GitHub login; defaults to the id. */
  login?: string;
}

/** A PeopleDirectory over a fixed list: aliases by kind, memberships by UTC date. */
export function directory(specs: PersonSpec[], teams: Team[] = []): PeopleDirectory {
  const people: Person[] = specs.map((s) => ({
    id: s.id,
    name: s.name ?? s.id,
    email: `${s.id}@example.com`,
    aliases: [
      ...(s.emails ?? [`${s.id}@example.com`]).map((value) => ({ kind: 'git_email' as const, value })),
      { kind: 'github' as const, value: s.login ?? s.id },
    ],
    memberships: s.memberships ?? (s.team ? [{ team: s.team, from: null, until: null }] : []),
    costCentre: null,
    boardOptIn: s.optIn ?? false,
  }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const allTeams =
    teams.length > 0
      ? teams
      : [...new Set(people.flatMap((p) => p.memberships.map((m) => m.team)))].map((id) => ({
          id,
          name: id,
          managers: [],
        }));
  const teamAt = (personId: string, ts: number): string | undefined => {
    const day = new Date(ts).toISOString().slice(0, 10);
    for (const m of byId.get(personId)?.memberships ?? []) {
      if ((m.from === null || m.from <= day) && (m.until === null || day <= m.until)) return m.team;
    }
    return undefined;
  };
  return {
    people,
    teams: allTeams,
    version: 'test',
    person: (id) => byId.get(id),
    resolve(value, kind) {
      const v = value.toLowerCase();
      return people.find((p) =>
        p.aliases.some((a) => (kind === undefined || a.kind === kind) && a.value.toLowerCase() === v),
      );
    },
    teamAt,
    membersOf(team, fromTs, untilTs) {
      return people.filter((p) => {
        for (let t = fromTs; t <= untilTs; t += DAY) if (teamAt(p.id, t) === team) return true;
        return teamAt(p.id, untilTs) === team;
      });
    },
    membershipSpans(team, fromTs, untilTs) {
      return people.flatMap((p) =>
        p.memberships
          .filter((m) => m.team === team)
          .map((m) => ({
            personId: p.id,
            fromTs: Math.max(fromTs, m.from === null ? -Infinity : Date.parse(`${m.from}T00:00:00Z`)),
            untilTs: Math.min(
              untilTs,
              m.until === null ? Infinity : Date.parse(`${m.until}T00:00:00Z`) + DAY - 1,
            ),
          }))
          .filter((span) => span.fromTs <= span.untilTs),
      );
    },
  };
}

export function commit(
  p: Partial<CommitRecord> & { repo?: string; label: string; author?: string },
): CommitRecord {
  const repo = p.repo ?? 'acme/api';
  const s = p.sha ?? sha(p.label);
  const ts = p.authorTs ?? T0;
  const email = p.authorEmail ?? `${p.author ?? 'alice'}@example.com`;
  return {
    id: `git:${repo}:${s}`,
    repo,
    sha: s,
    parents: p.parents ?? [],
    authorName: p.authorName ?? p.author ?? 'alice',
    authorEmail: email,
    authorTs: ts,
    committerName: p.committerName ?? p.author ?? 'alice',
    committerEmail: p.committerEmail ?? email,
    committerTs: p.committerTs ?? ts,
    subject: p.subject ?? p.label,
    additions: p.additions ?? 20,
    deletions: p.deletions ?? 5,
    filesChanged: p.filesChanged ?? 1,
    prNumber: p.prNumber ?? null,
    revertsSha: p.revertsSha ?? null,
    trailers: p.trailers ?? [],
    aiEvidence: p.aiEvidence ?? [],
    onDefaultBranch: p.onDefaultBranch ?? true,
    source: 'git',
    origin: 'test',
  };
}

export function pr(p: Partial<PullRequestRecord> & { number: number }): PullRequestRecord {
  const repo = p.repo ?? 'acme/api';
  const merged = p.state === undefined || p.state === 'merged';
  const createdAt = p.createdAt ?? T0;
  return {
    id: `pr:${repo}#${p.number}`,
    repo,
    number: p.number,
    title: p.title ?? `PR ${p.number}`,
    author: p.author ?? 'alice',
    authorType: p.authorType ?? 'User',
    state: p.state ?? 'merged',
    draft: false,
    createdAt,
    mergedAt: p.mergedAt !== undefined ? p.mergedAt : merged ? createdAt + HOUR : null,
    closedAt: p.closedAt !== undefined ? p.closedAt : merged ? createdAt + HOUR : null,
    mergedBy: p.mergedBy !== undefined ? p.mergedBy : merged ? 'reviewer' : null,
    baseRef: p.baseRef ?? 'main',
    headRef: p.headRef ?? `feature-${p.number}`,
    headSha: p.headSha ?? null,
    mergeCommitSha: p.mergeCommitSha ?? null,
    additions: p.additions ?? 40,
    deletions: p.deletions ?? 10,
    changedFiles: p.changedFiles ?? 2,
    labels: p.labels ?? [],
    approvers: p.approvers ?? ['reviewer'],
    reviewers: p.reviewers ?? p.approvers ?? ['reviewer'],
    aiEvidence: p.aiEvidence ?? [],
    source: 'github_export',
    origin: 'test',
  };
}

export function deployment(p: Partial<DeploymentRecord> & { id: string; shas: string[] }): DeploymentRecord {
  return {
    id: `deploy:${p.id}`,
    repo: p.repo !== undefined ? p.repo : 'acme/api',
    service: p.service ?? 'api',
    environment: p.environment ?? 'production',
    production: p.production ?? true,
    status: p.status ?? 'success',
    ts: p.ts ?? T0,
    shas: p.shas,
    rollbackOf: p.rollbackOf ?? null,
    source: 'work_file',
    origin: 'test',
  };
}

export function incident(p: Partial<IncidentRecord> & { id: string }): IncidentRecord {
  return {
    id: `incident:${p.id}`,
    service: p.service ?? 'api',
    openedAt: p.openedAt ?? T0,
    resolvedAt: p.resolvedAt ?? null,
    severity: p.severity ?? null,
    rootCauseShas: p.rootCauseShas ?? [],
    deploymentId: p.deploymentId ?? null,
    source: 'work_file',
    origin: 'test',
  };
}

export function session(p: Partial<SessionSummary> & { sessionId: string }): SessionSummary {
  const firstTs = p.firstTs ?? T0;
  return {
    sessionId: p.sessionId,
    tool: p.tool ?? 'claude-code',
    personId: p.personId ?? 'alice',
    cwd: p.cwd !== undefined ? p.cwd : '/home/alice/src/api',
    gitBranch: p.gitBranch !== undefined ? p.gitBranch : null,
    firstTs,
    lastTs: p.lastTs ?? firstTs + HOUR,
    calls: p.calls ?? 10,
    costUsd: p.costUsd ?? 1,
    unpricedCalls: p.unpricedCalls ?? 0,
    inputTokens: p.inputTokens ?? 1000,
    cacheReadTokens: p.cacheReadTokens ?? 0,
    cacheWriteTokens: p.cacheWriteTokens ?? 0,
    outputTokens: p.outputTokens ?? 100,
    prompts: p.prompts ?? 2,
    toolUses: p.toolUses ?? 5,
    edits: p.edits ?? 3,
    linesAdded: p.linesAdded ?? 20,
    linesRemoved: p.linesRemoved ?? 5,
    commitShas: p.commitShas ?? [],
    prUrls: p.prUrls ?? [],
    agentic: p.agentic ?? false,
  };
}

/**
 * A PR merged by squash: the PR and its squash commit on the default branch (which names the PR
 * number, as GitHub's "Subject (#n)" does). `parent` chains commits so deployments can walk history.
 */
export function squashed(
  n: number,
  p: Partial<PullRequestRecord> & { parent?: string; at?: number; lines?: number },
): { pr: PullRequestRecord; commit: CommitRecord } {
  const repo = p.repo ?? 'acme/api';
  const at = p.at ?? T0;
  const author = p.author ?? 'alice';
  const lines = p.lines ?? 50;
  const c = commit({
    repo,
    label: `${repo}#${n}`,
    author,
    parents: p.parent ? [p.parent] : [],
    prNumber: n,
    authorTs: at + HOUR,
    additions: lines,
    deletions: 0,
  });
  const { parent: _parent, at: _at, lines: _lines, ...rest } = p;
  return {
    pr: pr({
      ...rest,
      number: n,
      repo,
      author,
      createdAt: at,
      mergeCommitSha: c.sha,
      additions: lines,
      deletions: 0,
    }),
    commit: c,
  };
}

/**
 * A two-week story used by the session-based metric tests; every number in those tests is
 * derived by hand from this text.
 *
 * People: alice and bob in team `core`, carol in team `web` (all time). Week 0 starts at T0.
 * PRs (squash-merged in a line m1 ← m2 ← m3 ← m4, 50 lines unless said):
 *   1 alice, opened T0+3h — AI-assisted through session sA1, qualifying;
 *   2 bob, T0+1d, 3 lines — trivial;
 *   3 bob, T0+2d — reverted by a direct commit at T0+4d (within 14 days);
 *   4 carol, T0+8d (week 1) — AI-assisted by label, qualifying;
 *   5 alice, T0+9d — still open.
 * Deployments: d1 at T0+3d names m3 (ships PRs 1–3; only PR 1 qualifies → alice 1);
 *              d2 at T0+9d names m4 (PR 4 → carol 1).
 * Sessions (no cwd, so only SHAs and PR URLs link them):
 *   id   person day  edits links            agentic cost calls prompts in    cacheR cacheW out  outcome
 *   sA1  alice  0    3     m1               yes     10   20    4       1000  3000   1000   500  durable
 *   sA2  alice  1    5     —                no      4    8     2       2000  0      0      200  never_committed
 *   sA3  alice  2    0     —                no      1    2     1       500   500    0      100  no_edits
 *   sA4  alice  9    2     PR 5 URL         no      2    4     1       100   900    0      50   in_review
 *   sB1  bob    1    1     m2               yes     3    6     3       300   0      300    60   not_counted
 *   sB2  bob    2    4     m3               yes     5    10    0       1000  1000   0      100  not_durable
 *   sC1  carol  8    0     —                no      0.5  1     1       100   0      0      10   no_edits
 */
export function sessionScenario(options: ValueOptions = {}) {
  const people = directory([
    { id: 'alice', team: 'core', optIn: true },
    { id: 'bob', team: 'core', optIn: true },
    { id: 'carol', team: 'web' },
  ]);
  const p1 = squashed(1, { author: 'alice', at: T0 + 3 * HOUR });
  const p2 = squashed(2, { author: 'bob', at: T0 + DAY, lines: 3, parent: p1.commit.sha });
  const p3 = squashed(3, { author: 'bob', at: T0 + 2 * DAY, parent: p2.commit.sha });
  const p4 = squashed(4, {
    author: 'carol',
    at: T0 + 8 * DAY,
    parent: p3.commit.sha,
    aiEvidence: [{ kind: 'label', tool: 'unknown', detail: 'ai-assisted' }],
  });
  const p5 = pr({ number: 5, author: 'alice', state: 'open', createdAt: T0 + 9 * DAY });
  const r3 = commit({ label: 'r3', author: 'bob', revertsSha: p3.commit.sha, authorTs: T0 + 4 * DAY });
  const s = (
    sessionId: string,
    personId: string,
    day: number,
    edits: number,
    agentic: boolean,
    costUsd: number,
    calls: number,
    prompts: number,
    inputTokens: number,
    cacheReadTokens: number,
    cacheWriteTokens: number,
    outputTokens: number,
    links: Partial<SessionSummary> = {},
  ) =>
    session({
      sessionId,
      personId,
      cwd: null,
      firstTs: T0 + day * DAY + HOUR,
      edits,
      agentic,
      costUsd,
      calls,
      prompts,
      inputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      outputTokens,
      linesAdded: edits > 0 ? 10 : 0,
      linesRemoved: 0,
      ...links,
    });
  const sessions = [
    s('sA1', 'alice', 0, 3, true, 10, 20, 4, 1000, 3000, 1000, 500, {
      commitShas: [p1.commit.sha.slice(0, 7)],
    }),
    s('sA2', 'alice', 1, 5, false, 4, 8, 2, 2000, 0, 0, 200),
    s('sA3', 'alice', 2, 0, false, 1, 2, 1, 500, 500, 0, 100),
    s('sA4', 'alice', 9, 2, false, 2, 4, 1, 100, 900, 0, 50, {
      prUrls: ['https://github.com/acme/api/pull/5'],
    }),
    s('sB1', 'bob', 1, 1, true, 3, 6, 3, 300, 0, 300, 60, { commitShas: [p2.commit.sha] }),
    s('sB2', 'bob', 2, 4, true, 5, 10, 0, 1000, 1000, 0, 100, { commitShas: [p3.commit.sha.slice(0, 9)] }),
    s('sC1', 'carol', 8, 0, false, 0.5, 1, 1, 100, 0, 0, 10),
  ];
  const input: ValueInput = {
    commits: [p1.commit, p2.commit, p3.commit, p4.commit, r3],
    pullRequests: [p1.pr, p2.pr, p3.pr, p4.pr, p5],
    deployments: [
      deployment({ id: 'd1', ts: T0 + 3 * DAY, shas: [p3.commit.sha] }),
      deployment({ id: 'd2', ts: T0 + 9 * DAY, shas: [p4.commit.sha] }),
    ],
    incidents: [],
    sessions,
  };
  return { people, input, model: buildValueModel(input, people, options) };
}
