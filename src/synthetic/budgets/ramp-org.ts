/**
 * A generated organisation whose agentic adoption ramps up at the start of a fiscal year (as at
 * Uber: 32 % to 84 % of engineers in two months), for the forecast evaluation
 * (bench/eval-forecast.mjs). Usage is one daily roll-up record per person and working day
 * (`granularity: 'day'`); an agentic day is marked as a subagent call, which is what makes the
 * ledger's session agentic. Every value is a pure function of the scenario and the date.
 * @module
 */

import { datesBetween, weekdayOf } from '../../analyses/budgets/calendar.js';
import { addDays } from '../../analyses/reports/dates.js';
import type { Person, Team } from '../../ledger/people/types.js';
import type { UsageRecord } from '../../ledger/records.js';
import { hashSeed, Rng } from '../prng.js';

export interface RampScenario {
  name: string;
  seed: number;
  engineers: number;
  teams: number;
  /** First day of the fiscal year (the budget's period). */
  yearStart: string;
  /** Days of usage before the year starts (the org existed before its budget). */
  historyDays: number;
  agenticFrom: number;
  agenticTo: number;
  /** Days after `yearStart` the ramp begins, and how long it takes. */
  rampStartDay: number;
  rampDays: number;
  /** `s-curve`: slow start, fast middle, slow end (smoothstep); `linear`: constant speed. */
  shape: 'linear' | 's-curve';
  /** Share of engineers who use an AI tool at all (agentic users are among them). */
  activeShare: number;
  /** Median spend of one person-day, agentic and not (USD). */
  costAgentic: number;
  costPlain: number;
  /** Drift of everyone's spend per day of work, per 30 days (new models, longer contexts). */
  intensityGrowthPerMonth: number;
  /** Log-normal spread of one person-day around the person's level. */
  noise: number;
  /** The budget is sized so that cumulative spend from `yearStart` reaches it on this day. */
  exhaustOn: string;
}

interface Trait {
  id: string;
  /** Adoption rank in [0, 1): agentic once the org's agentic share passes it. */
  rank: number;
  intensity: number;
  weekdayWork: number;
  weekendWork: number;
}

const DAY_MS = 86_400_000;

export function historyStart(s: RampScenario): string {
  return addDays(s.yearStart, -s.historyDays);
}

/** Share of engineers agentic on a date (before the ramp: `agenticFrom`). */
export function agenticShareAt(s: RampScenario, date: string): number {
  const day = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${s.yearStart}T00:00:00Z`)) / DAY_MS;
  const x = Math.min(1, Math.max(0, (day - s.rampStartDay) / s.rampDays));
  const progress = s.shape === 'linear' ? x : x * x * (3 - 2 * x);
  return s.agenticFrom + (s.agenticTo - s.agenticFrom) * progress;
}

const traitCache = new WeakMap<RampScenario, Trait[]>();

function traits(s: RampScenario): Trait[] {
  let cached = traitCache.get(s);
  if (cached) return cached;
  cached = [];
  for (let i = 0; i < s.engineers; i++) {
    const rng = new Rng(hashSeed(s.seed, 'person', i));
    cached.push({
      id: `e${String(i + 1).padStart(5, '0')}@ramp.example`,
      rank: rng.next(),
      intensity: rng.logNormal(1, 0.5),
      weekdayWork: 0.78 + 0.17 * rng.next(),
      weekendWork: 0.03 + 0.12 * rng.next(),
    });
  }
  traitCache.set(s, cached);
  return cached;
}

/** The people file of the organisation: everyone in one of `teams` teams for the whole time. */
export function rampPeople(s: RampScenario): { people: Person[]; teams: Team[] } {
  const teams: Team[] = Array.from({ length: s.teams }, (_, t) => ({
    id: `team-${String(t + 1).padStart(2, '0')}`,
    name: `Team ${t + 1}`,
    managers: [],
  }));
  const people: Person[] = traits(s).map((p, i) => ({
    id: p.id,
    name: `Engineer ${i + 1}`,
    email: p.id,
    aliases: [{ kind: 'email', value: p.id }],
    memberships: [{ team: teams[i % s.teams]!.id, from: historyStart(s), until: null }],
    costCentre: null,
    boardOptIn: false,
  }));
  return { people, teams };
}

/** Every usage record of one day. */
export function dayRecords(s: RampScenario, date: string): UsageRecord[] {
  const rng = new Rng(hashSeed(s.seed, 'day', date));
  const share = agenticShareAt(s, date);
  const weekend = weekdayOf(date) >= 5;
  const months =
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${historyStart(s)}T00:00:00Z`)) / (30 * DAY_MS);
  const drift = (1 + s.intensityGrowthPerMonth) ** months;
  const noon = Date.parse(`${date}T12:00:00Z`);
  const out: UsageRecord[] = [];
  for (const p of traits(s)) {
    // Draw the same number of values for everyone, so one person's choices never shift another's.
    const work = rng.next();
    const spread = rng.normal();
    if (p.rank >= s.activeShare) continue;
    if (work >= (weekend ? p.weekendWork : p.weekdayWork)) continue;
    const agentic = p.rank < share;
    const cost = (agentic ? s.costAgentic : s.costPlain) * p.intensity * drift * Math.exp(s.noise * spread);
    const sessionId = `ramp-${p.id}-${date}`;
    // Tokens in proportion to spend, at about Sonnet's blended rate with heavy cache reads.
    const tokens = Math.round(cost * 400_000);
    out.push({
      id: `demo:ramp:${s.seed}:${p.id}:${date}`,
      ts: noon,
      source: 'demo',
      tool: 'claude-code',
      sessionId,
      parentSessionId: agentic ? sessionId : null,
      requestId: null,
      messageId: null,
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      speed: null,
      serviceTier: null,
      inferenceGeo: null,
      tokens: {
        inputUncached: Math.round(tokens * 0.02),
        cacheRead: Math.round(tokens * 0.9),
        cacheWrite5m: Math.round(tokens * 0.06),
        cacheWrite1h: 0,
        cacheWriteOther: 0,
        output: Math.round(tokens * 0.02),
        reasoning: 0,
      },
      webSearchRequests: 0,
      credits: null,
      reportedCostUsd: null,
      cwd: null,
      gitBranch: null,
      project: null,
      isSubagent: agentic,
      isSidechain: false,
      granularity: 'day',
      origin: `synthetic:ramp-org/${s.name}`,
      personId: p.id,
      rawIdentity: { email: p.id },
      costUsd: cost,
      costBasis: 'computed',
      priceVersion: 'synthetic',
    });
  }
  return out;
}

/** Spend of one day (what the ledger will sum). */
export function daySpend(s: RampScenario, date: string): number {
  return dayRecords(s, date).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
}

/**
 * The annual budget that runs out on `exhaustOn`: spend from the year's start to the day before,
 * plus half of that day, so the cumulative spend crosses it during `exhaustOn`.
 */
export function calibratedBudget(s: RampScenario): number {
  let sum = 0;
  for (const date of datesBetween(s.yearStart, s.exhaustOn)) sum += daySpend(s, date);
  return sum + daySpend(s, s.exhaustOn) / 2;
}
