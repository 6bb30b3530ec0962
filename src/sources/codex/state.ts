/**
 * Everything the rollout parser must remember between runs, so that a parse resumed at a
 * checkpoint offset emits exactly what a parse from 0 would. Plain JSON by construction.
 * @module
 */
import { type CodexUsage, isCodexUsage } from './usage.js';

export const STATE_VERSION = 1;

/** Lines of another thread copied into this rollout (fork / forked sub-agent history). */
export interface ReplayWindow {
  /** UTC seconds (`YYYY-MM-DDTHH:MM:SS`) the copy was written in. */
  seconds: string[];
  /** False once a line from a later second showed the copy is over. */
  active: boolean;
}

export interface CodexState {
  v: typeof STATE_VERSION;
  sessionId: string;
  /** True once the rollout's own `session_meta` was read; until then the id comes from the file name. */
  sessionFromMeta: boolean;
  parentSessionId: string | null;
  isSubagent: boolean;
  /** Forked or spawned from another thread: its rollout may start by replaying that thread. */
  mayReplay: boolean;
  /** Whether the pre-scan for a replay burst (ccusage's rule) has been done. */
  replayScanned: boolean;
  replay: ReplayWindow | null;
  cwd: string | null;
  gitBranch: string | null;
  /** Latest model from `turn_context` (or a `token_count` that named one). */
  model: string | null;
  /** `model` is the `gpt-5` stand-in for a rollout that never said (early Sept 2025 builds). */
  modelIsFallback: boolean;
  /** Usage events priced with the stand-in model, so a report can say how many are approximate. */
  fallbackModelEvents: number;
  /**
   * Cumulative usage after the last counted or carried `token_count` (advanced by `last` when an
   * event has no total). Its `total` is the event key.
   */
  totals: CodexUsage | null;
  /** Times the cumulative counters went backwards (a restarted counter); part of the key after that. */
  epoch: number;
  /** Line counts of `patch_apply_begin` waiting for their `patch_apply_end`, by call id. */
  pendingPatches: Record<string, { added: number; removed: number }>;
}

export function initialState(sessionId: string): CodexState {
  return {
    v: STATE_VERSION,
    sessionId,
    sessionFromMeta: false,
    parentSessionId: null,
    isSubagent: false,
    mayReplay: false,
    replayScanned: false,
    replay: null,
    cwd: null,
    gitBranch: null,
    model: null,
    modelIsFallback: false,
    fallbackModelEvents: 0,
    totals: null,
    epoch: 0,
    pendingPatches: {},
  };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isReplay(v: unknown): v is ReplayWindow | null {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o.seconds) && o.seconds.every(isStr) && isBool(o.active);
}

function isPatches(v: unknown): v is CodexState['pendingPatches'] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((p) => {
    const o = p as Record<string, unknown> | null;
    return typeof o === 'object' && o !== null && isCount(o.added) && isCount(o.removed);
  });
}

/** The saved state if it is one this version wrote; otherwise null (the caller then starts over at 0). */
export function restoreState(saved: unknown): CodexState | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const s = saved as Record<string, unknown>;
  const ok =
    s.v === STATE_VERSION &&
    isStr(s.sessionId) &&
    isBool(s.sessionFromMeta) &&
    isStrOrNull(s.parentSessionId) &&
    isBool(s.isSubagent) &&
    isBool(s.mayReplay) &&
    isBool(s.replayScanned) &&
    isReplay(s.replay) &&
    isStrOrNull(s.cwd) &&
    isStrOrNull(s.gitBranch) &&
    isStrOrNull(s.model) &&
    isBool(s.modelIsFallback) &&
    isCount(s.fallbackModelEvents) &&
    (s.totals === null || isCodexUsage(s.totals)) &&
    isCount(s.epoch) &&
    isPatches(s.pendingPatches);
  return ok ? (structuredClone(saved) as CodexState) : null;
}
