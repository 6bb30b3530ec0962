/**
 * Gemini CLI events (formats.md §5.2) → drafts. `gemini_cli.api_response` is one model call;
 * prompts, tool calls (with the lines a file edit changed) and API errors become activity.
 * @module
 */
import { shortHash } from '../../ledger/ids.js';
import type { ActivityKind } from '../../ledger/records.js';
import { type ActivityFields, activityDraft } from '../activity-draft.js';
import { readTokens } from '../gemini-cli/messages.js';
import { type AttributeView, toCount } from './attributes.js';
import type { Collector } from './collect.js';
import { errorLabel, optionalCount, promptFields, requiredCount, sessionAndTime } from './events.js';
import type { AttrValue, OtlpLogRecord } from './model.js';
import { telemetryUsageDraft } from './usage-draft.js';

const SOURCE = 'gemini_cli_otel';
const TOOL = 'gemini-cli';

export function geminiSessionMessageId(sessionId: string): string {
  return `otel-session:gemini-cli:${sessionId}`;
}

export function geminiOrigin(sessionId: string): string {
  return `otel:gemini-cli:${sessionId}`;
}

const NOT_METERED: ReadonlyMap<string, string> = new Map([
  ['api_request', 'usage comes from api_response'],
  ['gen_ai.client.inference.operation.details', 'usage comes from gemini_cli.api_response'],
  ['file_operation', 'lines come from tool_call'],
  ['config', 'not metered'],
  ['conversation_finished', 'not metered'],
  ['slash_command', 'not metered'],
  ['flash_fallback', 'not metered'],
  ['ripgrep_fallback', 'not metered'],
  ['loop_detected', 'not metered'],
  ['next_speaker_check', 'not metered'],
  ['chat_compression', 'not metered'],
]);

const KINDS: ReadonlyMap<string, 'usage' | ActivityKind> = new Map<string, 'usage' | ActivityKind>([
  ['api_response', 'usage'],
  ['user_prompt', 'prompt'],
  ['tool_call', 'tool_use'],
  ['api_error', 'api_error'],
]);

export function mapGeminiEvent(name: string, rec: OtlpLogRecord, view: AttributeView, out: Collector): void {
  const event = name.startsWith('gen_ai.') ? name : `gemini_cli.${name}`;
  const kind = KINDS.get(name);
  if (kind === undefined) {
    out.ignore(`${event}: ${NOT_METERED.get(name) ?? 'unknown event'}`);
    return;
  }
  const at = sessionAndTime(event, rec, view, out);
  if (at === null) return;
  const { sessionId, ts } = at;
  if (kind === 'usage') apiResponse(event, sessionId, ts, view, out);
  else activity(kind, sessionId, ts, view, out);
}

function apiResponse(
  event: string,
  sessionId: string,
  ts: number,
  view: AttributeView,
  out: Collector,
): void {
  const model = view.text('model');
  if (model === null) {
    out.reject(`${event}: no model`);
    return;
  }
  const input = requiredCount(view, event, 'input_token_count', out);
  if (input < 0) return;
  const output = requiredCount(view, event, 'output_token_count', out);
  if (output < 0) return;
  // Gemini CLI writes 0 for these when the API left them out; older builds omitted them.
  const cached = optionalCount(view, event, 'cached_content_token_count', out);
  if (cached < 0) return;
  const thoughts = optionalCount(view, event, 'thoughts_token_count', out);
  if (thoughts < 0) return;
  const tool = optionalCount(view, event, 'tool_token_count', out);
  if (tool < 0) return;
  // The chat-log reader's buckets: input includes cached, thoughts are output, tool-use prompt is input.
  const tokens = readTokens({ input, output, cached, thoughts, tool });
  if (tokens === null || tokens === 'invalid') {
    out.reject(`${event}: invalid token counts`);
    return;
  }
  if (input === 0 && output === 0 && thoughts === 0 && tool === 0) {
    out.ignore(`${event}: no tokens`);
    return;
  }
  // No request id is sent (formats.md §5.2): the prompt, the response time and the model name it.
  const stamp = view.text('event.timestamp') ?? String(ts);
  const id = `gmo:req:${sessionId}:${shortHash(`${view.text('prompt_id') ?? ''}|${stamp}|${model}`)}`;
  const draft = telemetryUsageDraft({
    id,
    ts,
    source: SOURCE,
    tool: TOOL,
    sessionId,
    requestId: null,
    messageId: geminiSessionMessageId(sessionId),
    model,
    provider: 'google',
    speed: null,
    tokens,
    reportedCostUsd: null,
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: geminiOrigin(sessionId),
  });
  out.usage(draft, view.rawIdentity());
}

/** `metadata.<key>` of a tool call: a map attribute, a JSON string, or flattened keys. */
function metadataCount(metadata: AttrValue | undefined, view: AttributeView, key: string): number {
  if (
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    !(metadata instanceof Uint8Array)
  )
    return toCount(metadata[key]);
  if (typeof metadata === 'string' && metadata.includes(key)) {
    try {
      const parsed: unknown = JSON.parse(metadata);
      if (typeof parsed === 'object' && parsed !== null) {
        const v = (parsed as Record<string, unknown>)[key];
        return typeof v === 'number' || typeof v === 'string' ? toCount(v) : -1;
      }
    } catch {
      return -1;
    }
  }
  return view.count(`metadata.${key}`);
}

function activity(
  kind: ActivityKind,
  sessionId: string,
  ts: number,
  view: AttributeView,
  out: Collector,
): void {
  const promptId = view.text('prompt_id');
  const stamp = view.text('event.timestamp') ?? String(ts);
  let key: string;
  let fields: ActivityFields;
  if (kind === 'prompt') {
    key = promptId ?? stamp;
    fields = promptFields(view);
  } else if (kind === 'tool_use') {
    // Tool calls carry no call id; prompt, tool and completion time name one.
    key = shortHash(`${promptId ?? ''}|${view.text('function_name') ?? ''}|${stamp}`);
    fields = { name: view.text('function_name') };
  } else {
    key = shortHash(`${promptId ?? ''}|${stamp}`);
    fields = { name: errorLabel(view, 'error_type', 'error.type', 'status_code') };
  }
  const identity = view.rawIdentity();
  const context = {
    id: `gmo:${kind}:${sessionId}:${key}`,
    ts,
    source: SOURCE,
    tool: TOOL,
    sessionId,
    kind,
    cwd: null,
    gitBranch: null,
    isSubagent: false,
    origin: geminiOrigin(sessionId),
  } as const;
  out.activity(activityDraft(context, fields), identity);
  if (kind !== 'tool_use' || view.flag('success') !== true) return;
  // The model's share of a file edit (diffStat); the user's own edits to a proposal are not counted.
  const metadata = view.get('metadata');
  const added = metadataCount(metadata, view, 'model_added_lines');
  const removed = metadataCount(metadata, view, 'model_removed_lines');
  if (added > 0 || removed > 0) {
    out.activity(
      activityDraft(
        { ...context, id: `gmo:lines_changed:${sessionId}:${key}`, kind: 'lines_changed' },
        { name: fields.name ?? null, linesAdded: Math.max(0, added), linesRemoved: Math.max(0, removed) },
      ),
      identity,
    );
  }
}
