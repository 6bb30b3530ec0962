/**
 * Gemini CLI local chat recordings, reference/formats.md §5.4. The files are rewritten and folded,
 * so they are read whole on every change; see README.md for the decisions.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { recordId } from '../../ledger/ids.js';
import type { ActivityDraft, UsageDraft } from '../../ledger/records.js';
import { readLines } from '../jsonl/line-reader.js';
import type { DiscoveredFile, FileSource, ParseEnd, ParseSink, ParseStart } from '../source.js';
import { ChatFold } from './fold.js';
import { isZero, type MessageSummary } from './messages.js';
import { geminiCliDescription } from './paths.js';

/** A legacy `.json` recording is parsed in one piece; beyond this it is not a chat log we can hold. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export interface GeminiCliSourceOptions {
  /**
   * What to do with messages a `$rewindTo`, checkpoint or `$patch` later removed from the
   * conversation. `keep` (default): they were model calls that were billed, so their usage and
   * activity stay. `drop`: only the conversation Gemini CLI would resume counts.
   */
  removedMessages?: 'keep' | 'drop';
}

function decodeJson(buf: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (!isUtf8(buf)) return { ok: false, reason: 'invalid UTF-8' };
  try {
    return { ok: true, value: JSON.parse(buf.toString('utf8')) };
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
}

function isBlank(line: Buffer): boolean {
  for (const c of line) if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  return true;
}

async function foldJsonl(path: string, fold: ChatFold, sink: ParseSink): Promise<Omit<ParseEnd, 'state'>> {
  const read = await readLines(
    path,
    0,
    (buf, start, end) => {
      const line = buf.subarray(start, end);
      if (isBlank(line)) return;
      const decoded = decodeJson(line);
      if (decoded.ok) fold.record(decoded.value);
      else sink.skip(decoded.reason);
    },
    // An unterminated last line is taken only when it is a whole record already.
    (buf, start, end) => {
      const decoded = decodeJson(buf.subarray(start, end));
      if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null) return false;
      fold.record(decoded.value);
      return true;
    },
  );
  for (let i = 0; i < read.oversizedLines; i++) sink.skip('line too long');
  return { offset: read.offset, bytesRead: read.bytesRead, lines: read.lines };
}

async function foldJson(
  path: string,
  size: number,
  fold: ChatFold,
  sink: ParseSink,
): Promise<Omit<ParseEnd, 'state'>> {
  if (size > MAX_JSON_BYTES) {
    sink.skip('file too large');
    return { offset: size, bytesRead: 0, lines: 0 };
  }
  const buf = await readFile(path);
  const decoded = decodeJson(buf);
  if (decoded.ok) fold.document(decoded.value);
  else sink.skip(decoded.reason);
  return { offset: buf.length, bytesRead: buf.length, lines: 1 };
}

/** `chats/<parentSessionId>/<sessionId>.jsonl` is a sub-agent of the session named by its directory. */
function parentFromPath(path: string): string | null {
  return basename(dirname(dirname(path))) === 'chats' ? basename(dirname(path)) : null;
}

function sessionIdFromPath(path: string): string {
  return basename(path).replace(/\.jsonl?$/, '');
}

function emit(
  file: DiscoveredFile,
  fold: ChatFold,
  fallbackTs: number,
  removed: 'keep' | 'drop',
  sink: ParseSink,
): void {
  const meta = fold.meta;
  const sessionId = meta.sessionId ?? sessionIdFromPath(file.path);
  const parentSessionId = parentFromPath(file.path);
  const isSubagent = meta.kind === 'subagent' || parentSessionId !== null;
  // The first workspace directory is the project root; recordings list them only sometimes.
  const cwd = meta.directories[0] ?? null;
  const sessionTs = meta.startTime ?? meta.lastUpdated ?? fallbackTs;
  const messages: MessageSummary[] =
    removed === 'keep'
      ? [...fold.written.values()]
      : [...fold.live.keys()].map((id) => fold.written.get(id)!);
  const toolsSeen = new Set<string>();

  const activity = (
    a: Omit<ActivityDraft, 'source' | 'tool' | 'sessionId' | 'cwd' | 'gitBranch' | 'isSubagent' | 'origin'>,
  ) =>
    sink.activity({
      ...a,
      source: 'gemini_cli_chat',
      tool: 'gemini-cli',
      sessionId,
      cwd,
      gitBranch: null,
      isSubagent,
      origin: file.path,
    });

  for (const m of messages) {
    const ts = m.ts ?? sessionTs;
    if (m.type === 'user' && m.prompt && !m.synthetic) {
      activity({
        id: recordId('gm', 'prompt', sessionId, m.id),
        ts,
        kind: 'prompt',
        name: null,
        promptLength: m.prompt.length,
        promptFingerprint: m.prompt.fingerprint,
        linesAdded: 0,
        linesRemoved: 0,
        ref: null,
      });
      continue;
    }
    if (m.type !== 'gemini') continue;
    if (m.tokens && !isZero(m.tokens)) {
      const usage: UsageDraft = {
        id: recordId('gm', sessionId, m.id),
        ts,
        source: 'gemini_cli_chat',
        tool: 'gemini-cli',
        sessionId,
        parentSessionId,
        requestId: null,
        messageId: null,
        model: m.model ?? m.modelHint,
        provider: 'google',
        speed: null,
        serviceTier: null,
        inferenceGeo: null,
        tokens: m.tokens,
        webSearchRequests: 0,
        credits: null,
        reportedCostUsd: null,
        cwd,
        gitBranch: null,
        project: cwd,
        isSubagent,
        isSidechain: false,
        granularity: 'request',
        origin: file.path,
      };
      sink.usage(usage);
    }
    for (const t of m.tools) {
      if (toolsSeen.has(t.id)) continue;
      toolsSeen.add(t.id);
      const base = { name: t.name, promptLength: null, promptFingerprint: null, ref: null, ts: t.ts ?? ts };
      activity({
        ...base,
        id: recordId('gm', 'tool_use', sessionId, t.id),
        kind: 'tool_use',
        linesAdded: 0,
        linesRemoved: 0,
      });
      if (t.success && t.lines) {
        activity({
          ...base,
          id: recordId('gm', 'lines_changed', sessionId, t.id),
          kind: 'lines_changed',
          linesAdded: t.lines.added,
          linesRemoved: t.lines.removed,
        });
      }
    }
  }
}

export function createGeminiCliSource(options: GeminiCliSourceOptions = {}): FileSource {
  const removed = options.removedMessages ?? 'keep';
  return {
    ...geminiCliDescription,
    // Always from the top: a recording only makes sense folded as a whole (`whole` mode).
    async parse(file: DiscoveredFile, _start: ParseStart, sink: ParseSink): Promise<ParseEnd> {
      const st = await stat(file.path);
      const fold = new ChatFold(sink);
      const read = file.path.endsWith('.json')
        ? await foldJson(file.path, st.size, fold, sink)
        : await foldJsonl(file.path, fold, sink);
      emit(file, fold, st.mtimeMs, removed, sink);
      return { ...read, state: null };
    },
  };
}

export const geminiCliSource: FileSource = createGeminiCliSource();
