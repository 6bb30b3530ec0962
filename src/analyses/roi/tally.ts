/**
 * One pass over the value model that sums, per period and per team, what ROI is made of: spend,
 * sessions by outcome, agent work units, qualifying durable changes and ND. Attribution is the
 * value metrics' (value/aggregate.ts), so a window's totals equal `valueSummary` for the same
 * scope: a session counts at its start for its person and their team then; a change at its
 * shipping time for its author and their team then; an ND share at its deployment's time.
 * @module
 */
import type { Tool } from '../../ledger/records.js';
import { teamResolver } from '../value/aggregate.js';
import { SESSION_OUTCOMES, type ValueModel } from '../value/model.js';
import { inWindow, type Window } from '../value/time.js';
import { periodIndex, type RoiPeriod } from './periods.js';

/** Whose numbers: everyone, the people of some teams while members, or one person. */
export type RoiScope =
  | { kind: 'org' }
  | { kind: 'teams'; teams: readonly string[] }
  | { kind: 'person'; personId: string };

export interface Tally {
  costUsd: number;
  sessions: number;
  unpricedCalls: number;
  /** Sessions that edited files or committed. */
  attempted: number;
  agentWorkUnits: number;
  /** Sessions and their spend, by index into `SESSION_OUTCOMES`. */
  outcomeSessions: number[];
  outcomeCost: number[];
  shipped: number;
  /** Qualifying durable changes (docs/metrics.md): the changes ND and AWU credit. */
  durableChanges: number;
  nd: number;
  /** People with a session or a shipped change: the group's size for suppression. */
  contributors: Set<string>;
}

export function emptyTally(): Tally {
  return {
    costUsd: 0,
    sessions: 0,
    unpricedCalls: 0,
    attempted: 0,
    agentWorkUnits: 0,
    outcomeSessions: SESSION_OUTCOMES.map(() => 0),
    outcomeCost: SESSION_OUTCOMES.map(() => 0),
    shipped: 0,
    durableChanges: 0,
    nd: 0,
    contributors: new Set(),
  };
}

export interface TallyRequest {
  window: Window;
  periods: readonly RoiPeriod[];
  scope: RoiScope;
  /** Only sessions of these tools; changes and ND are then not counted (they are not split by tool). */
  tools?: readonly Tool[];
}

export interface Tallies {
  total: Tally;
  /** Parallel to the request's periods. */
  periods: Tally[];
  /** By the team a record is attributed to; `null` for people in no team (org scope only). */
  teams: Map<string | null, Tally>;
}

const DURABLE = SESSION_OUTCOMES.indexOf('durable');

export function tally(model: ValueModel, request: TallyRequest): Tallies {
  const { window, periods, scope } = request;
  const teamAt = teamResolver(model);
  const teamSet = scope.kind === 'teams' ? new Set(scope.teams) : null;
  const tools = request.tools ? new Set<string>(request.tools) : null;
  const total = emptyTally();
  const byPeriod = periods.map(emptyTally);
  const teams = new Map<string | null, Tally>();
  const teamTally = (team: string | null): Tally => {
    let t = teams.get(team);
    if (!t) {
      t = emptyTally();
      teams.set(team, t);
    }
    return t;
  };
  /** The tallies a record of `personId` (null: unknown author) at `ts` feeds, or none. */
  const targets = (personId: string | null, ts: number): Tally[] => {
    if (!inWindow(ts, window)) return [];
    const p = periodIndex(periods, ts);
    if (p < 0) return [];
    if (scope.kind === 'person' && personId !== scope.personId) return [];
    const team = personId === null ? null : teamAt(personId, ts);
    if (teamSet && (team === null || !teamSet.has(team))) return [];
    const out = [total, byPeriod[p]!];
    // An unknown author's work counts for the org but for no team (as in the value metrics).
    if (scope.kind !== 'person' && (personId !== null || scope.kind === 'org')) out.push(teamTally(team));
    return out;
  };

  model.sessions.forEach((s, i) => {
    if (tools && !tools.has(s.tool)) return;
    const outcome = model.sessionOutcome[i]!;
    const attempted = s.edits > 0 || s.commitShas.length > 0;
    for (const t of targets(s.personId, s.firstTs)) {
      t.costUsd += s.costUsd;
      t.sessions++;
      t.unpricedCalls += s.unpricedCalls;
      t.outcomeSessions[outcome]!++;
      t.outcomeCost[outcome]! += s.costUsd;
      if (attempted) {
        t.attempted++;
        if (outcome === DURABLE) t.agentWorkUnits++;
      }
      t.contributors.add(s.personId);
    }
  });
  // A change is made with any number of tools, so a tool filter leaves outcomes other than
  // sessions' out rather than guess a split.
  if (tools) return { total, periods: byPeriod, teams };

  const deploymentNd = model.ndBasis === 'deployments';
  for (const f of model.facts) {
    if (f.shippedAt === null) continue;
    const personId = f.change.personId;
    for (const t of targets(personId, f.shippedAt)) {
      t.shipped++;
      if (f.qualifying) t.durableChanges++;
      if (!deploymentNd) t.nd += f.ndShare;
      if (personId !== null) t.contributors.add(personId);
    }
  }
  if (deploymentNd) {
    for (const df of model.deployments) {
      if (df.worth === 0) continue;
      df.recipients.forEach((i, k) => {
        const f = model.facts[i]!;
        const personId = f.change.personId;
        if (!inWindow(df.deployment.ts, window)) return;
        // Credited at the deployment's time, to the team the author was in when the change shipped.
        const p = periodIndex(periods, df.deployment.ts);
        if (p < 0) return;
        if (scope.kind === 'person' && personId !== scope.personId) return;
        const team = personId === null ? null : teamAt(personId, f.shippedAt ?? df.deployment.ts);
        if (teamSet && (team === null || !teamSet.has(team))) return;
        const share = df.shares[k]!;
        total.nd += share;
        byPeriod[p]!.nd += share;
        if (scope.kind !== 'person' && (personId !== null || scope.kind === 'org'))
          teamTally(team).nd += share;
      });
    }
  }
  return { total, periods: byPeriod, teams };
}
