/**
 * The value model: every change classified (shipped, trivial, self-merged, reverted, rolled back,
 * incident root cause, durable), every production deployment resolved to the changes it shipped
 * first and its 1 split across them (normalised deployments), and every session given an outcome.
 * Built once from arrays of records; the metric functions and the leaderboard only read it.
 *
 * Definitions (DESIGN §5, docs/metrics.md):
 * - shipped: a PR merged into its repository's default branch; in a repository with no PR data, a
 *   non-merge commit on the default branch;
 * - durable: shipped, not reverted within the horizon (14 days) of shipping, not newly shipped by a
 *   deployment that was rolled back or named by an incident, no commit named as an incident's root cause;
 * - qualifying: durable, not trivial (< 5 lines), not self-merged, not itself a revert. Only
 *   qualifying changes earn ND, AWU and board credit.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { CommitRecord, DeploymentRecord, IncidentRecord, PullRequestRecord } from '../../ledger/work.js';
import { buildLinkIndex, type Change, type LinkIndex, type LinkInput } from '../linking/link.js';
import { type ResolvedValueOptions, resolveValueOptions, type ValueOptions } from './options.js';

export interface ValueInput extends LinkInput {
  deployments: readonly DeploymentRecord[];
  incidents: readonly IncidentRecord[];
}

/** What a shipped change is in this data: PRs, commits (no PR data), or both across repositories. */
export type ChangeBasis = 'merged_prs' | 'default_branch_commits' | 'mixed' | 'none';

/** What ND is computed from: deployments, or (no deployment data) one per qualifying durable change. */
export type NdBasis = 'deployments' | 'durable_prs' | 'durable_commits' | 'durable_changes';

export interface RevertFact {
  /** Id of the reverting commit. */
  commitId: string;
  sha: string;
  at: number;
}

export interface ChangeFacts {
  change: Change;
  /** Merged into (or committed on) the default branch. */
  shipped: boolean;
  /** Merge time (PR) or commit time (commit change); null when not shipped. */
  shippedAt: number | null;
  additions: number;
  deletions: number;
  trivial: boolean;
  selfMerged: boolean;
  /** The change only reverts earlier work. */
  isRevert: boolean;
  revertedBy: RevertFact | null;
  /** Id of the rolled-back deployment that first shipped it. */
  rolledBackIn: string | null;
  /** Incidents naming one of its commits or the deployment that first shipped it. */
  incidentIds: string[];
  durable: boolean;
  /** The revert horizon has passed by `asOf`, so `durable` can no longer change through a revert. */
  settled: boolean;
  qualifying: boolean;
  aiAssisted: boolean;
  /** Production deployment that shipped it first. */
  deploymentId: string | null;
  deployedAt: number | null;
  /** Its share of that deployment's 1 (0 unless qualifying and the deployment counted). */
  ndShare: number;
}

/** Why a production deployment is worth what it is worth. */
export type DeploymentOutcome =
  | 'credited'
  | 'nothing_new'
  | 'no_qualifying_changes'
  | 'rolled_back'
  | 'incident'
  | 'not_successful';

export interface DeploymentFacts {
  deployment: DeploymentRecord;
  /** Changes (indexes into `facts`) this deployment shipped first. */
  newChanges: number[];
  /** Qualifying new changes and their shares; shares sum to `worth`. */
  recipients: number[];
  shares: number[];
  worth: 0 | 1;
  outcome: DeploymentOutcome;
  rolledBack: boolean;
  incidentIds: string[];
  /** SHAs that named no known commit, or several. */
  unresolvedShas: string[];
}

/** Why a session's spend did or did not lead to a durable outcome; the order is the precedence. */
export const SESSION_OUTCOMES = [
  'durable',
  'not_counted',
  'not_durable',
  'in_review',
  'not_shipped',
  'never_committed',
  'no_edits',
] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export interface ValueModel {
  options: ResolvedValueOptions;
  directory: PeopleDirectory;
  links: LinkIndex;
  sessions: readonly SessionSummary[];
  /** Parallel to `links.changes`. */
  facts: ChangeFacts[];
  /** Production deployments in time order. */
  deployments: DeploymentFacts[];
  deploymentById: Map<string, DeploymentFacts>;
  changeBasis: ChangeBasis;
  ndBasis: NdBasis;
  /** Index into `SESSION_OUTCOMES`, parallel to `sessions`. */
  sessionOutcome: Uint8Array;
  asOf: number;
}

function sameLogin(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

/** Default branch per repository: configured, else the base branch most merged PRs whose merge commit is on it used. */
function defaultBranchOf(
  prs: readonly PullRequestRecord[],
  mergeCommit: (pr: PullRequestRecord, index: number) => CommitRecord | undefined,
  configured: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const confirmed = new Map<string, Map<string, number>>();
  const any = new Map<string, Map<string, number>>();
  const bump = (m: Map<string, Map<string, number>>, repo: string, ref: string) => {
    let counts = m.get(repo);
    if (!counts) {
      counts = new Map();
      m.set(repo, counts);
    }
    counts.set(ref, (counts.get(ref) ?? 0) + 1);
  };
  prs.forEach((pr, p) => {
    if (pr.mergedAt === null) return;
    bump(any, pr.repo, pr.baseRef);
    if (mergeCommit(pr, p)?.onDefaultBranch) bump(confirmed, pr.repo, pr.baseRef);
  });
  const out = new Map<string, string>();
  const top = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  for (const [repo, counts] of any) out.set(repo, top(confirmed.get(repo) ?? counts));
  if (configured) for (const [repo, ref] of configured) out.set(repo, ref);
  return out;
}

/** Shared by every change no incident names (nearly all): one empty array, not one per change. */
const NO_INCIDENTS: string[] = [];

function addIncident(f: ChangeFacts, id: string): void {
  if (f.incidentIds === NO_INCIDENTS) f.incidentIds = [id];
  else if (!f.incidentIds.includes(id)) f.incidentIds.push(id);
}

export function buildValueModel(
  input: ValueInput,
  directory: PeopleDirectory,
  options: ValueOptions = {},
): ValueModel {
  const opts = resolveValueOptions(options);
  const links = buildLinkIndex(input, directory, options);
  const { shas, changes, changeOfCommit, commits } = links;

  /** Position of the commit `sha` names in `repo`, or -1. */
  const commitBySha = (repo: string, sha: string | null): number => {
    if (!sha) return -1;
    const hit = shas.resolveIndex(sha, repo);
    return hit >= 0 && commits[hit]!.repo === repo ? hit : -1;
  };
  // Each merged PR's merge commit, looked up once for both uses below.
  const mergeCommit = new Int32Array(links.pullRequests.length).fill(-1);
  links.pullRequests.forEach((pr, p) => {
    if (pr.mergedAt !== null) mergeCommit[p] = commitBySha(pr.repo, pr.mergeCommitSha);
  });
  const defaults = defaultBranchOf(
    links.pullRequests,
    (_, p) => commits[mergeCommit[p]!],
    opts.defaultBranches,
  );

  let asOf = opts.asOf ?? Number.NEGATIVE_INFINITY;
  if (opts.asOf === undefined) {
    for (const c of links.commits) if (c.committerTs > asOf) asOf = c.committerTs;
    for (const pr of links.pullRequests) asOf = Math.max(asOf, pr.mergedAt ?? pr.closedAt ?? pr.createdAt);
    for (const d of input.deployments) if (d.ts > asOf) asOf = d.ts;
    for (const s of input.sessions) if (s.lastTs > asOf) asOf = s.lastTs;
    if (!Number.isFinite(asOf)) asOf = 0;
  }

  // 1. Shipped, size, self-merge, revert-ness.
  const factsOf = (change: Change): ChangeFacts => {
    let shipped = false;
    let shippedAt: number | null = null;
    let additions = 0;
    let deletions = 0;
    let selfMerged = false;
    const pr = change.pr;
    if (pr) {
      if (pr.mergedAt !== null) {
        const configured = opts.defaultBranches?.get(pr.repo);
        // A PR change's index is its position in `pullRequests`.
        const merge = configured === undefined ? commits[mergeCommit[change.index]!] : undefined;
        shipped = merge ? merge.onDefaultBranch : pr.baseRef === defaults.get(pr.repo);
        if (shipped) shippedAt = pr.mergedAt;
      }
      additions = pr.additions;
      deletions = pr.deletions;
      if (additions + deletions === 0) {
        // Some exports omit PR sizes; the PR's own (non-merge) commits carry them.
        for (const c of change.commits) {
          if (c.parents.length > 1) continue;
          additions += c.additions;
          deletions += c.deletions;
        }
      }
      if (pr.mergedBy !== null) {
        const merger = links.people.byLogin(pr.mergedBy);
        const mergedByAuthor =
          sameLogin(pr.mergedBy, pr.author) || (merger !== null && merger === change.personId);
        const independent = pr.approvers.some((a) => {
          if (sameLogin(a, pr.author)) return false;
          const who = links.people.byLogin(a);
          return who === null || who !== change.personId;
        });
        selfMerged = mergedByAuthor && !independent;
      }
    } else if (change.commit) {
      const c = change.commit;
      shipped = c.onDefaultBranch;
      shippedAt = shipped ? c.committerTs : null;
      additions = c.additions;
      deletions = c.deletions;
    }
    let own = 0;
    let reverting = 0;
    for (const c of change.commits) {
      if (c.parents.length > 1) continue;
      own++;
      if (c.revertsSha !== null) reverting++;
    }
    const isRevert = own > 0 && reverting === own;
    return {
      change,
      shipped,
      shippedAt,
      additions,
      deletions,
      trivial: additions + deletions < opts.trivialLines,
      selfMerged,
      isRevert,
      revertedBy: null,
      rolledBackIn: null,
      incidentIds: NO_INCIDENTS,
      durable: false,
      settled: false,
      qualifying: false,
      aiAssisted: change.aiAssisted,
      deploymentId: null,
      deployedAt: null,
      ndShare: 0,
    };
  };
  // A share is a fraction, and an object whose 0 later becomes a fraction has its shape
  // deprecated and migrated one object at a time, on every later access: a throwaway object
  // settles the shape before the real ones are made (this was most of the ND step's time and
  // slowed every later pass over the facts).
  if (changes.length > 0) {
    const settle = factsOf(changes[0]!);
    settle.ndShare = 0.5;
    settle.deployedAt = 0.5;
  }
  const facts: ChangeFacts[] = changes.map(factsOf);

  // 2. Reverts: a revert that reached the default branch within the horizon after shipping.
  for (let ci = 0; ci < commits.length; ci++) {
    const c = commits[ci]!;
    if (c.revertsSha === null || !c.onDefaultBranch) continue;
    const found = shas.findIndex(c.revertsSha, [c.repo]);
    if (found < 0) continue;
    const target = changeOfCommit[found]!;
    if (target < 0 || target === changeOfCommit[ci]) continue;
    const f = facts[target]!;
    if (f.shippedAt === null) continue;
    const lag = c.committerTs - f.shippedAt;
    if (lag < 0 || lag > opts.revertHorizonMs) continue;
    if (f.revertedBy === null || c.committerTs < f.revertedBy.at)
      f.revertedBy = { commitId: c.id, sha: c.sha, at: c.committerTs };
  }

  // 3. Deployments: first production deployment to ship a change gets it.
  const production = input.deployments
    .filter((d) => d.production)
    .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rolledBackIds = new Set<string>();
  for (const d of input.deployments) {
    if (d.status === 'rolled_back') rolledBackIds.add(d.id);
    if (d.rollbackOf !== null && d.status !== 'failure' && d.status !== 'error')
      rolledBackIds.add(d.rollbackOf);
  }
  const incidentsByDeployment = new Map<string, string[]>();
  for (const inc of input.incidents) {
    if (inc.deploymentId === null) continue;
    const list = incidentsByDeployment.get(inc.deploymentId);
    if (list) list.push(inc.id);
    else incidentsByDeployment.set(inc.deploymentId, [inc.id]);
  }

  const shippedCommits = new Uint8Array(commits.length);
  const deployments: DeploymentFacts[] = [];
  const deploymentById = new Map<string, DeploymentFacts>();
  for (const d of production) {
    const df: DeploymentFacts = {
      deployment: d,
      newChanges: [],
      recipients: [],
      shares: [],
      worth: 0,
      outcome: 'not_successful',
      rolledBack: rolledBackIds.has(d.id),
      incidentIds: incidentsByDeployment.get(d.id) ?? [],
      unresolvedShas: [],
    };
    deployments.push(df);
    deploymentById.set(d.id, df);
    // A deployment that went out and was rolled back did ship its changes (they were live).
    if (d.status !== 'success' && d.status !== 'rolled_back') continue;
    const stack: number[] = [];
    for (const sha of d.shas) {
      const hit = shas.resolveIndex(sha, d.repo);
      if (hit >= 0 && (d.repo === null || commits[hit]!.repo === d.repo)) stack.push(hit);
      else df.unresolvedShas.push(sha);
    }
    const oldest = d.ts - opts.ancestryLookbackMs;
    while (stack.length > 0) {
      const ci = stack.pop()!;
      if (shippedCommits[ci] === 1) continue;
      shippedCommits[ci] = 1;
      const ch = changeOfCommit[ci]!;
      if (ch >= 0) {
        const f = facts[ch]!;
        if (f.deploymentId === null) {
          f.deploymentId = d.id;
          f.deployedAt = d.ts;
          df.newChanges.push(ch);
        }
      }
      if (!opts.deploymentAncestry) continue;
      const c = commits[ci]!;
      for (const p of c.parents) {
        const parent = shas.exactIndex(c.repo, p);
        if (parent >= 0 && shippedCommits[parent] === 0 && commits[parent]!.committerTs >= oldest)
          stack.push(parent);
      }
    }
    for (const i of df.newChanges) {
      const f = facts[i]!;
      if (df.rolledBack) f.rolledBackIn = d.id;
      for (const inc of df.incidentIds) addIncident(f, inc);
    }
  }

  // 4. Incident root causes.
  for (const inc of input.incidents) {
    const hint = inc.deploymentId ? deploymentById.get(inc.deploymentId)?.deployment.repo : null;
    for (const sha of inc.rootCauseShas) {
      const hit = shas.resolveIndex(sha, hint ? hint : null);
      if (hit < 0) continue;
      const ch = changeOfCommit[hit]!;
      if (ch < 0) continue;
      const f = facts[ch]!;
      addIncident(f, inc.id);
    }
  }

  // 5. Durability and what qualifies.
  for (const f of facts) {
    f.durable = f.shipped && f.revertedBy === null && f.rolledBackIn === null && f.incidentIds.length === 0;
    f.settled = f.shippedAt !== null && f.shippedAt + opts.revertHorizonMs <= asOf;
    f.qualifying = f.durable && !f.trivial && !f.selfMerged && !f.isRevert;
  }

  // 6. ND: each successful, not rolled back, incident-free deployment's 1 over its qualifying new changes.
  for (const df of deployments) {
    const d = df.deployment;
    if (d.status !== 'success' && d.status !== 'rolled_back') continue;
    if (df.rolledBack) df.outcome = 'rolled_back';
    else if (df.incidentIds.length > 0) df.outcome = 'incident';
    else if (df.newChanges.length === 0) df.outcome = 'nothing_new';
    else {
      df.recipients = df.newChanges.filter((i) => facts[i]!.qualifying);
      if (df.recipients.length === 0) df.outcome = 'no_qualifying_changes';
      else {
        df.outcome = 'credited';
        df.worth = 1;
        df.shares = splitShares(
          df.recipients.map((i) => facts[i]!.change.personId),
          opts.ndSplit,
        );
        df.recipients.forEach((i, k) => {
          facts[i]!.ndShare = df.shares[k]!;
        });
      }
    }
  }

  const commitChanges = changes.some((c) => c.kind === 'commit');
  const changeBasis: ChangeBasis =
    links.pullRequests.length > 0 && commitChanges
      ? 'mixed'
      : links.pullRequests.length > 0
        ? 'merged_prs'
        : commitChanges
          ? 'default_branch_commits'
          : 'none';
  const ndBasis: NdBasis =
    production.length > 0
      ? 'deployments'
      : changeBasis === 'merged_prs'
        ? 'durable_prs'
        : changeBasis === 'default_branch_commits'
          ? 'durable_commits'
          : 'durable_changes';
  if (ndBasis !== 'deployments') for (const f of facts) f.ndShare = f.qualifying ? 1 : 0;

  const sessionOutcome = classifySessions(input.sessions, links, facts);

  return {
    options: { ...opts, asOf },
    directory,
    links,
    sessions: input.sessions,
    facts,
    deployments,
    deploymentById,
    changeBasis,
    ndBasis,
    sessionOutcome,
    asOf,
  };
}

/**
 * Shares of one deployment for its recipients (given by person). `change`: 1/n each. `person`:
 * 1/people per person, then equally over that person's changes, so splitting one's work into
 * more changes never changes one's share.
 */
export function splitShares(people: ReadonlyArray<string | null>, mode: 'change' | 'person'): number[] {
  const n = people.length;
  if (mode === 'change') return people.map(() => 1 / n);
  const counts = new Map<string | null, number>();
  for (const p of people) counts.set(p, (counts.get(p) ?? 0) + 1);
  const perPerson = 1 / counts.size;
  return people.map((p) => perPerson / counts.get(p)!);
}

const CODE = Object.fromEntries(SESSION_OUTCOMES.map((o, i) => [o, i])) as Record<SessionOutcome, number>;

function classifySessions(
  sessions: readonly SessionSummary[],
  links: LinkIndex,
  facts: readonly ChangeFacts[],
): Uint8Array {
  // What a link to each change is worth, computed once per change rather than once per link.
  const changeCode = new Uint8Array(facts.length);
  for (const f of facts) {
    changeCode[f.change.index] = f.qualifying
      ? CODE.durable
      : f.durable
        ? CODE.not_counted
        : f.shipped
          ? CODE.not_durable
          : f.change.pr?.state === 'open'
            ? CODE.in_review
            : CODE.not_shipped;
  }
  const {
    sessionChangeStart,
    sessionChangeList,
    sessionCommitStart,
    sessionCommitList,
    changeOfCommit,
    commits,
  } = links;
  const out = new Uint8Array(sessions.length);
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    let best = s.edits > 0 || s.linesAdded + s.linesRemoved > 0 ? CODE.never_committed : CODE.no_edits;
    for (let k = sessionChangeStart[i]!; k < sessionChangeStart[i + 1]!; k++)
      best = Math.min(best, changeCode[sessionChangeList[k]!]!);
    if (best > CODE.not_counted) {
      for (let k = sessionCommitStart[i]!; k < sessionCommitStart[i + 1]!; k++) {
        const ci = sessionCommitList[k]!;
        if (changeOfCommit[ci]! >= 0) continue;
        // A commit outside every change: pushed straight to the default branch of a PR repository
        // (work that bypassed review, so it does not count) or left on a branch.
        best = Math.min(best, commits[ci]!.onDefaultBranch ? CODE.not_counted : CODE.not_shipped);
      }
    }
    out[i] = best;
  }
  return out;
}
