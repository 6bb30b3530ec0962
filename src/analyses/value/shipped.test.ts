import { describe, expect, it } from 'vitest';
import { commit, DAY, directory, incident, pr, squashed, T0 } from './fixtures.js';
import { buildValueModel } from './model.js';
import { shippedChanges } from './shipped.js';

const people = directory([{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }, { id: 'dave' }]);

function fixture() {
  const p1 = squashed(1, { author: 'alice', at: T0 });
  const p2 = squashed(2, { author: 'alice', at: T0 + DAY, lines: 3 }); // trivial: 3 < 5 lines
  const p3 = squashed(3, { author: 'bob', at: T0 + 2 * DAY, mergedBy: 'bob', approvers: [] }); // self-merged
  const p4 = squashed(4, { author: 'bob', at: T0 + 3 * DAY });
  // PR 5 reverts PR 4's squash commit three days after PR 4 merged: PR 4 is not durable, PR 5 is a revert.
  const r4 = commit({
    label: 'r4',
    author: 'carol',
    prNumber: 5,
    revertsSha: p4.commit.sha,
    authorTs: T0 + 6 * DAY,
  });
  const p5 = pr({ number: 5, author: 'carol', createdAt: T0 + 6 * DAY - 3_600_000, mergeCommitSha: r4.sha });
  const p6 = squashed(6, { author: 'carol', at: T0 + 7 * DAY });
  // Reverted 20 days after merging: outside the 14-day horizon, so PR 6 stays durable.
  const r6 = commit({ label: 'r6', author: 'carol', revertsSha: p6.commit.sha, authorTs: T0 + 27 * DAY });
  const p7 = pr({ number: 7, author: 'dave', state: 'open', createdAt: T0 + 2 * DAY });
  const p8 = pr({ number: 8, author: 'dave', baseRef: 'release', createdAt: T0 + 2 * DAY });
  const p9 = squashed(9, { author: 'dave', at: T0 + 8 * DAY });
  const inc = incident({ id: 'i1', rootCauseShas: [p9.commit.sha.slice(0, 10)] });
  return buildValueModel(
    {
      commits: [p1, p2, p3, p4, p6, p9].map((x) => x.commit).concat([r4, r6]),
      pullRequests: [p1, p2, p3, p4, p6, p9].map((x) => x.pr).concat([p5, p7, p8]),
      deployments: [],
      incidents: [inc],
      sessions: [],
    },
    people,
  );
}

describe('shippedChanges', () => {
  const model = fixture();

  it('counts merged PRs into the default branch, durable ones and the survival rate', () => {
    const m = shippedChanges(model);
    expect(m.basis).toBe('merged_prs');
    // Shipped: PRs 1, 2, 3, 4, 5, 6, 9 = 7 (7 is open, 8 went into `release`).
    expect(m.shipped).toBe(7);
    // Not durable: PR 4 (reverted after 3 days), PR 9 (incident root cause) → 7 − 2 = 5.
    expect(m.durable).toBe(5);
    expect(m.notDurable).toEqual({ reverted: 1, rolledBack: 0, incident: 1 });
    // 5 / 7
    expect(m.survivalRate).toBeCloseTo(5 / 7, 12);
  });

  it('flags trivial, self-merged and revert changes, which do not qualify', () => {
    const m = shippedChanges(model);
    expect(m.trivial).toBe(1);
    expect(m.selfMerged).toBe(1);
    expect(m.reverts).toBe(1);
    // Durable {1, 2, 3, 5, 6} − trivial 2 − self-merged 3 − revert 5 = {1, 6}.
    expect(m.qualifying).toBe(2);
  });

  it('narrows to a person and a window', () => {
    // Alice: PRs 1 and 2, both durable; only PR 1 qualifies.
    expect(shippedChanges(model, { scope: { kind: 'person', personId: 'alice' } })).toMatchObject({
      shipped: 2,
      durable: 2,
      qualifying: 1,
      trivial: 1,
    });
    // [T0, T0 + 7 d): merges of PRs 1–5 (PR 5 merged at T0 + 6 d); PR 6 merges at T0 + 7 d + 1 h.
    expect(shippedChanges(model, { window: { from: T0, until: T0 + 7 * DAY } }).shipped).toBe(5);
  });

  it('marks durable changes younger than the horizon as provisional', () => {
    // asOf T0 + 10 d: every durable change merged after T0 − 4 d is still inside its 14 days.
    const young = buildValueModel(
      { commits: [], pullRequests: [pr({ number: 1 })], deployments: [], incidents: [], sessions: [] },
      people,
      { asOf: T0 + 10 * DAY },
    );
    expect(shippedChanges(young)).toMatchObject({ shipped: 1, durable: 1, provisional: 1 });
    expect(shippedChanges(model).provisional).toBe(0);
  });

  it('uses default-branch commits when there is no PR data, and excludes merges', () => {
    const a = commit({ repo: 'acme/tools', label: 'a', author: 'alice' });
    const b = commit({
      repo: 'acme/tools',
      label: 'b',
      author: 'alice',
      parents: [a.sha],
      onDefaultBranch: false,
    });
    const merge = commit({ repo: 'acme/tools', label: 'm', author: 'alice', parents: [a.sha, b.sha] });
    const m = shippedChanges(
      buildValueModel(
        { commits: [a, b, merge], pullRequests: [], deployments: [], incidents: [], sessions: [] },
        people,
      ),
    );
    // Changes: a and b (the merge is not one); shipped: a only (b never reached the default branch).
    expect(m.basis).toBe('default_branch_commits');
    expect(m.shipped).toBe(1);
  });
});
