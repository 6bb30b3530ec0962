/**
 * Claude Code events (formats.md §2.5) → drafts. `api_request` is one model call; prompts, tool
 * results, API errors and permission decisions become activity.
 * @module
 */
import type { ActivityKind, UsageDraft } from '../../ledger/records.js';
import { type ActivityFields, activityDraft } from '../activity-draft.js';
import { isGitCommitCommand } from '../claude-code/tool-results.js';
import type { AttributeView } from './attributes.js';
import type { Collector } from './collect.js';
import { errorLabel, promptFields, requiredCount, sessionAndTime } from './events.js';
import type { AttrMap, OtlpLogRecord } from './model.js';
import { telemetryUsageDraft } from './usage-draft.js';

const SOURCE = 'claude_code_otel';
const TOOL = 'claude-code';

/** Every OTel usage record of a session shares this message id (see README, "Supersession"). */
export function claudeSessionMessageId(sessionId: string): string {
  return `otel-session:claude-code:${sessionId}`;
}

export function claudeOrigin(sessionId: string): string {
  return `otel:claude-code:${sessionId}`;
}

/**
 * Whether a call ran in a subagent. Claude Code names main-thread calls `repl_main_thread…` or
 * `sdk`, auxiliary calls by purpose (`compact`, `session_memory`, title generation …), subagent
 * calls `agent:<kind>:<name>`; the metrics say `main` | `subagent` | `auxiliary`. Only the two
 * explicit subagent forms count: an unknown value is not guessed to be a subagent.
 */
export function isSubagentQuerySource(q: string | null): boolean {
  return q !== null && (q === 'subagent' || q.startsWith('agent:'));
}

/** Events we know and deliberately do not meter, with why. */
const NOT_METERED: ReadonlyMap<string, string> = new Map([
  ['assistant_response', 'usage comes from api_request'],
  ['api_refusal', 'not metered'],
  ['api_retries_exhausted', 'each failure is its own api_error'],
  ['api_request_body', 'raw bodies are not metered'],
  ['api_response_body', 'raw bodies are not metered'],
  ['permission_mode_changed', 'not metered'],
  ['auth', 'not metered'],
  ['mcp_server_connection', 'not metered'],
  ['internal_error', 'not metered'],
  ['plugin_installed', 'not metered'],
  ['plugin_loaded', 'not metered'],
  ['skill_activated', 'not metered'],
  ['at_mention', 'not metered'],
  ['hook_registered', 'not metered'],
  ['hook_execution_start', 'not metered'],
  ['hook_execution_complete', 'not metered'],
  ['hook_plugin_metrics', 'not metered'],
  ['compaction', 'its model call is an api_request'],
  ['subagent_completed', "the subagent's calls are api_requests"],
  ['feedback_survey', 'not metered'],
  ['retention_sweep', 'not metered'],
]);

function speedOf(v: string | null): UsageDraft['speed'] {
  return v === 'fast' ? 'fast' : v === 'normal' || v === 'standard' ? 'standard' : null;
}

export function mapClaudeEvent(name: string, rec: OtlpLogRecord, view: AttributeView, out: Collector): void {
  const event = `claude_code.${name}`;
  const kind = KINDS.get(name);
  if (kind === undefined) {
    out.ignore(`${event}: ${NOT_METERED.get(name) ?? 'unknown event'}`);
    return;
  }
  const at = sessionAndTime(event, rec, view, out);
  if (at === null) return;
  const { sessionId, ts } = at;
  if (kind === 'usage') apiRequest(event, sessionId, ts, view, out);
  else activity(event, kind, sessionId, ts, view, out);
}

const KINDS: ReadonlyMap<string, 'usage' | ActivityKind> = new Map<string, 'usage' | ActivityKind>([
  ['api_request', 'usage'],
  ['user_prompt', 'prompt'],
  ['tool_result', 'tool_use'],
  ['api_error', 'api_error'],
  ['tool_decision', 'decision'],
]);

function apiRequest(event: string, sessionId: string, ts: number, view: AttributeView, out: Collector): void {
  const requestId = view.text('request_id');
  let id: string;
  if (requestId !== null) id = `cco:req:${requestId}`;
  else {
    const clientRequestId = view.text('client_request_id');
    const sequence = view.text('event.sequence');
    if (clientRequestId !== null) id = `cco:creq:${clientRequestId}`;
    else if (sequence !== null) id = `cco:seq:${sessionId}:${sequence}`;
    else {
      out.reject(`${event}: no request_id, client_request_id or event.sequence`);
      return;
    }
  }
  const model = view.text('model');
  if (model === null) {
    out.reject(`${event}: no model`);
    return;
  }
  const input = requiredCount(view, event, 'input_tokens', out);
  if (input < 0) return;
  const output = requiredCount(view, event, 'output_tokens', out);
  if (output < 0) return;
  const cacheRead = requiredCount(view, event, 'cache_read_tokens', out);
  if (cacheRead < 0) return;
  const cacheCreation = requiredCount(view, event, 'cache_creation_tokens', out);
  if (cacheCreation < 0) return;
  const micros = view.count('cost_usd_micros');
  const draft = telemetryUsageDraft({
    id,
    ts,
    source: SOURCE,
    tool: TOOL,
    sessionId,
    requestId,
    messageId: claudeSessionMessageId(sessionId),
    model,
    provider: 'anthropic',
    speed: speedOf(view.text('speed')),
    tokens: {
      inputUncached: input,
      cacheRead,
      // OTel reports cache writes without their TTL; unknown TTL is billed as 5-minute (records.ts).
      cacheWrite5m: cacheCreation,
      cacheWrite1h: 0,
      cacheWriteOther: 0,
      output,
      reasoning: 0,
    },
    reportedCostUsd: view.amount('cost_usd') ?? (micros >= 0 ? micros / 1e6 : null),
    isSubagent: isSubagentQuerySource(view.text('query_source')),
    isSidechain: false,
    granularity: 'request',
    origin: claudeOrigin(sessionId),
  });
  out.usage(draft, view.rawIdentity());
}

/** The key naming an activity within its session: the event's natural id, else its sequence number. */
function activityKey(kind: ActivityKind, view: AttributeView): string | null {
  const natural =
    kind === 'prompt'
      ? view.text('prompt.id')
      : kind === 'tool_use' || kind === 'decision'
        ? view.text('tool_use_id')
        : null;
  return natural ?? view.text('event.sequence');
}

function activity(
  event: string,
  kind: ActivityKind,
  sessionId: string,
  ts: number,
  view: AttributeView,
  out: Collector,
): void {
  const key = activityKey(kind, view);
  if (key === null) {
    out.reject(`${event}: no event.sequence`);
    return;
  }
  let fields: ActivityFields;
  if (kind === 'prompt') fields = promptFields(view);
  else if (kind === 'api_error') fields = { name: errorLabel(view, 'status_code', 'error') };
  else fields = { name: view.text('tool_name') };
  const identity = view.rawIdentity();
  const context = {
    id: `cco:${kind}:${sessionId}:${key}`,
    ts,
    source: SOURCE,
    tool: TOOL,
    sessionId,
    kind,
    cwd: null,
    gitBranch: null,
    isSubagent: false,
    origin: claudeOrigin(sessionId),
  } as const;
  out.activity(activityDraft(context, fields), identity);
  if (kind === 'tool_use') {
    const commit = commitOf(view);
    if (commit !== undefined) {
      out.activity(
        activityDraft(
          { ...context, id: `cco:commit:${sessionId}:${key}`, kind: 'commit' },
          { name: fields.name ?? null, ref: commit },
        ),
        identity,
      );
    }
  }
}

function isMap(v: unknown): v is AttrMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * The commit a successful Bash `git commit` created: its SHA from `tool_parameters.git_commit_id`
 * (newer versions), else null when only the command says it was a commit; undefined when this was
 * not a commit. `tool_parameters` is only sent with `OTEL_LOG_TOOL_DETAILS=1`.
 */
function commitOf(view: AttributeView): string | null | undefined {
  if (view.text('tool_name') !== 'Bash' || view.flag('success') !== true) return undefined;
  const raw = view.get('tool_parameters');
  let params: Record<string, unknown>;
  if (typeof raw === 'string') {
    // Most Bash calls are not commits; only those mentioning one are parsed.
    if (!raw.includes('commit')) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isMap(parsed)) return undefined;
      params = parsed;
    } catch {
      return undefined;
    }
  } else if (isMap(raw)) {
    params = raw;
  } else {
    return undefined;
  }
  const sha =
    typeof params.git_commit_id === 'string' && params.git_commit_id !== '' ? params.git_commit_id : null;
  if (sha !== null) return sha;
  const command = params.full_command;
  return typeof command === 'string' && isGitCommitCommand(command) ? null : undefined;
}
