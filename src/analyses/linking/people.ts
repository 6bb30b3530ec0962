/**
 * Resolves the raw identities on outcome records (git e-mails, GitHub logins) to people, once per
 * distinct identity: a year of an org's history repeats a few thousand identities millions of
 * times, and a directory lookup may be far slower than a Map hit.
 * @module
 */

import type { AliasKind, PeopleDirectory } from '../../ledger/people/types.js';
import type { CommitRecord, PullRequestRecord } from '../../ledger/work.js';

/** GitHub marks app accounts with `[bot]`; their commits use `<id>+<name>[bot]@users.noreply.github.com`. */
export function isBotIdentity(value: string): boolean {
  return value.toLowerCase().includes('[bot]');
}

export interface PersonResolver {
  /** Person id for a git author e-mail, or null when nobody in the directory has it. */
  byEmail(email: string): string | null;
  /** Person id for a GitHub login, or null. */
  byLogin(login: string): string | null;
  /** The commit's author. */
  commitAuthor(commit: CommitRecord): string | null;
  /**
   * The person a PR is credited to: its author; for an agent/bot author (which acts for someone),
   * the first human author among its commits, else whoever merged it.
   */
  prAuthor(pr: PullRequestRecord, commits: readonly CommitRecord[]): string | null;
}

export function createPersonResolver(directory: PeopleDirectory): PersonResolver {
  const emails = new Map<string, string | null>();
  const logins = new Map<string, string | null>();
  const lookup = (cache: Map<string, string | null>, raw: string, kinds: AliasKind[]): string | null => {
    // The raw string first: the same few thousand identities repeat millions of times, and
    // trimming and lower-casing each would allocate a string per record.
    const rawHit = cache.get(raw);
    if (rawHit !== undefined) return rawHit;
    const key = raw.trim().toLowerCase();
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.set(raw, hit);
      return hit;
    }
    let id: string | null = null;
    if (key) {
      for (const kind of kinds) {
        const p = directory.resolve(key, kind);
        if (p) {
          id = p.id;
          break;
        }
      }
      // A directory may list the identity under an alias kind we did not think of.
      if (id === null) id = directory.resolve(key)?.id ?? null;
    }
    cache.set(key, id);
    cache.set(raw, id);
    return id;
  };
  const emailKinds: AliasKind[] = ['git_email', 'email'];
  const loginKinds: AliasKind[] = ['github'];
  const byEmail = (email: string) => lookup(emails, email, emailKinds);
  const byLogin = (login: string) => lookup(logins, login, loginKinds);
  return {
    byEmail,
    byLogin,
    commitAuthor: (c) => byEmail(c.authorEmail),
    prAuthor(pr, commits) {
      const author = byLogin(pr.author);
      if (author !== null) return author;
      const bot = pr.authorType === 'Bot' || isBotIdentity(pr.author);
      if (!bot) return null;
      for (const c of commits) {
        if (isBotIdentity(c.authorEmail) || isBotIdentity(c.authorName)) continue;
        const id = byEmail(c.authorEmail);
        if (id !== null) return id;
      }
      return pr.mergedBy ? byLogin(pr.mergedBy) : null;
    },
  };
}
