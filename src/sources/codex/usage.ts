/**
 * Codex `TokenUsage` objects (protocol.rs) and their mapping to canonical token buckets.
 * @module
 */
import type { TokenBuckets } from '../../ledger/records.js';

/** One `TokenUsage`, every field a non-negative integer (missing fields of older builds are 0). */
export interface CodexUsage {
  input: number;
  cached: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  /** `total_tokens`, or input + output when an old build left it out or at 0. */
  total: number;
}

export const ZERO_USAGE: Readonly<CodexUsage> = Object.freeze({
  input: 0,
  cached: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
  total: 0,
});

const FIELDS = {
  input: 'input_tokens',
  cached: 'cached_input_tokens',
  cacheWrite: 'cache_write_input_tokens',
  output: 'output_tokens',
  reasoning: 'reasoning_output_tokens',
} as const;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Reads a `TokenUsage`. `null` when absent; `'invalid'` when present but not usable (a string,
 * a negative or fractional count): guessing a number out of a string would let corrupt lines
 * through as plausible spend.
 */
export function readUsage(value: unknown): CodexUsage | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return 'invalid';
  const o = value as Record<string, unknown>;
  const out: CodexUsage = { ...ZERO_USAGE };
  for (const key of Object.keys(FIELDS) as Array<keyof typeof FIELDS>) {
    const v = o[FIELDS[key]];
    if (v === undefined || v === null) continue;
    if (!isCount(v)) return 'invalid';
    out[key] = v;
  }
  const total = o.total_tokens;
  if (total !== undefined && total !== null && !isCount(total)) return 'invalid';
  out.total = isCount(total) && total > 0 ? total : out.input + out.output;
  return out;
}

export function sameUsage(a: CodexUsage, b: CodexUsage): boolean {
  return (
    a.input === b.input &&
    a.cached === b.cached &&
    a.cacheWrite === b.cacheWrite &&
    a.output === b.output &&
    a.reasoning === b.reasoning &&
    a.total === b.total
  );
}

/** Field-wise `current − previous`, floored at 0 (ccusage's saturating subtraction). */
export function subtractUsage(current: CodexUsage, previous: CodexUsage): CodexUsage {
  return {
    input: Math.max(0, current.input - previous.input),
    cached: Math.max(0, current.cached - previous.cached),
    cacheWrite: Math.max(0, current.cacheWrite - previous.cacheWrite),
    output: Math.max(0, current.output - previous.output),
    reasoning: Math.max(0, current.reasoning - previous.reasoning),
    total: Math.max(0, current.total - previous.total),
  };
}

export function addUsage(a: CodexUsage, b: CodexUsage): CodexUsage {
  return {
    input: a.input + b.input,
    cached: a.cached + b.cached,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    total: a.total + b.total,
  };
}

export function isEmptyUsage(u: CodexUsage): boolean {
  return u.input === 0 && u.cached === 0 && u.cacheWrite === 0 && u.output === 0 && u.reasoning === 0;
}

/**
 * OpenAI counts cached reads (and GPT-5.6+ cache writes) inside `input_tokens`, so the uncached
 * part is what is left (reference/formats.md §0.3). Reasoning is already inside `output_tokens`.
 */
export function toBuckets(u: CodexUsage): TokenBuckets {
  const cacheRead = Math.min(u.cached, u.input);
  const cacheWriteOther = Math.min(u.cacheWrite, u.input - cacheRead);
  return {
    inputUncached: u.input - cacheRead - cacheWriteOther,
    cacheRead,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheWriteOther,
    output: u.output,
    reasoning: Math.min(u.reasoning, u.output),
  };
}

export function isCodexUsage(v: unknown): v is CodexUsage {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    isCount(o.input) &&
    isCount(o.cached) &&
    isCount(o.cacheWrite) &&
    isCount(o.output) &&
    isCount(o.reasoning) &&
    isCount(o.total)
  );
}
