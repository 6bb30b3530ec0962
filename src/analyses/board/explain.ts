/**
 * Every number and link behind a person's board position (DESIGN §6 "an engineer always sees their
 * own numbers and the evidence behind them"): their changes with evidence and durability, the
 * deployments that credited them and the shares, their sessions with cost and outcome, the totals
 * these add up to, and where that puts them on the board.
 * @module
 */
import type { SessionSummary } from '../../ledger/sessions.js';
import type { AiEvidence } from '../../ledger/work.js';
import { SESSION_OUTCOMES, type SessionOutcome, type ValueModel } from '../value/model.js';
import { type ValueSummary, valueSummary } from '../value/summary.js';
import { ALL_TIME, inWindow } from '../value/time.js';
import { type BoardEntry, type BoardOptions, board, heldOutMap } from './board.js';

export interface ExplainedChange {
  id: string;
  kind: 'pull_request' | 'commit';
  repo: string;
  title: string;
  commitShas: string[];
  shippedAt: number | null;
  additions: number;
  deletions: number;
  trivial: boolean;
  selfMerged: boolean;
  isRevert: boolean;
  durable: boolean;
  settled: boolean;
  revertedBy: { commitId: string; sha: string; at: number } | null;
  rolledBackIn: string | null;
  incidentIds: string[];
  qualifying: boolean;
  /** Why it does not count, when it does not. */
  excludedBecause: string[];
  aiAssisted: boolean;
  evidence: AiEvidence[];
  sessionIds: string[];
  deploymentId: string | null;
  deployedAt: number | null;
  ndShare: number;
}

export interface ExplainedDeployment {
  id: string;
  service: string;
  ts: number;
  outcome: string;
  /** Qualifying changes the deployment's 1 was split across. */
  recipients: number;
  /** This person's changes among them and their shares. */
  shares: Array<{ changeId: string; share: number }>;
  personTotal: number;
}

export interface ExplainedSession {
  sessionId: string;
  tool: string;
  firstTs: number;
  lastTs: number;
  costUsd: number;
  calls: number;
  prompts: number;
  tokens: { input: number; cacheRead: number; cacheWrite: number; output: number };
  edits: number;
  agentic: boolean;
  outcome: SessionOutcome;
  agentWorkUnit: boolean;
  changeIds: string[];
}

export interface Explanation {
  personId: string;
  name: string;
  heldOut: boolean;
  /** The integrity flags that hold them out (empty when not held out, or when only people were given). */
  heldOutBy: string[];
  /** The person's entry on the individual board for the lens (always visible to themself). */
  position: BoardEntry | null;
  totals: ValueSummary;
  changes: ExplainedChange[];
  deployments: ExplainedDeployment[];
  sessions: ExplainedSession[];
}

function exclusions(f: ValueModel['facts'][number]): string[] {
  const out: string[] = [];
  if (!f.shipped) out.push('not shipped to the default branch');
  if (f.revertedBy) out.push(`reverted by ${f.revertedBy.sha.slice(0, 12)}`);
  if (f.rolledBackIn) out.push(`shipped by rolled-back deployment ${f.rolledBackIn}`);
  if (f.incidentIds.length > 0) out.push(`named by incident ${f.incidentIds.join(', ')}`);
  if (f.trivial) out.push('trivial (below the line threshold)');
  if (f.selfMerged) out.push('self-merged without an approver');
  if (f.isRevert) out.push('a revert of earlier work');
  return out;
}

/**
 * Explains one person's numbers over the window of `options` (default all time), on the lens of
 * `options` (default value). Person scans are linear in the records: fine for one person at a time.
 */
export function explain(model: ValueModel, personId: string, options: BoardOptions = {}): Explanation {
  const window = options.window ?? ALL_TIME;
  const heldBy = heldOutMap(options.heldOut).get(personId);
  const held = heldBy !== undefined;
  const position = held
    ? null
    : (board(model, { ...options, level: 'person', viewer: personId }).entries.find(
        (e) => e.kind === 'person' && e.id === personId,
      ) ?? null);

  const changes: ExplainedChange[] = [];
  for (const f of model.facts) {
    const ch = f.change;
    if (ch.personId !== personId) continue;
    const deployedIn = f.deployedAt !== null && inWindow(f.deployedAt, window);
    const shippedIn = f.shippedAt !== null && inWindow(f.shippedAt, window);
    if (!deployedIn && !shippedIn) continue;
    changes.push({
      id: ch.id,
      kind: ch.kind,
      repo: ch.repo,
      title: ch.pr?.title ?? ch.commit?.subject ?? '',
      commitShas: ch.commits.map((c) => c.sha),
      shippedAt: f.shippedAt,
      additions: f.additions,
      deletions: f.deletions,
      trivial: f.trivial,
      selfMerged: f.selfMerged,
      isRevert: f.isRevert,
      durable: f.durable,
      settled: f.settled,
      revertedBy: f.revertedBy,
      rolledBackIn: f.rolledBackIn,
      incidentIds: [...f.incidentIds],
      qualifying: f.qualifying,
      excludedBecause: exclusions(f),
      aiAssisted: f.aiAssisted,
      evidence: ch.evidence,
      sessionIds: ch.sessionIds,
      deploymentId: f.deploymentId,
      deployedAt: f.deployedAt,
      ndShare: f.ndShare,
    });
  }

  const deployments: ExplainedDeployment[] = [];
  if (model.ndBasis === 'deployments') {
    for (const df of model.deployments) {
      if (!inWindow(df.deployment.ts, window)) continue;
      const shares: ExplainedDeployment['shares'] = [];
      df.recipients.forEach((i, k) => {
        const f = model.facts[i]!;
        if (f.change.personId === personId) shares.push({ changeId: f.change.id, share: df.shares[k]! });
      });
      const mine = df.newChanges.some((i) => model.facts[i]!.change.personId === personId);
      if (!mine) continue;
      deployments.push({
        id: df.deployment.id,
        service: df.deployment.service,
        ts: df.deployment.ts,
        outcome: df.outcome,
        recipients: df.recipients.length,
        shares,
        personTotal: shares.reduce((s, x) => s + x.share, 0),
      });
    }
  }

  const sessions: ExplainedSession[] = [];
  model.sessions.forEach((s: SessionSummary, i) => {
    if (s.personId !== personId || !inWindow(s.firstTs, window)) return;
    const outcome = SESSION_OUTCOMES[model.sessionOutcome[i]!]!;
    sessions.push({
      sessionId: s.sessionId,
      tool: s.tool,
      firstTs: s.firstTs,
      lastTs: s.lastTs,
      costUsd: s.costUsd,
      calls: s.calls,
      prompts: s.prompts,
      tokens: {
        input: s.inputTokens,
        cacheRead: s.cacheReadTokens,
        cacheWrite: s.cacheWriteTokens,
        output: s.outputTokens,
      },
      edits: s.edits,
      agentic: s.agentic,
      outcome,
      agentWorkUnit: outcome === 'durable' && (s.edits > 0 || s.commitShas.length > 0),
      changeIds: model.links.changesOfSession(i).map((c) => c.id),
    });
  });

  return {
    personId,
    name: model.directory.person(personId)?.name ?? personId,
    heldOut: held,
    heldOutBy: [...(heldBy ?? [])],
    position,
    totals: valueSummary(model, { kind: 'person', personId }, window),
    changes,
    deployments,
    sessions,
  };
}
