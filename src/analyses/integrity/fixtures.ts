/**
 * A small hand-made team for the integrity tests: six honest light users, one honest heavy user
 * (five times the sessions and spend, five times the shipped changes) and room for the person a
 * test is about. Work sessions edit, commit and ship a reviewed PR; questions are cheap and
 * touch no code. Window: four weeks from T0.
 * @module
 */
import type { SessionSummary } from '../../ledger/sessions.js';
import type { CommitRecord, PullRequestRecord } from '../../ledger/work.js';
import { DAY, directory, HOUR, session, squashed, T0 } from '../value/fixtures.js';
import { buildValueModel, type ValueModel } from '../value/model.js';
import type { Window } from '../value/time.js';

export { DAY, HOUR, T0 };
export const WINDOW: Window = { from: T0, until: T0 + 28 * DAY };
export const HONEST = ['a', 'b', 'c', 'd', 'e', 'f'];
export const HEAVY = 'heavy';

export class TeamBuilder {
  readonly sessions: SessionSummary[] = [];
  readonly commits: CommitRecord[] = [];
  readonly pullRequests: PullRequestRecord[] = [];
  private n = 0;

  /** A work session that commits a PR which is merged an hour later (reviewed unless said). */
  work(
    person: string,
    day: number,
    o: { costUsd?: number; lines?: number; selfMerged?: boolean; at?: number } = {},
  ) {
    const id = ++this.n;
    const start = o.at ?? T0 + day * DAY + 9 * HOUR + (id % 7) * 10 * 60_000;
    const p = squashed(id, {
      author: person,
      at: start + HOUR,
      lines: o.lines ?? 60,
      ...(o.selfMerged ? { mergedBy: person, approvers: [] } : {}),
    });
    this.pullRequests.push(p.pr);
    this.commits.push(p.commit);
    this.push({
      sessionId: `w${id}`,
      personId: person,
      cwd: null,
      gitBranch: `feature-${id}`,
      firstTs: start,
      lastTs: start + HOUR,
      costUsd: o.costUsd ?? 2,
      calls: 30,
      prompts: 4,
      edits: 6,
      commitShas: [p.commit.sha.slice(0, 10)],
      promptFingerprints: [fp(id * 7919)],
    });
    return p;
  }

  /** A cheap question: no edits, no commit. */
  question(person: string, day: number, o: Partial<SessionSummary> = {}) {
    const id = ++this.n;
    const start = T0 + day * DAY + 14 * HOUR;
    this.push({
      sessionId: `q${id}`,
      personId: person,
      cwd: null,
      firstTs: start,
      lastTs: start + 20 * 60_000,
      costUsd: 0.3,
      calls: 4,
      prompts: 2,
      edits: 0,
      linesAdded: 0,
      linesRemoved: 0,
      promptFingerprints: [fp(id * 104_729)],
      ...o,
    });
  }

  add(s: Partial<SessionSummary> & { day: number; personId: string }) {
    const id = ++this.n;
    const { day, ...rest } = s;
    const start = T0 + day * DAY + 10 * HOUR;
    this.push({ sessionId: `x${id}`, cwd: null, firstTs: start, lastTs: start + HOUR, ...rest });
  }

  /** The value fixtures' builder fills every field but the optional fingerprints, kept here. */
  private push(s: Partial<SessionSummary> & { sessionId: string }) {
    const built = session(s);
    if (s.promptFingerprints) built.promptFingerprints = s.promptFingerprints;
    this.sessions.push(built);
  }

  model(): ValueModel {
    const people = directory([...HONEST, HEAVY, 'x', 'reviewer'].map((id) => ({ id, team: 'core' })));
    return buildValueModel(
      {
        sessions: this.sessions,
        commits: this.commits,
        pullRequests: this.pullRequests,
        deployments: [],
        incidents: [],
      },
      people,
    );
  }
}

/** A distinct fingerprint for each seed (16 hex digits, far apart from the others). */
export function fp(seed: number): string {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  let out = '';
  for (let i = 0; i < 2; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * The honest team over the window's weekdays: light users do one work session a day and a
 * question every other day; the heavy user five work sessions at twice the cost, and questions.
 */
export function honestTeam(): TeamBuilder {
  const t = new TeamBuilder();
  for (let day = 0; day < 28; day++) {
    if (day % 7 >= 5) continue;
    HONEST.forEach((p, k) => {
      t.work(p, day, { costUsd: 1.5 + k * 0.2 });
      if (day % 2 === 0) t.question(p, day);
    });
    for (let k = 0; k < 5; k++) t.work(HEAVY, day, { costUsd: 4 + k * 0.3, lines: 120 });
    t.question(HEAVY, day, { costUsd: 1 });
  }
  return t;
}
