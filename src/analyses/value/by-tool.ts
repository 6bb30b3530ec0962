/**
 * Outcomes by AI tool: for each tool, its sessions in the window, what they cost and how many
 * became agent work units (sessions that produced a qualifying durable shipped change), so tools
 * can be compared by cost per outcome. Only session outcomes are split by tool: a change's ND is
 * not, because one change is often made with several tools and ND has no fair split between them.
 * Definitions are those of the value metrics (docs/metrics.md): attempted = edited or committed;
 * spend = priced cost of sessions started in the window.
 * @module
 */
import type { PersonSpan } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import { ratio } from './aggregate.js';
import { SESSION_OUTCOMES, type SessionOutcome, type ValueModel } from './model.js';
import { inWindow, type Window } from './time.js';

export interface ToolOutcomes {
  tool: Tool;
  sessions: number;
  costUsd: number;
  unpricedCalls: number;
  /** Sessions that edited files or committed. */
  attempted: number;
  agentWorkUnits: number;
  /** agentWorkUnits / attempted; null when nothing was attempted. */
  successRate: number | null;
  /** costUsd / agentWorkUnits; null when there is no unit to price. */
  costPerAgentWorkUnit: number | null;
  /** Sessions and their spend by outcome (the value model's precedence order). */
  outcomes: Record<SessionOutcome, { sessions: number; costUsd: number }>;
}

export interface ToolScope {
  window: Window;
  /** Only these people; undefined for everyone. */
  personIds?: readonly string[];
  /** Only these people while in these spans (a team's members while members); overrides personIds. */
  personSpans?: readonly PersonSpan[];
  /** Only these tools. */
  tools?: readonly Tool[];
}

function emptyOutcomes(): ToolOutcomes['outcomes'] {
  const out = {} as ToolOutcomes['outcomes'];
  for (const o of SESSION_OUTCOMES) out[o] = { sessions: 0, costUsd: 0 };
  return out;
}

function spanFilter(spans: readonly PersonSpan[]): (personId: string, ts: number) => boolean {
  const byPerson = new Map<string, PersonSpan[]>();
  for (const s of spans) {
    const list = byPerson.get(s.personId) ?? [];
    list.push(s);
    byPerson.set(s.personId, list);
  }
  return (personId, ts) => byPerson.get(personId)?.some((s) => ts >= s.fromTs && ts <= s.untilTs) ?? false;
}

/** Per tool, most spend first. */
export function outcomesByTool(model: ValueModel, scope: ToolScope): ToolOutcomes[] {
  const inScope = scope.personSpans
    ? spanFilter(scope.personSpans)
    : scope.personIds
      ? (
          (ids: Set<string>) => (personId: string) =>
            ids.has(personId)
        )(new Set(scope.personIds))
      : () => true;
  const tools = scope.tools ? new Set(scope.tools) : undefined;
  const byTool = new Map<Tool, ToolOutcomes>();
  model.sessions.forEach((s, i) => {
    if (!inWindow(s.firstTs, scope.window) || (tools && !tools.has(s.tool))) return;
    if (!inScope(s.personId, s.firstTs)) return;
    let t = byTool.get(s.tool);
    if (!t) {
      t = {
        tool: s.tool,
        sessions: 0,
        costUsd: 0,
        unpricedCalls: 0,
        attempted: 0,
        agentWorkUnits: 0,
        successRate: null,
        costPerAgentWorkUnit: null,
        outcomes: emptyOutcomes(),
      };
      byTool.set(s.tool, t);
    }
    const outcome = SESSION_OUTCOMES[model.sessionOutcome[i]!]!;
    t.sessions++;
    t.costUsd += s.costUsd;
    t.unpricedCalls += s.unpricedCalls;
    t.outcomes[outcome].sessions++;
    t.outcomes[outcome].costUsd += s.costUsd;
    // The same test as the value metrics' agent work units (aggregate.ts).
    if (s.edits > 0 || s.commitShas.length > 0) {
      t.attempted++;
      if (outcome === 'durable') t.agentWorkUnits++;
    }
  });
  for (const t of byTool.values()) {
    t.successRate = ratio(t.agentWorkUnits, t.attempted);
    t.costPerAgentWorkUnit = ratio(t.costUsd, t.agentWorkUnits);
  }
  return [...byTool.values()].sort((a, b) => b.costUsd - a.costUsd || a.tool.localeCompare(b.tool));
}
