/**
 * Whether AI is paying off, for a window, a scope and optionally some tools (DESIGN §5, issue #5):
 * per week or month, spend beside what it delivered (qualifying durable changes, normalised
 * deployments, agent work units), the cost of each and which way it is going, the spend that
 * delivered nothing durable by cause, what integrity flags estimate was wasted, and spend against
 * the scope's budgets. Only numbers the ledger holds: no hours saved, no salaries. A ratio with
 * no outcomes under it is null, one with few is marked, and small teams are withheld.
 * @module
 */
import type { Tool } from '../../ledger/records.js';
import { ratio } from '../value/aggregate.js';
import { type NdBasis, SESSION_OUTCOMES, type ValueModel } from '../value/model.js';
import { DAY_MS, type Window } from '../value/time.js';
import type { WasteCause } from '../value/waste.js';
import { type BudgetFacts, budgetRow, budgetsFor, type RoiBudget } from './budgets.js';
import { type FlagFacts, type FlaggedWaste, flaggedWaste } from './flagged.js';
import { periodsOf, type RoiPeriod, type RoiPeriodKind } from './periods.js';
import { type RoiScope, type Tally, tally } from './tally.js';
import { costTrend, type Trend } from './trend.js';

/** A cost per outcome over fewer outcomes than this is shown but marked, and left out of trends. */
export const DEFAULT_MIN_OUTCOMES = 3;

export interface RoiRequest {
  /** Half-open; an open end stops at the model's data. */
  window: Window;
  period: RoiPeriodKind;
  scope: RoiScope;
  tools?: readonly Tool[];
  /** The flags the caller may read, of the people in the scope. */
  flags?: readonly FlagFacts[];
  /** Every budget the caller may read; those of exactly this scope are reported. */
  budgets?: readonly BudgetFacts[];
  /** Teams with fewer contributors are withheld from the team table (the board's rule). */
  minGroupSize: number;
  minOutcomes?: number;
}

export const WASTE_CAUSES: readonly WasteCause[] = [
  'no_edits',
  'never_committed',
  'not_shipped',
  'not_durable',
  'not_counted',
];

export interface RoiWaste {
  /** Spend in sessions that led to no qualifying durable change (in-review sessions excluded). */
  usd: number;
  /** usd / spend; null without spend. */
  share: number | null;
  byCause: Record<WasteCause, number>;
  /** Spend of sessions whose PR is still open: not waste yet. */
  pendingUsd: number;
}

export type OutcomeKey = 'nd' | 'agentWorkUnits' | 'durableChanges';

export interface RoiNumbers {
  spendUsd: number;
  sessions: number;
  unpricedCalls: number;
  attempted: number;
  agentWorkUnits: number;
  /** Null with a tool filter: changes are not split by tool. */
  shipped: number | null;
  durableChanges: number | null;
  nd: number | null;
  costPerNd: number | null;
  costPerAgentWorkUnit: number | null;
  costPerDurableChange: number | null;
  /** Outcomes with at least one but fewer than `minOutcomes` under their ratio. */
  lowData: OutcomeKey[];
  waste: RoiWaste;
}

export interface RoiPeriodRow extends RoiNumbers {
  /** The calendar period's first day (the label). */
  start: string;
  /** Days covered, `until` exclusive (UTC). */
  from: string;
  until: string;
  partial: boolean;
}

export interface RoiTeamRow {
  team: string | null;
  /** Withheld: fewer contributors than the minimum group size. */
  suppressed: boolean;
  numbers: (RoiNumbers & { contributors: number }) | null;
}

export interface RoiReport {
  /** Days covered (UTC), `until` exclusive; null when there is no data. */
  from: string | null;
  until: string | null;
  period: RoiPeriodKind;
  scope: RoiScope;
  tools: readonly Tool[] | null;
  ndBasis: NdBasis;
  minOutcomes: number;
  minGroupSize: number;
  totals: RoiNumbers;
  periods: RoiPeriodRow[];
  trend: { costPerNd: Trend; costPerAgentWorkUnit: Trend; costPerDurableChange: Trend };
  /** Null with a tool filter (flags are per person, not per tool). */
  flagged: FlaggedWaste | null;
  teams: RoiTeamRow[];
  budgets: RoiBudget[];
  notes: string[];
}

const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);

function wasteOf(t: Tally): RoiWaste {
  const byCause = {} as Record<WasteCause, number>;
  let usd = 0;
  let pendingUsd = 0;
  SESSION_OUTCOMES.forEach((o, i) => {
    const cost = t.outcomeCost[i]!;
    if (o === 'durable') return;
    if (o === 'in_review') pendingUsd = cost;
    else {
      byCause[o] = cost;
      usd += cost;
    }
  });
  return { usd, share: ratio(usd, t.costUsd), byCause, pendingUsd };
}

function numbersOf(t: Tally, toolFiltered: boolean, minOutcomes: number): RoiNumbers {
  const outcomes: Record<OutcomeKey, number | null> = {
    nd: toolFiltered ? null : t.nd,
    agentWorkUnits: t.agentWorkUnits,
    durableChanges: toolFiltered ? null : t.durableChanges,
  };
  const cost = (n: number | null) => (n === null ? null : ratio(t.costUsd, n));
  return {
    spendUsd: t.costUsd,
    sessions: t.sessions,
    unpricedCalls: t.unpricedCalls,
    attempted: t.attempted,
    agentWorkUnits: t.agentWorkUnits,
    shipped: toolFiltered ? null : t.shipped,
    durableChanges: outcomes.durableChanges,
    nd: outcomes.nd,
    costPerNd: cost(outcomes.nd),
    costPerAgentWorkUnit: cost(outcomes.agentWorkUnits),
    costPerDurableChange: cost(outcomes.durableChanges),
    lowData: (Object.keys(outcomes) as OutcomeKey[]).filter((k) => {
      const n = outcomes[k];
      return n !== null && n > 0 && n < minOutcomes;
    }),
    waste: wasteOf(t),
  };
}

/** The first instant the model has data for, or null. */
function firstDataTs(model: ValueModel): number | null {
  let first = Number.POSITIVE_INFINITY;
  for (const s of model.sessions) if (s.firstTs < first) first = s.firstTs;
  for (const f of model.facts) if (f.shippedAt !== null && f.shippedAt < first) first = f.shippedAt;
  for (const d of model.deployments) if (d.deployment.ts < first) first = d.deployment.ts;
  return Number.isFinite(first) ? first : null;
}

/** The window made finite: open ends stop at the UTC days of the model's first and last data. */
function boundedWindow(model: ValueModel, w: Window): Window | null {
  const first = firstDataTs(model);
  if (first === null) return null;
  const from = Number.isFinite(w.from) ? w.from : Math.floor(first / DAY_MS) * DAY_MS;
  const until = Number.isFinite(w.until) ? w.until : (Math.floor(model.asOf / DAY_MS) + 1) * DAY_MS;
  return until > from ? { from, until } : null;
}

export function roiReport(model: ValueModel, request: RoiRequest): RoiReport {
  const minOutcomes = request.minOutcomes ?? DEFAULT_MIN_OUTCOMES;
  const tools = request.tools && request.tools.length > 0 ? request.tools : undefined;
  const toolFiltered = tools !== undefined;
  const window = boundedWindow(model, request.window);
  const periods: RoiPeriod[] = window ? periodsOf(request.period, window) : [];
  const tallies = tally(model, {
    window: window ?? { from: 0, until: 0 },
    periods,
    scope: request.scope,
    tools,
  });
  const rows: RoiPeriodRow[] = periods.map((p, i) => ({
    start: p.start,
    from: day(p.from),
    until: day(p.until),
    partial: p.partial,
    ...numbersOf(tallies.periods[i]!, toolFiltered, minOutcomes),
  }));
  const trendOf = (cost: 'costPerNd' | 'costPerAgentWorkUnit' | 'costPerDurableChange', key: OutcomeKey) =>
    costTrend(rows.map((r) => (r.partial || r.lowData.includes(key) ? null : r[cost])));

  const teams: RoiTeamRow[] =
    request.scope.kind === 'person'
      ? []
      : [...tallies.teams]
          .map(([team, t]) => {
            const suppressed = t.contributors.size < request.minGroupSize;
            return {
              team,
              suppressed,
              numbers: suppressed
                ? null
                : { ...numbersOf(t, toolFiltered, minOutcomes), contributors: t.contributors.size },
            };
          })
          .sort((a, b) => (a.team ?? '\uffff').localeCompare(b.team ?? '\uffff'));

  const budgets = budgetsFor(request.budgets ?? [], request.scope, tools, model.directory).map((b) => {
    const until = Math.min(b.period.endTs, b.computedAt + 1);
    const span = { from: b.period.startTs, until: Math.max(until, b.period.startTs + 1) };
    const whole = [{ ...span, start: b.period.start, partial: false }];
    const t = tally(model, { window: span, periods: whole, scope: request.scope, tools });
    return budgetRow(b, t.total, toolFiltered);
  });

  const notes: string[] = [];
  if (toolFiltered)
    notes.push(
      'With a tool filter, spend, sessions, agent work units and waste are those tools’ sessions; ND and ' +
        'durable changes are not split by tool (one change is often made with several), so they and their ' +
        'costs are not shown, and integrity flags (per person, not per tool) are left out.',
    );
  if (model.ndBasis !== 'deployments')
    notes.push(`No deployment data: ND counts each qualifying durable change as 1 (${model.ndBasis}).`);
  if (tallies.total.unpricedCalls > 0)
    notes.push(`${tallies.total.unpricedCalls} model calls have no price: spend and costs are understated.`);
  if (teams.some((t) => t.suppressed))
    notes.push(`Teams with fewer than ${request.minGroupSize} contributors are withheld.`);

  return {
    from: window ? day(window.from) : null,
    until: window ? day(window.until) : null,
    period: request.period,
    scope: request.scope,
    tools: tools ?? null,
    ndBasis: model.ndBasis,
    minOutcomes,
    minGroupSize: request.minGroupSize,
    totals: numbersOf(tallies.total, toolFiltered, minOutcomes),
    periods: rows,
    trend: {
      costPerNd: trendOf('costPerNd', 'nd'),
      costPerAgentWorkUnit: trendOf('costPerAgentWorkUnit', 'agentWorkUnits'),
      costPerDurableChange: trendOf('costPerDurableChange', 'durableChanges'),
    },
    flagged: toolFiltered ? null : flaggedWaste(request.flags ?? []),
    teams,
    budgets,
    notes,
  };
}
