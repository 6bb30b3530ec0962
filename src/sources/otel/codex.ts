/**
 * Codex events (formats.md §4.2) → drafts. A finished response (`codex.sse_event`, or
 * `codex.websocket_event` on the websocket transport of newer builds, with
 * `event.kind=response.completed`) is one model call; prompts and tool results become activity.
 * @module
 */
import { shortHash } from '../../ledger/ids.js';
import { activityDraft } from '../activity-draft.js';
import { toBuckets } from '../codex/usage.js';
import type { AttributeView } from './attributes.js';
import type { Collector } from './collect.js';
import { optionalCount, promptFields, requiredCount, sessionAndTime } from './events.js';
import type { OtlpLogRecord } from './model.js';
import { telemetryUsageDraft } from './usage-draft.js';

const SOURCE = 'codex_otel';
const TOOL = 'codex';

const NOT_METERED: ReadonlyMap<string, string> = new Map([
  ['conversation_starts', 'not metered'],
  ['api_request', 'usage comes from response.completed'],
  ['websocket_request', 'usage comes from response.completed'],
  ['websocket_connect', 'not metered'],
  ['turn_ttft', 'not metered'],
  ['tool_decision', 'not metered'],
]);

export function mapCodexEvent(name: string, rec: OtlpLogRecord, view: AttributeView, out: Collector): void {
  const event = `codex.${name}`;
  const isResponse = name === 'sse_event' || name === 'websocket_event';
  if (!isResponse && name !== 'user_prompt' && name !== 'tool_result') {
    out.ignore(`${event}: ${NOT_METERED.get(name) ?? 'unknown event'}`);
    return;
  }
  if (isResponse && kindOf(rec, view) !== 'response.completed') {
    out.ignore(`${event}: not response.completed`);
    return;
  }
  // Early builds called the conversation `session.id` on some events.
  const at = sessionAndTime(event, rec, view, out, ['conversation.id', 'session.id']);
  if (at === null) return;
  const { sessionId, ts } = at;
  if (isResponse) {
    responseCompleted(event, sessionId, ts, view, out);
    return;
  }
  const kind = name === 'user_prompt' ? 'prompt' : 'tool_use';
  // Codex sends no prompt id; a conversation has at most one prompt per millisecond.
  const key = kind === 'tool_use' ? (view.text('call_id') ?? String(ts)) : String(ts);
  out.activity(
    activityDraft(
      {
        id: `cxo:${kind}:${sessionId}:${key}`,
        ts,
        source: SOURCE,
        tool: TOOL,
        sessionId,
        kind,
        cwd: null,
        gitBranch: null,
        isSubagent: false,
        origin: `otel:codex:${sessionId}`,
      },
      kind === 'prompt' ? promptFields(view) : { name: view.text('tool_name') },
    ),
    view.rawIdentity(),
  );
}

/** `event.kind`; websocket events of some builds carry it as the body instead. */
function kindOf(rec: OtlpLogRecord, view: AttributeView): string | null {
  const kind = view.text('event.kind');
  if (kind !== null) return kind;
  return typeof rec.body === 'string' && rec.body.startsWith('response.') ? rec.body : null;
}

function responseCompleted(
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
  const cached = optionalCount(view, event, 'cached_token_count', out);
  if (cached < 0) return;
  const reasoning = optionalCount(view, event, 'reasoning_token_count', out);
  if (reasoning < 0) return;
  if (input === 0 && output === 0) {
    // As the rollout reader does: a response without tokens is not a billed call.
    out.ignore(`${event}: no tokens`);
    return;
  }
  // The same buckets as rollouts: input includes cached reads, output includes reasoning.
  const tokens = toBuckets({ input, cached, cacheWrite: 0, output, reasoning, total: input + output });
  // No request id is sent; the response's own time, model and counts name it (formats.md §10.2).
  const stamp = view.text('event.timestamp') ?? String(ts);
  const id = `cxo:req:${sessionId}:${shortHash(`${stamp}|${model}|${input}|${cached}|${output}|${reasoning}`)}`;
  const draft = telemetryUsageDraft({
    id,
    ts,
    source: SOURCE,
    tool: TOOL,
    sessionId,
    requestId: null,
    messageId: `otel-session:codex:${sessionId}`,
    model,
    provider: 'openai',
    speed: null,
    tokens,
    reportedCostUsd: null,
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: `otel:codex:${sessionId}`,
  });
  out.usage(draft, view.rawIdentity());
}
