/**
 * Finds commits by full or abbreviated SHA. Sessions, deployments, incidents and revert messages
 * name commits by SHA, often abbreviated (`git commit` prints 7 characters), so every join goes
 * through a prefix index keyed by the first 7 characters read as a 28-bit integer, in a hash
 * table of typed arrays: no string is sliced or hashed per lookup, which matters at millions.
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

/** Value of one lower-case hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * The 7-character prefix of an already normalised SHA as an integer, or -1 when `s` is not
 * normalised (upper case, spaces, too short): the caller then normalises first. Checking every
 * character keeps the fast path exactly as strict as `normaliseSha`.
 */
function prefixKey(s: string): number {
  const n = s.length;
  if (n < MIN_SHA_LENGTH) return -1;
  let key = 0;
  for (let i = 0; i < n; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0) return -1;
    if (i < MIN_SHA_LENGTH) key = key * 16 + d;
  }
  return key;
}

/**
 * Whether two normalised SHAs with equal prefix keys (so equal first 7 characters) name the same
 * commit: either side may be the abbreviated one (a deployment record can hold the full SHA of a
 * commit that a shallow source stored abbreviated). Compares only the rest, and by equality when
 * the lengths agree (the common case of a full SHA; `startsWith` was most of a lookup's cost).
 */
function matchesAfterKey(commitSha: string, query: string): boolean {
  const n = Math.min(commitSha.length, query.length);
  if (commitSha.length === query.length) return commitSha === query;
  for (let i = MIN_SHA_LENGTH; i < n; i++) if (commitSha.charCodeAt(i) !== query.charCodeAt(i)) return false;
  return true;
}

export type ShaLookup =
  | { kind: 'found'; commit: CommitRecord }
  | { kind: 'ambiguous'; candidates: CommitRecord[] }
  | { kind: 'missing' };

/** `resolveIndex` and `findIndex` results that are not an index. */
export const SHA_MISSING = -1;
export const SHA_AMBIGUOUS = -2;

export class ShaIndex {
  // Entries in insertion order, in parallel arrays.
  private readonly commits: CommitRecord[] = [];
  /** Normalised SHA per entry (the record's own string when it already is). */
  private readonly shas: string[] = [];
  private keys = new Int32Array(1024);
  /** The caller's number for each entry (its position in the caller's commit list). */
  private numbers = new Int32Array(1024);
  /**
   * Open addressing over the 7-character prefix keys, linear probing: slot → entry + 1 (0 is
   * empty). Entries sharing a prefix sit in one probe run, in insertion order. A Map with a
   * million keys was most of a lookup's cost.
   */
  private table = new Int32Array(2048);
  private mask = 2047;

  get size(): number {
    return this.commits.length;
  }

  private slotOf(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
  }

  private place(entry: number): void {
    let h = this.slotOf(this.keys[entry]!);
    while (this.table[h] !== 0) h = (h + 1) & this.mask;
    this.table[h] = entry + 1;
  }

  /** Adds a commit under the caller's number for it (default: the count of commits added before). */
  add(commit: CommitRecord, index: number = this.commits.length): void {
    let sha = commit.sha;
    let key = prefixKey(sha);
    if (key < 0) {
      const norm = normaliseSha(sha);
      if (!norm) return;
      sha = norm;
      key = prefixKey(sha);
    }
    const entry = this.commits.length;
    if (entry === this.keys.length) {
      const keys = new Int32Array(entry * 2);
      keys.set(this.keys);
      this.keys = keys;
      const numbers = new Int32Array(entry * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.commits.push(commit);
    this.shas.push(sha);
    this.keys[entry] = key;
    this.numbers[entry] = index;
    // Keep the table at most half full; rebuilding in entry order keeps each run in insertion order.
    if ((entry + 1) * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2);
      this.mask = this.table.length - 1;
      for (let e = 0; e < entry; e++) this.place(e);
    }
    this.place(entry);
  }

  /** The normalised query and its prefix key, or null when the SHA cannot match anything. */
  private query(sha: string): { query: string; key: number } | null {
    const key = prefixKey(sha);
    if (key >= 0) return { query: sha, key };
    const norm = normaliseSha(sha);
    return norm ? { query: norm, key: prefixKey(norm) } : null;
  }

  /** Every commit the SHA (prefix) matches, optionally only in the given repositories. */
  find(sha: string, repos?: ReadonlySet<string> | readonly string[]): CommitRecord[] {
    const out: CommitRecord[] = [];
    const q = this.query(sha);
    if (!q) return out;
    for (let h = this.slotOf(q.key); this.table[h] !== 0; h = (h + 1) & this.mask) {
      const e = this.table[h]! - 1;
      if (this.keys[e] !== q.key || !matchesAfterKey(this.shas[e]!, q.query)) continue;
      const c = this.commits[e]!;
      if (repos === undefined || inRepos(repos, c.repo)) out.push(c);
    }
    return out;
  }

  /**
   * The caller's number of the one commit the SHA matches among `repos` (all repositories when
   * undefined), else `SHA_MISSING` or `SHA_AMBIGUOUS`.
   */
  findIndex(sha: string, repos?: readonly string[]): number {
    let key = prefixKey(sha);
    let query = sha;
    if (key < 0) {
      const norm = normaliseSha(sha);
      if (!norm) return SHA_MISSING;
      query = norm;
      key = prefixKey(norm);
    }
    let hit = SHA_MISSING;
    for (let h = this.slotOf(key); this.table[h] !== 0; h = (h + 1) & this.mask) {
      const e = this.table[h]! - 1;
      if (this.keys[e] !== key || !matchesAfterKey(this.shas[e]!, query)) continue;
      if (repos !== undefined && !repos.includes(this.commits[e]!.repo)) continue;
      if (hit !== SHA_MISSING) return SHA_AMBIGUOUS;
      hit = this.numbers[e]!;
    }
    return hit;
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

  /** `resolve` with one preferred repository (or none), as the caller's number or a miss code. */
  resolveIndex(sha: string, preferRepo: string | null): number {
    const all = this.findIndex(sha);
    if (all !== SHA_AMBIGUOUS || preferRepo === null) return all;
    const preferred = this.findIndex(sha, [preferRepo]);
    return preferred === SHA_MISSING ? SHA_AMBIGUOUS : preferred;
  }

  /** The commit with exactly this SHA in `repo` (parent pointers are full SHAs). */
  exact(repo: string, sha: string): CommitRecord | undefined {
    for (const c of this.find(sha)) if (c.repo === repo) return c;
    return undefined;
  }

  /** `exact` as the caller's number, or -1. */
  exactIndex(repo: string, sha: string): number {
    let key = prefixKey(sha);
    let query = sha;
    if (key < 0) {
      const norm = normaliseSha(sha);
      if (!norm) return -1;
      query = norm;
      key = prefixKey(norm);
    }
    for (let h = this.slotOf(key); this.table[h] !== 0; h = (h + 1) & this.mask) {
      const e = this.table[h]! - 1;
      if (this.keys[e] === key && this.commits[e]!.repo === repo && matchesAfterKey(this.shas[e]!, query))
        return this.numbers[e]!;
    }
    return -1;
  }
}

function inRepos(repos: ReadonlySet<string> | readonly string[], repo: string): boolean {
  return repos instanceof Set ? repos.has(repo) : (repos as readonly string[]).includes(repo);
}
