/**
 * What every integrity signal needs from the value model, indexed once per window: each person's
 * sessions in the window and in their baseline (the weeks before it), their changes shipped in
 * the window, their peer group, and each session's outcome. Building it is one pass over the
 * sessions and one over the changes, so the signals together stay linear in the records.
 * @module
 */
import { SESSION_OUTCOMES, type SessionOutcome, type ValueModel } from '../value/model.js';
import { DAY_MS, inWindow, WEEK_MS, type Window } from '../value/time.js';

export interface IntegrityOptions {
  window: Window;
  /** Weeks before the window that make a person's own baseline. Default 8. */
  baselineWeeks?: number;
  /** Teams with fewer comparable people than this are compared with the whole org. Default 5. */
  minPeers?: number;
  /**
   * When leaderboard periods close (epoch ms, exclusive ends). Default: every first of a month,
   * 00:00 UTC, inside the window (monthly boards).
   */
  periodEnds?: readonly number[];
  /**
   * Prompt fingerprints by session id, for sessions whose summaries were read without them (the
   * value model is built without fingerprints: at a large organisation they cost hundreds of MB,
   * so `repeated_prompts` reads them per window). A session's own `promptFingerprints` are used
   * when it is not in this map.
   */
  fingerprints?: ReadonlyMap<string, readonly string[]>;
}

export interface IntegrityContext {
  model: ValueModel;
  window: Window;
  baseline: Window;
  minPeers: number;
  periodEnds: number[];
  /** People with a session starting, or a change shipping, in the window; sorted. */
  people: string[];
  /** Indexes into `model.sessions` of each person's sessions started in the window, by start. */
  sessionsOf: Map<string, number[]>;
  /** Likewise for the baseline window. */
  baselineSessionsOf: Map<string, number[]>;
  /** Indexes into `model.facts` of each person's changes shipped in the window. */
  shippedOf: Map<string, number[]>;
  /** Likewise for the baseline window. */
  baselineShippedOf: Map<string, number[]>;
  /** Each person's team at the end of the window (or at their last activity in it). */
  teamOf: Map<string, string>;
  /** People of each team (as in `teamOf`). */
  teamMembers: Map<string, string[]>;
  fingerprints: ReadonlyMap<string, readonly string[]> | undefined;
}

/** The group of people for people without a team, and for comparisons across the whole org. */
export const ORG = 'org';

const FIRST_OF_MONTH = (ts: number) => {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** Every first of a month (UTC) in (from, until]: the close of each monthly period in the window. */
export function monthEnds(window: Window): number[] {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.until)) return [];
  const out: number[] = [];
  for (let m = FIRST_OF_MONTH(window.from); m <= window.until; m = FIRST_OF_MONTH(m + 32 * DAY_MS))
    if (m > window.from) out.push(m);
  return out;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function integrityContext(model: ValueModel, options: IntegrityOptions): IntegrityContext {
  const window = options.window;
  const weeks = options.baselineWeeks ?? 8;
  const baseline: Window = { from: window.from - weeks * WEEK_MS, until: window.from };
  const sessionsOf = new Map<string, number[]>();
  const baselineSessionsOf = new Map<string, number[]>();
  const lastSeen = new Map<string, number>();
  const sessions = model.sessions;
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i]!;
    if (inWindow(s.firstTs, window)) {
      push(sessionsOf, s.personId, i);
      if ((lastSeen.get(s.personId) ?? Number.NEGATIVE_INFINITY) < s.firstTs)
        lastSeen.set(s.personId, s.firstTs);
    } else if (inWindow(s.firstTs, baseline)) push(baselineSessionsOf, s.personId, i);
  }
  const byStart = (a: number, b: number) => sessions[a]!.firstTs - sessions[b]!.firstTs || a - b;
  for (const list of sessionsOf.values()) list.sort(byStart);
  for (const list of baselineSessionsOf.values()) list.sort(byStart);

  const shippedOf = new Map<string, number[]>();
  const baselineShippedOf = new Map<string, number[]>();
  model.facts.forEach((f, i) => {
    const person = f.change.personId;
    if (person === null || f.shippedAt === null) return;
    if (inWindow(f.shippedAt, baseline)) push(baselineShippedOf, person, i);
    if (!inWindow(f.shippedAt, window)) return;
    push(shippedOf, person, i);
    if ((lastSeen.get(person) ?? Number.NEGATIVE_INFINITY) < f.shippedAt) lastSeen.set(person, f.shippedAt);
  });

  const people = [...lastSeen.keys()].sort();
  const end = Math.min(window.until - 1, model.asOf);
  const teamOf = new Map<string, string>();
  const teamMembers = new Map<string, string[]>();
  for (const p of people) {
    const team =
      model.directory.teamAt(p, Number.isFinite(end) ? end : lastSeen.get(p)!) ??
      model.directory.teamAt(p, lastSeen.get(p)!) ??
      ORG;
    teamOf.set(p, team);
    const members = teamMembers.get(team);
    if (members) members.push(p);
    else teamMembers.set(team, [p]);
  }
  return {
    model,
    window,
    baseline,
    minPeers: options.minPeers ?? 5,
    periodEnds: [...(options.periodEnds ?? monthEnds(window))].filter(
      (e) => e > window.from && e <= window.until,
    ),
    people,
    sessionsOf,
    baselineSessionsOf,
    shippedOf,
    baselineShippedOf,
    teamOf,
    teamMembers,
    fingerprints: options.fingerprints,
  };
}

const NO_FINGERPRINTS: readonly string[] = [];

/** The distinct prompt fingerprints of a session (see `IntegrityOptions.fingerprints`). */
export function fingerprintsOf(ctx: IntegrityContext, session: number): readonly string[] {
  const s = ctx.model.sessions[session]!;
  return ctx.fingerprints?.get(s.sessionId) ?? s.promptFingerprints ?? NO_FINGERPRINTS;
}

/**
 * The people a person is compared with: their team without them, or, when that leaves fewer than
 * `minPeers` people who pass `eligible`, everyone else in the org who does.
 */
export function peersOf(
  ctx: IntegrityContext,
  person: string,
  eligible: (p: string) => boolean = () => true,
): { group: string; peers: string[] } {
  const team = ctx.teamOf.get(person) ?? ORG;
  if (team !== ORG) {
    const peers = (ctx.teamMembers.get(team) ?? []).filter((p) => p !== person && eligible(p));
    if (peers.length >= ctx.minPeers) return { group: team, peers };
  }
  return { group: ORG, peers: ctx.people.filter((p) => p !== person && eligible(p)) };
}

export function outcomeOf(ctx: IntegrityContext, session: number): SessionOutcome {
  return SESSION_OUTCOMES[ctx.model.sessionOutcome[session]!]!;
}

/**
 * The session itself shows it produced code: it edited files, printed a commit SHA or opened a
 * PR. A window link (the session ran in the 24 h before its person committed) is enough to call
 * a change AI-assisted, but it is an inference about the change, not evidence about the session:
 * a session that changed nothing is not cleared by a commit made elsewhere.
 */
export function touchedCode(ctx: IntegrityContext, session: number): boolean {
  const s = ctx.model.sessions[session]!;
  return s.edits > 0 || s.linesAdded + s.linesRemoved > 0 || s.commitShas.length > 0 || s.prUrls.length > 0;
}

/**
 * Spend that bought no durable outcome: the session's outcome is not durable (in-review sessions
 * are pending, not waste; docs/metrics.md), or it touched no code itself, or its only tie to a
 * durable change is a window link without a branch — the weakest link the linker makes (any
 * commit of the person in that repository within 24 h), too weak to clear a session.
 */
export function isWaste(ctx: IntegrityContext, session: number): boolean {
  const o = outcomeOf(ctx, session);
  if (o === 'in_review') return false;
  if (o !== 'durable' || !touchedCode(ctx, session)) return true;
  const s = ctx.model.sessions[session]!;
  return s.gitBranch === null && s.commitShas.length === 0 && s.prUrls.length === 0;
}

export function costOf(ctx: IntegrityContext, sessions: readonly number[]): number {
  let sum = 0;
  for (const i of sessions) sum += ctx.model.sessions[i]!.costUsd;
  return sum;
}

export function idsOf(ctx: IntegrityContext, sessions: readonly number[]): string[] {
  return sessions.map((i) => ctx.model.sessions[i]!.sessionId);
}

/**
 * Indexes of the sessions linked to the given changes, among `candidates` (a person's sessions):
 * read from the link index, not from each change's lazily built evidence.
 */
export function sessionsLinkedTo(
  ctx: IntegrityContext,
  candidates: readonly number[],
  changes: ReadonlySet<number>,
): number[] {
  const { sessionChangeStart, sessionChangeList } = ctx.model.links;
  return candidates.filter((i) => {
    for (let k = sessionChangeStart[i]!; k < sessionChangeStart[i + 1]!; k++)
      if (changes.has(sessionChangeList[k]!)) return true;
    return false;
  });
}
