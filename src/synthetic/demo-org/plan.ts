/**
 * The day-by-day plan of the demo organisation: who works which day, which AI sessions they run,
 * and which pull requests those sessions (or the people alone) open, merge or abandon.
 *
 * Both the usage stream and the work records are expanded from this one plan, which is what
 * keeps them consistent (a session's `commit` activity names a commit that exists in the work).
 * The planner walks the days in order because PR numbers are allocated per repository in that
 * order; everything else about a person-day is a pure function of (seed, person, day), so the
 * usage stream can be re-planned lazily, one day at a time, in bounded memory.
 * @module
 */
import type { Tool } from '../../ledger/records.js';
import { Rng } from '../prng.js';
import { branchName, commitSubject, prTitle, tinyTitle } from './names.js';
import { type Behaviour, type DemoMember, membersOn, type OrgModel, teamOn } from './org.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export type SessionKind =
  /** Produces commits and PRs. */
  | 'ship'
  /** Questions and reading, no edits: normal, cheap. */
  | 'explore'
  /** Edits that are never committed. */
  | 'uncommitted'
  /** One prompt, then hours of model calls with nobody at the keyboard. */
  | 'loop'
  /** Huge cached context re-read call after call for a few output tokens. */
  | 'padding'
  /** The same busywork prompt pasted again and again. */
  | 'grind';

export interface PlannedCommit {
  index: number;
  ts: number;
  subject: string;
  added: number;
  removed: number;
  files: number;
}

export interface PlannedPr {
  repo: number;
  number: number;
  author: number;
  branch: string;
  title: string;
  kind: 'feature' | 'tiny' | 'revert';
  createdAt: number;
  commits: PlannedCommit[];
  /** Tool of the session that wrote it; null for work done without AI. */
  tool: Tool | null;
  sessionId: string | null;
  state: 'merged' | 'open' | 'closed';
  mergedAt: number | null;
  closedAt: number | null;
  mergedBy: number | null;
  approvers: number[];
  reviewers: number[];
  selfMerged: boolean;
  /** Destined to be reverted by a teammate a few days after it merges. */
  doomed: boolean;
  /** For a revert PR, the PR it reverts. */
  reverts: PlannedPr | null;
  /** For a reverted PR, the PR that reverted it (set when the revert is planned). */
  revertedBy: PlannedPr | null;
  /** Closes a ticket when it merges. */
  task: boolean;
}

export interface PlannedSession {
  id: string;
  member: number;
  tool: Tool;
  model: string;
  kind: SessionKind;
  start: number;
  end: number;
  repo: number;
  cwd: string;
  /** Branch the session starts on; calls move to each PR's branch as it is worked on. */
  branch: string;
  prs: PlannedPr[];
}

export interface DayPlan {
  day: number;
  dayStart: number;
  sessions: PlannedSession[];
  /** PRs opened this day (revert PRs included), in number order per repository. */
  prs: PlannedPr[];
}

interface Profile {
  active: number;
  weekend: number;
  /** Expected PRs on an active day. */
  prs: (rng: Rng) => number;
  /** Share of those PRs written in an AI session. */
  ai: number;
  /** Sessions with no PR, by kind, on an active day (expected counts). */
  extra: ReadonlyArray<readonly [SessionKind, number]>;
  sizeMedian: number;
}

const PROFILES: Record<Behaviour, Profile> = {
  light: {
    active: 0.35,
    weekend: 0.01,
    prs: (r) => (r.chance(0.45) ? 1 : 0),
    ai: 0.4,
    extra: [['explore', 0.5]],
    sizeMedian: 25,
  },
  regular: {
    active: 0.82,
    weekend: 0.04,
    prs: (r) =>
      r.weighted([
        [0, 35],
        [1, 50],
        [2, 15],
      ] as const),
    ai: 0.7,
    extra: [
      ['explore', 0.6],
      ['uncommitted', 0.1],
    ],
    sizeMedian: 40,
  },
  reverted: {
    active: 0.82,
    weekend: 0.04,
    prs: (r) =>
      r.weighted([
        [0, 30],
        [1, 50],
        [2, 20],
      ] as const),
    ai: 0.8,
    extra: [['explore', 0.5]],
    sizeMedian: 45,
  },
  heavy_shipper: {
    active: 0.95,
    weekend: 0.1,
    prs: (r) => r.int(2, 4),
    ai: 0.95,
    extra: [
      ['explore', 0.8],
      ['uncommitted', 0.15],
    ],
    sizeMedian: 70,
  },
  token_burner: {
    active: 0.95,
    weekend: 0.45,
    prs: () => 0,
    ai: 0,
    extra: [
      ['loop', 0.9],
      ['padding', 0.8],
      ['grind', 0.8],
      ['uncommitted', 0.6],
    ],
    sizeMedian: 20,
  },
  pr_splitter: {
    active: 0.9,
    weekend: 0.05,
    prs: (r) => r.int(4, 8),
    ai: 1,
    extra: [['explore', 0.3]],
    sizeMedian: 3,
  },
};

function isWeekend(dayStart: number): boolean {
  const dow = new Date(dayStart).getUTCDay();
  return dow === 0 || dow === 6;
}

/** Rounds an expected count to an integer whose mean is that count. */
function countOf(rng: Rng, expected: number): number {
  const whole = Math.floor(expected);
  return whole + (rng.chance(expected - whole) ? 1 : 0);
}

export class Planner {
  private readonly next: number[];
  /** Reverts to open, by day. */
  private readonly reverts = new Map<number, PlannedPr[]>();

  constructor(private readonly org: OrgModel) {
    // Numbers continue from the history before the period, so PR #1 is not in the window.
    this.next = org.repos.map((r) => 40 + ((r.index * 37) % 200));
  }

  *days(): Generator<DayPlan> {
    for (let day = 0; day < this.org.options.days; day++) yield this.plan(day);
  }

  private plan(day: number): DayPlan {
    const dayStart = this.org.startMs + day * DAY;
    const plan: DayPlan = { day, dayStart, sessions: [], prs: [] };
    for (const target of this.reverts.get(day) ?? []) plan.prs.push(this.revertOf(target, day, dayStart));
    this.reverts.delete(day);
    for (const member of this.org.members) this.planMember(plan, member);
    return plan;
  }

  private revertOf(target: PlannedPr, day: number, dayStart: number): PlannedPr {
    const { seed } = this.org.options;
    const rng = Rng.derive(seed, 'revert', target.repo, target.number);
    const team = this.org.repos[target.repo]!.team;
    const mates = membersOn(this.org, team, day).filter((m) => m.index !== target.author);
    const author = mates.length > 0 ? rng.pick(mates).index : target.author;
    const createdAt = Math.max(dayStart + 9 * HOUR + rng.int(0, 6 * 60) * MIN, target.mergedAt! + HOUR);
    const added = target.commits.reduce((n, c) => n + c.removed, 0);
    const removed = target.commits.reduce((n, c) => n + c.added, 0);
    const files = Math.max(...target.commits.map((c) => c.files));
    const title = `Revert "${target.title}"`;
    const pr = this.newPr(rng, target.repo, author, {
      branch: `revert-${target.number}-${target.branch}`,
      title,
      kind: 'revert',
      createdAt,
      commits: [{ index: 0, ts: createdAt - 2 * MIN, subject: title, added, removed, files }],
      tool: null,
      sessionId: null,
      day,
    });
    pr.reverts = target;
    target.revertedBy = pr;
    this.finishPr(rng, pr, false, day);
    return pr;
  }

  private newPr(
    rng: Rng,
    repo: number,
    author: number,
    fields: Pick<PlannedPr, 'branch' | 'title' | 'kind' | 'createdAt' | 'commits' | 'tool' | 'sessionId'> & {
      day: number;
    },
  ): PlannedPr {
    const number = this.next[repo]!;
    this.next[repo] = number + (rng.chance(0.15) ? 2 : 1); // issues share GitHub's numbering
    const { day: _day, ...rest } = fields;
    return {
      repo,
      number,
      author,
      ...rest,
      state: 'open',
      mergedAt: null,
      closedAt: null,
      mergedBy: null,
      approvers: [],
      reviewers: [],
      selfMerged: false,
      doomed: false,
      reverts: null,
      revertedBy: null,
      task: false,
    };
  }

  /** Decides review, merge (or abandonment) and, for doomed PRs, when the revert comes. */
  private finishPr(rng: Rng, pr: PlannedPr, selfMerge: boolean, day: number): void {
    const org = this.org;
    const team = org.repos[pr.repo]!.team;
    const mates = membersOn(org, team, day).filter((m) => m.index !== pr.author);
    const pool = mates.length > 0 ? mates : org.members.filter((m) => m.index !== pr.author);
    if (pr.kind !== 'revert' && !selfMerge && rng.chance(0.03)) {
      pr.state = 'closed';
      pr.closedAt = pr.createdAt + rng.int(2, 72) * HOUR;
      if (pr.closedAt >= org.endMs) {
        pr.state = 'open';
        pr.closedAt = null;
      }
      return;
    }
    let mergedAt: number;
    if (selfMerge) {
      mergedAt = pr.createdAt + rng.int(1, 12) * MIN;
    } else {
      const reviewers = new Set<number>();
      const approvals = pool.length > 1 && rng.chance(0.25) ? 2 : 1;
      while (reviewers.size < Math.min(approvals, pool.length)) reviewers.add(rng.pick(pool).index);
      pr.approvers = [...reviewers];
      const commenters = pool.length > approvals && rng.chance(0.3) ? [rng.pick(pool).index] : [];
      pr.reviewers = [...new Set([...pr.approvers, ...commenters])];
      const lagHours = Math.min(72, Math.max(0.3, rng.logNormal(pr.kind === 'revert' ? 0.7 : 4, 0.9)));
      mergedAt = pr.createdAt + Math.round(lagHours * HOUR);
    }
    if (mergedAt >= org.endMs) return; // still open when the period ends
    pr.state = 'merged';
    pr.mergedAt = mergedAt;
    pr.closedAt = mergedAt;
    pr.selfMerged = selfMerge;
    pr.mergedBy = selfMerge || rng.chance(0.7) ? pr.author : pr.approvers[0]!;
    pr.task = pr.kind === 'feature' && rng.chance(0.6);
    if (pr.doomed) {
      const revertDay = Math.floor((mergedAt - org.startMs) / DAY) + rng.int(1, 4);
      if (revertDay < org.options.days) {
        const list = this.reverts.get(revertDay) ?? [];
        list.push(pr);
        this.reverts.set(revertDay, list);
      }
    }
  }

  private planMember(plan: DayPlan, member: DemoMember): void {
    const { seed, days } = this.org.options;
    const { day, dayStart } = plan;
    const rng = Rng.derive(seed, 'plan', member.index, day);
    const profile = PROFILES[member.behaviour];
    // Adoption grows over the period for everyone but the already-committed.
    const ramp =
      member.behaviour === 'light' || member.behaviour === 'regular' ? 0.7 + (0.3 * day) / days : 1;
    const pActive = (isWeekend(dayStart) ? profile.weekend : profile.active) * (member.manager ? 0.5 : 1);
    if (!rng.chance(pActive * ramp)) return;

    const repo = teamOn(member, day);
    const repoName = this.org.repos[repo]!.name;
    const cwd = `/home/${member.osUser}/src/${repoName}`;
    let cursor = dayStart + 8 * HOUR + rng.int(0, 120) * MIN;
    const sessionOf = (kind: SessionKind, branch: string): PlannedSession => {
      const tool = member.secondaryTool && rng.chance(0.2) ? member.secondaryTool : member.primaryTool;
      const model =
        tool === 'claude-code'
          ? member.claudeModel
          : tool === 'codex'
            ? member.codexModel
            : member.geminiModel;
      return {
        id: Rng.derive(seed, 'session-id', member.index, day, plan.sessions.length).uuid(),
        member: member.index,
        tool,
        model,
        kind,
        start: cursor,
        end: cursor,
        repo,
        cwd,
        branch,
        prs: [],
      };
    };

    const prCount = member.manager ? Math.min(1, profile.prs(rng)) : profile.prs(rng);
    const aiPrs: number[] = [];
    const humanPrs: number[] = [];
    for (let i = 0; i < prCount; i++) (rng.chance(profile.ai) ? aiPrs : humanPrs).push(i);
    const tiny = member.behaviour === 'pr_splitter';
    const doomP = member.behaviour === 'reverted' ? 0.5 : member.behaviour === 'regular' ? 0.01 : 0;

    // Ship sessions: one to three PRs each (a splitter's whole batch in one or two sessions).
    const perSession = tiny ? Math.ceil(aiPrs.length / rng.int(1, 2)) : rng.int(1, 2);
    for (let i = 0; i < aiPrs.length; i += perSession) {
      const count = Math.min(perSession, aiPrs.length - i);
      const session = sessionOf('ship', 'main');
      let t = cursor + rng.int(3, 15) * MIN;
      for (let k = 0; k < count; k++) {
        const segment = Math.round((tiny ? rng.int(6, 20) : rng.logNormal(55, 0.5)) * MIN);
        const pr = this.plannedChange(rng, member, repo, day, t, segment, tiny, session);
        pr.doomed = rng.chance(doomP);
        plan.prs.push(pr);
        session.prs.push(pr);
        this.finishPr(rng, pr, tiny, day);
        t = pr.createdAt + rng.int(2, 10) * MIN;
      }
      session.branch = session.prs[0]!.branch;
      session.end = t;
      plan.sessions.push(session);
      cursor = t + rng.int(15, 90) * MIN;
    }
    for (const kind of profile.extra.flatMap(([k, n]) => Array.from({ length: countOf(rng, n) }, () => k))) {
      if (kind === 'loop') {
        // Left running over the evening, nobody watching.
        const session = sessionOf(kind, rng.chance(0.5) ? 'main' : `${member.login}/wip`);
        session.start = dayStart + rng.int(17 * 60, 19 * 60) * MIN;
        session.end = session.start + rng.int(150, 300) * MIN;
        plan.sessions.push(session);
        continue;
      }
      const session = sessionOf(kind, kind === 'uncommitted' ? `${member.login}/wip` : 'main');
      const minutes =
        kind === 'explore' ? rng.logNormal(14, 0.6) : kind === 'uncommitted' ? rng.logNormal(45, 0.5) : 60;
      session.end = cursor + Math.round(minutes * MIN) + (kind === 'explore' ? 0 : rng.int(0, 60) * MIN);
      plan.sessions.push(session);
      cursor = session.end + rng.int(10, 60) * MIN;
    }
    for (const _ of humanPrs) {
      const t = dayStart + rng.int(10 * 60, 17 * 60) * MIN;
      const pr = this.plannedChange(rng, member, repo, day, t, rng.int(40, 180) * MIN, false, null);
      pr.doomed = rng.chance(doomP);
      plan.prs.push(pr);
      this.finishPr(rng, pr, false, day);
    }
    // A burner occasionally opens a PR nobody merges.
    if (member.behaviour === 'token_burner' && rng.chance(0.05)) {
      const t = dayStart + rng.int(11 * 60, 16 * 60) * MIN;
      const pr = this.plannedChange(rng, member, repo, day, t, 30 * MIN, false, null);
      plan.prs.push(pr);
      pr.state = 'closed';
      pr.closedAt = pr.createdAt + rng.int(24, 96) * HOUR;
      if (pr.closedAt >= this.org.endMs) {
        pr.state = 'open';
        pr.closedAt = null;
      }
    }
  }

  /** A change worked on from `start` for `segment` ms: its commits, then the PR opened. */
  private plannedChange(
    rng: Rng,
    member: DemoMember,
    repo: number,
    day: number,
    start: number,
    segment: number,
    tiny: boolean,
    session: PlannedSession | null,
  ): PlannedPr {
    const title = tiny ? tinyTitle(rng) : prTitle(rng);
    const n = tiny
      ? 1
      : rng.weighted([
          [1, 50],
          [2, 35],
          [3, 15],
        ] as const);
    const median = PROFILES[member.behaviour].sizeMedian;
    const commits: PlannedCommit[] = [];
    for (let i = 0; i < n; i++) {
      const added = tiny ? rng.int(1, 4) : Math.max(1, Math.round(rng.logNormal(median / n, 0.8)));
      commits.push({
        index: i,
        ts: start + Math.round((segment * (i + 1)) / (n + 0.3)),
        subject: commitSubject(rng, title, i),
        added,
        removed: tiny ? rng.int(0, 2) : Math.round(added * rng.next() * 0.5),
        files: tiny ? 1 : rng.int(1, 3),
      });
    }
    return this.newPr(rng, repo, member.index, {
      branch: branchName(rng, member.login),
      title,
      kind: tiny ? 'tiny' : 'feature',
      createdAt: start + segment + rng.int(1, 5) * MIN,
      commits,
      tool: session?.tool ?? null,
      sessionId: session?.id ?? null,
      day,
    });
  }
}
