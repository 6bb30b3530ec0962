/**
 * Finds commits by full or abbreviated SHA. Sessions, deployments, incidents and revert messages
 * name commits by SHA, often abbreviated (`git commit` prints 7 characters), so every join goes
 * through a prefix index keyed by the first 7 characters: one Map lookup plus a tiny bucket scan.
 * @module
 */
import type { CommitRecord } from '../../ledger/work.js';

/** Shorter prefixes are ambiguous in any repository of real size, so they never match. */
export const MIN_SHA_LENGTH = 7;

const HEX = /^[0-9a-f]+$/;

/** Lower-cases and checks a SHA; undefined when it is too short or not hexadecimal. */
export function normaliseSha(sha: string): string | undefined {
  const s = sha.trim().toLowerCase();
  return s.length >= MIN_SHA_LENGTH && HEX.test(s) ? s : undefined;
}

function matches(commitSha: string, query: string): boolean {
  // Either side may be the abbreviated one (a deployment record can hold the full SHA of a commit
  // that a shallow source stored abbreviated).
  return commitSha.length >= query.length ? commitSha.startsWith(query) : query.startsWith(commitSha);
}

export type ShaLookup =
  | { kind: 'found'; commit: CommitRecord }
  | { kind: 'ambiguous'; candidates: CommitRecord[] }
  | { kind: 'missing' };

export class ShaIndex {
  // A bucket is a single commit in the common case; arrays only where 7-char prefixes collide.
  private readonly buckets = new Map<string, CommitRecord | CommitRecord[]>();
  // Only commits whose stored SHA is not already lower-case need a normalised copy (rare).
  private readonly shas = new Map<CommitRecord, string>();

  private shaOf(c: CommitRecord): string {
    return this.shas.get(c) ?? c.sha;
  }

  add(commit: CommitRecord): void {
    const sha = normaliseSha(commit.sha);
    if (!sha) return;
    if (sha !== commit.sha) this.shas.set(commit, sha);
    const key = sha.slice(0, MIN_SHA_LENGTH);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, commit);
    else if (Array.isArray(bucket)) bucket.push(commit);
    else this.buckets.set(key, [bucket, commit]);
  }

  /** Every commit the SHA (prefix) matches, optionally only in the given repositories. */
  find(sha: string, repos?: ReadonlySet<string> | readonly string[]): CommitRecord[] {
    const query = normaliseSha(sha);
    if (!query) return [];
    const bucket = this.buckets.get(query.slice(0, MIN_SHA_LENGTH));
    if (bucket === undefined) return [];
    const list = Array.isArray(bucket) ? bucket : [bucket];
    const out: CommitRecord[] = [];
    for (const c of list) {
      if (!matches(this.shaOf(c), query)) continue;
      if (repos !== undefined && !inRepos(repos, c.repo)) continue;
      out.push(c);
    }
    return out;
  }

  /**
   * The one commit a SHA names. With several candidates, those in `preferRepos` win; a SHA that
   * still names more than one commit is reported as ambiguous rather than guessed.
   */
  resolve(sha: string, preferRepos?: ReadonlySet<string> | readonly string[]): ShaLookup {
    const all = this.find(sha);
    if (all.length === 0) return { kind: 'missing' };
    if (all.length === 1) return { kind: 'found', commit: all[0]! };
    if (preferRepos !== undefined) {
      const preferred = all.filter((c) => inRepos(preferRepos, c.repo));
      if (preferred.length === 1) return { kind: 'found', commit: preferred[0]! };
      if (preferred.length > 1) return { kind: 'ambiguous', candidates: preferred };
    }
    return { kind: 'ambiguous', candidates: all };
  }

  /** The commit with exactly this SHA in `repo` (parent pointers are full SHAs). */
  exact(repo: string, sha: string): CommitRecord | undefined {
    for (const c of this.find(sha)) if (c.repo === repo) return c;
    return undefined;
  }
}

function inRepos(repos: ReadonlySet<string> | readonly string[], repo: string): boolean {
  return repos instanceof Set ? repos.has(repo) : (repos as readonly string[]).includes(repo);
}
