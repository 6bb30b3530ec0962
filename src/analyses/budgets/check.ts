/**
 * The budget check a gateway or a Claude Code hook asks before a model call: allow, warn or deny,
 * with the reason. It reads only an in-memory summary of every budget (`CheckEntry`), rebuilt
 * after each ledger commit, so answering costs a few map lookups and no ledger query.
 * @module
 */
import { humanDate } from './calendar.js';
import { type BudgetScope, type BudgetUnit, formatAmount } from './schema.js';

export type CheckDecision = 'allow' | 'warn' | 'deny';

/** What the check needs to know about one budget in its current period. */
export interface CheckEntry {
  id: string;
  name: string;
  /** A person scope holds the resolved person id. */
  scope: BudgetScope;
  unit: BudgetUnit;
  hard: boolean;
  thresholds: readonly number[];
  periodLabel: string;
  /** The current period's bounds (epoch ms): past `periodEndTs` the spend below is last period's. */
  periodStartTs: number;
  periodEndTs: number;
  /** Shared budgets: spend and limit of the period (roll-over included). */
  spent: number;
  limit: number;
  /** Allowances: each person's spend this period, and the allowance. */
  perPerson: ReadonlyMap<string, number> | null;
  /** Central projection of when the limit is reached, when it is within the period. */
  projectedExhaustion: string | null;
}

export interface CheckRequest {
  /** Resolved person id, or null when the caller did not name one. */
  personId: string | null;
  /** The person's team now, if the directory knows it. */
  team: string | undefined;
  tool: string | undefined;
  model: string | undefined;
  now: number;
}

export interface CheckedBudget {
  id: string;
  name: string;
  decision: CheckDecision;
  /** Percent of the limit (or of the person's allowance). */
  percent: number;
  spent: number;
  limit: number;
  unit: BudgetUnit;
  /** True for an allowance: `spent` and `limit` are the person's. */
  allowance: boolean;
  reason: string;
}

export interface CheckAnswer {
  decision: CheckDecision;
  /** One sentence: the reason of the budget that decided, or why everything is allowed. */
  reason: string;
  budgets: CheckedBudget[];
  /** Some budget's period has ended since the summary was built: its spend counts as 0 until refreshed. */
  stale: boolean;
}

const RANK: Record<CheckDecision, number> = { allow: 0, warn: 1, deny: 2 };

function applies(entry: CheckEntry, req: CheckRequest): boolean {
  switch (entry.scope.kind) {
    case 'org':
      return true;
    case 'team':
      return req.team === entry.scope.id;
    case 'person':
      return req.personId === entry.scope.id;
    case 'tool':
      return req.tool === entry.scope.id;
    case 'model':
      return req.model === entry.scope.id;
  }
}

function pct(p: number): string {
  return `${Math.floor(p)} %`;
}

/** One budget's answer for one request. */
export function checkBudget(entry: CheckEntry, req: CheckRequest): CheckedBudget {
  // A new period began after the summary was built: nothing is spent in it yet that we know of.
  const newPeriod = req.now >= entry.periodEndTs;
  const allowance = entry.perPerson !== null;
  const spent = newPeriod ? 0 : allowance ? (entry.perPerson!.get(req.personId ?? '') ?? 0) : entry.spent;
  const limit = entry.limit;
  const percent = limit > 0 ? (spent / limit) * 100 : 0;
  const whose = allowance ? `${req.personId ?? 'this person'}'s allowance in ${entry.name}` : entry.name;
  const amounts = `${formatAmount(spent, entry.unit)} of ${formatAmount(limit, entry.unit)} for ${entry.periodLabel}`;
  let decision: CheckDecision = 'allow';
  let reason = `${whose}: ${pct(percent)} used (${amounts}).`;
  if (percent >= 100) {
    decision = entry.hard ? 'deny' : 'warn';
    reason = entry.hard
      ? `${whose} is used up: ${amounts}; it is a hard limit.`
      : `${whose} is over its limit: ${amounts} (${pct(percent)}).`;
  } else {
    const crossed = entry.thresholds.filter((t) => t < 100 && percent >= t).at(-1);
    if (crossed !== undefined) {
      decision = 'warn';
      reason = `${whose} has used ${pct(percent)}, past its ${crossed} % threshold (${amounts}).`;
    } else if (!allowance && !newPeriod && entry.projectedExhaustion !== null) {
      decision = 'warn';
      reason = `At this rate ${entry.name} runs out on ${humanDate(entry.projectedExhaustion)}, before ${entry.periodLabel} ends (${pct(percent)} used).`;
    }
  }
  return {
    id: entry.id,
    name: entry.name,
    decision,
    percent,
    spent,
    limit,
    unit: entry.unit,
    allowance,
    reason,
  };
}

/** The answer over every budget that covers the request: the strictest decision wins. */
export function checkBudgets(entries: readonly CheckEntry[], req: CheckRequest): CheckAnswer {
  const budgets = entries.filter((e) => applies(e, req)).map((e) => checkBudget(e, req));
  const stale = entries.some((e) => req.now >= e.periodEndTs);
  if (budgets.length === 0)
    return { decision: 'allow', reason: 'No budget covers this person, tool and model.', budgets, stale };
  const worst = budgets.reduce((w, b) =>
    RANK[b.decision] > RANK[w.decision] || (RANK[b.decision] === RANK[w.decision] && b.percent > w.percent)
      ? b
      : w,
  );
  const reason =
    worst.decision === 'allow'
      ? `Within budget: ${budgets.map((b) => `${b.name} ${pct(b.percent)}`).join(', ')}.`
      : worst.reason;
  return { decision: worst.decision, reason, budgets, stale };
}
