/**
 * Generated organisations with planted behaviours, for evaluating the integrity signals
 * (issue #6): honest light and heavy users, and people who run overnight loops, paste the same
 * prompt again and again, pad the cache, spike before a period closes, split work into tiny
 * self-merged PRs, ship AI code that gets reverted, or spend heavily on work that never ships.
 * It produces the records the value model is built from (session summaries with prompt
 * fingerprints, commits, PRs, deployments) rather than raw usage: the signals read the model,
 * and summaries keep a hundred-person quarter to a fraction of a second. Everything is a pure
 * function of the parameters.
 * @module
 */
import type { Window } from '../../analyses/value/time.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { CommitRecord, DeploymentRecord, PullRequestRecord } from '../../ledger/work.js';
import { Rng } from '../prng.js';
import { EMAIL_DOMAIN, orgDirectory } from './directory.js';
import { type Behaviour, type IntegrityOrgParams, PLANTED } from './params.js';
import { buildSession, HOUR, type SessionKind, type SessionOwner } from './sessions.js';

const DAY = 24 * HOUR;
/** Monday 2026-02-02 00:00 UTC. */
export const ORG_START = Date.UTC(2026, 1, 2);
const ORG = 'acme';

export interface IntegrityOrg {
  params: IntegrityOrgParams;
  directory: PeopleDirectory;
  sessions: SessionSummary[];
  commits: CommitRecord[];
  pullRequests: PullRequestRecord[];
  deployments: DeploymentRecord[];
  truth: Map<string, Behaviour>;
  window: Window;
  /** First of every month in the generated period: the monthly board's closes. */
  periodEnds: number[];
}

interface Member extends SessionOwner {
  team: number;
  repo: string;
  behaviour: Behaviour;
  /** Work sessions per weekday. */
  rate: number;
  crunch: boolean;
  /** Day the planted behaviour starts. */
  from: number;
  /** Share of a splitter's tiny PRs merged without review. */
  selfMergeShare: number;
}

interface Merge {
  repo: string;
  at: number;
  pr: PullRequestRecord;
  squashSha: string;
  author: string;
  lines: number;
  revertAt: number | null;
}

function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function firstsOfMonth(from: number, until: number): number[] {
  const out: number[] = [];
  const d = new Date(from);
  for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); m <= until; ) {
    out.push(m);
    const n = new Date(m);
    m = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
  }
  return out;
}

function people(rng: Rng, p: IntegrityOrgParams): Member[] {
  const members: Member[] = [];
  for (let t = 0; t < p.teams; t++) {
    const size = rng.int(p.minTeamSize, p.maxTeamSize);
    for (let k = 0; k < size; k++) {
      members.push({
        id: `t${t}-p${k}`,
        team: t,
        repoName: `team-${t}`,
        repo: `${ORG}/team-${t}`,
        modelMult: rng.logNormal(1, 0.3),
        contextScale: p.contextScale * (0.7 + rng.next() * 0.6),
        callScale: 0.7 + rng.next() * 0.6,
        mantra: rng.int(0, 2),
        behaviour: 'honest_light',
        rate: 1.5 + rng.next() * 2,
        crunch: rng.chance(p.honestCrunchShare),
        from: rng.int(0, p.days - p.windowDays + 7),
        selfMergeShare: 0.75 + rng.next() * 0.25,
      });
    }
  }
  // At most two planted people per team, so that every peer group is mostly honest.
  const planted = new Map<number, number>();
  for (const b of PLANTED)
    for (let n = 0; n < p.plantedPerBehaviour; n++) {
      for (let tries = 0; tries < 1000; tries++) {
        const m = rng.pick(members);
        if (m.behaviour !== 'honest_light' || (planted.get(m.team) ?? 0) >= 2) continue;
        m.behaviour = b;
        m.crunch = false;
        planted.set(m.team, (planted.get(m.team) ?? 0) + 1);
        break;
      }
    }
  const honest = members.filter((m) => m.behaviour === 'honest_light');
  const heavy = Math.max(3, Math.round(p.heavyShare * honest.length));
  for (let n = 0; n < heavy; n++) {
    const m = rng.pick(honest.filter((h) => h.behaviour === 'honest_light'));
    m.behaviour = 'honest_heavy';
    m.rate = 5 + rng.next() * 3;
    m.callScale = 1.1 + rng.next() * 0.5;
  }
  return members;
}

export function generateIntegrityOrg(params: IntegrityOrgParams): IntegrityOrg {
  const rng = Rng.derive(params.seed, 'integrity-org');
  const members = people(rng, params);
  const byTeam = new Map<number, Member[]>();
  for (const m of members) byTeam.set(m.team, [...(byTeam.get(m.team) ?? []), m]);
  const end = ORG_START + params.days * DAY;
  const window: Window = { from: end - params.windowDays * DAY, until: end };
  const periodEnds = firstsOfMonth(ORG_START, end);
  const sessions: SessionSummary[] = [];
  const commits: CommitRecord[] = [];
  const pullRequests: PullRequestRecord[] = [];
  const merges: Merge[] = [];
  const prNumbers = new Map<string, number>();
  let serial = 0;

  for (const m of members) {
    const r = Rng.derive(params.seed, 'person', m.id);
    const planted = (day: number, b: Behaviour) => m.behaviour === b && day >= m.from;
    const session = (
      kind: SessionKind,
      start: number,
      branch: string | null = null,
      commitShas: string[] = [],
    ) => {
      const s = buildSession(r, m, { sessionId: `s-${m.id}-${serial++}`, kind, start, branch, commitShas });
      sessions.push(s);
      return s;
    };
    /** A task: its sessions in a row from `start`; the last one commits and opens a PR unless abandoned. */
    const task = (
      start: number,
      kinds: SessionKind[],
      opts: { tiny?: boolean; selfMerge?: boolean; abandon?: boolean },
    ) => {
      const branch = `${m.id}/task-${serial}`;
      let at = start;
      let last: SessionSummary | null = null;
      const head = r.hex(40);
      kinds.forEach((kind, k) => {
        const commit = k === kinds.length - 1 && !opts.abandon ? [head.slice(0, 10)] : [];
        last = session(kind, at, branch, commit);
        at = last.lastTs + r.int(5, 90) * 60_000;
      });
      if (opts.abandon || last === null) return;
      const createdAt = (last as SessionSummary).lastTs + 5 * 60_000;
      const lines = opts.tiny ? r.int(3, 18) : Math.max(6, Math.round(r.logNormal(80, 0.9)));
      const number = (prNumbers.get(m.repo) ?? 0) + 1;
      prNumbers.set(m.repo, number);
      const teammates = byTeam.get(m.team)!.filter((x) => x.id !== m.id);
      const reviewer = r.pick(teammates).id;
      const selfMerged = opts.selfMerge ?? r.chance(0.04);
      const open = r.chance(0.05);
      const mergedAt = open ? null : createdAt + (opts.tiny ? r.int(2, 30) * 60_000 : r.int(2, 30) * HOUR);
      const merged = mergedAt !== null && mergedAt < end;
      const squashSha = r.hex(40);
      const additions = Math.round(lines * 0.8);
      commits.push(
        commitRecord(
          m.repo,
          head,
          [],
          m.id,
          createdAt - 60_000,
          `Task ${number}`,
          additions,
          lines - additions,
          null,
          false,
        ),
      );
      const pr: PullRequestRecord = {
        id: `pr:${m.repo}#${number}`,
        repo: m.repo,
        number,
        title: `Task ${number}`,
        author: m.id,
        authorType: 'User',
        state: merged ? 'merged' : 'open',
        draft: false,
        createdAt,
        mergedAt: merged ? mergedAt : null,
        closedAt: merged ? mergedAt : null,
        mergedBy: merged ? (selfMerged || r.chance(0.7) ? m.id : reviewer) : null,
        baseRef: 'main',
        headRef: branch,
        headSha: head,
        mergeCommitSha: merged ? squashSha : null,
        additions,
        deletions: lines - additions,
        changedFiles: Math.max(1, Math.round(lines / 40)),
        labels: [],
        approvers: selfMerged ? [] : [reviewer],
        reviewers: selfMerged ? [] : [reviewer],
        aiEvidence: [],
        source: 'demo',
        origin: 'integrity-eval',
      };
      pullRequests.push(pr);
      if (!merged) return;
      const revertP =
        m.behaviour === 'churner' && mergedAt >= ORG_START + m.from * DAY ? 0.4 + r.next() * 0.3 : 0.03;
      const revertAt = r.chance(revertP) ? mergedAt + (1 + r.next() * 7) * DAY : null;
      merges.push({
        repo: m.repo,
        at: mergedAt,
        pr,
        squashSha,
        author: m.id,
        lines,
        revertAt: revertAt !== null && revertAt < end ? revertAt : null,
      });
    };
    const workStart = (dayStart: number) => dayStart + (8 + r.next() * 8) * HOUR;
    const heavy = m.behaviour === 'honest_heavy';

    for (let d = 0; d < params.days; d++) {
      const dayStart = ORG_START + d * DAY;
      const weekday = d % 7 < 5;
      const crunching = m.crunch && periodEnds.some((e) => dayStart >= e - 3 * DAY && dayStart < e);
      const splitting = planted(d, 'tiny_pr_splitting');
      if (weekday || r.chance(0.1)) {
        const lambda = (weekday ? m.rate : 0.5) * 0.65 * (splitting ? 0.5 : 1) * (crunching ? 2 : 1);
        let left = poisson(r, lambda);
        while (left > 0) {
          const n = Math.min(left, r.int(1, 2));
          left -= n;
          const kinds: SessionKind[] = Array.from({ length: n }, () => 'work');
          if (heavy && r.chance(0.12)) kinds[kinds.length - 1] = 'agent_run';
          task(workStart(dayStart), kinds, { abandon: r.chance(0.1) });
        }
        for (let q = poisson(r, (weekday ? m.rate : 0.5) * 0.35); q > 0; q--)
          session('question', workStart(dayStart));
        if (heavy && r.chance(0.1)) session('explore', workStart(dayStart));
      }
      // Planted behaviour, on top of the person's ordinary work.
      if (planted(d, 'overnight_loops') && r.chance(((1.5 + r.next() * 2) / 7) * params.intensity))
        session('loop', dayStart + (21 + r.next() * 4) * HOUR);
      if (!weekday) continue;
      if (planted(d, 'repeated_prompts') && r.chance(0.5 * params.intensity))
        for (let k = r.int(1, 3); k > 0; k--) session('repeat', workStart(dayStart));
      if (planted(d, 'cache_padding') && r.chance(0.45 * params.intensity))
        for (let k = r.int(1, 2); k > 0; k--) session('padding', workStart(dayStart));
      if (planted(d, 'no_outcome_spender'))
        for (let k = Math.max(1, Math.round(r.int(1, 2) * params.intensity)); k > 0; k--)
          session('unshipped', workStart(dayStart), `${m.id}/wip-${serial}`);
      if (splitting)
        for (let k = Math.max(1, Math.round(r.int(2, 4) * params.intensity)); k > 0; k--)
          task(workStart(dayStart), ['tiny'], { tiny: true, selfMerge: r.chance(m.selfMergeShare) });
    }

    // Spikes go last: their size is relative to what the person spent in the weeks before.
    if (m.behaviour === 'deadline_spikes') {
      const mine = sessions.filter((s) => s.personId === m.id);
      for (const e of periodEnds) {
        if (e - 3 * DAY < ORG_START + m.from * DAY) continue;
        const base = mine.filter((s) => s.firstTs >= e - 31 * DAY && s.firstTs < e - 3 * DAY);
        const daily = Math.max(0.5, base.reduce((a, s) => a + s.costUsd, 0) / 28);
        const multiple = 3.5 + r.next() * 4.5;
        for (let k = 3; k >= 1; k--) {
          const dayStart = e - k * DAY;
          let spent = 0;
          while (spent < multiple * daily) spent += session('spike', workStart(dayStart)).costUsd;
        }
      }
    }
  }

  const deployments = mainLines(rng, merges, commits, end);
  sessions.sort((a, b) => a.firstTs - b.firstTs || (a.sessionId < b.sessionId ? -1 : 1));
  return {
    params,
    directory: orgDirectory(members.map((m) => ({ id: m.id, team: `team-${m.team}` }))),
    sessions,
    commits,
    pullRequests,
    deployments,
    truth: new Map(members.map((m) => [m.id, m.behaviour])),
    window,
    periodEnds,
  };
}

function commitRecord(
  repo: string,
  sha: string,
  parents: string[],
  author: string,
  ts: number,
  subject: string,
  additions: number,
  deletions: number,
  revertsSha: string | null,
  onDefaultBranch: boolean,
  prNumber: number | null = null,
): CommitRecord {
  const email = `${author}@${EMAIL_DOMAIN}`;
  return {
    id: `git:${repo}:${sha}`,
    repo,
    sha,
    parents,
    authorName: author,
    authorEmail: email,
    authorTs: Math.floor(ts / 1000) * 1000,
    committerName: author,
    committerEmail: email,
    committerTs: Math.floor(ts / 1000) * 1000,
    subject,
    additions,
    deletions,
    filesChanged: 1,
    prNumber,
    revertsSha,
    trailers: [],
    aiEvidence: [],
    onDefaultBranch,
    source: 'demo',
    origin: 'integrity-eval',
  };
}

/**
 * Each repository's default branch: squash merges and reverts in time order, each on the one
 * before, and a production deployment of the branch's tip every weekday at 16:00 when it moved
 * (2% of them rolled back).
 */
function mainLines(rng: Rng, merges: Merge[], commits: CommitRecord[], end: number): DeploymentRecord[] {
  const byRepo = new Map<string, Array<{ at: number; make: (parent: string | null) => CommitRecord }>>();
  for (const m of merges) {
    const list = byRepo.get(m.repo) ?? [];
    byRepo.set(m.repo, list);
    const add = Math.round(m.lines * 0.8);
    list.push({
      at: m.at,
      make: (parent) =>
        commitRecord(
          m.repo,
          m.squashSha,
          parent ? [parent] : [],
          m.author,
          m.at,
          `${m.pr.title} (#${m.pr.number})`,
          add,
          m.lines - add,
          null,
          true,
          m.pr.number,
        ),
    });
    if (m.revertAt !== null) {
      const sha = rng.hex(40);
      list.push({
        at: m.revertAt,
        make: (parent) =>
          commitRecord(
            m.repo,
            sha,
            parent ? [parent] : [],
            m.author,
            m.revertAt!,
            `Revert "${m.pr.title} (#${m.pr.number})"`,
            m.lines - add,
            add,
            m.squashSha,
            true,
          ),
      });
    }
  }
  const deployments: DeploymentRecord[] = [];
  for (const [repo, events] of [...byRepo].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    events.sort((a, b) => a.at - b.at);
    const tips: Array<{ at: number; sha: string }> = [];
    let parent: string | null = null;
    for (const e of events) {
      const c = e.make(parent);
      commits.push(c);
      parent = c.sha;
      tips.push({ at: c.committerTs, sha: c.sha });
    }
    let k = 0;
    let deployed: string | null = null;
    for (let day = ORG_START + 16 * HOUR; day < end; day += DAY) {
      if (new Date(day).getUTCDay() % 6 === 0) continue;
      while (k < tips.length && tips[k]!.at <= day) k++;
      const tip = k > 0 ? tips[k - 1]!.sha : null;
      if (tip === null || tip === deployed) continue;
      deployed = tip;
      deployments.push({
        id: `deploy:${repo}:${deployments.length}`,
        repo,
        service: repo,
        environment: 'production',
        production: true,
        status: rng.chance(0.02) ? 'rolled_back' : 'success',
        ts: day,
        shas: [tip],
        rollbackOf: null,
        source: 'demo',
        origin: 'integrity-eval',
      });
    }
  }
  return deployments;
}
