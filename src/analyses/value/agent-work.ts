/**
 * Agent work units (DESIGN §5, Salesforce's metric): AI sessions that produced at least one
 * qualifying durable shipped change. Attempted: AI sessions that edited files or committed. The
 * success rate is units / attempted; agentic sessions (subagents, long autonomous runs) are also
 * reported on their own.
 * @module
 */
import { type Acc, accFor, type MetricQuery, ratio } from './aggregate.js';
import type { ValueModel } from './model.js';

export interface AgentWorkMetric {
  units: number;
  attempted: number;
  successRate: number | null;
  agenticUnits: number;
  agenticAttempted: number;
  agenticSuccessRate: number | null;
}

export function agentWorkFromAcc(a: Acc): AgentWorkMetric {
  return {
    units: a.awu,
    attempted: a.attempted,
    successRate: ratio(a.awu, a.attempted),
    agenticUnits: a.agenticAwu,
    agenticAttempted: a.agenticAttempted,
    agenticSuccessRate: ratio(a.agenticAwu, a.agenticAttempted),
  };
}

export function agentWorkUnits(model: ValueModel, query: MetricQuery = {}): AgentWorkMetric {
  return agentWorkFromAcc(accFor(model, query));
}
