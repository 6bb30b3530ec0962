/**
 * Canonical ledger records (DESIGN §4, reference/formats.md §0.3).
 *
 * Every source maps its raw input into these shapes and nothing else. Token buckets are
 * disjoint: `inputUncached + cacheRead + cacheWrite5m + cacheWrite1h + cacheWriteOther` is the
 * whole prompt, `output` includes reasoning, and `reasoning` is an informational subset of it.
 * @module
 */

/** The AI tool that produced a record. */
export type Tool = 'claude-code' | 'codex' | 'gemini-cli' | 'copilot' | 'cursor' | 'kiro' | 'api';

/**
 * Where a record came from; one id per input format. `demo` marks the generated demonstration
 * organisation, so that its records can never be mistaken for (or mixed into) real data.
 */
export type SourceId =
  | 'claude_code_jsonl'
  | 'codex_rollout'
  | 'gemini_cli_chat'
  | 'claude_code_otel'
  | 'codex_otel'
  | 'gemini_cli_otel'
  | 'demo';

export type Provider = 'anthropic' | 'openai' | 'google' | 'other';

/** How `costUsd` was obtained. `unpriced` means no price is known: cost is null, never 0. */
export type CostBasis = 'computed' | 'reported' | 'vendor_bill' | 'unpriced';

export interface TokenBuckets {
  /** Prompt tokens billed at the normal input rate. */
  inputUncached: number;
  /** Prompt tokens served from cache. */
  cacheRead: number;
  /** Prompt tokens written to a 5-minute cache (also: writes whose TTL split is unknown). */
  cacheWrite5m: number;
  /** Prompt tokens written to a 1-hour cache. */
  cacheWrite1h: number;
  /** Cache writes with another or unknown TTL (OpenAI GPT-5.6+, Cursor). */
  cacheWriteOther: number;
  /** All generated tokens, reasoning included. */
  output: number;
  /** Informational subset of `output`; never add it to output again. */
  reasoning: number;
}

/** What a source yields for one model call: a usage record before identity and pricing. */
export interface UsageDraft {
  /** Deterministic dedup key, prefixed with the source (reference/formats.md §10.2). */
  id: string;
  /** Request time, epoch milliseconds UTC. */
  ts: number;
  source: SourceId;
  tool: Tool;
  sessionId: string;
  /** Parent session when this call ran inside a subagent; otherwise null. */
  parentSessionId: string | null;
  requestId: string | null;
  /** Vendor message/response id (`msg_…`), used by the sidechain rule. */
  messageId: string | null;
  /** Model name as written by the tool (null when the tool did not say). */
  model: string | null;
  provider: Provider;
  /** `fast` for premium fast mode; null when the tool does not say. */
  speed: 'standard' | 'fast' | null;
  serviceTier: string | null;
  /** `us` for US-only inference (1.1× on Claude 4.6+); null when absent or unknown. */
  inferenceGeo: string | null;
  tokens: TokenBuckets;
  webSearchRequests: number;
  /** For credit-metered tools; null otherwise. */
  credits: number | null;
  /** Cost the tool itself reported, if any (kept apart from our computed cost). */
  reportedCostUsd: number | null;
  cwd: string | null;
  gitBranch: string | null;
  /** Project label for reports: the working directory's path (never decoded from a dir name). */
  project: string | null;
  isSubagent: boolean;
  /** Claude Code sidechain copy; a main-chain copy of the same message wins (formats.md §1.8 rule 6). */
  isSidechain: boolean;
  /**
   * `request`: one model call. `interval`: a telemetry counter's increment over an export interval
   * (OTel metrics when no per-call events arrive). `day`: a vendor's daily roll-up.
   */
  granularity: 'request' | 'interval' | 'day';
  /** Path of the file (or stream) the record was read from: the evidence behind the number. */
  origin: string;
}

/** A usage record as stored in the ledger. */
export interface UsageRecord extends UsageDraft {
  personId: string;
  /** The raw identity the person was resolved from (e.g. `{ os_user, host, git_email }`). */
  rawIdentity: Record<string, string>;
  /** Null when unpriced; never a silent 0. */
  costUsd: number | null;
  costBasis: CostBasis;
  /** Version of the price table (and overrides) `costUsd` was computed with. */
  priceVersion: string | null;
}

export type ActivityKind =
  | 'prompt'
  | 'tool_use'
  | 'lines_changed'
  | 'commit'
  | 'pull_request'
  | 'api_error'
  | 'decision';

/** Something that happened in an AI session that is not a model call. */
export interface ActivityDraft {
  /** Deterministic id, prefixed with the source; re-reading the same line yields the same id. */
  id: string;
  ts: number;
  source: SourceId;
  tool: Tool;
  sessionId: string;
  kind: ActivityKind;
  /** Tool name for `tool_use` / `lines_changed` (`Edit`, `Write`, `Bash`, `apply_patch` …). */
  name: string | null;
  /** Length of a human prompt in characters; the text itself is never stored. */
  promptLength: number | null;
  /** Similarity fingerprint of a human prompt (see sources/fingerprint.ts); never the text. */
  promptFingerprint: string | null;
  linesAdded: number;
  linesRemoved: number;
  /** Commit SHA (possibly abbreviated) for `commit`; PR URL for `pull_request`. */
  ref: string | null;
  cwd: string | null;
  gitBranch: string | null;
  isSubagent: boolean;
  origin: string;
}

export interface ActivityRecord extends ActivityDraft {
  personId: string;
}

export const EMPTY_TOKENS: Readonly<TokenBuckets> = Object.freeze({
  inputUncached: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheWriteOther: 0,
  output: 0,
  reasoning: 0,
});

/** All prompt tokens plus output: the size used to pick the most complete copy of a duplicated call. */
export function totalTokens(t: TokenBuckets): number {
  return t.inputUncached + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h + t.cacheWriteOther + t.output;
}
