/**
 * The push wire format, shared by the server that validates it and the CLI that sends it.
 *
 * A push carries drafts, never priced or attributed records: the server resolves the person and
 * computes the cost itself. Unknown fields are dropped, so a client-sent `costUsd` or `personId`
 * can never reach the ledger.
 *
 * ```json
 * { "version": 1,
 *   "identity": { "os_user": "ana", "host": "ana-mbp", "git_email": "ana@acme.example" },
 *   "usage": [UsageDraft…], "activity": [ActivityDraft…],
 *   "checkpoints": [FileCheckpoint…], "replaceOrigins": ["/home/ana/.gemini/tmp/…/session-….json"] }
 * ```
 * @module
 */
import { z } from 'zod';
import type {
  ActivityDraft,
  ActivityKind,
  Provider,
  SourceId,
  Tool,
  UsageDraft,
} from '../../ledger/records.js';
import type { FileCheckpoint } from '../../ledger/store/store.js';

export const PUSH_VERSION = 1;

/** The local-file sources a laptop reads (sources/index.ts LOCAL_SOURCES). */
export const PUSHABLE_SOURCES = [
  'claude_code_jsonl',
  'codex_rollout',
  'gemini_cli_chat',
] as const satisfies readonly SourceId[];

const TOOLS = [
  'claude-code',
  'codex',
  'gemini-cli',
  'copilot',
  'cursor',
  'kiro',
  'api',
] as const satisfies readonly Tool[];
const PROVIDERS = ['anthropic', 'openai', 'google', 'other'] as const satisfies readonly Provider[];
const ACTIVITY_KINDS = [
  'prompt',
  'tool_use',
  'lines_changed',
  'commit',
  'pull_request',
  'api_error',
  'decision',
] as const satisfies readonly ActivityKind[];

const count = z.number().finite().nonnegative();
const time = z.number().finite();
const text = z.string().max(4096);
const optionalText = text.nullable();
const pushableSource = z.enum(PUSHABLE_SOURCES);

const tokensSchema = z.object({
  inputUncached: count,
  cacheRead: count,
  cacheWrite5m: count,
  cacheWrite1h: count,
  cacheWriteOther: count,
  output: count,
  reasoning: count,
});

export const usageDraftSchema: z.ZodType<UsageDraft> = z.object({
  id: z.string().min(1).max(1024),
  ts: time,
  source: pushableSource,
  tool: z.enum(TOOLS),
  sessionId: text,
  parentSessionId: optionalText,
  requestId: optionalText,
  messageId: optionalText,
  model: optionalText,
  provider: z.enum(PROVIDERS),
  speed: z.enum(['standard', 'fast']).nullable(),
  serviceTier: optionalText,
  inferenceGeo: optionalText,
  tokens: tokensSchema,
  webSearchRequests: count,
  credits: z.number().finite().nullable(),
  reportedCostUsd: z.number().finite().nullable(),
  cwd: optionalText,
  gitBranch: optionalText,
  project: optionalText,
  isSubagent: z.boolean(),
  isSidechain: z.boolean(),
  granularity: z.enum(['request', 'interval', 'day']),
  origin: z.string().min(1).max(4096),
});

export const activityDraftSchema: z.ZodType<ActivityDraft> = z.object({
  id: z.string().min(1).max(1024),
  ts: time,
  source: pushableSource,
  tool: z.enum(TOOLS),
  sessionId: text,
  kind: z.enum(ACTIVITY_KINDS),
  name: optionalText,
  promptLength: count.nullable(),
  promptFingerprint: optionalText,
  linesAdded: count,
  linesRemoved: count,
  ref: optionalText,
  cwd: optionalText,
  gitBranch: optionalText,
  isSubagent: z.boolean(),
  origin: z.string().min(1).max(4096),
});

export const fileCheckpointSchema: z.ZodType<FileCheckpoint> = z.object({
  source: pushableSource,
  path: z.string().min(1).max(4096),
  fileId: text,
  size: count,
  mtimeMs: time,
  offset: count,
  headHash: text,
  // Parser state is the source's own business; it comes back to the same client unchanged.
  state: z.unknown().transform((s) => s ?? null),
});

export const pushRequestSchema = z.object({
  version: z.literal(PUSH_VERSION),
  /** The machine's raw identity (identity.ts): every record of the push belongs to it. */
  identity: z.record(z.string().max(256), z.string().max(1024)),
  usage: z.array(usageDraftSchema).default([]),
  activity: z.array(activityDraftSchema).default([]),
  checkpoints: z.array(fileCheckpointSchema).default([]),
  /** Files (whole-file sources) whose earlier records this push replaces. */
  replaceOrigins: z.array(z.string().min(1).max(4096)).default([]),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/** `GET /api/v1/push`: what a client needs before it sends anything. */
export const pushInfoSchema = z.object({
  engine: z.enum(['duckdb', 'clickhouse']),
  /** Largest body the server accepts, compressed and decompressed. */
  maxBodyBytes: z.number().int().positive(),
  /** The person every record is attributed to, or null when the people directory decides. */
  attributedTo: z.string().nullable(),
  sources: z.array(z.string()),
});
export type PushInfo = z.infer<typeof pushInfoSchema>;

export const checkpointsResponseSchema = z.object({
  source: pushableSource,
  checkpoints: z.array(fileCheckpointSchema),
});

export const pushResultSchema = z.object({
  usageInserted: z.number(),
  usageDuplicates: z.number(),
  activityInserted: z.number(),
  activityDuplicates: z.number(),
});
