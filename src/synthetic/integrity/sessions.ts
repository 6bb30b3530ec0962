/**
 * Session summaries of the kinds an organisation's engineers produce — work that edits and
 * commits, questions, long agent runs — and of the kinds the planted tokenmaxxers add. Costs
 * come from the tokens at list-like rates (per million: input $3, cache read $0.30, cache write
 * $3.75, output $15) times the person's model mix, so that spend, tokens and calls agree.
 * @module
 */
import type { SessionSummary } from '../../ledger/sessions.js';
import { promptFingerprint } from '../../sources/fingerprint.js';
import { burnerPrompt, workPrompt } from '../demo-org/names.js';
import type { Rng } from '../prng.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export type SessionKind =
  | 'work'
  | 'question'
  | 'agent_run'
  | 'explore'
  | 'loop'
  | 'repeat'
  | 'padding'
  | 'spike'
  | 'unshipped'
  | 'tiny';

export interface SessionOwner {
  id: string;
  /** Repository name (the cwd's basename) and key. */
  repoName: string;
  /** Multiplies cost: the person's model mix. */
  modelMult: number;
  /** Multiplies context per call. */
  contextScale: number;
  /** Multiplies calls per session: heavy users run longer sessions. */
  callScale: number;
  /** Index of the person's repeated instruction (repeat sessions). */
  mantra: number;
}

interface Shape {
  calls: number;
  prompts: number;
  durationMs: number;
  cachePerCall: number;
  outputPerCall: number;
  edits: boolean;
  mantra: boolean;
}

function shape(rng: Rng, kind: SessionKind, o: SessionOwner): Shape {
  const c = o.contextScale;
  switch (kind) {
    case 'work': {
      const calls = Math.max(3, Math.round(rng.logNormal(18 * o.callScale, 0.5)));
      return {
        calls,
        prompts: Math.max(1, Math.round(calls / (5 + rng.next() * 7))),
        durationMs: calls * (30 + rng.next() * 50) * 1000,
        cachePerCall: 35_000 * c * (0.6 + rng.next() * 0.8),
        outputPerCall: 500 * (0.6 + rng.next() * 0.9),
        edits: true,
        mantra: false,
      };
    }
    case 'unshipped': {
      const calls = Math.max(5, Math.round(rng.logNormal(45 * o.callScale, 0.4)));
      return {
        calls,
        prompts: Math.max(1, Math.round(calls / (5 + rng.next() * 7))),
        durationMs: calls * (30 + rng.next() * 50) * 1000,
        cachePerCall: 45_000 * c * (0.6 + rng.next() * 0.8),
        outputPerCall: 500 * (0.6 + rng.next() * 0.9),
        edits: true,
        mantra: false,
      };
    }
    case 'tiny': {
      const calls = rng.int(3, 8);
      return {
        calls,
        prompts: 1,
        durationMs: calls * 40_000,
        cachePerCall: 25_000 * c,
        outputPerCall: 300,
        edits: true,
        mantra: false,
      };
    }
    case 'agent_run': {
      const calls = rng.int(150, 400);
      return {
        calls,
        prompts: rng.int(1, 2),
        durationMs: (2 + rng.next() * 2) * HOUR,
        cachePerCall: 60_000 * c * (0.7 + rng.next() * 0.6),
        outputPerCall: 350 * (0.6 + rng.next() * 0.8),
        edits: true,
        mantra: false,
      };
    }
    case 'question': {
      const calls = rng.int(2, 10);
      return {
        calls,
        prompts: rng.int(1, 3),
        durationMs: calls * (20 + rng.next() * 60) * 1000,
        cachePerCall: 20_000 * c * (0.6 + rng.next() * 0.8),
        outputPerCall: 450 * (0.6 + rng.next() * 0.9),
        edits: false,
        mantra: false,
      };
    }
    case 'explore': {
      const calls = rng.int(30, 80);
      return {
        calls,
        prompts: rng.int(3, 8),
        durationMs: (0.5 + rng.next()) * HOUR,
        cachePerCall: 50_000 * c * (0.7 + rng.next() * 0.6),
        outputPerCall: 600 * (0.6 + rng.next() * 0.8),
        edits: false,
        mantra: false,
      };
    }
    case 'loop': {
      return {
        calls: rng.int(150, 600),
        prompts: rng.chance(0.5) ? 0 : 1,
        durationMs: (3 + rng.next() * 4) * HOUR,
        cachePerCall: 70_000 * c * (0.7 + rng.next() * 0.6),
        outputPerCall: 150 + rng.next() * 250,
        edits: false,
        mantra: false,
      };
    }
    case 'repeat': {
      const calls = rng.int(8, 30);
      return {
        calls,
        prompts: rng.int(1, 3),
        durationMs: (20 + rng.next() * 40) * MINUTE,
        cachePerCall: 40_000 * c * (0.7 + rng.next() * 0.6),
        outputPerCall: 500 * (0.6 + rng.next() * 0.8),
        edits: rng.chance(0.3),
        mantra: true,
      };
    }
    case 'padding': {
      return {
        calls: rng.int(20, 80),
        prompts: rng.int(1, 4),
        durationMs: (15 + rng.next() * 45) * MINUTE,
        cachePerCall: 150_000 + rng.next() * 40_000,
        outputPerCall: 10 + rng.next() * 30,
        edits: false,
        mantra: false,
      };
    }
    case 'spike': {
      const calls = rng.int(30, 120);
      return {
        calls,
        prompts: rng.int(2, 6),
        durationMs: calls * (30 + rng.next() * 40) * 1000,
        cachePerCall: 50_000 * c * (0.7 + rng.next() * 0.6),
        outputPerCall: 500 * (0.6 + rng.next() * 0.8),
        edits: rng.chance(0.5),
        mantra: false,
      };
    }
  }
}

export interface SessionPlan {
  sessionId: string;
  kind: SessionKind;
  start: number;
  branch: string | null;
  commitShas: string[];
}

export function buildSession(rng: Rng, owner: SessionOwner, plan: SessionPlan): SessionSummary {
  const s = shape(rng, plan.kind, owner);
  const input = Math.round(s.calls * 1500 * owner.contextScale);
  const cacheRead = Math.round(s.calls * s.cachePerCall);
  const cacheWrite = Math.round(s.calls * 2500 * owner.contextScale);
  const output = Math.round(s.calls * s.outputPerCall);
  const costUsd = ((input * 3 + cacheRead * 0.3 + cacheWrite * 3.75 + output * 15) / 1e6) * owner.modelMult;
  const edits = s.edits ? Math.max(1, Math.round(s.calls / (4 + rng.next() * 4))) : 0;
  const lines = edits * rng.int(3, 15);
  const texts: string[] = [];
  for (let k = 0; k < Math.min(s.prompts, 3); k++)
    texts.push(s.mantra ? burnerPrompt(rng, owner.mantra) : workPrompt(rng));
  const toolUses = Math.round(s.calls * (plan.kind === 'question' ? 0.3 : 0.8));
  return {
    sessionId: plan.sessionId,
    tool: 'claude-code',
    personId: owner.id,
    cwd: `/home/${owner.id}/src/${owner.repoName}`,
    gitBranch: plan.branch,
    firstTs: plan.start,
    lastTs: plan.start + Math.round(s.durationMs),
    calls: s.calls,
    costUsd,
    unpricedCalls: 0,
    inputTokens: input,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: output,
    prompts: s.prompts,
    promptFingerprints: [...new Set(texts.map(promptFingerprint))].sort(),
    toolUses,
    edits,
    linesAdded: Math.round(lines * 0.8),
    linesRemoved: Math.round(lines * 0.2),
    commitShas: plan.commitShas,
    prUrls: [],
    agentic: edits > 0 || toolUses >= 3 * Math.max(1, s.prompts),
  };
}
