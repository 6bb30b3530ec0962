/**
 * Which commits belong to which pull request. Git history and PR exports are read separately, so
 * the join is rebuilt here from what both sides record: the PR's merge commit, the `(#12)` /
 * "Merge pull request #12" number in a commit message, and the PR's head commit. From the head,
 * the branch's own commits are found by walking first parents until the walk reaches history that
 * belongs elsewhere (another PR's commit, the default branch, or the lookback limit).
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

export interface PrCommitLinks {
  /** PR id → its commits (merge commit, numbered commits, head and branch commits). */
  prCommits: Map<string, CommitRecord[]>;
  /** Commit id → the PR it belongs to. A commit belongs to at most one PR: the first claim wins. */
  commitPr: Map<string, PullRequestRecord>;
}

export function linkPullRequestsToCommits(
  pullRequests: readonly PullRequestRecord[],
  commits: readonly CommitRecord[],
  shas: ShaIndex,
  options: PrCommitOptions = DEFAULT_PR_COMMIT_OPTIONS,
): PrCommitLinks {
  const prCommits = new Map<string, CommitRecord[]>();
  const commitPr = new Map<string, PullRequestRecord>();
  const claim = (pr: PullRequestRecord, c: CommitRecord): boolean => {
    if (commitPr.has(c.id)) return false;
    commitPr.set(c.id, pr);
    let list = prCommits.get(pr.id);
    if (!list) {
      list = [];
      prCommits.set(pr.id, list);
    }
    list.push(c);
    return true;
  };

  const prByNumber = new Map<string, PullRequestRecord>();
  for (const pr of pullRequests) prByNumber.set(`${pr.repo}#${pr.number}`, pr);

  // Strongest first: a commit message naming the PR, then the merge commit GitHub reports, then the head.
  for (const c of commits) {
    if (c.prNumber === null) continue;
    const pr = prByNumber.get(`${c.repo}#${c.prNumber}`);
    if (pr) claim(pr, c);
  }
  const one = (repo: string, sha: string | null): CommitRecord | undefined => {
    if (!sha) return undefined;
    const hit = shas.resolve(sha, [repo]);
    return hit.kind === 'found' && hit.commit.repo === repo ? hit.commit : undefined;
  };
  for (const pr of pullRequests) {
    const merge = one(pr.repo, pr.mergeCommitSha);
    if (merge) claim(pr, merge);
  }
  const heads: Array<[PullRequestRecord, CommitRecord]> = [];
  for (const pr of pullRequests) {
    const head = one(pr.repo, pr.headSha);
    if (!head) continue;
    // A head another PR already owns (a re-opened branch) is not this PR's to walk from.
    if (claim(pr, head) || commitPr.get(head.id) === pr) heads.push([pr, head]);
  }

  // Older PRs walk first so a later PR stacked on an earlier branch does not swallow its commits.
  heads.sort((a, b) => a[0].createdAt - b[0].createdAt);
  for (const [pr, head] of heads) {
    const stopAtDefault = !head.onDefaultBranch;
    const oldest = pr.createdAt - options.branchLookbackMs;
    let current = head;
    for (let n = 1; n < options.maxBranchCommits; n++) {
      const parentSha = current.parents[0];
      if (!parentSha) break;
      const parent = shas.exact(pr.repo, parentSha);
      if (!parent) break;
      if (commitPr.has(parent.id)) break;
      if (parent.prNumber !== null && parent.prNumber !== pr.number) break;
      // A squash- or rebase-merged branch is off the default branch, so reaching it means the
      // branch point; in a merge-commit workflow the branch is on it and the other stops apply.
      if (stopAtDefault && parent.onDefaultBranch) break;
      if (parent.authorTs < oldest) break;
      claim(pr, parent);
      current = parent;
    }
  }
  return { prCommits, commitPr };
}
