/**
 * Links AI sessions to the changes they produced (DESIGN §5 "AI-assisted"). A change is a pull
 * request, or a commit in a repository for which no PR data was given. Every link keeps its
 * evidence so that any number built on it can be explained:
 * - `session_commit`: the session printed a SHA (≥ 7 chars) that prefix-matches a commit in the
 *   session's repository, or created/linked the PR by URL;
 * - `trailer`, `bot_author` (commits) and `pr_body`, `label`, `bot_author` (PRs): found by the sources;
 * - `session_window`: a session of the commit's author, in the commit's repository, on the same
 *   branch when both branches are known, active within the window (24 h) before the author time.
 *
 * Everything is indexed (SHA prefixes, sessions per person and repository sorted by start), so
 * the cost is linear in the records plus the links found.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { AiEvidence, AiEvidenceKind, CommitRecord, PullRequestRecord } from '../../ledger/work.js';
import { createPersonResolver, type PersonResolver } from './people.js';
import { DEFAULT_PR_COMMIT_OPTIONS, linkPullRequestsToCommits } from './pr-commits.js';
import { createRepoResolver, type RepoResolver, repoName } from './repo-paths.js';
import { ShaIndex } from './sha-index.js';

export interface LinkInput {
  commits: readonly CommitRecord[];
  pullRequests: readonly PullRequestRecord[];
  sessions: readonly SessionSummary[];
}

export interface LinkOptions {
  /** Local checkout path → repository key; the longest matching prefix of a session's cwd wins. */
  repoPaths?: ReadonlyMap<string, string>;
  /** How long before a commit a session of its author may have been active. Default 24 h. */
  sessionWindowMs?: number;
  /** See `PrCommitOptions`. */
  branchLookbackMs?: number;
  maxBranchCommits?: number;
}

export const DEFAULT_SESSION_WINDOW_MS = 24 * 3_600_000;

export type ChangeKind = 'pull_request' | 'commit';

/** A unit of shipped-or-not work, with everything linking found about it. */
export interface Change {
  /** Position in `LinkIndex.changes`. */
  index: number;
  /** The PR's or the commit's record id. */
  id: string;
  kind: ChangeKind;
  repo: string;
  pr: PullRequestRecord | null;
  /** The commit itself for a commit change; null for a PR. */
  commit: CommitRecord | null;
  /** A PR's commits (merge, numbered, head and branch commits); `[commit]` for a commit change. */
  commits: CommitRecord[];
  /** Person credited with the change; null when the directory does not know the author. */
  personId: string | null;
  evidence: AiEvidence[];
  sessionIds: string[];
}

export interface LinkStats {
  sessions: number;
  /** Sessions whose cwd mapped to at least one known repository. */
  sessionsWithRepo: number;
  sessionsLinked: number;
  sessionShas: number;
  sessionShasMatched: number;
  /** SHAs matching several commits in the candidate repositories: not guessed, not linked. */
  sessionShasAmbiguous: number;
  changes: number;
  aiAssistedChanges: number;
  evidence: Record<AiEvidenceKind, number>;
}

export interface LinkIndex {
  /** Commits, duplicates by id removed. */
  commits: CommitRecord[];
  pullRequests: PullRequestRecord[];
  shas: ShaIndex;
  repoOf: RepoResolver;
  people: PersonResolver;
  /** Repositories with PR data: their changes are PRs; other repositories' changes are commits. */
  prRepos: ReadonlySet<string>;
  prCommits: Map<string, CommitRecord[]>;
  commitPr: Map<string, PullRequestRecord>;
  changes: Change[];
  changeById: Map<string, Change>;
  changeOfCommit: Map<string, Change>;
  /** Session id → the changes it is linked to. Unlinked sessions are absent. */
  sessionChanges: Map<string, Change[]>;
  /** Session id → ids of the commits it is linked to (also commits outside any change). */
  sessionCommits: Map<string, string[]>;
  stats: LinkStats;
}

interface Extra {
  evidence: AiEvidence[];
  /** Few per commit, so a list beats a Set (millions of commits). */
  sessions: string[];
}

function extraOf(map: Map<string, Extra>, id: string): Extra {
  let e = map.get(id);
  if (!e) {
    e = { evidence: [], sessions: [] };
    map.set(id, e);
  }
  return e;
}

interface SessionBucket {
  sessions: SessionSummary[];
  /** Longest session in the bucket: bounds how far back a range scan must look. */
  maxSpan: number;
}

const PR_URL = /\/([^/\s]+)\/([^/\s]+)\/pulls?\/(\d+)/;

export function buildLinkIndex(
  input: LinkInput,
  directory: PeopleDirectory,
  options: LinkOptions = {},
): LinkIndex {
  const windowMs = options.sessionWindowMs ?? DEFAULT_SESSION_WINDOW_MS;
  const people = createPersonResolver(directory);

  const commits: CommitRecord[] = [];
  const seenCommits = new Set<string>();
  const shas = new ShaIndex();
  for (const c of input.commits) {
    if (seenCommits.has(c.id)) continue;
    seenCommits.add(c.id);
    commits.push(c);
    shas.add(c);
  }
  const pullRequests: PullRequestRecord[] = [];
  const seenPrs = new Set<string>();
  for (const pr of input.pullRequests) {
    if (seenPrs.has(pr.id)) continue;
    seenPrs.add(pr.id);
    pullRequests.push(pr);
  }
  const prRepos = new Set(pullRequests.map((pr) => pr.repo));
  const repos = new Set<string>(prRepos);
  for (const c of commits) repos.add(c.repo);
  const repoOf = createRepoResolver(repos, options.repoPaths);

  const { prCommits, commitPr } = linkPullRequestsToCommits(pullRequests, commits, shas, {
    branchLookbackMs: options.branchLookbackMs ?? DEFAULT_PR_COMMIT_OPTIONS.branchLookbackMs,
    maxBranchCommits: options.maxBranchCommits ?? DEFAULT_PR_COMMIT_OPTIONS.maxBranchCommits,
  });

  const prByKey = new Map<string, PullRequestRecord>();
  const prByName = new Map<string, PullRequestRecord[]>();
  for (const pr of pullRequests) {
    prByKey.set(`${pr.repo.toLowerCase()}#${pr.number}`, pr);
    const k = `${repoName(pr.repo)}#${pr.number}`;
    const list = prByName.get(k);
    if (list) list.push(pr);
    else prByName.set(k, [pr]);
  }

  const commitExtra = new Map<string, Extra>();
  const prExtra = new Map<string, Extra>();
  // Pairs are unique because the commit/PR side refuses a session it already has.
  const sessionCommitLists = new Map<string, string[]>();
  const sessionPrLists = new Map<string, string[]>();
  const pushTo = (m: Map<string, string[]>, key: string, value: string) => {
    const list = m.get(key);
    if (list) list.push(value);
    else m.set(key, [value]);
  };
  const addSessionCommit = (s: SessionSummary, c: CommitRecord, ev: AiEvidence | null) => {
    const extra = extraOf(commitExtra, c.id);
    if (extra.sessions.includes(s.sessionId)) return;
    extra.sessions.push(s.sessionId);
    extra.evidence.push(ev ?? windowEvidenceOf(s, c.repo));
    pushTo(sessionCommitLists, s.sessionId, c.id);
  };
  const addSessionPr = (s: SessionSummary, pr: PullRequestRecord, ev: AiEvidence) => {
    const extra = extraOf(prExtra, pr.id);
    if (extra.sessions.includes(s.sessionId)) return;
    extra.sessions.push(s.sessionId);
    extra.evidence.push(ev);
    pushTo(sessionPrLists, s.sessionId, pr.id);
  };
  // One window-evidence object per session, shared by every commit it is linked to: the detail
  // names the session, its repository and branch; the commit is where the evidence sits.
  const windowEvidence = new Map<SessionSummary, Array<{ repo: string; ev: AiEvidence }>>();
  const windowEvidenceOf = (s: SessionSummary, repo: string): AiEvidence => {
    let list = windowEvidence.get(s);
    if (!list) {
      list = [];
      windowEvidence.set(s, list);
    }
    for (const x of list) if (x.repo === repo) return x.ev;
    const ev: AiEvidence = {
      kind: 'session_window',
      tool: s.tool,
      detail: `session ${s.sessionId} active in ${repo}${s.gitBranch ? ` on ${s.gitBranch}` : ''} within the window before the commit`,
    };
    list.push({ repo, ev });
    return ev;
  };

  const stats: LinkStats = {
    sessions: input.sessions.length,
    sessionsWithRepo: 0,
    sessionsLinked: 0,
    sessionShas: 0,
    sessionShasMatched: 0,
    sessionShasAmbiguous: 0,
    changes: 0,
    aiAssistedChanges: 0,
    evidence: { session_commit: 0, trailer: 0, pr_body: 0, label: 0, bot_author: 0, session_window: 0 },
  };

  const commitPerson = new Map<string, string | null>();
  const personOfCommit = (c: CommitRecord): string | null => {
    let id = commitPerson.get(c.id);
    if (id === undefined) {
      id = people.commitAuthor(c);
      commitPerson.set(c.id, id);
    }
    return id;
  };

  // Direct evidence: SHAs the session printed, PR URLs it created. Also builds the window index.
  const buckets = new Map<string, SessionBucket>();
  for (const s of input.sessions) {
    const candidates = repoOf(s.cwd);
    if (candidates.length > 0) stats.sessionsWithRepo++;
    for (const raw of s.commitShas) {
      stats.sessionShas++;
      let commit: CommitRecord | undefined;
      if (candidates.length > 0) {
        const found = shas.find(raw, candidates);
        if (found.length === 1) commit = found[0];
        else if (found.length > 1) stats.sessionShasAmbiguous++;
      } else {
        // No repository for the session: accept a SHA only when it is unique everywhere and the
        // commit is the session owner's, so a short SHA cannot land in a stranger's repository.
        const hit = shas.resolve(raw);
        if (hit.kind === 'found' && personOfCommit(hit.commit) === s.personId) commit = hit.commit;
        else if (hit.kind === 'ambiguous') stats.sessionShasAmbiguous++;
      }
      if (!commit) continue;
      stats.sessionShasMatched++;
      addSessionCommit(s, commit, {
        kind: 'session_commit',
        tool: s.tool,
        detail: `session ${s.sessionId} printed ${raw}`,
      });
    }
    for (const url of s.prUrls) {
      const m = PR_URL.exec(url);
      if (!m) continue;
      const n = Number(m[3]);
      let pr = prByKey.get(`${m[1]!.toLowerCase()}/${m[2]!.toLowerCase()}#${n}`);
      if (!pr) {
        const named = prByName.get(`${m[2]!.toLowerCase()}#${n}`) ?? [];
        const inSessionRepo = named.filter((p) => candidates.includes(p.repo));
        if (inSessionRepo.length === 1) pr = inSessionRepo[0];
        else if (named.length === 1) pr = named[0];
      }
      if (pr)
        addSessionPr(s, pr, {
          kind: 'session_commit',
          tool: s.tool,
          detail: `session ${s.sessionId} opened or linked ${url}`,
        });
    }
    for (const repo of candidates) {
      const key = `${s.personId}\u0000${repo}`;
      let b = buckets.get(key);
      if (!b) {
        b = { sessions: [], maxSpan: 0 };
        buckets.set(key, b);
      }
      b.sessions.push(s);
      const span = s.lastTs - s.firstTs;
      if (span > b.maxSpan) b.maxSpan = span;
    }
  }
  for (const b of buckets.values()) b.sessions.sort((a, z) => a.firstTs - z.firstTs);

  /** Sessions in the bucket active at some point of [from, to], on a compatible branch. */
  const activeIn = (
    b: SessionBucket,
    from: number,
    to: number,
    branch: string | null,
    out: (s: SessionSummary) => void,
  ) => {
    const list = b.sessions;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.firstTs <= to) lo = mid + 1;
      else hi = mid;
    }
    const earliestStart = from - b.maxSpan;
    for (let i = lo - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.firstTs < earliestStart) break;
      if (s.lastTs < from) continue;
      if (branch !== null && s.gitBranch !== null && s.gitBranch !== branch) continue;
      out(s);
    }
  };

  // Window evidence for commits: merges are made by whoever merged, not by a session, so skipped.
  for (const c of commits) {
    if (c.parents.length > 1) continue;
    const person = personOfCommit(c);
    if (person === null) continue;
    const b = buckets.get(`${person}\u0000${c.repo}`);
    if (!b) continue;
    const branch = commitPr.get(c.id)?.headRef ?? null;
    activeIn(b, c.authorTs - windowMs, c.authorTs, branch, (s) =>
      addSessionCommit(s, c, windowEvidenceOf(s, c.repo)),
    );
  }

  // Changes: a PR per PR; a commit per non-merge commit of a repository without PR data.
  const changes: Change[] = [];
  const changeById = new Map<string, Change>();
  const changeOfCommit = new Map<string, Change>();
  const addChange = (
    ch: Omit<Change, 'index' | 'evidence' | 'sessionIds'>,
    extras: Array<Extra | undefined>,
    own: AiEvidence[][],
  ) => {
    const evidence: AiEvidence[] = [];
    // Record evidence repeats across a PR's commits (the same trailer on each): dedupe by text.
    const seenText = new Set<string>();
    for (const list of own)
      for (const e of list) {
        const k = `${e.kind}\u0000${e.detail}`;
        if (seenText.has(k)) continue;
        seenText.add(k);
        evidence.push(e);
      }
    // Link evidence objects are shared per session and repository: dedupe by identity.
    const seen = new Set<AiEvidence>();
    const sessionIds = new Set<string>();
    for (const x of extras) {
      if (!x) continue;
      for (const e of x.evidence) {
        if (seen.has(e)) continue;
        seen.add(e);
        evidence.push(e);
      }
      for (const id of x.sessions) sessionIds.add(id);
    }
    const change: Change = { ...ch, index: changes.length, evidence, sessionIds: [...sessionIds] };
    changes.push(change);
    changeById.set(change.id, change);
    for (const c of change.commits) changeOfCommit.set(c.id, change);
    return change;
  };

  for (const pr of pullRequests) {
    const prc = prCommits.get(pr.id) ?? [];
    const personId = people.prAuthor(pr, prc);
    const extras: Array<Extra | undefined> = [prExtra.get(pr.id)];
    for (const c of prc) extras.push(commitExtra.get(c.id));
    // PR-only data (no commits read): the PR's own branch and lifetime stand in for a commit.
    if (prc.length === 0 && personId !== null) {
      const b = buckets.get(`${personId}\u0000${pr.repo}`);
      const end = pr.mergedAt ?? pr.closedAt ?? pr.createdAt;
      if (b)
        activeIn(b, pr.createdAt - windowMs, end, pr.headRef || null, (s) =>
          addSessionPr(s, pr, {
            kind: 'session_window',
            tool: s.tool,
            detail: `session ${s.sessionId} active in ${pr.repo} on ${s.gitBranch ?? 'an unknown branch'} while ${pr.repo}#${pr.number} was open`,
          }),
        );
      extras[0] = prExtra.get(pr.id);
    }
    addChange(
      { id: pr.id, kind: 'pull_request', repo: pr.repo, pr, commit: null, commits: prc, personId },
      extras,
      [pr.aiEvidence, ...prc.map((c) => c.aiEvidence)],
    );
  }
  for (const c of commits) {
    if (prRepos.has(c.repo) || c.parents.length > 1) continue;
    addChange(
      {
        id: c.id,
        kind: 'commit',
        repo: c.repo,
        pr: null,
        commit: c,
        commits: [c],
        personId: personOfCommit(c),
      },
      [commitExtra.get(c.id)],
      [c.aiEvidence],
    );
  }

  const sessionChanges = new Map<string, Change[]>();
  const sessionCommits = new Map<string, string[]>();
  const link = (sid: string, ch: Change | undefined) => {
    if (!ch) return;
    const list = sessionChanges.get(sid);
    if (!list) sessionChanges.set(sid, [ch]);
    else if (!list.includes(ch)) list.push(ch);
  };
  for (const [sid, commitIds] of sessionCommitLists) {
    sessionCommits.set(sid, commitIds);
    for (const id of commitIds) link(sid, changeOfCommit.get(id));
  }
  let prOnly = 0;
  for (const [sid, prIds] of sessionPrLists) {
    if (!sessionCommitLists.has(sid)) prOnly++;
    for (const id of prIds) link(sid, changeById.get(id));
  }

  stats.sessionsLinked = sessionCommitLists.size + prOnly;
  stats.changes = changes.length;
  for (const ch of changes) {
    if (ch.evidence.length > 0) stats.aiAssistedChanges++;
    for (const e of ch.evidence) stats.evidence[e.kind]++;
  }

  return {
    commits,
    pullRequests,
    shas,
    repoOf,
    people,
    prRepos,
    prCommits,
    commitPr,
    changes,
    changeById,
    changeOfCommit,
    sessionChanges,
    sessionCommits,
    stats,
  };
}

/** JSON view of one change's links. */
export interface ChangeLinks {
  id: string;
  kind: ChangeKind;
  repo: string;
  personId: string | null;
  commitIds: string[];
  aiAssisted: boolean;
  evidence: AiEvidence[];
  sessionIds: string[];
}

/** JSON view of one session's links. */
export interface SessionLinks {
  sessionId: string;
  personId: string;
  repos: string[];
  changeIds: string[];
  commitIds: string[];
}

export interface LinkResult {
  changes: ChangeLinks[];
  /** Only sessions linked to something; every other session has no link. */
  sessions: SessionLinks[];
  stats: LinkStats;
}

/** The links as plain JSON: per change its evidence and sessions, per linked session its changes. */
export function toLinkResult(index: LinkIndex, sessions: readonly SessionSummary[]): LinkResult {
  const changes = index.changes.map((ch) => ({
    id: ch.id,
    kind: ch.kind,
    repo: ch.repo,
    personId: ch.personId,
    commitIds: ch.commits.map((c) => c.id),
    aiAssisted: ch.evidence.length > 0,
    evidence: ch.evidence,
    sessionIds: ch.sessionIds,
  }));
  const out: SessionLinks[] = [];
  for (const s of sessions) {
    const chs = index.sessionChanges.get(s.sessionId);
    const commitIds = index.sessionCommits.get(s.sessionId);
    if (!chs && !commitIds) continue;
    out.push({
      sessionId: s.sessionId,
      personId: s.personId,
      repos: [...index.repoOf(s.cwd)],
      changeIds: (chs ?? []).map((c) => c.id),
      commitIds: commitIds ?? [],
    });
  }
  return { changes, sessions: out, stats: index.stats };
}

/** Links sessions to changes and returns the JSON view (see `buildLinkIndex` for the rules). */
export function linkSessions(
  input: LinkInput,
  directory: PeopleDirectory,
  options: LinkOptions = {},
): LinkResult {
  return toLinkResult(buildLinkIndex(input, directory, options), input.sessions);
}
