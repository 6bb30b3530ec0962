/**
 * The board tests' org: a power user, a token burner, three steady shippers in one team and a
 * two-person team that is too small to show.
 * @module
 */
import type { SessionSummary } from '../../ledger/sessions.js';
import type { CommitRecord, DeploymentRecord, PullRequestRecord } from '../../ledger/work.js';
import { DAY, deployment, directory, HOUR, session, squashed, T0 } from '../value/fixtures.js';
import { buildValueModel } from '../value/model.js';

/**
 * Team `a`: power (spends $500, ships five AI-assisted PRs), burner (spends $500 on sessions that
 * edit nothing), p3–p5 ($20 and one PR each). Team `b`: x and y, one PR each (too small a team).
 */
export function boardFixture(optIn: string[] = []) {
  const people = directory([
    ...['power', 'burner', 'p3', 'p4', 'p5'].map((id) => ({ id, team: 'a', optIn: optIn.includes(id) })),
    ...['x', 'y'].map((id) => ({ id, team: 'b', optIn: optIn.includes(id) })),
  ]);
  const commits: CommitRecord[] = [];
  const prs: PullRequestRecord[] = [];
  const deployments: DeploymentRecord[] = [];
  const sessions: SessionSummary[] = [];
  let n = 0;
  const ship = (author: string, day: number, withSession: { cost: number; cacheRead: number } | null) => {
    n++;
    // No parent chain: each deployment ships exactly its own change.
    const x = squashed(n, { author, at: T0 + day * DAY, lines: 120 });
    commits.push(x.commit);
    prs.push(x.pr);
    deployments.push(deployment({ id: `d${n}`, ts: T0 + day * DAY + 6 * HOUR, shas: [x.commit.sha] }));
    if (withSession)
      sessions.push(
        session({
          sessionId: `s${n}`,
          personId: author,
          cwd: null,
          firstTs: T0 + day * DAY,
          costUsd: withSession.cost,
          inputTokens: 1000,
          cacheReadTokens: withSession.cacheRead,
          commitShas: [x.commit.sha.slice(0, 7)],
        }),
      );
  };
  for (let d = 0; d < 5; d++) ship('power', d, { cost: 100, cacheRead: 9000 });
  for (let d = 0; d < 5; d++)
    sessions.push(
      session({
        sessionId: `burn${d}`,
        personId: 'burner',
        cwd: null,
        firstTs: T0 + d * DAY,
        costUsd: 100,
        edits: 0,
        linesAdded: 0,
        linesRemoved: 0,
        calls: 400,
        inputTokens: 100,
        cacheReadTokens: 99_900,
      }),
    );
  ['p3', 'p4', 'p5'].forEach((p, i) => {
    ship(p, i, { cost: 20, cacheRead: 1000 });
  });
  ship('x', 1, null);
  ship('y', 2, null);
  return buildValueModel({ commits, pullRequests: prs, deployments, incidents: [], sessions }, people);
}
