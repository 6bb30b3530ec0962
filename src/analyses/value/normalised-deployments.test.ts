import { describe, expect, it } from 'vitest';
import { DAY, deployment, directory, HOUR, incident, squashed, T0 } from './fixtures.js';
import { buildValueModel, type ValueInput } from './model.js';
import { normalisedDeployments } from './normalised-deployments.js';
import type { ValueOptions } from './options.js';

const people = directory([{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }]);

/**
 * Eight PRs merged in a line (each squash commit's parent is the previous one), and nine
 * production deployments exercising every outcome.
 */
function fixture(options: ValueOptions = {}) {
  const spec: Array<[string, number, number]> = [
    // author, day opened, lines
    ['alice', 0, 50], // PR 1
    ['bob', 0, 50], // PR 2
    ['alice', 2, 3], // PR 3: trivial
    ['carol', 2, 50], // PR 4
    ['bob', 4, 50], // PR 5
    ['alice', 5, 50], // PR 6: shipped by a deployment that is rolled back
    ['bob', 6, 50], // PR 7: shipped by a deployment that caused an incident
    ['alice', 8, 2], // PR 8: trivial
  ];
  const prs: Array<ReturnType<typeof squashed>> = [];
  let parent: string | undefined;
  for (const [i, [author, day, lines]] of spec.entries()) {
    const x = squashed(i + 1, { author, at: T0 + day * DAY, lines, ...(parent ? { parent } : {}) });
    parent = x.commit.sha;
    prs.push(x);
  }
  const m = (n: number) => prs[n - 1]!.commit.sha;
  const input: ValueInput = {
    commits: prs.map((x) => x.commit),
    pullRequests: prs.map((x) => x.pr),
    deployments: [
      deployment({ id: 'd1', ts: T0 + 1 * DAY, shas: [m(2)] }), // ships PRs 1 and 2 (via ancestry)
      deployment({ id: 'd2', ts: T0 + 2 * DAY, shas: [m(2)] }), // same SHAs again
      deployment({ id: 'd3', ts: T0 + 3 * DAY, shas: [m(4)] }), // PRs 3 (trivial) and 4
      deployment({ id: 'd4', ts: T0 + 4 * DAY, shas: [m(5)], status: 'failure' }),
      deployment({ id: 'd5', ts: T0 + 5 * DAY, shas: [m(5).slice(0, 7)] }), // PR 5, abbreviated SHA
      deployment({ id: 'd6', ts: T0 + 6 * DAY, shas: [m(6)] }), // PR 6, rolled back by d7
      deployment({ id: 'd7', ts: T0 + 6 * DAY + HOUR, shas: [m(5)], rollbackOf: 'deploy:d6' }),
      deployment({ id: 'd8', ts: T0 + 7 * DAY, shas: [m(7)] }), // PR 7, named by an incident
      deployment({ id: 'd9', ts: T0 + 9 * DAY, shas: [m(8)] }), // PR 8 only: trivial
      deployment({ id: 's1', ts: T0 + 9 * DAY, shas: [m(8)], production: false, environment: 'staging' }),
    ],
    incidents: [incident({ id: 'i1', deploymentId: 'deploy:d8' })],
    sessions: [],
  };
  return buildValueModel(input, people, options);
}

const nd = (model: ReturnType<typeof fixture>, personId?: string, window?: { from: number; until: number }) =>
  normalisedDeployments(model, {
    ...(personId ? { scope: { kind: 'person' as const, personId } } : {}),
    ...(window ? { window } : {}),
  });

describe('normalisedDeployments', () => {
  const model = fixture();

  it('splits each credited deployment across its qualifying new changes', () => {
    // d1: PRs 1 (alice) and 2 (bob) → ½ each. d3: PR 4 (carol) → 1 (PR 3 is trivial). d5: PR 5 (bob) → 1.
    expect(nd(model, 'alice').nd).toBeCloseTo(0.5, 12);
    expect(nd(model, 'bob').nd).toBeCloseTo(0.5 + 1, 12);
    expect(nd(model, 'carol').nd).toBeCloseTo(1, 12);
    // 0.5 + 1.5 + 1 = 3 = the three credited deployments d1, d3, d5.
    expect(nd(model).nd).toBeCloseTo(3, 12);
    expect(nd(model).basis).toBe('deployments');
  });

  it('reports every production deployment with why it is worth 0 or 1', () => {
    expect(nd(model).deployments).toEqual({
      total: 9, // d1–d9; the staging deployment is not production
      credited: 3, // d1, d3, d5
      nothing_new: 2, // d2 (re-deploy of d1's SHAs), d7 (the rollback re-ships PR 5's SHA)
      no_qualifying_changes: 1, // d9 ships only trivial PR 8
      rolled_back: 1, // d6
      incident: 1, // d8
      not_successful: 1, // d4
    });
    const facts = (n: number) => model.facts.find((f) => f.change.id === `pr:acme/api#${n}`)!;
    expect(facts(6)).toMatchObject({ durable: false, rolledBackIn: 'deploy:d6', ndShare: 0 });
    expect(facts(7)).toMatchObject({ durable: false, incidentIds: ['incident:i1'] });
    // The failed d4 shipped nothing, so PR 5 is d5's.
    expect(facts(5).deploymentId).toBe('deploy:d5');
  });

  it('is reported per engineer-week of activity', () => {
    // Alice's working weeks: week of T0 (PRs 1, 3, 6) and the next (PR 8 on day 8) = 2.
    // 0.5 ND / 2 engineer-weeks = 0.25.
    const a = nd(model, 'alice');
    expect(a.engineerWeeks).toBe(2);
    expect(a.perEngineerWeek).toBeCloseTo(0.25, 12);
    // All credited deployments (days 1, 3, 5) fall in the week of T0 = 2026-03-02.
    expect(nd(model).weekly).toEqual([{ week: '2026-03-02', nd: 3 }]);
  });

  it('counts shares at deployment time within a window', () => {
    // [T0 + 2 d, T0 + 10 d): d3 and d5 are credited → carol 1 + bob 1 = 2.
    const w = { from: T0 + 2 * DAY, until: T0 + 10 * DAY };
    expect(nd(model, undefined, w).nd).toBeCloseTo(2, 12);
    expect(nd(model, 'alice', w).nd).toBe(0);
  });

  it('can split per person so splitting work never moves a share', () => {
    const twoForAlice = buildValueModel(
      {
        commits: [
          squashed(1, { author: 'alice' }).commit,
          squashed(2, { author: 'alice' }).commit,
          squashed(3, { author: 'bob' }).commit,
        ],
        pullRequests: [
          squashed(1, { author: 'alice' }).pr,
          squashed(2, { author: 'alice' }).pr,
          squashed(3, { author: 'bob' }).pr,
        ],
        deployments: [
          deployment({
            id: 'd',
            ts: T0 + DAY,
            shas: [1, 2, 3].map((n) => squashed(n, { author: n === 3 ? 'bob' : 'alice' }).commit.sha),
          }),
        ],
        incidents: [],
        sessions: [],
      },
      people,
      { ndSplit: 'person' },
    );
    // Two people → ½ each; alice's ½ is split over her two PRs (¼ + ¼).
    expect(nd(twoForAlice, 'alice').nd).toBeCloseTo(0.5, 12);
    expect(nd(twoForAlice, 'bob').nd).toBeCloseTo(0.5, 12);
    expect(twoForAlice.facts.map((f) => f.ndShare)).toEqual([0.25, 0.25, 0.5]);
  });

  it('ships only the named commits when ancestry is off', () => {
    const listed = fixture({ deploymentAncestry: false });
    // d1 names only PR 2's commit: bob 1 from d1, 1 from d5; PR 1 is never deployed.
    expect(nd(listed, 'bob').nd).toBeCloseTo(2, 12);
    expect(nd(listed, 'alice').nd).toBe(0);
  });

  it('falls back to durable merged PRs without deployment data, and says so', () => {
    const model2 = buildValueModel(
      {
        commits: [],
        pullRequests: [squashed(1, { author: 'alice' }).pr, squashed(2, { author: 'alice', lines: 1 }).pr],
        deployments: [],
        incidents: [],
        sessions: [],
      },
      people,
    );
    const m = nd(model2, 'alice');
    // One qualifying durable PR (PR 2 is trivial) = 1.
    expect(m).toMatchObject({ basis: 'durable_prs', nd: 1 });
  });
});
