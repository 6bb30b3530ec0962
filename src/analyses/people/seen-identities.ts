/**
 * Every identity the ledger's records carry, with the spend and work behind it, in the shape
 * `unresolvedIdentities` takes: usage by its strongest raw identifier (a raw identity that resolves
 * through any of its keys is attributed, so it is listed under the key that matched), commits by
 * author e-mail, pull requests by author login.
 * @module
 */
import { personForRawIdentity, RAW_IDENTITY_KEYS } from '../../ledger/people/resolve-raw.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SeenIdentity } from '../../ledger/people/unresolved.js';
import type { IdentityStat } from '../../ledger/store/store.js';
import type { WorkBatch } from '../../ledger/work.js';

export function seenIdentities(
  directory: PeopleDirectory,
  usage: readonly IdentityStat[],
  work: Pick<WorkBatch, 'commits' | 'pullRequests'>,
): SeenIdentity[] {
  const seen: SeenIdentity[] = [];
  for (const u of usage) {
    const match = personForRawIdentity(directory, u.rawIdentity);
    const strongest = RAW_IDENTITY_KEYS.find((k) => u.rawIdentity[k.key]);
    const kind = match?.kind ?? strongest?.kinds[0] ?? 'unknown';
    const value = match?.value ?? (strongest ? u.rawIdentity[strongest.key]! : u.personId);
    seen.push({ kind, value, costUsd: u.costUsd, calls: u.calls, commits: 0, pullRequests: 0 });
  }
  for (const c of work.commits) {
    seen.push({ kind: 'git_email', value: c.authorEmail, costUsd: 0, calls: 0, commits: 1, pullRequests: 0 });
  }
  for (const pr of work.pullRequests) {
    seen.push({ kind: 'github', value: pr.author, costUsd: 0, calls: 0, commits: 0, pullRequests: 1 });
  }
  return seen;
}
