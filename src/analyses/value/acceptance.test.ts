/**
 * The acceptance criteria for the value metrics: ND cannot be inflated by splitting work or
 * re-deploying, a revert takes a change's credit away everywhere, and ND over all people sums to
 * the number of qualifying production deployments.
 */
import { describe, expect, it } from 'vitest';
import type { CommitRecord, DeploymentRecord, IncidentRecord, PullRequestRecord } from '../../ledger/work.js';
import { Rng } from '../../synthetic/prng.js';
import { agentWorkUnits } from './agent-work.js';
import { commit, DAY, deployment, directory, HOUR, incident, session, squashed, T0 } from './fixtures.js';
import { buildValueModel, type ValueInput } from './model.js';
import { normalisedDeployments } from './normalised-deployments.js';
import type { ValueOptions } from './options.js';
import { shippedChanges } from './shipped.js';
import { valueSummaries } from './summary.js';

const people = directory([{ id: 'alice' }, { id: 'bob' }]);
const ndOf = (input: ValueInput, personId: string, options: ValueOptions = {}) =>
  normalisedDeployments(buildValueModel(input, people, options), { scope: { kind: 'person', personId } }).nd;

/** Bob's one PR and alice's work as `alicePrs` (lines each, PR fields), all in one deployment. */
function oneDeployment(
  alicePrs: Array<{ lines: number } & Partial<PullRequestRecord>>,
  redeploys = 0,
): ValueInput {
  const bob = squashed(1, { author: 'bob', at: T0 });
  let parent = bob.commit.sha;
  const alice = alicePrs.map((p, i) => {
    const x = squashed(10 + i, { author: 'alice', at: T0 + HOUR, parent, ...p });
    parent = x.commit.sha;
    return x;
  });
  const all = [bob, ...alice];
  return {
    commits: all.map((x) => x.commit),
    pullRequests: all.map((x) => x.pr),
    deployments: [0, ...Array.from({ length: redeploys }, (_, k) => k + 1)].map((k) =>
      deployment({ id: `d${k}`, ts: T0 + DAY + k * HOUR, shas: [parent] }),
    ),
    incidents: [],
    sessions: [],
  };
}

describe('ND cannot be inflated', () => {
  // Alice's change as one reviewed 40-line PR, deployed with bob's PR: ½ each.
  const whole = oneDeployment([{ lines: 40 }]);

  it('by splitting one change into ten tiny PRs', () => {
    expect(ndOf(whole, 'alice')).toBeCloseTo(0.5, 12);
    // Ten 4-line PRs: each below the 5-line threshold, so none qualifies; bob's PR takes the 1.
    const tiny = oneDeployment(Array.from({ length: 10 }, () => ({ lines: 4 })));
    expect(ndOf(tiny, 'alice')).toBe(0);
    expect(ndOf(tiny, 'bob')).toBe(1);
  });

  it('by splitting into ten self-merged PRs', () => {
    const selfMerged = oneDeployment(
      Array.from({ length: 10 }, () => ({ lines: 10, mergedBy: 'alice', approvers: [] })),
    );
    expect(ndOf(selfMerged, 'alice')).toBe(0);
    // The deployment is still worth exactly 1 in total.
    expect(ndOf(selfMerged, 'alice') + ndOf(selfMerged, 'bob')).toBe(1);
  });

  it('by splitting into ten reviewed PRs, when shares are split per person', () => {
    const reviewed = oneDeployment(Array.from({ length: 10 }, () => ({ lines: 10 })));
    // Per person: 2 people → ½ each, alice's ½ spread over her ten PRs (0.05 each).
    expect(ndOf(reviewed, 'alice', { ndSplit: 'person' })).toBeCloseTo(0.5, 12);
    // Per change (the default) the total is still 1, whatever the count: 10/11 + 1/11.
    expect(ndOf(reviewed, 'alice') + ndOf(reviewed, 'bob')).toBeCloseTo(1, 12);
  });

  it('by re-deploying the same SHAs', () => {
    const redeployed = oneDeployment([{ lines: 40 }], 5);
    expect(ndOf(redeployed, 'alice')).toBeCloseTo(0.5, 12);
    const m = normalisedDeployments(buildValueModel(redeployed, people));
    expect(m.nd).toBeCloseTo(1, 12);
    expect(m.deployments).toMatchObject({ total: 6, credited: 1, nothing_new: 5 });
  });
});

describe('a reverted change stops counting', () => {
  const p = squashed(1, { author: 'alice', at: T0 });
  const s = session({ sessionId: 's', personId: 'alice', cwd: null, commitShas: [p.commit.sha.slice(0, 7)] });
  const base: ValueInput = {
    commits: [p.commit],
    pullRequests: [p.pr],
    deployments: [deployment({ id: 'd', ts: T0 + DAY, shas: [p.commit.sha] })],
    incidents: [],
    sessions: [s],
  };
  const revert = commit({ label: 'revert', author: 'bob', revertsSha: p.commit.sha, authorTs: T0 + 5 * DAY });

  it('counts before the revert', () => {
    const model = buildValueModel(base, people);
    expect(shippedChanges(model).qualifying).toBe(1);
    expect(normalisedDeployments(model).nd).toBe(1);
    expect(agentWorkUnits(model).units).toBe(1);
  });

  it('counts for nothing after it: not durable, no ND, no AWU', () => {
    const model = buildValueModel({ ...base, commits: [...base.commits, revert] }, people);
    expect(shippedChanges(model)).toMatchObject({ shipped: 1, durable: 0, qualifying: 0 });
    expect(normalisedDeployments(model).nd).toBe(0);
    expect(normalisedDeployments(model).deployments.no_qualifying_changes).toBe(1);
    expect(agentWorkUnits(model)).toMatchObject({ units: 0, attempted: 1 });
  });
});

describe('ND sums to the qualifying production deployments', () => {
  it('on a randomized org (seeded)', () => {
    const rng = new Rng(20260302);
    const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
    const dir = directory(ids.map((id, i) => ({ id, team: `t${i % 6}` })));
    const repos = ['acme/api', 'acme/web', 'acme/jobs'];
    const input = {
      commits: [] as CommitRecord[],
      pullRequests: [] as PullRequestRecord[],
      deployments: [] as DeploymentRecord[],
      incidents: [] as IncidentRecord[],
      sessions: [],
    };
    const heads = new Map<string, string | undefined>();
    const deployed: string[] = [];
    let n = 0;
    for (let day = 0; day < 120; day++) {
      for (const repo of repos) {
        for (let k = rng.int(0, 4); k > 0; k--) {
          n++;
          const author = rng.pick(ids);
          const selfMerge = rng.chance(0.1);
          const parent = heads.get(repo);
          const x = squashed(n, {
            repo,
            author,
            at: T0 + day * DAY + rng.int(0, 8) * HOUR,
            lines: rng.chance(0.15) ? rng.int(1, 4) : rng.int(5, 800),
            ...(parent ? { parent } : {}),
            ...(selfMerge ? { mergedBy: author, approvers: [] } : {}),
          });
          heads.set(repo, x.commit.sha);
          input.commits.push(x.commit);
          input.pullRequests.push(x.pr);
          if (rng.chance(0.05)) {
            input.commits.push(
              commit({
                repo,
                label: `rv${n}`,
                author,
                revertsSha: x.commit.sha,
                authorTs: x.commit.authorTs + rng.int(1, 20) * DAY,
              }),
            );
          }
        }
        const head = heads.get(repo);
        if (!head || !rng.chance(0.6)) continue;
        const id = `${repo}-${day}`;
        const status = rng.chance(0.1) ? 'failure' : 'success';
        // Some deployments name an older head (a re-deploy), some only the head (ancestry does the rest).
        const shas = rng.chance(0.2) && deployed.length > 0 ? [rng.pick(deployed)] : [head];
        input.deployments.push(deployment({ id, repo, ts: T0 + day * DAY + 20 * HOUR, shas, status }));
        if (status === 'success') deployed.push(head);
        if (rng.chance(0.05))
          input.deployments.push(
            deployment({
              id: `${id}-rb`,
              repo,
              ts: T0 + day * DAY + 22 * HOUR,
              shas: [],
              rollbackOf: `deploy:${id}`,
            }),
          );
        if (rng.chance(0.05)) input.incidents.push(incident({ id: `i-${id}`, deploymentId: `deploy:${id}` }));
      }
    }
    const model = buildValueModel(input, dir);
    const all = valueSummaries(model);
    const personSum = all.people.reduce((s, p) => s + p.nd.nd, 0);
    const credited = model.deployments.filter((d) => d.worth === 1).length;
    // Counted independently of the allocation: successful production deployments, not rolled back,
    // not incident-named, that first shipped at least one qualifying change.
    const expected = model.deployments.filter(
      (d) =>
        d.deployment.status === 'success' &&
        !d.rolledBack &&
        d.incidentIds.length === 0 &&
        d.newChanges.some((i) => model.facts[i]!.qualifying),
    ).length;
    expect(expected).toBeGreaterThan(50);
    expect(credited).toBe(expected);
    expect(Math.abs(personSum - expected)).toBeLessThan(1e-9);
    expect(Math.abs(all.org.nd.nd - expected)).toBeLessThan(1e-9);
    const teamSum = all.teams.reduce((s, t) => s + t.nd.nd, 0);
    expect(Math.abs(teamSum - expected)).toBeLessThan(1e-9);
    // The fixture exercises every way a deployment can be worth 0.
    const outcomes = all.org.nd.deployments;
    expect(
      outcomes.nothing_new + outcomes.rolled_back + outcomes.incident + outcomes.not_successful,
    ).toBeGreaterThan(0);
    expect(outcomes.nothing_new).toBeGreaterThan(0);
  });
});
