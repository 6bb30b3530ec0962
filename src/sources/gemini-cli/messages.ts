/**
 * What we keep of one Gemini CLI `MessageRecord` (chatRecordingTypes.ts): enough to emit its usage
 * and activity, never its text. Sessions can hold megabytes of tool output; summaries stay small.
 * @module
 */
import type { TokenBuckets } from '../../ledger/records.js';
import { promptFingerprint } from '../fingerprint.js';

export type Json = Record<string, unknown>;

export interface ToolSummary {
  id: string;
  name: string | null;
  ts: number | null;
  success: boolean;
  /** Lines the model added and removed, when the tool's result display carries a `diffStat`. */
  lines: { added: number; removed: number } | null;
}

export interface MessageSummary {
  id: string;
  type: string | null;
  ts: number | null;
  /** The model named on this message (or on an earlier write of it). */
  model: string | null;
  /** The last model named before the message first appeared, for messages that name none. */
  modelHint: string | null;
  tokens: TokenBuckets | null;
  prompt: { length: number; fingerprint: string } | null;
  tools: ToolSummary[];
  /**
   * First seen inside a `$set.messages` checkpoint, not as a record of its own: a turn Gemini CLI
   * made up while rewriting history (the compression snapshot), not something a person typed.
   */
  synthetic: boolean;
}

export function object(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

export function str(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

export function parseTimestamp(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * `TokensSummary` → canonical buckets. `input` (promptTokenCount) includes `cached`; `thoughts` are
 * billed as output; `tool` (toolUsePromptTokenCount) is prompt-side but outside promptTokenCount
 * (totalTokenCount = input + output + thoughts + tool), so it is added to uncached input, as
 * ccusage does. Absent counts are 0; a present count that is not a non-negative integer makes the
 * whole summary unusable.
 */
export function readTokens(v: unknown): TokenBuckets | null | 'invalid' {
  if (v === undefined || v === null) return null;
  const o = object(v);
  if (!o) return 'invalid';
  const n: Record<'input' | 'output' | 'cached' | 'thoughts' | 'tool' | 'total', number> = {
    input: 0,
    output: 0,
    cached: 0,
    thoughts: 0,
    tool: 0,
    total: 0,
  };
  for (const key of Object.keys(n) as Array<keyof typeof n>) {
    const x = o[key];
    if (x === undefined || x === null) continue;
    if (!isCount(x)) return 'invalid';
    n[key] = x;
  }
  const cacheRead = Math.min(n.cached, n.input);
  return {
    inputUncached: n.input - cacheRead + n.tool,
    cacheRead,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheWriteOther: 0,
    output: n.output + n.thoughts,
    reasoning: n.thoughts,
  };
}

export function isZero(t: TokenBuckets): boolean {
  return t.inputUncached === 0 && t.cacheRead === 0 && t.cacheWriteOther === 0 && t.output === 0;
}

/** The text parts of a `PartListUnion` (a string, a part, or a list of either), joined. */
export function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(partsText).join('');
  const part = object(content);
  return part && typeof part.text === 'string' && part.thought !== true ? part.text : '';
}

/** Compression replaces old turns with a model-written `<state_snapshot>` sent as a user turn. */
const SNAPSHOT = /^\s*<state_snapshot>/;

function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function diffLines(display: unknown): ToolSummary['lines'] {
  const stat = object(object(display)?.diffStat);
  if (!stat) return null;
  // Older builds named the model's share `ai_*`.
  const added = stat.model_added_lines ?? stat.ai_added_lines;
  const removed = stat.model_removed_lines ?? stat.ai_removed_lines;
  return isCount(added) && isCount(removed) ? { added, removed } : null;
}

function toolSummaries(calls: unknown): ToolSummary[] {
  if (!Array.isArray(calls)) return [];
  const out: ToolSummary[] = [];
  for (const raw of calls) {
    const call = object(raw);
    const id = str(call?.id);
    if (!call || !id) continue;
    out.push({
      id,
      name: str(call.name),
      ts: parseTimestamp(call.timestamp),
      success: call.status === 'success',
      lines: diffLines(call.resultDisplay),
    });
  }
  return out;
}

export interface SummaryResult {
  summary: MessageSummary;
  /** The record named token counts that are not usable. */
  invalidTokens: boolean;
}

/** Summarises one write of a message. `modelHint` is the last model named before it in the file. */
export function summarise(
  record: Json,
  id: string,
  modelHint: string | null,
  fromCheckpoint: boolean,
): SummaryResult {
  const type = typeof record.type === 'string' ? record.type : null;
  const tokens = type === 'gemini' ? readTokens(record.tokens) : null;
  let prompt: MessageSummary['prompt'] = null;
  if (type === 'user') {
    // What the person typed; `content` may carry the files an @-mention pulled in.
    const text = partsText(record.displayContent ?? record.content);
    if (text.trim() !== '' && !SNAPSHOT.test(text)) {
      prompt = { length: charLength(text), fingerprint: promptFingerprint(text) };
    }
  }
  return {
    summary: {
      id,
      type,
      ts: parseTimestamp(record.timestamp),
      model: str(record.model),
      modelHint,
      tokens: tokens === 'invalid' ? null : tokens,
      prompt,
      tools: type === 'gemini' ? toolSummaries(record.toolCalls) : [],
      synthetic: fromCheckpoint,
    },
    invalidTokens: tokens === 'invalid',
  };
}

/**
 * A later write of the same message wins, except that it never erases what an earlier write
 * established: Gemini CLI only ever adds tokens, model and tool results to a message, so a copy
 * without them (a checkpoint of an older in-memory copy) is partial, not a correction. The prompt
 * stays as first written, before any masking rewrote it.
 */
export function merge(older: MessageSummary, newer: MessageSummary): MessageSummary {
  const tools = new Map(older.tools.map((t) => [t.id, t]));
  for (const t of newer.tools) {
    const before = tools.get(t.id);
    tools.set(t.id, before ? { ...t, ts: t.ts ?? before.ts, lines: t.lines ?? before.lines } : t);
  }
  return {
    id: newer.id,
    type: newer.type ?? older.type,
    ts: newer.ts ?? older.ts,
    model: newer.model ?? older.model,
    modelHint: older.modelHint ?? newer.modelHint,
    tokens: newer.tokens ?? older.tokens,
    prompt: older.prompt ?? newer.prompt,
    tools: [...tools.values()],
    synthetic: older.synthetic,
  };
}
