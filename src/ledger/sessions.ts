/**
 * One AI session as the value analyses see it: its spend and what it did, summed from the usage
 * and activity records of the session (including its subagents' calls).
 * @module
 */
import type { Tool } from './records.js';

export interface SessionSummary {
  sessionId: string;
  tool: Tool;
  personId: string;
  /** Working directory the session ran in (repository linking starts from it). */
  cwd: string | null;
  gitBranch: string | null;
  firstTs: number;
  lastTs: number;
  calls: number;
  /** Priced cost in USD (unpriced calls contribute nothing here, see `unpricedCalls`). */
  costUsd: number;
  unpricedCalls: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** Human prompts typed in the session. */
  prompts: number;
  /**
   * Distinct similarity fingerprints of those prompts (sources/fingerprint.ts), sorted; never the
   * text. Optional: readers and generators that do not need near-duplicate detection omit it.
   */
  promptFingerprints?: string[];
  toolUses: number;
  /** Tool uses that edited files (Edit, Write, MultiEdit, apply_patch, NotebookEdit …). */
  edits: number;
  linesAdded: number;
  linesRemoved: number;
  /** SHAs (possibly abbreviated) the session's own `git commit` printed. */
  commitShas: string[];
  /** PR URLs the session created or linked. */
  prUrls: string[];
  /** Ran subagents or long autonomous stretches: an agentic session (DESIGN §5 adoption). */
  agentic: boolean;
}
