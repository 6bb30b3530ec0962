/**
 * The rollout state machine: one decoded line at a time, everything it must remember kept in a
 * `CodexState` so a run can stop at any line and the next one continue from there.
 * @module
 */
import { basename } from 'node:path';
import { recordId, shortHash } from '../../ledger/ids.js';
import type { ActivityDraft, ActivityKind, UsageDraft } from '../../ledger/records.js';
import { activityDraft, type ActivityFields as SharedActivityFields } from '../activity-draft.js';
import { promptFingerprint } from '../fingerprint.js';
import type { ParseSink } from '../source.js';
import { commandText, countPatchChanges, isGitCommit, parseCommitOutput } from './activity.js';
import type { CodexState } from './state.js';
import {
  addUsage,
  type CodexUsage,
  isEmptyUsage,
  readUsage,
  sameUsage,
  subtractUsage,
  toBuckets,
  ZERO_USAGE,
} from './usage.js';

/** ccusage's stand-in for rollouts written before `turn_context` carried the model. */
export const FALLBACK_MODEL = 'gpt-5';
/** Enough to pair every patch of a busy turn; a begin whose end never came must not grow the state forever. */
const MAX_PENDING_PATCHES = 64;
const MAX_REPLAY_SECONDS = 8;
/** `user_message` kinds some builds emitted for injected context, not for something a person typed. */
const INJECTED_KINDS = new Set(['user_instructions', 'environment_context']);
const INJECTED_PREFIXES = ['<user_instructions>', '<environment_context>'];

type Json = Record<string, unknown>;

const ROLLOUT_ID = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** Codex names a rollout after its thread: `rollout-<start time>-<thread id>.jsonl`. */
export function sessionIdFromPath(path: string): string {
  const name = basename(path);
  return ROLLOUT_ID.exec(name)?.[1]?.toLowerCase() ?? `rollout-${shortHash(name)}`;
}

/** Codex lines may name their own working directory and branch, overriding the session's. */
type ActivityFields = SharedActivityFields & Partial<Pick<ActivityDraft, 'cwd' | 'gitBranch'>>;

function object(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function str(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** ISO strings, or epoch seconds / milliseconds (ccusage accepts both). */
export function parseTimestamp(v: unknown): number | null {
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v > 10_000_000_000 ? v : v * 1000;
  return null;
}

/** The UTC second of a timestamp, the unit a replayed history is recognised by. */
export function secondOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function modelOf(o: Json | null): string | null {
  if (!o) return null;
  return str(o.model) ?? str(o.model_name) ?? str(object(o.metadata)?.model);
}

/** Code points, so a prompt's length does not depend on how many emoji it holds. */
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

interface SessionOrigin {
  isSubagent: boolean;
  parentSessionId: string | null;
  /** Spawned from or forked off another thread, so the rollout may open with that thread's history. */
  mayReplay: boolean;
}

/**
 * `source: {subagent: {thread_spawn: {parent_thread_id}}}` (also `"review"`, `"compact"`, …), and in
 * newer builds `thread_source: "subagent"` / top-level `parent_thread_id`; `forked_from_id` marks a
 * user fork, which is not a sub-agent but does replay its parent.
 */
export function sessionOrigin(meta: Json): SessionOrigin {
  let isSubagent = false;
  let parent: string | null = null;
  const source = object(meta.source);
  if (source && 'subagent' in source) {
    isSubagent = true;
    parent = str(object(object(source.subagent)?.thread_spawn)?.parent_thread_id);
  }
  if (meta.thread_source === 'subagent') isSubagent = true;
  const topParent = str(meta.parent_thread_id);
  if (topParent) {
    isSubagent = true;
    parent ??= topParent;
  }
  return { isSubagent, parentSessionId: parent, mayReplay: isSubagent || str(meta.forked_from_id) !== null };
}

export class RolloutParser {
  private readonly fileSessionId: string;

  constructor(
    private readonly st: CodexState,
    private readonly origin: string,
    private readonly sink: ParseSink,
  ) {
    this.fileSessionId = sessionIdFromPath(origin);
  }

  get state(): CodexState {
    return this.st;
  }

  /** Marks lines written in `second` as a copy of another thread's history. */
  addReplaySecond(second: string): void {
    const r = this.st.replay;
    if (!r) {
      this.st.replay = { seconds: [second], active: true };
      return;
    }
    if (!r.seconds.includes(second)) {
      r.seconds.push(second);
      if (r.seconds.length > MAX_REPLAY_SECONDS) r.seconds.shift();
    }
    r.active = true;
  }

  line(value: unknown, offset: number): void {
    const o = object(value);
    if (!o) {
      this.sink.skip('not a JSON object');
      return;
    }
    const type = o.type;
    if (
      type !== 'session_meta' &&
      type !== 'turn_context' &&
      type !== 'event_msg' &&
      type !== 'response_item'
    ) {
      return;
    }
    const payload = object(o.payload);
    if (!payload) {
      this.sink.skip(`${type} without payload`);
      return;
    }
    const ts = parseTimestamp(o.timestamp);
    if (type === 'session_meta') this.sessionMeta(payload, ts, offset);
    else if (type === 'turn_context') this.turnContext(payload);
    else if (type === 'event_msg') this.event(payload, ts, offset);
    else this.responseItem(payload, ts, offset);
  }

  private sessionMeta(meta: Json, ts: number | null, offset: number): void {
    const id = str(meta.id);
    if (!id) {
      this.sink.skip('session_meta without id');
      return;
    }
    const st = this.st;
    // The rollout's own session_meta is its first line and names the thread in the file name; a
    // later one with another id (the own line being unreadable) is a copied parent, not ours.
    const own = offset === 0 || id.toLowerCase() === this.fileSessionId;
    if (!st.sessionFromMeta && own) {
      st.sessionId = id;
      st.sessionFromMeta = true;
      st.cwd = str(meta.cwd) ?? st.cwd;
      st.gitBranch = str(object(meta.git)?.branch) ?? st.gitBranch;
      const origin = sessionOrigin(meta);
      st.isSubagent = origin.isSubagent;
      st.parentSessionId = origin.parentSessionId;
      st.mayReplay = origin.mayReplay;
      return;
    }
    // Another thread's session_meta inside this rollout: a fork copies the parent's items,
    // its session_meta first, all stamped with the moment of the fork.
    if (id !== st.sessionId && ts !== null) this.addReplaySecond(secondOf(ts));
  }

  private turnContext(ctx: Json): void {
    const model = str(ctx.model);
    if (model) {
      this.st.model = model;
      this.st.modelIsFallback = false;
    }
    this.st.cwd = str(ctx.cwd) ?? this.st.cwd;
  }

  /** Whether a line stamped `ts` is part of a replayed history; the first later line ends the replay. */
  private replayed(ts: number): boolean {
    const r = this.st.replay;
    if (!r?.active) return false;
    if (r.seconds.includes(secondOf(ts))) return true;
    r.active = false;
    return false;
  }

  private event(payload: Json, ts: number | null, offset: number): void {
    switch (payload.type) {
      case 'token_count':
        this.tokenCount(payload, ts);
        return;
      case 'user_message':
        this.userMessage(payload, ts, offset);
        return;
      case 'exec_command_end':
        this.execEnd(payload, ts, offset);
        return;
      case 'patch_apply_begin':
        this.patchBegin(payload);
        return;
      case 'patch_apply_end':
        this.patchEnd(payload, ts, offset);
        return;
      default:
        return;
    }
  }

  private tokenCount(payload: Json, ts: number | null): void {
    // `info: null` is a rate-limit-only update.
    if (payload.info === null || payload.info === undefined) return;
    const info = object(payload.info);
    const total = info ? readUsage(info.total_token_usage) : 'invalid';
    const last = info ? readUsage(info.last_token_usage) : 'invalid';
    if (total === 'invalid' || last === 'invalid') {
      this.sink.skip('invalid token counts');
      return;
    }
    if (!total && !last) return;
    if (ts === null) {
      this.sink.skip('token_count without timestamp');
      return;
    }
    const st = this.st;
    const prev = st.totals;
    if (this.replayed(ts)) {
      // Counted in the thread it was copied from; only the running totals carry over.
      st.totals = total ?? addUsage(prev ?? ZERO_USAGE, last!);
      return;
    }
    // Codex sometimes emits the same token_count twice.
    if (total && prev && sameUsage(total, prev)) return;
    const restarted = total !== null && prev !== null && total.total < prev.total;
    if (restarted) st.epoch++;
    let delta: CodexUsage;
    if (last) delta = last;
    else if (prev && !restarted) delta = subtractUsage(total!, prev);
    else delta = total!;
    const totals = total ?? addUsage(prev ?? ZERO_USAGE, last!);
    st.totals = totals;
    if (isEmptyUsage(delta)) return;

    const parsed = modelOf(payload) ?? modelOf(info);
    if (parsed) {
      st.model = parsed;
      st.modelIsFallback = false;
    } else if (st.model === null) {
      st.model = FALLBACK_MODEL;
      st.modelIsFallback = true;
    }
    if (!parsed && st.modelIsFallback) st.fallbackModelEvents++;

    // The thread's cumulative total after this call: unique per call within a thread, and the
    // same every time the line is read, from whichever offset.
    const key = st.epoch > 0 ? [`r${st.epoch}`, totals.total] : [totals.total];
    const draft: UsageDraft = {
      id: recordId('cx', st.sessionId, ...key),
      ts,
      source: 'codex_rollout',
      tool: 'codex',
      sessionId: st.sessionId,
      parentSessionId: st.parentSessionId,
      requestId: null,
      messageId: null,
      model: st.model,
      provider: 'openai',
      speed: null,
      serviceTier: null,
      inferenceGeo: null,
      tokens: toBuckets(delta),
      webSearchRequests: 0,
      credits: null,
      reportedCostUsd: null,
      cwd: st.cwd,
      gitBranch: st.gitBranch,
      project: st.cwd,
      isSubagent: st.isSubagent,
      isSidechain: false,
      granularity: 'request',
      origin: this.origin,
    };
    this.sink.usage(draft);
  }

  /** The time to record an activity at, or null when it has none or belongs to a replayed history. */
  private activityTime(ts: number | null, what: string): number | null {
    if (ts === null) {
      this.sink.skip(`${what} without timestamp`);
      return null;
    }
    return this.replayed(ts) ? null : ts;
  }

  private activity(kind: ActivityKind, offset: number, ts: number, fields: ActivityFields): void {
    const st = this.st;
    this.sink.activity(
      activityDraft(
        {
          // Rollouts are append-only, so a line's byte offset names it for good.
          id: recordId('cx', kind, st.sessionId, offset),
          ts,
          source: 'codex_rollout',
          tool: 'codex',
          sessionId: st.sessionId,
          kind,
          cwd: fields.cwd !== undefined ? fields.cwd : st.cwd,
          gitBranch: fields.gitBranch !== undefined ? fields.gitBranch : st.gitBranch,
          isSubagent: st.isSubagent,
          origin: this.origin,
        },
        fields,
      ),
    );
  }

  private userMessage(payload: Json, ts: number | null, offset: number): void {
    const text = payload.message;
    if (typeof text !== 'string') return;
    if (typeof payload.kind === 'string' && INJECTED_KINDS.has(payload.kind)) return;
    const trimmed = text.trimStart();
    if (INJECTED_PREFIXES.some((p) => trimmed.startsWith(p))) return;
    const at = this.activityTime(ts, 'user_message');
    if (at === null) return;
    this.activity('prompt', offset, at, {
      promptLength: charLength(text),
      promptFingerprint: promptFingerprint(text),
    });
  }

  private execEnd(payload: Json, ts: number | null, offset: number): void {
    if (payload.exit_code !== 0) return;
    const command = commandText(payload.command);
    if (!command || !isGitCommit(command)) return;
    let commit = null;
    for (const out of [payload.stdout, payload.aggregated_output, payload.formatted_output]) {
      if (typeof out === 'string') commit = parseCommitOutput(out);
      if (commit) break;
    }
    if (!commit) return;
    const at = this.activityTime(ts, 'exec_command_end');
    if (at === null) return;
    this.activity('commit', offset, at, {
      ref: commit.sha,
      cwd: str(payload.cwd) ?? this.st.cwd,
      gitBranch: commit.branch,
    });
  }

  /** Older builds only list the files a patch touches in `patch_apply_begin`. */
  private patchBegin(payload: Json): void {
    const callId = str(payload.call_id);
    const counts = countPatchChanges(payload.changes);
    if (!callId || !counts) return;
    const pending = this.st.pendingPatches;
    pending[callId] = counts;
    const ids = Object.keys(pending);
    if (ids.length > MAX_PENDING_PATCHES) delete pending[ids[0]!];
  }

  private patchEnd(payload: Json, ts: number | null, offset: number): void {
    const callId = str(payload.call_id);
    const begun = callId ? this.st.pendingPatches[callId] : undefined;
    if (callId) delete this.st.pendingPatches[callId];
    if (payload.success !== true) return;
    const counts = countPatchChanges(payload.changes) ?? begun ?? null;
    if (!counts) return;
    const at = this.activityTime(ts, 'patch_apply_end');
    if (at === null) return;
    this.activity('lines_changed', offset, at, {
      name: 'apply_patch',
      linesAdded: counts.added,
      linesRemoved: counts.removed,
    });
  }

  private responseItem(payload: Json, ts: number | null, offset: number): void {
    let name: string | null;
    if (payload.type === 'function_call' || payload.type === 'custom_tool_call') name = str(payload.name);
    else if (payload.type === 'local_shell_call') name = 'local_shell';
    else return;
    const at = this.activityTime(ts, String(payload.type));
    if (at === null) return;
    this.activity('tool_use', offset, at, { name });
  }
}
