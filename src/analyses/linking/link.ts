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
 * the cost is linear in the records plus the links found. Records are numbered by position and
 * links are kept as integers in typed arrays: an org's year has millions of sessions and links,
 * and an object or string per link was most of the time and memory. Evidence objects are built
 * only when a change's `evidence` is read (to explain it); counts never need them.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { AiEvidence, AiEvidenceKind, CommitRecord, PullRequestRecord } from '../../ledger/work.js';
import { createPersonResolver, type PersonResolver } from './people.js';
import { DEFAULT_PR_COMMIT_OPTIONS, indexPullRequestCommits } from './pr-commits.js';
import { createRepoResolver, type RepoResolver, repoName } from './repo-paths.js';
import { SHA_AMBIGUOUS, ShaIndex } from './sha-index.js';

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

/** Git records author and committer times in whole seconds. */
const GIT_TIME_RESOLUTION_MS = 1000;

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
  /** Positions of `commits` in `LinkIndex.commits`. */
  commitIndexes: ArrayLike<number>;
  /** Person credited with the change; null when the directory does not know the author. */
  personId: string | null;
  /** `evidence.length > 0`, known without building the evidence. */
  aiAssisted: boolean;
  /** Built on first read. */
  readonly evidence: AiEvidence[];
  /** Built on first read. */
  readonly sessionIds: string[];
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
  /** Commits, duplicates by id removed; a commit's position is its number everywhere below. */
  commits: CommitRecord[];
  pullRequests: PullRequestRecord[];
  /** Numbers each commit by its position in `commits`. */
  shas: ShaIndex;
  repoOf: RepoResolver;
  people: PersonResolver;
  /** Repositories with PR data: their changes are PRs; other repositories' changes are commits. */
  prRepos: ReadonlySet<string>;
  /** Commit → position of its PR in `pullRequests`, or -1. */
  prOfCommit: Int32Array;
  /** Commit → its author's person id, or null when the directory does not know them. */
  commitPersons: ReadonlyArray<string | null>;
  changes: Change[];
  /** Commit → position of its change in `changes`, or -1. */
  changeOfCommit: Int32Array;
  /**
   * Session i (its position in the input) is linked to the changes
   * `sessionChangeList[sessionChangeStart[i] … sessionChangeStart[i + 1])`.
   */
  sessionChangeStart: Int32Array;
  sessionChangeList: Int32Array;
  /** Likewise to commits (also commits outside any change), in the order the links were found. */
  sessionCommitStart: Int32Array;
  sessionCommitList: Int32Array;
  changesOfSession(session: number): Change[];
  commitsOfSession(session: number): CommitRecord[];
  stats: LinkStats;
}

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Session→commit and session→PR links. Each link is one slot in parallel integer lists, chained
 * per target and per session in the order found (head/tail/next), so a target's or a session's
 * links are read in order without a list object for each.
 */
class LinkTables {
  /** Commit links: session, commit, index of the printed SHA in `commitShas` (-1: window). */
  readonly cSession = new IntList();
  readonly cCommit = new IntList();
  readonly cRaw = new IntList();
  readonly cNextOfCommit = new IntList();
  readonly cNextOfSession = new IntList();
  readonly commitHead: Int32Array;
  readonly commitTail: Int32Array;
  readonly sessionCHead: Int32Array;
  readonly sessionCTail: Int32Array;
  /** PR links: session, PR, index of the URL in `prUrls` (-1: window over a PR without commits). */
  readonly pSession = new IntList();
  readonly pPr = new IntList();
  readonly pUrl = new IntList();
  readonly pNextOfPr = new IntList();
  readonly pNextOfSession = new IntList();
  readonly prHead: Int32Array;
  readonly prTail: Int32Array;
  readonly sessionPHead: Int32Array;
  readonly sessionPTail: Int32Array;
  /** Per-session stamps: dedupes window evidence and session ids within one change. */
  private readonly windowSeen: Int32Array;
  private sessionSeen: Int32Array | null = null;
  private stamp = 0;

  constructor(
    readonly sessions: readonly SessionSummary[],
    readonly commits: readonly CommitRecord[],
    readonly pullRequests: readonly PullRequestRecord[],
  ) {
    const none = (n: number) => new Int32Array(n).fill(-1);
    this.commitHead = none(commits.length);
    this.commitTail = none(commits.length);
    this.sessionCHead = none(sessions.length);
    this.sessionCTail = none(sessions.length);
    this.prHead = none(pullRequests.length);
    this.prTail = none(pullRequests.length);
    this.sessionPHead = none(sessions.length);
    this.sessionPTail = none(sessions.length);
    this.windowSeen = new Int32Array(sessions.length);
  }

  /** Links a session to a commit unless it already is (pairs are unique). */
  linkCommit(session: number, commit: number, raw: number): void {
    const next = this.cNextOfCommit.data;
    for (let l = this.commitHead[commit]!; l >= 0; l = next[l]!)
      if (this.cSession.data[l] === session) return;
    const l = this.cSession.length;
    this.cSession.push(session);
    this.cCommit.push(commit);
    this.cRaw.push(raw);
    this.cNextOfCommit.push(-1);
    this.cNextOfSession.push(-1);
    if (this.commitTail[commit]! < 0) this.commitHead[commit] = l;
    else this.cNextOfCommit.data[this.commitTail[commit]!] = l;
    this.commitTail[commit] = l;
    if (this.sessionCTail[session]! < 0) this.sessionCHead[session] = l;
    else this.cNextOfSession.data[this.sessionCTail[session]!] = l;
    this.sessionCTail[session] = l;
  }

  linkPr(session: number, pr: number, url: number): void {
    const next = this.pNextOfPr.data;
    for (let l = this.prHead[pr]!; l >= 0; l = next[l]!) if (this.pSession.data[l] === session) return;
    const l = this.pSession.length;
    this.pSession.push(session);
    this.pPr.push(pr);
    this.pUrl.push(url);
    this.pNextOfPr.push(-1);
    this.pNextOfSession.push(-1);
    if (this.prTail[pr]! < 0) this.prHead[pr] = l;
    else this.pNextOfPr.data[this.prTail[pr]!] = l;
    this.prTail[pr] = l;
    if (this.sessionPTail[session]! < 0) this.sessionPHead[session] = l;
    else this.pNextOfSession.data[this.sessionPTail[session]!] = l;
    this.sessionPTail[session] = l;
  }

  /**
   * A change's evidence in order: the records' own (the same trailer on every commit counted once,
   * by text), then the PR's links, then each commit's links. A session's window evidence is one
   * per repository, so it counts once per change. Counts by kind into `counts`; builds the
   * objects into `out` when given. Returns how many there are.
   */
  evidence(
    pr: number,
    prRecord: PullRequestRecord | null,
    commitIndexes: ArrayLike<number>,
    counts: Record<AiEvidenceKind, number> | null,
    out: AiEvidence[] | null,
  ): number {
    let n = 0;
    const own = this.own;
    own.length = 0;
    if (prRecord) n += this.ownEvidence(prRecord.aiEvidence, counts, out);
    for (let k = 0; k < commitIndexes.length; k++) {
      const list = this.commits[commitIndexes[k]!]!.aiEvidence;
      if (list.length > 0) n += this.ownEvidence(list, counts, out);
    }
    if (pr >= 0) {
      for (let l = this.prHead[pr]!; l >= 0; l = this.pNextOfPr.data[l]!) {
        const url = this.pUrl.data[l]!;
        const kind: AiEvidenceKind = url >= 0 ? 'session_commit' : 'session_window';
        n++;
        if (counts) counts[kind]++;
        if (out) {
          const s = this.sessions[this.pSession.data[l]!]!;
          const p = this.pullRequests[pr]!;
          out.push({
            kind,
            tool: s.tool,
            detail:
              url >= 0
                ? `session ${s.sessionId} opened or linked ${s.prUrls[url]}`
                : `session ${s.sessionId} active in ${p.repo} on ${s.gitBranch ?? 'an unknown branch'} while ${p.repo}#${p.number} was open`,
          });
        }
      }
    }
    const stamp = ++this.stamp;
    for (let k = 0; k < commitIndexes.length; k++) {
      const c = commitIndexes[k]!;
      for (let l = this.commitHead[c]!; l >= 0; l = this.cNextOfCommit.data[l]!) {
        const si = this.cSession.data[l]!;
        const raw = this.cRaw.data[l]!;
        if (raw < 0) {
          if (this.windowSeen[si] === stamp) continue;
          this.windowSeen[si] = stamp;
        }
        const kind: AiEvidenceKind = raw >= 0 ? 'session_commit' : 'session_window';
        n++;
        if (counts) counts[kind]++;
        if (out) {
          const s = this.sessions[si]!;
          const repo = this.commits[c]!.repo;
          out.push({
            kind,
            tool: s.tool,
            detail:
              raw >= 0
                ? `session ${s.sessionId} printed ${s.commitShas[raw]}`
                : `session ${s.sessionId} active in ${repo}${s.gitBranch ? ` on ${s.gitBranch}` : ''} within the window before the commit`,
          });
        }
      }
    }
    return n;
  }

  /** The records' own evidence of the change being walked, for dedupe by text; reused. */
  private readonly own: AiEvidence[] = [];

  private ownEvidence(
    list: readonly AiEvidence[],
    counts: Record<AiEvidenceKind, number> | null,
    out: AiEvidence[] | null,
  ): number {
    let n = 0;
    outer: for (const e of list) {
      for (const x of this.own) if (x.kind === e.kind && x.detail === e.detail) continue outer;
      this.own.push(e);
      n++;
      if (counts) counts[e.kind]++;
      out?.push(e);
    }
    return n;
  }

  /** Distinct sessions of a change's links: the PR's, then each commit's, in order. */
  sessionIds(pr: number, commitIndexes: ArrayLike<number>): string[] {
    this.sessionSeen ??= new Int32Array(this.sessions.length);
    const seen = this.sessionSeen;
    const stamp = ++this.stamp;
    const out: string[] = [];
    const add = (si: number) => {
      if (seen[si] === stamp) return;
      seen[si] = stamp;
      out.push(this.sessions[si]!.sessionId);
    };
    if (pr >= 0)
      for (let l = this.prHead[pr]!; l >= 0; l = this.pNextOfPr.data[l]!) add(this.pSession.data[l]!);
    for (let k = 0; k < commitIndexes.length; k++) {
      const c = commitIndexes[k]!;
      for (let l = this.commitHead[c]!; l >= 0; l = this.cNextOfCommit.data[l]!) add(this.cSession.data[l]!);
    }
    return out;
  }
}

class LinkedChange implements Change {
  aiAssisted = false;
  readonly #tables: LinkTables;
  readonly #pr: number;
  #evidence: AiEvidence[] | null = null;
  #sessionIds: string[] | null = null;

  constructor(
    tables: LinkTables,
    prIndex: number,
    readonly index: number,
    readonly id: string,
    readonly kind: ChangeKind,
    readonly repo: string,
    readonly pr: PullRequestRecord | null,
    readonly commit: CommitRecord | null,
    readonly commits: CommitRecord[],
    readonly commitIndexes: ArrayLike<number>,
    readonly personId: string | null,
  ) {
    this.#tables = tables;
    this.#pr = prIndex;
  }

  get evidence(): AiEvidence[] {
    if (this.#evidence === null) {
      this.#evidence = [];
      this.#tables.evidence(this.#pr, this.pr, this.commitIndexes, null, this.#evidence);
    }
    return this.#evidence;
  }

  get sessionIds(): string[] {
    this.#sessionIds ??= this.#tables.sessionIds(this.#pr, this.commitIndexes);
    return this.#sessionIds;
  }

  /** The evidence and session ids are getters: serialise them like the fields they stand for. */
  toJSON() {
    return {
      index: this.index,
      id: this.id,
      kind: this.kind,
      repo: this.repo,
      pr: this.pr,
      commit: this.commit,
      commits: this.commits,
      personId: this.personId,
      aiAssisted: this.aiAssisted,
      evidence: this.evidence,
      sessionIds: this.sessionIds,
    };
  }
}

/**
 * Items `list[start[i] … start[i + 1])` of `items`. Made outside `buildLinkIndex` on purpose: a
 * closure made inside would keep that function's whole scope alive (its indexes and buckets,
 * hundreds of MB for an org's year) for as long as the index lives.
 */
function listOf<T>(start: Int32Array, list: Int32Array, items: readonly T[]): (i: number) => T[] {
  return (i) => {
    const out: T[] = [];
    for (let k = start[i]!; k < start[i + 1]!; k++) out.push(items[list[k]!]!);
    return out;
  };
}

const PR_URL = /\/([^/\s]+)\/([^/\s]+)\/pulls?\/(\d+)/;

export function buildLinkIndex(
  input: LinkInput,
  directory: PeopleDirectory,
  options: LinkOptions = {},
): LinkIndex {
  const windowMs = options.sessionWindowMs ?? DEFAULT_SESSION_WINDOW_MS;
  const people = createPersonResolver(directory);
  const sessions = input.sessions;
  const nSessions = sessions.length;

  const commits: CommitRecord[] = [];
  const seenCommits = new Set<string>();
  const shas = new ShaIndex();
  for (const c of input.commits) {
    if (seenCommits.has(c.id)) continue;
    seenCommits.add(c.id);
    shas.add(c, commits.length);
    commits.push(c);
  }
  seenCommits.clear();
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

  const { prOfCommit, commitStart, commitList } = indexPullRequestCommits(pullRequests, commits, shas, {
    branchLookbackMs: options.branchLookbackMs ?? DEFAULT_PR_COMMIT_OPTIONS.branchLookbackMs,
    maxBranchCommits: options.maxBranchCommits ?? DEFAULT_PR_COMMIT_OPTIONS.maxBranchCommits,
  });
  const prByKey = new Map<string, number>();
  const prByName = new Map<string, number[]>();
  pullRequests.forEach((pr, p) => {
    prByKey.set(`${pr.repo.toLowerCase()}#${pr.number}`, p);
    const k = `${repoName(pr.repo)}#${pr.number}`;
    const list = prByName.get(k);
    if (list) list.push(p);
    else prByName.set(k, [p]);
  });

  // Repositories and people as small integers, so a (person, repository) bucket key is a number.
  const repoIds = new Map<string, number>();
  const repoId = (repo: string): number => {
    let id = repoIds.get(repo);
    if (id === undefined) {
      id = repoIds.size;
      repoIds.set(repo, id);
    }
    return id;
  };
  for (const r of repos) repoId(r);
  const repoSlots = repos.size + (options.repoPaths?.size ?? 0);
  const personIds = new Map<string, number>();
  const personId = (id: string): number => {
    let n = personIds.get(id);
    if (n === undefined) {
      n = personIds.size;
      personIds.set(id, n);
    }
    return n;
  };
  // Pushed, not preallocated: `new Array(n)` of a large n is a dictionary, slow to read and write.
  const commitPersons: Array<string | null> = [];
  const commitRepo = new Int32Array(commits.length);
  for (let i = 0; i < commits.length; i++) {
    const c = commits[i]!;
    commitPersons.push(people.commitAuthor(c));
    commitRepo[i] = repoIds.get(c.repo)!;
  }

  const stats: LinkStats = {
    sessions: nSessions,
    sessionsWithRepo: 0,
    sessionsLinked: 0,
    sessionShas: 0,
    sessionShasMatched: 0,
    sessionShasAmbiguous: 0,
    changes: 0,
    aiAssistedChanges: 0,
    evidence: { session_commit: 0, trailer: 0, pr_body: 0, label: 0, bot_author: 0, session_window: 0 },
  };
  const tables = new LinkTables(sessions, commits, pullRequests);

  // Direct evidence: SHAs the session printed, PR URLs it created. Also collects the window
  // index's entries: one per session and candidate repository.
  const first = new Float64Array(nSessions);
  const last = new Float64Array(nSessions);
  const bucketOfKey = new Map<number, number>();
  const entryBucket = new IntList();
  const entrySession = new IntList();
  const candidateIds = new Map<readonly string[], number[]>();
  for (let si = 0; si < nSessions; si++) {
    const s = sessions[si]!;
    first[si] = s.firstTs;
    last[si] = s.lastTs;
    const candidates = repoOf(s.cwd);
    if (candidates.length > 0) stats.sessionsWithRepo++;
    for (let j = 0; j < s.commitShas.length; j++) {
      const raw = s.commitShas[j]!;
      stats.sessionShas++;
      let ci = -1;
      if (candidates.length > 0) {
        const hit = shas.findIndex(raw, candidates);
        if (hit >= 0) ci = hit;
        else if (hit === SHA_AMBIGUOUS) stats.sessionShasAmbiguous++;
      } else {
        // No repository for the session: accept a SHA only when it is unique everywhere and the
        // commit is the session owner's, so a short SHA cannot land in a stranger's repository.
        const hit = shas.findIndex(raw);
        if (hit >= 0 && commitPersons[hit] === s.personId) ci = hit;
        else if (hit === SHA_AMBIGUOUS) stats.sessionShasAmbiguous++;
      }
      if (ci < 0) continue;
      stats.sessionShasMatched++;
      tables.linkCommit(si, ci, j);
    }
    for (let j = 0; j < s.prUrls.length; j++) {
      const m = PR_URL.exec(s.prUrls[j]!);
      if (!m) continue;
      const n = Number(m[3]);
      let p = prByKey.get(`${m[1]!.toLowerCase()}/${m[2]!.toLowerCase()}#${n}`);
      if (p === undefined) {
        const named = prByName.get(`${m[2]!.toLowerCase()}#${n}`) ?? [];
        const inSessionRepo = named.filter((q) => candidates.includes(pullRequests[q]!.repo));
        if (inSessionRepo.length === 1) p = inSessionRepo[0];
        else if (named.length === 1) p = named[0];
      }
      if (p !== undefined) tables.linkPr(si, p, j);
    }
    if (candidates.length === 0) continue;
    let ids = candidateIds.get(candidates);
    if (!ids) {
      ids = candidates.map(repoId);
      candidateIds.set(candidates, ids);
    }
    const person = personId(s.personId);
    for (const r of ids) {
      const key = person * repoSlots + r;
      let b = bucketOfKey.get(key);
      if (b === undefined) {
        b = bucketOfKey.size;
        bucketOfKey.set(key, b);
      }
      entryBucket.push(b);
      entrySession.push(si);
    }
  }

  // Sessions per (person, repository), sorted by start: a stable counting sort by bucket keeps
  // the input order, which is usually already by start; only buckets that are not get sorted.
  const nBuckets = bucketOfKey.size;
  const bucketStart = new Int32Array(nBuckets + 1);
  for (let e = 0; e < entryBucket.length; e++) bucketStart[entryBucket.data[e]! + 1]!++;
  for (let b = 0; b < nBuckets; b++) bucketStart[b + 1]! += bucketStart[b]!;
  const bucketSessions = new Int32Array(entryBucket.length);
  {
    const fill = bucketStart.slice(0, nBuckets);
    for (let e = 0; e < entryBucket.length; e++)
      bucketSessions[fill[entryBucket.data[e]!]!++] = entrySession.data[e]!;
  }
  const maxSpan = new Float64Array(nBuckets);
  for (let b = 0; b < nBuckets; b++) {
    const from = bucketStart[b]!;
    const to = bucketStart[b + 1]!;
    let sorted = true;
    let span = 0;
    for (let i = from; i < to; i++) {
      const si = bucketSessions[i]!;
      if (i > from && first[si]! < first[bucketSessions[i - 1]!]!) sorted = false;
      if (last[si]! - first[si]! > span) span = last[si]! - first[si]!;
    }
    maxSpan[b] = span;
    if (!sorted) {
      const part = Array.from(bucketSessions.subarray(from, to)).sort((x, y) => first[x]! - first[y]!);
      bucketSessions.set(part, from);
    }
  }

  /** Sessions in bucket `b` active at some point of [from, to], on a compatible branch, latest start first. */
  const active = new IntList();
  const activeIn = (b: number, from: number, to: number, branch: string | null): void => {
    active.length = 0;
    const start = bucketStart[b]!;
    let lo = start;
    let hi = bucketStart[b + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (first[bucketSessions[mid]!]! <= to) lo = mid + 1;
      else hi = mid;
    }
    const earliestStart = from - maxSpan[b]!;
    for (let i = lo - 1; i >= start; i--) {
      const si = bucketSessions[i]!;
      if (first[si]! < earliestStart) break;
      if (last[si]! < from) continue;
      const sb = sessions[si]!.gitBranch;
      if (branch !== null && sb !== null && sb !== branch) continue;
      active.push(si);
    }
  };
  const bucketOf = (person: string | null, repo: number): number | undefined => {
    if (person === null) return undefined;
    const p = personIds.get(person);
    return p === undefined ? undefined : bucketOfKey.get(p * repoSlots + repo);
  };

  // Window evidence for commits: merges are made by whoever merged, not by a session, so skipped.
  for (let ci = 0; ci < commits.length; ci++) {
    const c = commits[ci]!;
    if (c.parents.length > 1) continue;
    const b = bucketOf(commitPersons[ci]!, commitRepo[ci]!);
    if (b === undefined) continue;
    const p = prOfCommit[ci]!;
    // Git keeps whole seconds: the commit happened somewhere in [authorTs, authorTs + 1 s), and the
    // session that made it may have its first call inside that second (the real capture does).
    activeIn(
      b,
      c.authorTs - windowMs,
      c.authorTs + GIT_TIME_RESOLUTION_MS - 1,
      p >= 0 ? pullRequests[p]!.headRef : null,
    );
    for (let k = 0; k < active.length; k++) tables.linkCommit(active.data[k]!, ci, -1);
  }

  // Changes: a PR per PR; a commit per non-merge commit of a repository without PR data.
  const changes: LinkedChange[] = [];
  const changeOfCommit = new Int32Array(commits.length).fill(-1);
  const addChange = (change: LinkedChange) => {
    const n = tables.evidence(
      change.kind === 'pull_request' ? change.index : -1,
      change.pr,
      change.commitIndexes,
      stats.evidence,
      null,
    );
    change.aiAssisted = n > 0;
    if (n > 0) stats.aiAssistedChanges++;
    changes.push(change);
    for (let k = 0; k < change.commitIndexes.length; k++)
      changeOfCommit[change.commitIndexes[k]!] = change.index;
  };

  for (let p = 0; p < pullRequests.length; p++) {
    const pr = pullRequests[p]!;
    // Plain arrays: a typed-array view per change weighs more than the few numbers it holds.
    const indexes: number[] = [];
    const prc: CommitRecord[] = [];
    for (let k = commitStart[p]!; k < commitStart[p + 1]!; k++) {
      indexes.push(commitList[k]!);
      prc.push(commits[commitList[k]!]!);
    }
    const personId = people.prAuthor(pr, prc);
    // PR-only data (no commits read): the PR's own branch and lifetime stand in for a commit.
    if (prc.length === 0 && personId !== null) {
      const b = bucketOf(personId, repoIds.get(pr.repo)!);
      if (b !== undefined) {
        activeIn(b, pr.createdAt - windowMs, pr.mergedAt ?? pr.closedAt ?? pr.createdAt, pr.headRef || null);
        for (let k = 0; k < active.length; k++) tables.linkPr(active.data[k]!, p, -1);
      }
    }
    // PR changes come first, so a PR's change index is its position.
    addChange(
      new LinkedChange(tables, p, p, pr.id, 'pull_request', pr.repo, pr, null, prc, indexes, personId),
    );
  }
  for (let ci = 0; ci < commits.length; ci++) {
    const c = commits[ci]!;
    if (prRepos.has(c.repo) || c.parents.length > 1) continue;
    addChange(
      new LinkedChange(
        tables,
        -1,
        changes.length,
        c.id,
        'commit',
        c.repo,
        null,
        c,
        [c],
        [ci],
        commitPersons[ci]!,
      ),
    );
  }

  // Per session: its commits in the order linked; its changes, those of its commits first, then
  // those of its PRs, each once.
  const sessionCommitStart = new Int32Array(nSessions + 1);
  const sessionChangeStart = new Int32Array(nSessions + 1);
  const sessionCommits = new IntList();
  const sessionChanges = new IntList();
  const changeSeen = new Int32Array(changes.length);
  for (let si = 0; si < nSessions; si++) {
    const stamp = si + 1;
    const addChangeOf = (ch: number) => {
      if (ch < 0 || changeSeen[ch] === stamp) return;
      changeSeen[ch] = stamp;
      sessionChanges.push(ch);
    };
    for (let l = tables.sessionCHead[si]!; l >= 0; l = tables.cNextOfSession.data[l]!) {
      const ci = tables.cCommit.data[l]!;
      sessionCommits.push(ci);
      addChangeOf(changeOfCommit[ci]!);
    }
    for (let l = tables.sessionPHead[si]!; l >= 0; l = tables.pNextOfSession.data[l]!)
      addChangeOf(tables.pPr.data[l]!);
    if (tables.sessionCHead[si]! >= 0 || tables.sessionPHead[si]! >= 0) stats.sessionsLinked++;
    sessionCommitStart[si + 1] = sessionCommits.length;
    sessionChangeStart[si + 1] = sessionChanges.length;
  }
  const sessionCommitList = sessionCommits.data.slice(0, sessionCommits.length);
  const sessionChangeList = sessionChanges.data.slice(0, sessionChanges.length);
  stats.changes = changes.length;

  return {
    commits,
    pullRequests,
    shas,
    repoOf,
    people,
    prRepos,
    prOfCommit,
    commitPersons,
    changes,
    changeOfCommit,
    sessionChangeStart,
    sessionChangeList,
    sessionCommitStart,
    sessionCommitList,
    changesOfSession: listOf(sessionChangeStart, sessionChangeList, changes),
    commitsOfSession: listOf(sessionCommitStart, sessionCommitList, commits),
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
    aiAssisted: ch.aiAssisted,
    evidence: ch.evidence,
    sessionIds: ch.sessionIds,
  }));
  const out: SessionLinks[] = [];
  // `sessions` are the ones the index was built from: a session's position is its number there.
  sessions.forEach((s, i) => {
    const commits = index.commitsOfSession(i);
    const chs = index.changesOfSession(i);
    if (commits.length === 0 && chs.length === 0) return;
    out.push({
      sessionId: s.sessionId,
      personId: s.personId,
      repos: [...index.repoOf(s.cwd)],
      changeIds: chs.map((c) => c.id),
      commitIds: commits.map((c) => c.id),
    });
  });
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
