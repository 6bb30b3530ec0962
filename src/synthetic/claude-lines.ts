/**
 * Builders for Claude Code transcript lines. Key order matters for realism (fast parsers key on
 * byte patterns such as `"usage":{`), so each builder writes keys in the order the real client
 * does: `v3` copies Claude Code 2.1.197 (reference/captures/claude-code-2.1.197), `v1`/`v2` the
 * older 1.0.x / 2.0.x layout with the envelope first. Sidechain placement of `agentId` follows
 * published 2.1.x subagent lines.
 * @module
 */

/** Transcript layout generation: 1.0.x, 2.0.x, 2.1.x. */
export type Era = 'v1' | 'v2' | 'v3';

/** Cache TTL behaviour of a session; `none` writes no `cache_creation` object (1.0.x). */
export type TtlMode = 'none' | '5m' | '1h' | 'mixed';

export interface Envelope {
  era: Era;
  sessionId: string;
  cwd: string;
  gitBranch: string;
  version: string;
  entrypoint: string;
  slug: string | null;
  isSidechain: boolean;
  agentId: string | null;
}

export interface UsageNumbers {
  inputUncached: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
}

export type ContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export function iso(ts: number): string {
  return new Date(ts).toISOString();
}

function usageObject(era: Era, ttl: TtlMode, u: UsageNumbers, output: number): Record<string, unknown> {
  const write = u.cacheWrite5m + u.cacheWrite1h;
  if (era === 'v1' || ttl === 'none') {
    return {
      input_tokens: u.inputUncached,
      cache_creation_input_tokens: write,
      cache_read_input_tokens: u.cacheRead,
      output_tokens: output,
      service_tier: 'standard',
    };
  }
  if (era === 'v2') {
    return {
      input_tokens: u.inputUncached,
      cache_creation_input_tokens: write,
      cache_read_input_tokens: u.cacheRead,
      cache_creation: {
        ephemeral_5m_input_tokens: u.cacheWrite5m,
        ephemeral_1h_input_tokens: u.cacheWrite1h,
      },
      output_tokens: output,
      service_tier: 'standard',
    };
  }
  return {
    input_tokens: u.inputUncached,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: u.cacheRead,
    output_tokens: output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: u.cacheWrite1h, ephemeral_5m_input_tokens: u.cacheWrite5m },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
  };
}

/** Writes `head`, then the era's envelope, then `tail`, in the order the real client does. */
function withEnvelope(
  env: Envelope,
  head: Record<string, unknown>,
  tail: Record<string, unknown>,
): Record<string, unknown> {
  if (env.era === 'v3') {
    const o: Record<string, unknown> = { ...head, ...tail };
    o.userType = 'external';
    o.entrypoint = env.entrypoint;
    o.cwd = env.cwd;
    o.sessionId = env.sessionId;
    o.version = env.version;
    o.gitBranch = env.gitBranch;
    if (env.slug !== null) o.slug = env.slug;
    return o;
  }
  const o: Record<string, unknown> = { parentUuid: head.parentUuid, isSidechain: env.isSidechain };
  o.userType = 'external';
  o.cwd = env.cwd;
  o.sessionId = env.sessionId;
  o.version = env.version;
  o.gitBranch = env.gitBranch;
  if (env.agentId !== null) o.agentId = env.agentId;
  for (const [k, v] of Object.entries(head)) if (k !== 'parentUuid' && k !== 'isSidechain') o[k] = v;
  return Object.assign(o, tail);
}

export interface AssistantLine {
  parentUuid: string | null;
  uuid: string;
  ts: number;
  messageId: string;
  /** Null when the transport did not report one (gateways); the key is then absent. */
  requestId: string | null;
  model: string;
  block: ContentBlock;
  stopReason: string | null;
  usage: UsageNumbers;
  /** `output_tokens` on this line: a streaming placeholder except on the final line. */
  outputOnLine: number;
  ttl: TtlMode;
}

export function assistantLine(env: Envelope, a: AssistantLine): string {
  const message =
    env.era === 'v3'
      ? {
          id: a.messageId,
          type: 'message',
          role: 'assistant',
          model: a.model,
          content: [a.block],
          stop_reason: a.stopReason,
          stop_sequence: null,
          usage: usageObject(env.era, a.ttl, a.usage, a.outputOnLine),
          stop_details: null,
        }
      : {
          id: a.messageId,
          type: 'message',
          role: 'assistant',
          model: a.model,
          content: [a.block],
          stop_reason: a.stopReason,
          stop_sequence: null,
          usage: usageObject(env.era, a.ttl, a.usage, a.outputOnLine),
        };
  const head: Record<string, unknown> = { parentUuid: a.parentUuid, isSidechain: env.isSidechain };
  if (env.era === 'v3' && env.agentId !== null) head.agentId = env.agentId;
  head.message = message;
  if (a.requestId !== null) head.requestId = a.requestId;
  head.type = 'assistant';
  return JSON.stringify(withEnvelope(env, head, { uuid: a.uuid, timestamp: iso(a.ts) }));
}

/** Locally generated error turn (`<synthetic>` model, zero usage, no requestId). */
export function syntheticErrorLine(
  env: Envelope,
  s: { parentUuid: string | null; uuid: string; ts: number; messageId: string; text: string },
): string {
  const head: Record<string, unknown> = { parentUuid: s.parentUuid, isSidechain: env.isSidechain };
  if (env.era === 'v3' && env.agentId !== null) head.agentId = env.agentId;
  head.type = 'assistant';
  head.uuid = s.uuid;
  head.timestamp = iso(s.ts);
  head.message = {
    id: s.messageId,
    container: null,
    model: '<synthetic>',
    role: 'assistant',
    stop_reason: 'stop_sequence',
    stop_sequence: '',
    type: 'message',
    usage: {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: null,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
    },
    content: [{ type: 'text', text: s.text }],
    context_management: null,
  };
  return JSON.stringify(withEnvelope(env, head, { isApiErrorMessage: true }));
}

export function userPromptLine(
  env: Envelope,
  p: {
    parentUuid: string | null;
    uuid: string;
    ts: number;
    promptId: string;
    content: string;
    permissionMode: string;
  },
): string {
  const head: Record<string, unknown> = { parentUuid: p.parentUuid, isSidechain: env.isSidechain };
  if (env.era === 'v3') head.promptId = p.promptId;
  if (env.era === 'v3' && env.agentId !== null) head.agentId = env.agentId;
  head.type = 'user';
  head.message = { role: 'user', content: p.content };
  const tail: Record<string, unknown> = { uuid: p.uuid, timestamp: iso(p.ts) };
  if (!env.isSidechain) tail.permissionMode = p.permissionMode;
  if (env.entrypoint === 'sdk-cli') tail.promptSource = 'sdk';
  return JSON.stringify(withEnvelope(env, head, tail));
}

export function toolResultLine(
  env: Envelope,
  r: {
    parentUuid: string;
    uuid: string;
    ts: number;
    promptId: string;
    toolUseId: string;
    content: string | ReadonlyArray<{ type: 'text'; text: string }>;
    isError: boolean | null;
    toolUseResult: unknown;
    sourceToolAssistantUUID: string;
  },
): string {
  const head: Record<string, unknown> = { parentUuid: r.parentUuid, isSidechain: env.isSidechain };
  if (env.era === 'v3') head.promptId = r.promptId;
  if (env.era === 'v3' && env.agentId !== null) head.agentId = env.agentId;
  head.type = 'user';
  const block: Record<string, unknown> = {
    tool_use_id: r.toolUseId,
    type: 'tool_result',
    content: r.content,
  };
  if (r.isError !== null) block.is_error = r.isError;
  head.message = { role: 'user', content: [block] };
  const tail: Record<string, unknown> = {
    uuid: r.uuid,
    timestamp: iso(r.ts),
    toolUseResult: r.toolUseResult,
  };
  if (env.era !== 'v1') tail.sourceToolAssistantUUID = r.sourceToolAssistantUUID;
  return JSON.stringify(withEnvelope(env, head, tail));
}

export function attachmentLine(
  env: Envelope,
  a: { parentUuid: string | null; uuid: string; ts: number; attachment: Record<string, unknown> },
): string {
  return JSON.stringify(
    withEnvelope(
      env,
      {
        parentUuid: a.parentUuid,
        isSidechain: env.isSidechain,
        attachment: a.attachment,
        type: 'attachment',
      },
      { uuid: a.uuid, timestamp: iso(a.ts) },
    ),
  );
}

export function systemLine(
  env: Envelope,
  s: {
    parentUuid: string | null;
    uuid: string;
    ts: number;
    subtype: string;
    fields: Record<string, unknown>;
  },
): string {
  const head: Record<string, unknown> = {
    parentUuid: s.parentUuid,
    isSidechain: env.isSidechain,
    type: 'system',
  };
  head.subtype = s.subtype;
  Object.assign(head, s.fields);
  return JSON.stringify(withEnvelope(env, head, { uuid: s.uuid, timestamp: iso(s.ts) }));
}

export function compactSummaryLine(
  env: Envelope,
  c: { parentUuid: string; uuid: string; ts: number; promptId: string; text: string },
): string {
  const head: Record<string, unknown> = { parentUuid: c.parentUuid, isSidechain: env.isSidechain };
  if (env.era === 'v3') head.promptId = c.promptId;
  head.type = 'user';
  head.message = { role: 'user', content: c.text };
  head.isVisibleInTranscriptOnly = true;
  head.isCompactSummary = true;
  return JSON.stringify(withEnvelope(env, head, { uuid: c.uuid, timestamp: iso(c.ts) }));
}

export function queueOperationLine(
  op: 'enqueue' | 'dequeue',
  ts: number,
  sessionId: string,
  content?: string,
): string {
  const o: Record<string, unknown> = {
    type: 'queue-operation',
    operation: op,
    timestamp: iso(ts),
    sessionId,
  };
  if (content !== undefined) o.content = content;
  return JSON.stringify(o);
}

export function lastPromptLine(lastPrompt: string, leafUuid: string, sessionId: string): string {
  return JSON.stringify({ type: 'last-prompt', lastPrompt, leafUuid, sessionId });
}

export function summaryLine(summary: string, leafUuid: string): string {
  return JSON.stringify({ type: 'summary', summary, leafUuid });
}

export function fileHistorySnapshotLine(
  messageId: string,
  ts: number,
  backups: Record<string, { backupFileName: string | null; version: number; backupTime: string }>,
  isUpdate: boolean,
): string {
  return JSON.stringify({
    type: 'file-history-snapshot',
    messageId,
    snapshot: { messageId, trackedFileBackups: backups, timestamp: iso(ts) },
    isSnapshotUpdate: isUpdate,
  });
}
