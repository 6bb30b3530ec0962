import { describe, expect, it } from 'vitest';
import { createPeopleDirectory } from './directory.js';
import { localDirectoryFor } from './local.js';
import type { Person } from './types.js';
import { type SeenIdentity, unresolvedIdentities } from './unresolved.js';

const alice: Person = {
  id: 'alice@acme.example',
  name: 'Alice',
  email: 'alice@acme.example',
  aliases: [
    { kind: 'github', value: 'alice-ng' },
    { kind: 'os_user', value: 'alice' },
  ],
  memberships: [],
  costCentre: null,
  boardOptIn: false,
};
const dir = createPeopleDirectory([alice], []);

function seen(
  kind: SeenIdentity['kind'],
  value: string,
  costUsd: number,
  work: Partial<SeenIdentity> = {},
): SeenIdentity {
  return { kind, value, costUsd, calls: 1, commits: 0, pullRequests: 0, ...work };
}

describe('unresolvedIdentities', () => {
  it('keeps only identities nobody owns, merged per kind and value, most spend first', () => {
    const report = unresolvedIdentities(dir, [
      seen('email', 'alice@acme.example', 50),
      seen('git_email', '9+alice-ng@users.noreply.github.com', 5, { commits: 3 }),
      seen('email', 'Bob@acme.example', 2),
      seen('email', 'bob@acme.example ', 3, { calls: 4 }),
      seen('github', 'carol', 1, { pullRequests: 2 }),
      seen('os_user', 'carol', 7),
      seen('unknown', 'apikey_01X', 0.5),
      seen('unknown', 'ALICE-NG', 9),
      seen('github', 'alice', 4),
    ]);
    expect(report.identities).toEqual([
      { kind: 'os_user', value: 'carol', costUsd: 7, calls: 1, commits: 0, pullRequests: 0 },
      { kind: 'email', value: 'Bob@acme.example', costUsd: 5, calls: 5, commits: 0, pullRequests: 0 },
      // An OS user name is not a GitHub login: 'alice' resolves only as os_user.
      { kind: 'github', value: 'alice', costUsd: 4, calls: 1, commits: 0, pullRequests: 0 },
      { kind: 'github', value: 'carol', costUsd: 1, calls: 1, commits: 0, pullRequests: 2 },
      { kind: 'unknown', value: 'apikey_01X', costUsd: 0.5, calls: 1, commits: 0, pullRequests: 0 },
    ]);
    expect(report.unresolved).toEqual({
      identities: 5,
      costUsd: 17.5,
      calls: 9,
      commits: 0,
      pullRequests: 2,
    });
    expect(report.seen).toEqual({ identities: 8, costUsd: 81.5, calls: 12, commits: 3, pullRequests: 2 });
  });

  it('orders equal spend by work, then calls, then name', () => {
    const report = unresolvedIdentities(dir, [
      seen('github', 'a', 1, { calls: 9 }),
      seen('github', 'b', 1, { commits: 1 }),
      seen('github', 'c', 1, { pullRequests: 2 }),
      seen('github', 'd', 1, { calls: 9 }),
      seen('email', 'e@x.example', 1, { calls: 9 }),
    ]);
    expect(report.identities.map((i) => i.value)).toEqual(['c', 'b', 'e@x.example', 'a', 'd']);
  });

  it('counts unpriced calls without letting them poison the sums', () => {
    const report = unresolvedIdentities(dir, [
      seen('github', 'x', Number.NaN, { calls: 2 }),
      seen('github', 'x', 1),
    ]);
    expect(report.identities).toEqual([
      { kind: 'github', value: 'x', costUsd: 1, calls: 3, commits: 0, pullRequests: 0 },
    ]);
  });

  it('finds nothing unresolved in a local directory, and nothing in nothing', () => {
    const local = localDirectoryFor({ personId: 'me@x.example', raw: { os_user: 'me', host: 'h' } });
    expect(unresolvedIdentities(local, [seen('github', 'whoever', 3)]).identities).toEqual([]);
    expect(unresolvedIdentities(dir, [])).toEqual({
      identities: [],
      unresolved: { identities: 0, costUsd: 0, calls: 0, commits: 0, pullRequests: 0 },
      seen: { identities: 0, costUsd: 0, calls: 0, commits: 0, pullRequests: 0 },
    });
  });

  it('accepts any iterable, read once', () => {
    function* gen() {
      yield seen('github', 'g', 2);
      yield seen('github', 'G', 3);
    }
    expect(unresolvedIdentities(dir, gen()).identities).toEqual([
      { kind: 'github', value: 'g', costUsd: 5, calls: 2, commits: 0, pullRequests: 0 },
    ]);
  });
});
