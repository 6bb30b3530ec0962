/**
 * Which commits belong to which pull request. Git history and PR exports are read separately, so
 * the join is rebuilt here from what both sides record: the PR's merge commit, the `(#12)` /
 * "Merge pull request #12" number in a commit message, and the PR's head commit. From the head,
 * the branch's own commits are found by walking first parents until the walk reaches history that
 * belongs elsewhere (another PR's commit, the default branch, or the lookback limit).
 *
 * Commits and PRs are numbered by their position in the given arrays; the join is kept in typed
 * arrays because an org's year holds millions of commits.
 * @module
 */
import type { CommitRecord, PullRequestRecord } from '../../ledger/work.js';
import type { ShaIndex } from './sha-index.js';

export interface PrCommitOptions {
  /** Branch commits authored this long before the PR opened are not walked into. Default 30 days. */
  branchLookbackMs: number;
  /** GitHub lists at most 250 commits per PR; the walk stops there too. */
  maxBranchCommits: number;
}

export const DEFAULT_PR_COMMIT_OPTIONS: PrCommitOptions = {
  branchLookbackMs: 30 * 86_400_000,
  maxBranchCommits: 250,
};

export interface PrCommitIndex {
  /** Commit → the PR it belongs to, or -1. A commit belongs to at most one PR: the first claim wins. */
  prOfCommit: Int32Array;
  /** PR p's commits are `commitList[commitStart[p] … commitStart[p + 1])`, in the order claimed. */
  commitStart: Int32Array;
  commitList: Int32Array;
}

export interface PrCommitLinks {
  /** PR id → its commits (merge commit, numbered commits, head and branch commits). */
  prCommits: Map<string, CommitRecord[]>;
  /** Commit id → the PR it belongs to. A commit belongs to at most one PR: the first claim wins. */
  commitPr: Map<string, PullRequestRecord>;
}

/**
 * The join by position. `shas` must number each commit by its position in `commits`
 * (`ShaIndex.add(commit, index)`).
 */
export function indexPullRequestCommits(
  pullRequests: readonly PullRequestRecord[],
  commits: readonly CommitRecord[],
  shas: ShaIndex,
  options: PrCommitOptions = DEFAULT_PR_COMMIT_OPTIONS,
): PrCommitIndex {
  const prOfCommit = new Int32Array(commits.length).fill(-1);
  const claimCount = new Int32Array(pullRequests.length + 1);
  // Claims in order; a commit is claimed at most once, so there are at most `commits.length`.
  const claimed = new Int32Array(commits.length);
  let claims = 0;
  const claim = (p: number, c: number): boolean => {
    if (prOfCommit[c] !== -1) return false;
    prOfCommit[c] = p;
    claimed[claims++] = c;
    claimCount[p]!++;
    return true;
  };

  const byRepo = new Map<string, Map<number, number>>();
  pullRequests.forEach((pr, p) => {
    let numbers = byRepo.get(pr.repo);
    if (!numbers) {
      numbers = new Map();
      byRepo.set(pr.repo, numbers);
    }
    numbers.set(pr.number, p);
  });
  // Strongest first: a commit message naming the PR, then the merge commit GitHub reports, then the head.
  for (let c = 0; c < commits.length; c++) {
    const commit = commits[c]!;
    if (commit.prNumber === null) continue;
    const p = byRepo.get(commit.repo)?.get(commit.prNumber);
    if (p !== undefined) claim(p, c);
  }
  const one = (repo: string, sha: string | null): number => {
    if (!sha) return -1;
    const hit = shas.resolveIndex(sha, repo);
    return hit >= 0 && commits[hit]!.repo === repo ? hit : -1;
  };
  pullRequests.forEach((pr, p) => {
    const merge = one(pr.repo, pr.mergeCommitSha);
    if (merge >= 0) claim(p, merge);
  });
  const heads: Array<[number, number]> = [];
  pullRequests.forEach((pr, p) => {
    const head = one(pr.repo, pr.headSha);
    if (head < 0) return;
    // A head another PR already owns (a re-opened branch) is not this PR's to walk from.
    if (claim(p, head) || prOfCommit[head] === p) heads.push([p, head]);
  });
  // Older PRs walk first so a later PR stacked on an earlier branch does not swallow its commits.
  heads.sort((a, b) => pullRequests[a[0]]!.createdAt - pullRequests[b[0]]!.createdAt);
  for (const [p, head] of heads) {
    const pr = pullRequests[p]!;
    const stopAtDefault = !commits[head]!.onDefaultBranch;
    const oldest = pr.createdAt - options.branchLookbackMs;
    let current = commits[head]!;
    for (let n = 1; n < options.maxBranchCommits; n++) {
      const parentSha = current.parents[0];
      if (!parentSha) break;
      const pi = shas.exactIndex(pr.repo, parentSha);
      if (pi < 0) break;
      if (prOfCommit[pi] !== -1) break;
      const parent = commits[pi]!;
      if (parent.prNumber !== null && parent.prNumber !== pr.number) break;
      // A squash- or rebase-merged branch is off the default branch, so reaching it means the
      // branch point; in a merge-commit workflow the branch is on it and the other stops apply.
      if (stopAtDefault && parent.onDefaultBranch) break;
      if (parent.authorTs < oldest) break;
      claim(p, pi);
      current = parent;
    }
  }

  // Counting sort of the claims by PR, stable, so each PR keeps its claim order.
  const commitStart = new Int32Array(pullRequests.length + 1);
  for (let p = 0; p < pullRequests.length; p++) commitStart[p + 1] = commitStart[p]! + claimCount[p]!;
  const fill = commitStart.slice(0, pullRequests.length);
  const commitList = new Int32Array(claims);
  for (let k = 0; k < claims; k++) {
    const c = claimed[k]!;
    commitList[fill[prOfCommit[c]!]!++] = c;
  }
  return { prOfCommit, commitStart, commitList };
}

/** The same join keyed by record id. */
export function linkPullRequestsToCommits(
  pullRequests: readonly PullRequestRecord[],
  commits: readonly CommitRecord[],
  shas: ShaIndex,
  options: PrCommitOptions = DEFAULT_PR_COMMIT_OPTIONS,
): PrCommitLinks {
  const { prOfCommit, commitStart, commitList } = indexPullRequestCommits(
    pullRequests,
    commits,
    shas,
    options,
  );
  const prCommits = new Map<string, CommitRecord[]>();
  const commitPr = new Map<string, PullRequestRecord>();
  pullRequests.forEach((pr, p) => {
    const list: CommitRecord[] = [];
    for (let k = commitStart[p]!; k < commitStart[p + 1]!; k++) list.push(commits[commitList[k]!]!);
    if (list.length > 0) prCommits.set(pr.id, list);
  });
  commits.forEach((c, i) => {
    if (prOfCommit[i]! >= 0) commitPr.set(c.id, pullRequests[prOfCommit[i]!]!);
  });
  return { prCommits, commitPr };
}
