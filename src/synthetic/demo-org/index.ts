/**
 * The demo organisation (`tokenyield demo`): a seeded, realistic company whose AI spend, people
 * and shipped work exercise every analysis — heavy users who ship, light users, token burners,
 * PR splitters, changes that get reverted or rolled back — with the ground truth of who is who.
 *
 * Usage is generated lazily (one day, in bounded batches, at a time) so that a 5,000-engineer
 * year streams in bounded memory; the work records and the truth are built on first access,
 * or up front when git repositories are requested (their SHAs are needed by the usage stream).
 * The same options always give the same records, ids, numbers and SHAs.
 * @module
 */
import type { Person, Team } from '../../ledger/people/types.js';
import { createPriceBook, type PriceBook } from '../../ledger/pricing/index.js';
import type { ActivityRecord, UsageRecord } from '../../ledger/records.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { WorkBatch } from '../../ledger/work.js';
import { writeGitRepo } from './git.js';
import { type Behaviour, buildOrg, type OrgModel, type ResolvedOptions } from './org.js';
import { Planner } from './plan.js';
import { expandSession, summariseSession, type UsageContext } from './usage.js';
import { type BuiltWork, buildWork, type PrTruth, shaKey, syntheticSha } from './work.js';

export { BEHAVIOURS, type Behaviour } from './org.js';
export { CLAUDE_PR_BODY, CLAUDE_TRAILER, CODEX_TRAILER, type PrTruth } from './work.js';

/** Fixed so that the default demo is the same on every machine and every day. */
export const DEFAULT_END = '2026-06-30';
/** Records per usage batch: small enough to bound memory, large enough for efficient writes. */
const BATCH_RECORDS = 40_000;

export interface DemoOrgOptions {
  seed?: number;
  engineers?: number;
  teams?: number;
  days?: number;
  /** Last day of the period, `YYYY-MM-DD` (UTC). */
  end?: string;
  /** Directory in which to create real git repositories for the first `gitTeams` teams. */
  gitDir?: string;
  gitTeams?: number;
}

export interface DemoUsageBatch {
  usage: UsageRecord[];
  activity: ActivityRecord[];
}

export interface DemoPersonTruth {
  behaviour: Behaviour;
  manager: boolean;
  /** Team ids in membership order (two for people who moved). */
  teams: string[];
  prsOpened: number;
  /** Merged PRs other than reverts: shipped changes (DESIGN §5). */
  prsShipped: number;
  prsDurable: number;
  prsReverted: number;
  prsRolledBack: number;
  prsSelfMerged: number;
  /** Durable shipped changes written in an AI session. */
  aiPrsDurable: number;
  /** AI sessions that produced at least one durable shipped change (agent work units). */
  productiveSessions: number;
}

export interface DemoTruth {
  behaviours: Record<string, Behaviour>;
  people: Record<string, DemoPersonTruth>;
  pullRequests: PrTruth[];
  movers: Array<{ personId: string; from: string; to: string; date: string }>;
  /** Production deployments that were rolled back. */
  rolledBackDeployments: string[];
}

export interface DemoOrg {
  options: Readonly<ResolvedOptions>;
  people: Person[];
  teams: Team[];
  /** Usage and activity, day by day in bounded batches; each call starts a fresh pass. */
  usageBatches(): Iterable<DemoUsageBatch>;
  /**
   * Every session as the store's session summary would read it from `usageBatches()`, ordered
   * like the store's (first call, then id), folded without creating a record per call: the
   * per-call records of a 5,000-engineer year take minutes to generate and far more memory.
   */
  sessionSummaries(): SessionSummary[];
  /** PRs, deployments, incidents, tasks, and the commits of repositories without a git repo. */
  readonly work: WorkBatch;
  gitRepos: Array<{ path: string; repo: string }>;
  readonly truth: DemoTruth;
}

export function resolveOptions(options: DemoOrgOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    seed: options.seed ?? 1,
    engineers: options.engineers ?? 300,
    teams: options.teams ?? 20,
    days: options.days ?? 120,
    end: options.end ?? DEFAULT_END,
    gitDir: options.gitDir,
    gitTeams: options.gitTeams ?? 3,
  };
  for (const key of ['engineers', 'teams', 'days'] as const) {
    const v = resolved[key];
    if (!Number.isInteger(v) || v < 1) throw new Error(`demo: ${key} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(resolved.gitTeams) || resolved.gitTeams < 0) {
    throw new Error(`demo: gitTeams must be a non-negative integer, got ${resolved.gitTeams}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(resolved.end)) {
    throw new Error(`demo: end must be YYYY-MM-DD, got "${resolved.end}"`);
  }
  return resolved;
}

function buildTruth(org: OrgModel, built: BuiltWork): DemoTruth {
  const people: Record<string, DemoPersonTruth> = {};
  const behaviours: Record<string, Behaviour> = {};
  const teamIds = org.teams.map((t) => t.id);
  const movers: DemoTruth['movers'] = [];
  for (const m of org.members) {
    behaviours[m.person.id] = m.behaviour;
    people[m.person.id] = {
      behaviour: m.behaviour,
      manager: m.manager,
      teams: m.spans.map((s) => teamIds[s.team]!),
      prsOpened: 0,
      prsShipped: 0,
      prsDurable: 0,
      prsReverted: 0,
      prsRolledBack: 0,
      prsSelfMerged: 0,
      aiPrsDurable: 0,
      productiveSessions: 0,
    };
    if (m.spans.length > 1) {
      movers.push({
        personId: m.person.id,
        from: teamIds[m.spans[0]!.team]!,
        to: teamIds[m.spans[1]!.team]!,
        date: org.dates[m.spans[1]!.fromDay]!,
      });
    }
  }
  const durableSessions = new Set<string>();
  for (const pr of built.prs) {
    const t = people[pr.author]!;
    t.prsOpened++;
    if (pr.kind === 'revert' || !pr.merged) continue;
    t.prsShipped++;
    if (pr.durable) t.prsDurable++;
    if (pr.reverted) t.prsReverted++;
    if (pr.rolledBack) t.prsRolledBack++;
    if (pr.selfMerged) t.prsSelfMerged++;
    if (pr.durable && pr.sessionId !== null) {
      t.aiPrsDurable++;
      durableSessions.add(pr.sessionId);
    }
  }
  for (const s of built.shipSessions) {
    if (durableSessions.has(s.id)) people[org.members[s.member]!.person.id]!.productiveSessions++;
  }
  return { behaviours, people, pullRequests: built.prs, movers, rolledBackDeployments: built.rollbacks };
}

export function generateDemoOrg(options: DemoOrgOptions = {}): DemoOrg {
  const resolved = resolveOptions(options);
  const org = buildOrg(resolved);
  const book: PriceBook = createPriceBook();
  let built: BuiltWork | null = null;
  let truth: DemoTruth | null = null;
  const getBuilt = (): BuiltWork => {
    built ??= buildWork(org);
    return built;
  };

  const gitRepos: Array<{ path: string; repo: string }> = [];
  if (resolved.gitDir !== undefined) {
    const b = getBuilt();
    for (const stream of b.streams) {
      gitRepos.push(writeGitRepo(resolved.gitDir, stream));
      stream.chunks = []; // the stream is on disk now; do not hold it for the object's lifetime
    }
  }

  const ctx: UsageContext = {
    org,
    book,
    shaFor(repo, pr, commit) {
      if (org.repos[repo]!.git) {
        const sha = getBuilt().shaIndex.get(shaKey(repo, pr, commit));
        if (sha === undefined) throw new Error(`demo: no commit ${commit} of PR #${pr} in repo ${repo}`);
        return sha;
      }
      return syntheticSha(resolved.seed, org.repos[repo]!, `pr${pr}:c${commit}`);
    },
  };

  return {
    options: resolved,
    people: org.members.map((m) => m.person),
    teams: org.teams,
    *usageBatches() {
      let out: DemoUsageBatch = { usage: [], activity: [] };
      for (const day of new Planner(org).days()) {
        for (const session of day.sessions) {
          expandSession(ctx, session, out);
          if (out.usage.length + out.activity.length >= BATCH_RECORDS) {
            yield out;
            out = { usage: [], activity: [] };
          }
        }
        // Batches never span two days, so a consumer can checkpoint per day.
        if (out.usage.length + out.activity.length > 0) {
          yield out;
          out = { usage: [], activity: [] };
        }
      }
    },
    sessionSummaries() {
      const out: SessionSummary[] = [];
      for (const day of new Planner(org).days()) {
        for (const session of day.sessions) {
          const summary = summariseSession(ctx, session);
          if (summary !== null) out.push(summary);
        }
      }
      return out.sort(
        (a, b) =>
          a.firstTs - b.firstTs || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0),
      );
    },
    get work() {
      return getBuilt().work;
    },
    gitRepos,
    get truth() {
      truth ??= buildTruth(org, getBuilt());
      return truth;
    },
  };
}
