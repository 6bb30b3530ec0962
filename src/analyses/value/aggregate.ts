/**
 * One pass over the model that sums everything the value metrics need, for one scope or for the
 * org, every team and every person at once. Each metric function is then arithmetic on a sum, so
 * `valueSummaries` over 5,000 people costs one pass, not 5,000.
 *
 * Attribution: a change counts at its shipping time, for its author and the team the author was
 * in then (`directory.teamAt`); an ND share counts at its deployment's time, for the change's
 * author and team; a session counts at its start, for its person and their team then.
 * @module
 */

import { SESSION_OUTCOMES, type ValueModel } from './model.js';
import { ALL_TIME, dayOf, inWindow, type Window, weekOf } from './time.js';

export type Scope = { kind: 'org' } | { kind: 'team'; team: string } | { kind: 'person'; personId: string };

export function scopeKey(scope: Scope): string {
  return scope.kind === 'org'
    ? 'org'
    : scope.kind === 'team'
      ? `team:${scope.team}`
      : `person:${scope.personId}`;
}

export interface Acc {
  scope: Scope;
  shipped: number;
  durable: number;
  /** Durable changes still inside the revert horizon. */
  provisional: number;
  trivial: number;
  selfMerged: number;
  reverts: number;
  qualifying: number;
  /** Shipped changes that are not durable, by reason (one change can have several). */
  reverted: number;
  rolledBack: number;
  incident: number;
  aiAssistedQualifying: number;
  /** Σ log2(1 + lines) over qualifying changes: size counts, with diminishing returns. */
  weightedQualifying: number;
  nd: number;
  ndByWeek: Map<number, number>;
  /** ND shares whose change has no known author (org scope only). */
  ndUnattributed: number;
  sessions: number;
  costUsd: number;
  unpricedCalls: number;
  calls: number;
  prompts: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  attempted: number;
  agenticAttempted: number;
  awu: number;
  agenticAwu: number;
  outcomeSessions: number[];
  outcomeCost: number[];
  /** person-week keys (`personSlot * WEEK_SLOTS + week`) with any activity. */
  workingWeeks: Set<number>;
  /** person-week keys with a qualifying AI-assisted change. */
  aiWeeks: Set<number>;
  /** person-week keys with an AI session (calls or prompts) / an agentic session. */
  aiUseWeeks: Set<number>;
  agenticWeeks: Set<number>;
}

/** Weeks since 1970 stay below this for the next 130 years, so person-week keys are exact integers. */
export const WEEK_SLOTS = 10_000;

function newAcc(scope: Scope): Acc {
  return {
    scope,
    shipped: 0,
    durable: 0,
    provisional: 0,
    trivial: 0,
    selfMerged: 0,
    reverts: 0,
    qualifying: 0,
    reverted: 0,
    rolledBack: 0,
    incident: 0,
    aiAssistedQualifying: 0,
    weightedQualifying: 0,
    nd: 0,
    ndByWeek: new Map(),
    ndUnattributed: 0,
    sessions: 0,
    costUsd: 0,
    unpricedCalls: 0,
    calls: 0,
    prompts: 0,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    attempted: 0,
    agenticAttempted: 0,
    awu: 0,
    agenticAwu: 0,
    outcomeSessions: SESSION_OUTCOMES.map(() => 0),
    outcomeCost: SESSION_OUTCOMES.map(() => 0),
    workingWeeks: new Set(),
    aiWeeks: new Set(),
    aiUseWeeks: new Set(),
    agenticWeeks: new Set(),
  };
}

/** Numbers people densely so person-week keys are integers, and remembers who is who. */
export class PersonSlots {
  private readonly slots = new Map<string, number>();
  readonly ids: string[] = [];
  slot(personId: string): number {
    let s = this.slots.get(personId);
    if (s === undefined) {
      s = this.ids.length;
      this.slots.set(personId, s);
      this.ids.push(personId);
    }
    return s;
  }
}

/** `directory.teamAt` by person and UTC day: memberships change by date, lookups repeat millions of times. */
export function teamResolver(model: ValueModel): (personId: string, ts: number) => string | null {
  const cache = new Map<string, Map<number, string | null>>();
  return (personId, ts) => {
    let days = cache.get(personId);
    if (!days) {
      days = new Map();
      cache.set(personId, days);
    }
    const day = dayOf(ts);
    let team = days.get(day);
    if (team === undefined) {
      team = model.directory.teamAt(personId, ts) ?? null;
      days.set(day, team);
    }
    return team;
  };
}

/** Distinct person slots in a set of person-week keys. */
export function slotsOf(keys: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  for (const k of keys) out.add(Math.floor(k / WEEK_SLOTS));
  return out;
}

/** week → person slots, from person-week keys. */
export function byWeek(keys: ReadonlySet<number>): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const k of keys) {
    const week = k % WEEK_SLOTS;
    let set = out.get(week);
    if (!set) {
      set = new Set();
      out.set(week, set);
    }
    set.add(Math.floor(k / WEEK_SLOTS));
  }
  return out;
}

export interface Aggregation {
  accs: Map<string, Acc>;
  slots: PersonSlots;
}

/**
 * Sums the model over `window` for `target`: one scope, or `'all'` (org, every team seen, every
 * person seen). Records of people in `exclude` are left out everywhere (the board holds people
 * with open integrity flags out of team aggregates too).
 */
export function aggregate(
  model: ValueModel,
  window: Window,
  target: Scope | 'all',
  exclude?: ReadonlySet<string>,
): Aggregation {
  const slots = new PersonSlots();
  const teamAt = teamResolver(model);
  const all = target === 'all';
  const wantOrg = all || target.kind === 'org';
  const wantTeam = all || target.kind === 'team';
  const wantPerson = all || target.kind === 'person';
  const onlyPerson = !all && target.kind === 'person' ? target.personId : null;
  const onlyTeam = !all && target.kind === 'team' ? target.team : null;

  // Accumulators by kind, so the hot loops never build scope keys.
  const org = wantOrg ? newAcc({ kind: 'org' }) : null;
  const teams = new Map<string, Acc>();
  const persons = new Map<string, Acc>();
  const personAcc = (personId: string): Acc => {
    let a = persons.get(personId);
    if (!a) {
      a = newAcc({ kind: 'person', personId });
      persons.set(personId, a);
    }
    return a;
  };
  const teamAcc = (team: string): Acc => {
    let a = teams.get(team);
    if (!a) {
      a = newAcc({ kind: 'team', team });
      teams.set(team, a);
    }
    return a;
  };
  if (onlyTeam !== null) teamAcc(onlyTeam);
  if (onlyPerson !== null) personAcc(onlyPerson);

  /** The accumulators a record of `personId` at `ts` feeds (at most org, team, person). */
  const targets: Acc[] = [];
  const collect = (personId: string | null, ts: number): Acc[] => {
    targets.length = 0;
    if (personId !== null && exclude?.has(personId)) return targets;
    if (org) targets.push(org);
    if (personId === null) return targets;
    if (wantPerson && (onlyPerson === null || onlyPerson === personId)) targets.push(personAcc(personId));
    if (wantTeam) {
      const team = teamAt(personId, ts);
      if (team !== null && (onlyTeam === null || onlyTeam === team)) targets.push(teamAcc(team));
    }
    return targets;
  };
  const markActive = (personId: string, ts: number, accsFor: Acc[]) => {
    const key = slots.slot(personId) * WEEK_SLOTS + weekOf(ts);
    for (const a of accsFor) a.workingWeeks.add(key);
  };

  for (const f of model.facts) {
    if (f.shippedAt === null || !inWindow(f.shippedAt, window)) continue;
    const personId = f.change.personId;
    const accsFor = collect(personId, f.shippedAt);
    if (personId !== null) markActive(personId, f.shippedAt, accsFor);
    const lines = f.additions + f.deletions;
    for (const a of accsFor) {
      a.shipped++;
      if (f.durable) a.durable++;
      if (f.durable && !f.settled) a.provisional++;
      if (f.trivial) a.trivial++;
      if (f.selfMerged) a.selfMerged++;
      if (f.isRevert) a.reverts++;
      if (f.revertedBy) a.reverted++;
      if (f.rolledBackIn) a.rolledBack++;
      if (f.incidentIds.length > 0) a.incident++;
      if (f.qualifying) {
        a.qualifying++;
        a.weightedQualifying += Math.log2(1 + lines);
        if (f.aiAssisted) a.aiAssistedQualifying++;
      }
      if (model.ndBasis !== 'deployments' && f.ndShare > 0) {
        a.nd += f.ndShare;
        const w = weekOf(f.shippedAt);
        a.ndByWeek.set(w, (a.ndByWeek.get(w) ?? 0) + f.ndShare);
        if (personId === null) a.ndUnattributed += f.ndShare;
      }
    }
    if (f.qualifying && f.aiAssisted && personId !== null) {
      const key = slots.slot(personId) * WEEK_SLOTS + weekOf(f.shippedAt);
      for (const a of accsFor) a.aiWeeks.add(key);
    }
  }

  if (model.ndBasis === 'deployments') {
    for (const df of model.deployments) {
      if (df.worth === 0 || !inWindow(df.deployment.ts, window)) continue;
      const week = weekOf(df.deployment.ts);
      df.recipients.forEach((i, k) => {
        const f = model.facts[i]!;
        const share = df.shares[k]!;
        const personId = f.change.personId;
        for (const a of collect(personId, f.shippedAt ?? df.deployment.ts)) {
          a.nd += share;
          a.ndByWeek.set(week, (a.ndByWeek.get(week) ?? 0) + share);
          if (personId === null) a.ndUnattributed += share;
        }
      });
    }
  }

  const sessions = model.sessions;
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    if (!inWindow(s.firstTs, window)) continue;
    if (onlyPerson !== null && s.personId !== onlyPerson) continue;
    const accsFor = collect(s.personId, s.firstTs);
    if (accsFor.length === 0) continue;
    const key = slots.slot(s.personId) * WEEK_SLOTS + weekOf(s.firstTs);
    const outcome = model.sessionOutcome[i]!;
    const attempted = s.edits > 0 || s.commitShas.length > 0;
    const used = s.calls > 0 || s.prompts > 0;
    for (const a of accsFor) {
      a.workingWeeks.add(key);
      a.sessions++;
      a.costUsd += s.costUsd;
      a.unpricedCalls += s.unpricedCalls;
      a.calls += s.calls;
      a.prompts += s.prompts;
      a.inputTokens += s.inputTokens;
      a.cacheReadTokens += s.cacheReadTokens;
      a.cacheWriteTokens += s.cacheWriteTokens;
      a.outputTokens += s.outputTokens;
      a.outcomeSessions[outcome]!++;
      a.outcomeCost[outcome]! += s.costUsd;
      if (attempted) {
        a.attempted++;
        if (s.agentic) a.agenticAttempted++;
        if (outcome === 0) {
          a.awu++;
          if (s.agentic) a.agenticAwu++;
        }
      }
      if (used) a.aiUseWeeks.add(key);
      if (used && s.agentic) a.agenticWeeks.add(key);
    }
  }

  // Commits and opened PRs are activity too: a week of hand-written work is a working week.
  const people = model.links.people;
  for (const c of model.links.commits) {
    if (!inWindow(c.authorTs, window)) continue;
    const personId = people.commitAuthor(c);
    if (personId === null || (onlyPerson !== null && personId !== onlyPerson)) continue;
    markActive(personId, c.authorTs, collect(personId, c.authorTs));
  }
  for (const ch of model.links.changes) {
    if (!ch.pr || ch.personId === null || !inWindow(ch.pr.createdAt, window)) continue;
    if (onlyPerson !== null && ch.personId !== onlyPerson) continue;
    markActive(ch.personId, ch.pr.createdAt, collect(ch.personId, ch.pr.createdAt));
  }

  const accs = new Map<string, Acc>();
  if (org) accs.set('org', org);
  for (const a of teams.values()) accs.set(scopeKey(a.scope), a);
  for (const a of persons.values()) accs.set(scopeKey(a.scope), a);
  return { accs, slots };
}

/** Which scope and time a metric is computed for; defaults: the org, all time. */
export interface MetricQuery {
  scope?: Scope;
  window?: Window;
}

/** The sums for one query. */
export function accFor(model: ValueModel, query: MetricQuery = {}): Acc {
  const scope = query.scope ?? { kind: 'org' };
  return aggregate(model, query.window ?? ALL_TIME, scope).accs.get(scopeKey(scope))!;
}

/** a / b, or null when b is 0: a rate over nothing is unknown, not infinite. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}
