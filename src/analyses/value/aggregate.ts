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
 * Who and which team every record of the model is attributed to, as integers: person slots and
 * team numbers, parallel to the model's arrays. Computed once per model, because the board, the
 * summaries and an explanation each aggregate the whole model, and resolving millions of
 * records' people and teams by string was most of an aggregation's time.
 */
interface Attribution {
  slots: PersonSlots;
  teams: string[];
  teamNumbers: Map<string, number>;
  teamNumber(team: string | null): number;
  teamAt(personId: string, ts: number): string | null;
  /** Per session: person slot; team at its start (-1: none). */
  sessionSlot: Int32Array;
  sessionTeam: Int32Array;
  /** Per change (parallel to `facts`): author slot (-1: unknown); team at shipping; team when the PR opened. */
  changeSlot: Int32Array;
  shippedTeam: Int32Array;
  openedTeam: Int32Array;
  /** Per commit: author slot (-1: unknown) and team at the author time. */
  commitSlot: Int32Array;
  commitTeam: Int32Array;
  /**
   * What each pass reads of the records, as columns: a year's records are millions of objects
   * spread over gigabytes of heap, and reading them one by one cost more than the arithmetic.
   */
  commitTs: Float64Array;
  /** When the change's PR opened; NaN for a commit change. */
  openedAt: Float64Array;
  session: SessionColumns;
}

interface SessionColumns {
  firstTs: Float64Array;
  costUsd: Float64Array;
  inputTokens: Float64Array;
  cacheReadTokens: Float64Array;
  cacheWriteTokens: Float64Array;
  outputTokens: Float64Array;
  calls: Uint32Array;
  prompts: Uint32Array;
  unpricedCalls: Uint32Array;
  /** ATTEMPTED | USED | AGENTIC. */
  flags: Uint8Array;
}

const ATTEMPTED = 1;
const USED = 2;
const AGENTIC = 4;

function sessionColumns(sessions: ValueModel['sessions']): SessionColumns {
  const n = sessions.length;
  const c: SessionColumns = {
    firstTs: new Float64Array(n),
    costUsd: new Float64Array(n),
    inputTokens: new Float64Array(n),
    cacheReadTokens: new Float64Array(n),
    cacheWriteTokens: new Float64Array(n),
    outputTokens: new Float64Array(n),
    calls: new Uint32Array(n),
    prompts: new Uint32Array(n),
    unpricedCalls: new Uint32Array(n),
    flags: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = sessions[i]!;
    c.firstTs[i] = s.firstTs;
    c.costUsd[i] = s.costUsd;
    c.inputTokens[i] = s.inputTokens;
    c.cacheReadTokens[i] = s.cacheReadTokens;
    c.cacheWriteTokens[i] = s.cacheWriteTokens;
    c.outputTokens[i] = s.outputTokens;
    c.calls[i] = s.calls;
    c.prompts[i] = s.prompts;
    c.unpricedCalls[i] = s.unpricedCalls;
    c.flags[i] =
      (s.edits > 0 || s.commitShas.length > 0 ? ATTEMPTED : 0) |
      (s.calls > 0 || s.prompts > 0 ? USED : 0) |
      (s.agentic ? AGENTIC : 0);
  }
  return c;
}

const attributions = new WeakMap<ValueModel, Attribution>();

function attributionOf(model: ValueModel): Attribution {
  const cached = attributions.get(model);
  if (cached) return cached;
  const slots = new PersonSlots();
  const teamAt = teamResolver(model);
  const teams: string[] = [];
  const teamNumbers = new Map<string, number>();
  const teamNumber = (team: string | null): number => {
    if (team === null) return -1;
    let n = teamNumbers.get(team);
    if (n === undefined) {
      n = teams.length;
      teams.push(team);
      teamNumbers.set(team, n);
    }
    return n;
  };
  const { sessions, facts } = model;
  const sessionSlot = new Int32Array(sessions.length);
  const sessionTeam = new Int32Array(sessions.length);
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    sessionSlot[i] = slots.slot(s.personId);
    sessionTeam[i] = teamNumber(teamAt(s.personId, s.firstTs));
  }
  const changeSlot = new Int32Array(facts.length).fill(-1);
  const shippedTeam = new Int32Array(facts.length).fill(-1);
  const openedTeam = new Int32Array(facts.length).fill(-1);
  const openedAt = new Float64Array(facts.length).fill(Number.NaN);
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]!;
    if (f.change.pr) openedAt[i] = f.change.pr.createdAt;
    const personId = f.change.personId;
    if (personId === null) continue;
    changeSlot[i] = slots.slot(personId);
    if (f.shippedAt !== null) shippedTeam[i] = teamNumber(teamAt(personId, f.shippedAt));
    if (f.change.pr) openedTeam[i] = teamNumber(teamAt(personId, f.change.pr.createdAt));
  }
  const { commits, commitPersons } = model.links;
  const commitSlot = new Int32Array(commits.length).fill(-1);
  const commitTeam = new Int32Array(commits.length).fill(-1);
  const commitTs = new Float64Array(commits.length);
  for (let i = 0; i < commits.length; i++) {
    commitTs[i] = commits[i]!.authorTs;
    const personId = commitPersons[i]!;
    if (personId === null) continue;
    commitSlot[i] = slots.slot(personId);
    commitTeam[i] = teamNumber(teamAt(personId, commits[i]!.authorTs));
  }
  const a: Attribution = {
    slots,
    teams,
    teamNumbers,
    teamNumber,
    teamAt,
    sessionSlot,
    sessionTeam,
    changeSlot,
    shippedTeam,
    openedTeam,
    commitSlot,
    commitTeam,
    commitTs,
    openedAt,
    session: sessionColumns(sessions),
  };
  attributions.set(model, a);
  return a;
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
  const at = attributionOf(model);
  const { slots } = at;
  const all = target === 'all';
  const wantOrg = all || target.kind === 'org';
  const wantTeam = all || target.kind === 'team';
  const wantPerson = all || target.kind === 'person';
  const onlyPerson = !all && target.kind === 'person' ? slots.slot(target.personId) : -1;
  const onlyTeam = !all && target.kind === 'team' ? at.teamNumber(target.team) : -1;
  const excludedSlots = exclude ? [...exclude].map((id) => slots.slot(id)) : [];
  const excluded = new Uint8Array(slots.ids.length);
  for (const slot of excludedSlots) excluded[slot] = 1;

  // Accumulators by kind and number; the order lists keep the order in which they were first
  // fed, which is the order of the result.
  const org = wantOrg ? newAcc({ kind: 'org' }) : null;
  const teamAccs: Array<Acc | undefined> = [];
  const teamOrder: Acc[] = [];
  const personAccs: Array<Acc | undefined> = [];
  const personOrder: Acc[] = [];
  const personAcc = (slot: number): Acc => {
    let a = personAccs[slot];
    if (!a) {
      a = newAcc({ kind: 'person', personId: slots.ids[slot]! });
      personAccs[slot] = a;
      personOrder.push(a);
    }
    return a;
  };
  const teamAcc = (team: number): Acc => {
    let a = teamAccs[team];
    if (!a) {
      a = newAcc({ kind: 'team', team: at.teams[team]! });
      teamAccs[team] = a;
      teamOrder.push(a);
    }
    return a;
  };
  if (onlyTeam >= 0) teamAcc(onlyTeam);
  if (onlyPerson >= 0) personAcc(onlyPerson);

  /**
   * Puts the accumulators a record of person `slot` (-1: unknown) in `team` (-1: none) feeds
   * (at most org, person, team) into `targets` and returns how many.
   */
  const targets: Acc[] = [];
  const collect = (slot: number, team: number): number => {
    let n = 0;
    if (slot >= 0 && excluded[slot] === 1) return 0;
    if (org) targets[n++] = org;
    if (slot < 0) return n;
    if (wantPerson && (onlyPerson < 0 || onlyPerson === slot)) targets[n++] = personAcc(slot);
    if (wantTeam && team >= 0 && (onlyTeam < 0 || onlyTeam === team)) targets[n++] = teamAcc(team);
    return n;
  };
  // Person-week sets see the same key over and over (a person's sessions and commits of one
  // week). The accumulators a record feeds depend only on its person and team, so a repeat of a
  // person's last (week, team) is already in every set it would be added to: skip it. Set adds
  // were most of an aggregation's time.
  const nSlots = slots.ids.length;
  const lastOf = () => ({ week: new Int32Array(nSlots).fill(-1), team: new Int32Array(nSlots) });
  const lastWork = lastOf();
  const lastAi = lastOf();
  const lastUse = lastOf();
  const lastAgentic = lastOf();
  const fresh = (last: ReturnType<typeof lastOf>, slot: number, week: number, team: number): boolean => {
    if (last.week[slot] === week && last.team[slot] === team) return false;
    last.week[slot] = week;
    last.team[slot] = team;
    return true;
  };
  const markActive = (slot: number, ts: number, team: number, n: number) => {
    const week = weekOf(ts);
    if (!fresh(lastWork, slot, week, team)) return;
    const key = slot * WEEK_SLOTS + week;
    for (let t = 0; t < n; t++) targets[t]!.workingWeeks.add(key);
  };

  const facts = model.facts;
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]!;
    if (f.shippedAt === null || !inWindow(f.shippedAt, window)) continue;
    const personId = f.change.personId;
    const slot = at.changeSlot[i]!;
    const team = at.shippedTeam[i]!;
    const n = collect(slot, team);
    if (slot >= 0) markActive(slot, f.shippedAt, team, n);
    const lines = f.additions + f.deletions;
    for (let t = 0; t < n; t++) {
      const a = targets[t]!;
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
    if (f.qualifying && f.aiAssisted && slot >= 0) {
      const week = weekOf(f.shippedAt);
      if (fresh(lastAi, slot, week, team)) {
        const key = slot * WEEK_SLOTS + week;
        for (let t = 0; t < n; t++) targets[t]!.aiWeeks.add(key);
      }
    }
  }

  if (model.ndBasis === 'deployments') {
    for (const df of model.deployments) {
      if (df.worth === 0 || !inWindow(df.deployment.ts, window)) continue;
      const week = weekOf(df.deployment.ts);
      df.recipients.forEach((i, k) => {
        const f = facts[i]!;
        const share = df.shares[k]!;
        const personId = f.change.personId;
        const team =
          personId === null ? -1 : at.teamNumber(at.teamAt(personId, f.shippedAt ?? df.deployment.ts));
        const n = collect(at.changeSlot[i]!, team);
        for (let t = 0; t < n; t++) {
          const a = targets[t]!;
          a.nd += share;
          a.ndByWeek.set(week, (a.ndByWeek.get(week) ?? 0) + share);
          if (personId === null) a.ndUnattributed += share;
        }
      });
    }
  }

  const sc = at.session;
  for (let i = 0; i < sc.firstTs.length; i++) {
    const firstTs = sc.firstTs[i]!;
    if (!inWindow(firstTs, window)) continue;
    const slot = at.sessionSlot[i]!;
    if (onlyPerson >= 0 && slot !== onlyPerson) continue;
    const team = at.sessionTeam[i]!;
    const n = collect(slot, team);
    if (n === 0) continue;
    const week = weekOf(firstTs);
    const key = slot * WEEK_SLOTS + week;
    const outcome = model.sessionOutcome[i]!;
    const flags = sc.flags[i]!;
    const attempted = (flags & ATTEMPTED) !== 0;
    const used = (flags & USED) !== 0;
    const isAgentic = (flags & AGENTIC) !== 0;
    const costUsd = sc.costUsd[i]!;
    const work = fresh(lastWork, slot, week, team);
    const use = used && fresh(lastUse, slot, week, team);
    const agentic = used && isAgentic && fresh(lastAgentic, slot, week, team);
    for (let t = 0; t < n; t++) {
      const a = targets[t]!;
      if (work) a.workingWeeks.add(key);
      a.sessions++;
      a.costUsd += costUsd;
      a.unpricedCalls += sc.unpricedCalls[i]!;
      a.calls += sc.calls[i]!;
      a.prompts += sc.prompts[i]!;
      a.inputTokens += sc.inputTokens[i]!;
      a.cacheReadTokens += sc.cacheReadTokens[i]!;
      a.cacheWriteTokens += sc.cacheWriteTokens[i]!;
      a.outputTokens += sc.outputTokens[i]!;
      a.outcomeSessions[outcome]!++;
      a.outcomeCost[outcome]! += costUsd;
      if (attempted) {
        a.attempted++;
        if (isAgentic) a.agenticAttempted++;
        if (outcome === 0) {
          a.awu++;
          if (isAgentic) a.agenticAwu++;
        }
      }
      if (use) a.aiUseWeeks.add(key);
      if (agentic) a.agenticWeeks.add(key);
    }
  }

  // Commits and opened PRs are activity too: a week of hand-written work is a working week.
  for (let i = 0; i < at.commitTs.length; i++) {
    const ts = at.commitTs[i]!;
    if (!inWindow(ts, window)) continue;
    const slot = at.commitSlot[i]!;
    if (slot < 0 || (onlyPerson >= 0 && slot !== onlyPerson)) continue;
    const team = at.commitTeam[i]!;
    markActive(slot, ts, team, collect(slot, team));
  }
  for (let i = 0; i < at.openedAt.length; i++) {
    const openedAt = at.openedAt[i]!;
    const slot = at.changeSlot[i]!;
    // NaN (no PR) is in no window.
    if (slot < 0 || !inWindow(openedAt, window)) continue;
    if (onlyPerson >= 0 && slot !== onlyPerson) continue;
    const team = at.openedTeam[i]!;
    markActive(slot, openedAt, team, collect(slot, team));
  }

  const accs = new Map<string, Acc>();
  if (org) accs.set('org', org);
  for (const a of teamOrder) accs.set(scopeKey(a.scope), a);
  for (const a of personOrder) accs.set(scopeKey(a.scope), a);
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
