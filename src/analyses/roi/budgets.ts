/**
 * Spend against budget, and outcomes per budget dollar, for the budgets whose scope is exactly
 * the report's (the org's budget for the org, a team's for that team, a person's for that person,
 * a tool's for the org filtered to that tool). A budget's numbers are for its own current period,
 * not the report's window: a budget is a promise about a month, quarter or year.
 * @module
 */

import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import { resolvePersonId } from '../budgets/scope.js';
import type { BudgetStatus } from '../budgets/status.js';
import { ratio } from '../value/aggregate.js';
import type { RoiScope, Tally } from './tally.js';

export type BudgetFacts = Pick<
  BudgetStatus,
  'id' | 'name' | 'budget' | 'period' | 'spent' | 'limit' | 'computedAt'
>;

export interface RoiBudget {
  id: string;
  name: string;
  unit: string;
  /** The budget's current period. */
  period: { label: string; start: string; end: string };
  /** Share of the period's time gone by when the status was computed (0–1). */
  elapsed: number;
  spent: number;
  limit: number;
  /** spent / limit. */
  used: number;
  /** Outcomes in the period so far; null where the unit or the filter gives none to compare. */
  outcomes: { nd: number | null; agentWorkUnits: number; durableChanges: number | null } | null;
  /** Per 1,000 of the budget's unit spent so far, and per 1,000 of its limit. */
  ndPerThousandSpent: number | null;
  ndPerThousandLimit: number | null;
  agentWorkUnitsPerThousandSpent: number | null;
  /** Why outcomes are not compared, when they are not. */
  note: string | null;
}

/** The budgets of exactly this scope (and tool filter), by id. */
export function budgetsFor(
  budgets: readonly BudgetFacts[],
  scope: RoiScope,
  tools: readonly Tool[] | undefined,
  directory: PeopleDirectory,
): BudgetFacts[] {
  return budgets
    .filter(({ budget: b }) => {
      const s = b.scope;
      if (tools) return scope.kind === 'org' && tools.length === 1 && s.kind === 'tool' && s.id === tools[0];
      if (scope.kind === 'org') return s.kind === 'org';
      if (scope.kind === 'teams')
        return scope.teams.length === 1 && s.kind === 'team' && s.id === scope.teams[0];
      return s.kind === 'person' && resolvePersonId(directory, s.id) === scope.personId;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const perThousand = (n: number | null, d: number) => (n === null ? null : ratio(n * 1000, d));

/** One budget's row; `outcomes` is the report's tally over the budget's period so far. */
export function budgetRow(b: BudgetFacts, outcomes: Tally, toolFiltered: boolean): RoiBudget {
  const { budget, period } = b;
  const base = {
    id: b.id,
    name: b.name,
    unit: budget.unit,
    period: { label: period.label, start: period.start, end: period.end },
    elapsed: Math.min(1, Math.max(0, (b.computedAt - period.startTs) / (period.endTs - period.startTs))),
    spent: b.spent,
    limit: b.limit.total,
    used: b.limit.total > 0 ? b.spent / b.limit.total : 0,
  };
  const none = {
    outcomes: null,
    ndPerThousandSpent: null,
    ndPerThousandLimit: null,
    agentWorkUnitsPerThousandSpent: null,
  };
  if (budget.unit !== 'usd')
    return { ...base, ...none, note: `A budget in ${budget.unit}: outcomes are compared with dollars only.` };
  if (budget.perPerson)
    return { ...base, ...none, note: 'A per-person allowance: its limit is per person, not for the scope.' };
  const nd = toolFiltered ? null : outcomes.nd;
  return {
    ...base,
    outcomes: {
      nd,
      agentWorkUnits: outcomes.agentWorkUnits,
      durableChanges: toolFiltered ? null : outcomes.durableChanges,
    },
    ndPerThousandSpent: perThousand(nd, b.spent),
    ndPerThousandLimit: perThousand(nd, b.limit.total),
    agentWorkUnitsPerThousandSpent: perThousand(outcomes.agentWorkUnits, b.spent),
    note: toolFiltered ? 'ND and durable changes are not split by tool.' : null,
  };
}
