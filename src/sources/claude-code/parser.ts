/**
 * Turns the lines of one Claude Code transcript into usage and activity drafts.
 *
 * Most of a transcript's bytes are tool output and file contents that no metric needs. Each line
 * is walked as bytes (json-scan.ts) and abandoned as soon as it is known to be uninteresting:
 * a tool result is recognised from its `tool_use_id` (the call, seen earlier in the file, named
 * the tool), so a 100 KB `Read` result costs a few hundred bytes of work beyond the line split.
 * Only the fields that are emitted are ever decoded.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import type { ActivityKind, UsageDraft } from '../../ledger/records.js';
import { type ActivityFields, activityDraft } from '../activity-draft.js';
import { promptFingerprint } from '../fingerprint.js';
import type { ParseSink } from '../source.js';
import {
  bytesEqual,
  decodeString,
  findKey,
  findLastKey,
  ObjectCursor,
  occursIn,
  QUOTE,
  readBool,
  readString,
  skipString,
  skipValue,
  skipWs,
} from './json-scan.js';
import type { TranscriptLayout } from './paths.js';
import { charLength, typedPromptText } from './prompts.js';
import { prLinkOf, progressAssistantLine } from './rare-lines.js';
import { parseTimestamp } from './timestamp.js';
import { analyzeToolResult, editFacts, isGitCommitCommand, type ToolResultFacts } from './tool-results.js';
import { parseUsage, type UsageResult } from './usage.js';

/** Stable skip reasons (the run summary counts lines per reason). */
export const SKIP = {
  invalidJson: 'invalid JSON',
  notObject: 'not a JSON object',
  invalidUtf8: 'invalid UTF-8',
  badTimestamp: 'unparseable timestamp',
  wrongType: 'usage field of wrong type',
  missingCounts: 'usage without token counts',
  nullModel: 'model is null',
  synthetic: 'synthetic message',
  tooLong: 'line too long',
} as const;

/** Tools whose results carry something we count; every other tool's result is skipped unread. */
const TOOLS_WITH_FACTS = new Set(['Edit', 'MultiEdit', 'Write', 'Bash']);

/** Calls still waiting for their result, kept across runs so a resumed read knows the tool. */
const MAX_PENDING = 4096;
const MAX_PENDING_SAVED = 256;

/** Parser state carried between runs of an append-only file (JSON-serialisable). */
export interface ClaudeParserState {
  /** Calls without a result yet: `[id, tool, 1 if a git commit, ts, sessionId, cwd, gitBranch, 1 if subagent]`. */
  pending: Array<[string, string, 0 | 1, number, string, string | null, string | null, 0 | 1]>;
}

/** A call waiting for its result, with where and when it was made (the result line is then not read to its end). */
interface PendingTool {
  name: string;
  commit: boolean;
  ts: number;
  env: Envelope;
}

const T_UNKNOWN = 0;
const T_USER = 1;
const T_ASSISTANT = 2;
const T_PROGRESS = 3;
const T_PR_LINK = 4;
const T_OTHER = 5;

const R_NONE = 0;
const R_USER = 1;
const R_ASSISTANT = 2;

/** Returned by the message walk when the line is a result nobody needs. */
const ABANDON = -2;
/** Returned when a jump over a large value must be redone by walking every byte. */
const RETRY = -3;
/** Returned by the content walk at a large value of an assistant block: jump to `usage`. */
const JUMP = -4;
/** Returned by the content walk at a result of a known tool: jump to `toolUseResult`. */
const JUMP_RESULT = -5;
const DONE = 0;
const TOOL_USE_RESULT_KEY = Buffer.from('"toolUseResult":');
const TIMESTAMP_KEY = Buffer.from('"timestamp":');
/** How far before `toolUseResult` its line's timestamp is looked for (it sits right before it). */
const TIMESTAMP_LOOKBACK = 256;

const USAGE_KEY = Buffer.from('"usage":');
/** How Claude Code writes it: the longer pattern is found faster, the short one is the fallback. */
const USAGE_KEY_LONG = Buffer.from('"usage":{"input_tokens":');
const TOOL_USE_BLOCK = Buffer.from('"type":"tool_use"');
const USAGE_OBJECT = Buffer.from('"usage":{');

interface Memo {
  bytes: Buffer | null;
  text: string | null;
}

interface Envelope {
  sessionId: string;
  cwd: string | null;
  gitBranch: string | null;
  isSubagent: boolean;
}

interface ToolUseBlock {
  id: string;
  name: string;
  inputStart: number;
  inputEnd: number;
}

const endOut = { end: 0 };

function lineTypeOf(b: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 4 && bytesEqual(b, s, e, 'user')) return T_USER;
  if (len === 9 && bytesEqual(b, s, e, 'assistant')) return T_ASSISTANT;
  if (len === 8 && bytesEqual(b, s, e, 'progress')) return T_PROGRESS;
  if (len === 7 && bytesEqual(b, s, e, 'pr-link')) return T_PR_LINK;
  return T_OTHER;
}

/** Parses the lines of one transcript. One instance per file and run. */
export class TranscriptParser {
  private readonly pending = new Map<string, PendingTool>();
  private readonly top = new ObjectCursor();
  private readonly msg = new ObjectCursor();
  private readonly block = new ObjectCursor();
  private readonly inner = new ObjectCursor();
  private readonly cwdMemo: Memo = { bytes: null, text: null };
  private readonly branchMemo: Memo = { bytes: null, text: null };
  private readonly modelMemo: Memo = { bytes: null, text: null };
  private readonly sessionMemo: Memo = { bytes: null, text: null };

  // Per-line fields. Ranges are [quote index, index past the closing quote); -1 when absent.
  private lineType = T_UNKNOWN;
  private role = R_NONE;
  private uuidAt = -1;
  private uuidEnd = -1;
  private tsAt = -1;
  private tsEnd = -1;
  private sessionAt = -1;
  private sessionEnd = -1;
  private cwdAt = -1;
  private cwdEnd = -1;
  private branchAt = -1;
  private branchEnd = -1;
  private requestAt = -1;
  private requestEnd = -1;
  private errorAt = -1;
  private errorEnd = -1;
  private msgIdAt = -1;
  private msgIdEnd = -1;
  private modelAt = -1;
  private modelEnd = -1;
  private modelNull = false;
  private isSidechain = false;
  private isMeta = false;
  private isApiError = false;
  private isCompactSummary = false;
  private usage: UsageResult | null = null;
  private toolUses: ToolUseBlock[] = [];
  /** User prompt: the content string range, or text block ranges. */
  private promptRanges: number[] = [];
  private promptImage = false;
  private resultToolId: string | null = null;
  private resultIsError = false;
  private resultFacts: ToolResultFacts | null = null;
  private hasToolResult = false;
  /** Set when a large value was jumped over rather than walked; the line end then verifies the jump. */
  private jumped = false;
  private jumpFrom = 0;
  /** Walk every byte: the retry after a failed jump. */
  private slow = false;

  constructor(
    private readonly origin: string,
    private readonly layout: TranscriptLayout,
    private readonly sink: ParseSink,
    state: unknown,
  ) {
    const saved = (state as Partial<ClaudeParserState> | null)?.pending;
    if (Array.isArray(saved)) {
      for (const entry of saved) {
        if (!Array.isArray(entry)) continue;
        const [id, name, commit, ts, sessionId, cwd, gitBranch, subagent] = entry as unknown[];
        if (typeof id !== 'string' || typeof name !== 'string' || typeof ts !== 'number') continue;
        if (typeof sessionId !== 'string') continue;
        this.pending.set(id, {
          name,
          commit: commit === 1,
          ts,
          env: {
            sessionId,
            cwd: typeof cwd === 'string' ? cwd : null,
            gitBranch: typeof gitBranch === 'string' ? gitBranch : null,
            isSubagent: subagent === 1,
          },
        });
      }
    }
  }

  state(): ClaudeParserState {
    const entries = [...this.pending.entries()].slice(-MAX_PENDING_SAVED);
    return {
      pending: entries.map(([id, t]) => [
        id,
        t.name,
        t.commit ? 1 : 0,
        t.ts,
        t.env.sessionId,
        t.env.cwd,
        t.env.gitBranch,
        t.env.isSubagent ? 1 : 0,
      ]),
    };
  }

  /** Handles one complete line `b[s, e)` found at file offset `offset`. */
  line(b: Buffer, s: number, e: number, offset: number): void {
    const p = skipWs(b, s, e);
    if (p >= e) return;
    if (b[p] !== 0x7b) {
      this.sink.skip(
        b[p] === 0x5b || b[p] === QUOTE || (b[p]! >= 0x30 && b[p]! <= 0x39)
          ? SKIP.notObject
          : SKIP.invalidJson,
      );
      return;
    }
    this.slow = false;
    if (this.walkLine(b, s, p, e, offset) === RETRY) {
      // A jump over a large value landed somewhere unexpected: walk every byte instead.
      this.slow = true;
      this.walkLine(b, s, p, e, offset);
    }
  }

  private walkLine(b: Buffer, s: number, p: number, e: number, offset: number): number {
    this.resetLine();
    const top = this.top;
    top.reset(b, p, e);
    while (top.next()) {
      const v = top.valueStart;
      const k0 = b[top.keyStart];
      const klen = top.keyEnd - top.keyStart;
      if ((klen === 10 && top.keyIs('attachment')) || (klen === 8 && top.keyIs('snapshot'))) {
        // Attachments and file-history snapshots carry file contents and never a metric.
        return DONE;
      }
      if (klen === 4 && top.keyIs('type')) {
        if (b[v] !== QUOTE) {
          if (!top.skip()) break;
          continue;
        }
        const ve = skipString(b, v + 1, e);
        if (ve === -1) {
          top.done(-1);
          break;
        }
        this.lineType = lineTypeOf(b, v + 1, ve - 1);
        if (this.lineType === T_OTHER) return DONE;
        if (this.lineType === T_PROGRESS || this.lineType === T_PR_LINK) {
          this.wholeLine(b, p, e, offset);
          return DONE;
        }
        top.done(ve);
      } else if (klen === 7 && top.keyIs('message')) {
        const me = this.walkMessage(b, v, e);
        if (me === ABANDON) return DONE;
        if (me === RETRY) return RETRY;
        if (me === JUMP_RESULT) {
          this.jumpToResult(b, s, e);
          return DONE;
        }
        if (!top.done(me)) break;
      } else if (klen === 13 && top.keyIs('toolUseResult')) {
        if (this.hasToolResult && !this.resultIsError && this.resultToolId !== null) {
          const known = this.pending.get(this.resultToolId);
          if (known !== undefined && this.lineType !== T_ASSISTANT) {
            // The call told us the tool and where it ran: read only what counts, leave the rest.
            const wanted = TOOLS_WITH_FACTS.has(known.name) && b[v] === 0x7b;
            this.emitKnownResult(b, s, e, wanted ? analyzeToolResult(b, v, e, known.name) : null, known);
            return DONE;
          }
          const facts = analyzeToolResult(b, v, e, null);
          this.resultFacts = facts;
          if (!top.done(facts.end)) break;
        } else if (!top.skip()) {
          break;
        }
      } else if (!this.envelopeField(b, v, e, k0!, klen)) {
        break;
      }
    }
    if (top.failed || !top.closed) {
      if (this.jumped) return RETRY;
      this.sink.skip(SKIP.invalidJson);
      return DONE;
    }
    if (this.jumped && skipWs(b, top.position, e) !== e) return RETRY;
    if (this.role === R_ASSISTANT && (this.lineType === T_ASSISTANT || this.lineType === T_UNKNOWN)) {
      this.emitAssistant(b, s, e, offset);
    } else if (this.role === R_USER && (this.lineType === T_USER || this.lineType === T_UNKNOWN)) {
      this.emitUser(b, s, e, offset);
    }
    return DONE;
  }

  /** A last line without its newline: used only if it is already a whole JSON object. */
  tail(b: Buffer, s: number, e: number, offset: number): boolean {
    const p = skipWs(b, s, e);
    let last = e - 1;
    while (last > p && (b[last] === 0x20 || b[last] === 0x0d || b[last] === 0x09)) last--;
    // A line still being written almost never ends in a brace; spare parsing it whole.
    if (p >= e || b[p] !== 0x7b || b[last] !== 0x7d) return false;
    try {
      const v: unknown = JSON.parse(b.toString('utf8', p, e));
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
    } catch {
      return false;
    }
    this.line(b, s, e, offset);
    return true;
  }

  private resetLine(): void {
    this.jumped = false;
    this.lineType = T_UNKNOWN;
    this.role = R_NONE;
    this.uuidAt = -1;
    this.tsAt = -1;
    this.sessionAt = -1;
    this.cwdAt = -1;
    this.branchAt = -1;
    this.requestAt = -1;
    this.errorAt = -1;
    this.msgIdAt = -1;
    this.modelAt = -1;
    this.modelNull = false;
    this.isSidechain = false;
    this.isMeta = false;
    this.isApiError = false;
    this.isCompactSummary = false;
    this.usage = null;
    if (this.toolUses.length > 0) this.toolUses = [];
    if (this.promptRanges.length > 0) this.promptRanges = [];
    this.promptImage = false;
    this.resultToolId = null;
    this.resultIsError = false;
    this.resultFacts = null;
    this.hasToolResult = false;
  }

  /** Records the small top-level fields; returns false when the value is malformed. */
  private envelopeField(b: Buffer, v: number, e: number, k0: number, klen: number): boolean {
    const top = this.top;
    const isStr = b[v] === QUOTE;
    let ve = -1;
    if (isStr) {
      ve = skipString(b, v + 1, e);
      if (ve === -1) return top.done(-1);
    }
    switch (k0) {
      case 0x75 /* u */:
        if (isStr && klen === 4 && top.keyIs('uuid')) {
          this.uuidAt = v;
          this.uuidEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x74 /* t */:
        if (isStr && klen === 9 && top.keyIs('timestamp')) {
          this.tsAt = v;
          this.tsEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x73 /* s */:
        if (isStr && klen === 9 && top.keyIs('sessionId')) {
          this.sessionAt = v;
          this.sessionEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x63 /* c */:
        if (isStr && klen === 3 && top.keyIs('cwd')) {
          this.cwdAt = v;
          this.cwdEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x67 /* g */:
        if (isStr && klen === 9 && top.keyIs('gitBranch')) {
          this.branchAt = v;
          this.branchEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x72 /* r */:
        if (isStr && klen === 9 && top.keyIs('requestId')) {
          this.requestAt = v;
          this.requestEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x65 /* e */:
        if (isStr && klen === 5 && top.keyIs('error')) {
          this.errorAt = v;
          this.errorEnd = ve;
          return top.done(ve);
        }
        break;
      case 0x69 /* i */:
        if (!isStr) {
          if (klen === 11 && top.keyIs('isSidechain')) {
            this.isSidechain = readBool(b, v, e, endOut) === true;
            return top.done(endOut.end);
          }
          if (klen === 6 && top.keyIs('isMeta')) {
            this.isMeta = readBool(b, v, e, endOut) === true;
            return top.done(endOut.end);
          }
          if (klen === 17 && top.keyIs('isApiErrorMessage')) {
            this.isApiError = readBool(b, v, e, endOut) === true;
            return top.done(endOut.end);
          }
          if (
            (klen === 16 && top.keyIs('isCompactSummary')) ||
            (klen === 25 && top.keyIs('isVisibleInTranscriptOnly'))
          ) {
            // readBool must run even when the flag is already set: it also finds where the value ends.
            const flag = readBool(b, v, e, endOut) === true;
            this.isCompactSummary = this.isCompactSummary || flag;
            return top.done(endOut.end);
          }
        }
        break;
    }
    return isStr ? top.done(ve) : top.skip();
  }

  /**
   * Walks `message` at `p`. Returns the index past it, -1 if malformed, or ABANDON when the line
   * is a result of a tool whose output we never need.
   */
  private walkMessage(b: Buffer, p: number, e: number): number {
    const m = this.msg;
    if (!m.reset(b, p, e)) return skipValue(b, p, e);
    let contentAt = -1;
    let contentEnd = -1;
    while (m.next()) {
      const v = m.valueStart;
      const klen = m.keyEnd - m.keyStart;
      if (klen === 4 && m.keyIs('role')) {
        const ve = b[v] === QUOTE ? skipString(b, v + 1, e) : skipValue(b, v, e);
        if (ve !== -1 && bytesEqual(b, v, ve, '"user"')) this.role = R_USER;
        else if (ve !== -1 && bytesEqual(b, v, ve, '"assistant"')) this.role = R_ASSISTANT;
        if (!m.done(ve)) return -1;
        // Content before role (not seen in practice) is walked again once the role is known.
        if (contentAt !== -1) {
          const r = this.walkContent(b, contentAt, e);
          if (r === ABANDON) return ABANDON;
        }
      } else if (klen === 7 && m.keyIs('content')) {
        if (this.role === R_NONE) {
          contentAt = v;
          contentEnd = skipValue(b, v, e);
          if (!m.done(contentEnd)) return -1;
        } else {
          const r = this.walkContent(b, v, e);
          if (r === ABANDON || r === JUMP_RESULT) return r;
          if (r === JUMP) {
            // Thinking text and tool inputs can be large; the usage object follows the content.
            const from = this.jumpFrom;
            // From the end: usage follows the content, and any "usage" key nested in a tool input
            // comes before it.
            let k = findLastKey(b, from, e, USAGE_KEY_LONG);
            if (k === -1) k = findLastKey(b, from, e, USAGE_KEY);
            if (k === -1 || occursIn(b, from, k, TOOL_USE_BLOCK)) return RETRY;
            this.jumped = true;
            m.resumeAtKey(k);
            continue;
          }
          if (!m.done(r)) return -1;
        }
      } else if (klen === 2 && m.keyIs('id')) {
        if (b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          this.msgIdAt = v;
          this.msgIdEnd = ve;
          if (!m.done(ve)) return -1;
        } else if (!m.skip()) {
          return -1;
        }
      } else if (klen === 5 && m.keyIs('model')) {
        if (b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          this.modelAt = v;
          this.modelEnd = ve;
          if (!m.done(ve)) return -1;
        } else {
          const ve = skipValue(b, v, e);
          this.modelNull = ve - v === 4 && bytesEqual(b, v, ve, 'null');
          if (!m.done(ve)) return -1;
        }
      } else if (klen === 5 && m.keyIs('usage')) {
        if (b[v] === 0x7b) {
          // Parsed whatever the role: the role may come later, and a user line has no usage.
          this.usage = parseUsage(b, v, e, endOut);
          if (this.usage === 'wrong-type' || this.usage === 'missing-counts') {
            if (!m.skip()) return -1;
          } else if (!m.done(endOut.end)) {
            return -1;
          }
        } else {
          const ve = skipValue(b, v, e);
          if (ve - v !== 4 || !bytesEqual(b, v, ve, 'null')) this.usage = 'wrong-type';
          if (!m.done(ve)) return -1;
        }
      } else if (!m.skip()) {
        return -1;
      }
    }
    if (m.failed) return -1;
    return m.position;
  }

  /** Walks `message.content` at `p` once the role is known. */
  private walkContent(b: Buffer, p: number, e: number): number {
    const c0 = b[p];
    if (c0 === QUOTE) {
      const ve = skipString(b, p + 1, e);
      if (this.role === R_USER && ve !== -1) this.promptRanges.push(p, ve);
      return ve;
    }
    if (c0 !== 0x5b) return skipValue(b, p, e);
    let i = p + 1;
    const blk = this.block;
    let index = 0;
    while (i < e) {
      i = skipWs(b, i, e);
      const c = b[i];
      if (c === 0x5d) return i + 1;
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c !== 0x7b) {
        i = skipValue(b, i, e);
        if (i === -1) return -1;
        continue;
      }
      blk.reset(b, i, e);
      let kind = 0; // 1 text, 2 tool_use, 3 tool_result, 4 image
      let id: string | null = null;
      let name: string | null = null;
      let inputStart = -1;
      let inputEnd = -1;
      let textAt = -1;
      let textEnd = -1;
      while (blk.next()) {
        const v = blk.valueStart;
        const klen = blk.keyEnd - blk.keyStart;
        if (klen === 4 && blk.keyIs('type') && b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          if (ve === -1) return -1;
          if (bytesEqual(b, v, ve, '"text"')) kind = 1;
          else if (bytesEqual(b, v, ve, '"tool_use"')) kind = 2;
          else if (bytesEqual(b, v, ve, '"tool_result"')) kind = 3;
          else if (bytesEqual(b, v, ve, '"image"')) kind = 4;
          blk.done(ve);
        } else if (klen === 11 && blk.keyIs('tool_use_id') && b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          if (ve === -1) return -1;
          const toolId = decodeString(b, v, ve);
          if (this.role === R_USER && index === 0 && toolId !== null) {
            const known = this.pending.get(toolId);
            if (known !== undefined && !TOOLS_WITH_FACTS.has(known.name)) {
              // Read, Grep, Task …: nothing in the rest of this (often huge) line is needed.
              this.pending.delete(toolId);
              return ABANDON;
            }
            this.resultToolId = toolId;
            if (known !== undefined && !this.slow) {
              // The result text repeats the tool output; the facts are in `toolUseResult`.
              this.hasToolResult = true;
              this.jumpFrom = ve;
              return JUMP_RESULT;
            }
          }
          blk.done(ve);
        } else if (klen === 2 && blk.keyIs('id') && b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          id = ve === -1 ? null : decodeString(b, v, ve);
          blk.done(ve);
        } else if (klen === 4 && blk.keyIs('name') && b[v] === QUOTE) {
          const ve = skipString(b, v + 1, e);
          name = ve === -1 ? null : decodeString(b, v, ve);
          blk.done(ve);
        } else if (klen === 5 && blk.keyIs('input')) {
          if (
            !this.slow &&
            this.role === R_ASSISTANT &&
            kind === 2 &&
            id !== null &&
            name !== null &&
            name !== 'Bash'
          ) {
            this.toolUses.push({ id, name, inputStart: -1, inputEnd: -1 });
            this.jumpFrom = v;
            return JUMP;
          }
          inputStart = v;
          inputEnd = skipValue(b, v, e);
          blk.done(inputEnd);
        } else if (
          !this.slow &&
          this.role === R_ASSISTANT &&
          ((klen === 8 && blk.keyIs('thinking')) || (klen === 4 && blk.keyIs('text')))
        ) {
          this.jumpFrom = v;
          return JUMP;
        } else if (klen === 4 && blk.keyIs('text') && b[v] === QUOTE) {
          textAt = v;
          textEnd = skipString(b, v + 1, e);
          blk.done(textEnd);
        } else if (klen === 8 && blk.keyIs('is_error')) {
          if (readBool(b, v, e, endOut) === true) this.resultIsError = true;
          blk.done(endOut.end);
        } else if (!blk.skip()) {
          return -1;
        }
      }
      if (blk.failed) return -1;
      if (kind === 1 && textAt !== -1 && this.role === R_USER) this.promptRanges.push(textAt, textEnd);
      else if (kind === 4 && this.role === R_USER) this.promptImage = true;
      else if (kind === 3) this.hasToolResult = true;
      else if (kind === 2 && id !== null && name !== null && this.role === R_ASSISTANT) {
        this.toolUses.push({ id, name, inputStart, inputEnd });
      }
      i = blk.position;
      index++;
    }
    return -1;
  }

  private str(b: Buffer, at: number, end: number): string | null {
    if (at === -1 || end === -1) return null;
    return decodeString(b, at, end);
  }

  /** `str` for values that repeat on every line of a file (cwd, branch, model): decoded once. */
  private memo(b: Buffer, at: number, end: number, slot: Memo): string | null {
    if (at === -1 || end === -1) return null;
    const len = end - at;
    const last = slot.bytes;
    if (last !== null && last.length === len) {
      let i = 0;
      while (i < len && last[i] === b[at + i]) i++;
      if (i === len) return slot.text;
    }
    // `gitBranch` is "" outside a repository: no branch, not a branch named "".
    slot.text = decodeString(b, at, end) || null;
    slot.bytes = Buffer.from(b.subarray(at, end));
    return slot.text;
  }

  private sessionId(b: Buffer): string {
    if (this.layout.sessionId !== null) return this.layout.sessionId;
    return this.memo(b, this.sessionAt, this.sessionEnd, this.sessionMemo) ?? 'unknown';
  }

  /** The line's own id for records keyed by line: its uuid, else its file offset. */
  private lineKey(b: Buffer, offset: number): string {
    return this.str(b, this.uuidAt, this.uuidEnd) || `@${offset}`;
  }

  /** Session and place of the current line, for its activity records. */
  private envelope(b: Buffer): Envelope {
    return {
      sessionId: this.sessionId(b),
      cwd: this.memo(b, this.cwdAt, this.cwdEnd, this.cwdMemo),
      gitBranch: this.memo(b, this.branchAt, this.branchEnd, this.branchMemo),
      isSubagent: this.layout.isSubagentFile || this.isSidechain,
    };
  }

  private activity(env: Envelope, id: string, ts: number, kind: ActivityKind, fields: ActivityFields): void {
    this.sink.activity(
      activityDraft(
        {
          id,
          ts,
          source: 'claude_code_jsonl',
          tool: 'claude-code',
          sessionId: env.sessionId,
          kind,
          cwd: env.cwd,
          gitBranch: env.gitBranch,
          isSubagent: env.isSubagent,
          origin: this.origin,
        },
        fields,
      ),
    );
  }

  private timestamp(b: Buffer): number {
    return this.tsAt === -1 ? Number.NaN : parseTimestamp(b, this.tsAt, this.tsEnd);
  }

  private emitAssistant(b: Buffer, s: number, e: number, offset: number): void {
    if (this.usage === null && this.toolUses.length === 0 && !this.isApiError) return;
    if (!isUtf8(b.subarray(s, e))) {
      this.sink.skip(SKIP.invalidUtf8);
      return;
    }
    const ts = this.timestamp(b);
    if (Number.isNaN(ts)) {
      this.sink.skip(SKIP.badTimestamp);
      return;
    }
    const env = this.envelope(b);
    for (const use of this.toolUses) {
      let commit = false;
      if (use.name === 'Bash' && use.inputStart !== -1 && use.inputEnd !== -1) {
        const command = this.inputCommand(b, use.inputStart, use.inputEnd);
        commit = command !== null && isGitCommitCommand(command);
      }
      if (this.pending.size >= MAX_PENDING) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      this.pending.set(use.id, { name: use.name, commit, ts, env });
      this.activity(env, `cc:tool:${use.id}`, ts, 'tool_use', { name: use.name });
    }
    if (this.isApiError) {
      const error = this.str(b, this.errorAt, this.errorEnd);
      this.activity(env, `cc:error:${this.lineKey(b, offset)}`, ts, 'api_error', { name: error || null });
      return;
    }
    const usage = this.usage;
    if (usage === null) return;
    const model = this.memo(b, this.modelAt, this.modelEnd, this.modelMemo);
    if (model === '<synthetic>') {
      this.sink.skip(SKIP.synthetic);
      return;
    }
    if (this.modelNull) {
      this.sink.skip(SKIP.nullModel);
      return;
    }
    if (usage === 'wrong-type') {
      this.sink.skip(SKIP.wrongType);
      return;
    }
    if (usage === 'missing-counts') {
      this.sink.skip(SKIP.missingCounts);
      return;
    }
    if (usage === 'invalid-json') {
      this.sink.skip(SKIP.invalidJson);
      return;
    }
    const messageId = this.str(b, this.msgIdAt, this.msgIdEnd) || null;
    const requestId = this.str(b, this.requestAt, this.requestEnd) || null;
    const sessionId = this.sessionId(b);
    // ccusage's key is (message.id, requestId), degrading to message.id alone; a line without a
    // message id is never deduplicated by ccusage, so it gets a key of its own.
    const id =
      messageId === null
        ? `cc:line:${sessionId}:${this.lineKey(b, offset)}`
        : requestId === null
          ? `cc:${messageId}`
          : `cc:${messageId}:${requestId}`;
    const cwd = this.memo(b, this.cwdAt, this.cwdEnd, this.cwdMemo);
    const subagent = this.layout.isSubagentFile;
    const draft: UsageDraft = {
      id,
      ts,
      source: 'claude_code_jsonl',
      tool: 'claude-code',
      sessionId,
      parentSessionId: subagent ? sessionId : null,
      requestId,
      messageId,
      model: model === '' ? null : model,
      provider: 'anthropic',
      speed: usage.speed,
      serviceTier: usage.serviceTier,
      inferenceGeo: usage.inferenceGeo,
      tokens: usage.tokens,
      webSearchRequests: usage.webSearchRequests,
      credits: null,
      reportedCostUsd: null,
      cwd,
      gitBranch: this.memo(b, this.branchAt, this.branchEnd, this.branchMemo),
      project: cwd,
      isSubagent: subagent || this.isSidechain,
      isSidechain: this.isSidechain,
      granularity: 'request',
      origin: this.origin,
    };
    this.sink.usage(draft);
  }

  /** `input.command` of a tool call, decoded. */
  private inputCommand(b: Buffer, start: number, end: number): string | null {
    const c = this.inner;
    if (!c.reset(b, start, end)) return null;
    while (c.next()) {
      if (c.keyIs('command')) return readString(b, c.valueStart, end, endOut) ?? null;
      if (!c.skip()) return null;
    }
    return null;
  }

  private emitUser(b: Buffer, s: number, e: number, offset: number): void {
    if (this.hasToolResult) {
      this.emitToolResult(b, s, e);
      return;
    }
    if (this.promptRanges.length === 0 && !this.promptImage) return;
    // A subagent's first "prompt" is written by the parent model, not typed by a person.
    if (this.isMeta || this.isCompactSummary || this.isSidechain || this.layout.isSubagentFile) return;
    if (!isUtf8(b.subarray(s, e))) {
      this.sink.skip(SKIP.invalidUtf8);
      return;
    }
    const texts: string[] = [];
    for (let i = 0; i < this.promptRanges.length; i += 2) {
      const t = decodeString(b, this.promptRanges[i]!, this.promptRanges[i + 1]!);
      if (t === null) {
        this.sink.skip(SKIP.invalidJson);
        return;
      }
      texts.push(t);
    }
    const text = typedPromptText(texts, this.promptImage);
    if (text === null) return;
    const ts = this.timestamp(b);
    if (Number.isNaN(ts)) {
      this.sink.skip(SKIP.badTimestamp);
      return;
    }
    this.activity(this.envelope(b), `cc:prompt:${this.lineKey(b, offset)}`, ts, 'prompt', {
      promptLength: charLength(text),
      promptFingerprint: promptFingerprint(text),
    });
  }

  /**
   * From inside the `message` of a result line of a known tool, straight to its `toolUseResult`
   * (and the timestamp written just before it) without walking the tool output in between.
   */
  private jumpToResult(b: Buffer, s: number, e: number): void {
    const toolId = this.resultToolId!;
    const known = this.pending.get(toolId)!;
    if (known.name === 'Edit' || known.name === 'MultiEdit') {
      // The patch sits at the end of the line, after the whole original file: look from the end.
      const facts = editFacts(b, this.jumpFrom, e, known.name);
      if (this.tsAt === -1) this.findTimestamp(b, this.jumpFrom, e);
      this.emitKnownResult(b, s, e, facts, known);
      return;
    }
    const k = findKey(b, this.jumpFrom, e, TOOL_USE_RESULT_KEY);
    if (k === -1) {
      this.pending.delete(toolId);
      return;
    }
    if (this.tsAt === -1) this.findTimestamp(b, Math.max(this.jumpFrom, k - TIMESTAMP_LOOKBACK), k);
    const v = skipWs(b, k + TOOL_USE_RESULT_KEY.length, e);
    // A failed call's result is a plain error string, not the tool's result object.
    this.emitKnownResult(b, s, e, b[v] === 0x7b ? analyzeToolResult(b, v, e, known.name) : null, known);
  }

  /** The line's own `timestamp`, looked up between `from` and `to` when the walk jumped past it. */
  private findTimestamp(b: Buffer, from: number, to: number): void {
    const t = findKey(b, from, to, TIMESTAMP_KEY);
    if (t === -1 || b[t + TIMESTAMP_KEY.length] !== QUOTE) return;
    const v = t + TIMESTAMP_KEY.length;
    const ve = skipString(b, v + 1, to);
    if (ve === -1) return;
    this.tsAt = v;
    this.tsEnd = ve;
  }

  /** A result whose call was seen: its facts, dated by the result line (or else the call). */
  private emitKnownResult(
    b: Buffer,
    s: number,
    e: number,
    facts: ToolResultFacts | null,
    known: PendingTool,
  ): void {
    const toolId = this.resultToolId!;
    this.pending.delete(toolId);
    if (facts === null || this.resultIsError) return;
    if (facts.linesAdded + facts.linesRemoved === 0 && facts.commits.length === 0 && !known.commit) return;
    if (!isUtf8(b.subarray(s, e))) {
      this.sink.skip(SKIP.invalidUtf8);
      return;
    }
    const own = this.tsAt === -1 ? Number.NaN : parseTimestamp(b, this.tsAt, this.tsEnd);
    const env: Envelope = {
      sessionId: this.layout.sessionId ?? (this.sessionAt !== -1 ? this.sessionId(b) : known.env.sessionId),
      cwd: this.cwdAt !== -1 ? this.memo(b, this.cwdAt, this.cwdEnd, this.cwdMemo) : known.env.cwd,
      gitBranch:
        this.branchAt !== -1
          ? this.memo(b, this.branchAt, this.branchEnd, this.branchMemo)
          : known.env.gitBranch,
      isSubagent: this.layout.isSubagentFile || this.isSidechain || known.env.isSubagent,
    };
    this.emitFacts(env, Number.isNaN(own) ? known.ts : own, toolId, facts, known);
  }

  /** A result whose call was not seen (it is in another file, or before the checkpoint state). */
  private emitToolResult(b: Buffer, s: number, e: number): void {
    const toolId = this.resultToolId;
    const facts = this.resultFacts;
    if (toolId === null || facts === null || this.resultIsError) return;
    if (facts.linesAdded + facts.linesRemoved === 0 && facts.commits.length === 0) return;
    if (!isUtf8(b.subarray(s, e))) {
      this.sink.skip(SKIP.invalidUtf8);
      return;
    }
    const ts = this.timestamp(b);
    if (Number.isNaN(ts)) {
      this.sink.skip(SKIP.badTimestamp);
      return;
    }
    this.emitFacts(this.envelope(b), ts, toolId, facts, undefined);
  }

  private emitFacts(
    env: Envelope,
    ts: number,
    toolId: string,
    facts: ToolResultFacts,
    known: PendingTool | undefined,
  ): void {
    if (facts.linesAdded + facts.linesRemoved > 0) {
      const inferred =
        facts.shape === 'write'
          ? 'Write'
          : facts.shape === 'multi-edit'
            ? 'MultiEdit'
            : facts.shape === 'edit'
              ? 'Edit'
              : null;
      this.activity(env, `cc:lines:${toolId}`, ts, 'lines_changed', {
        name: known?.name ?? inferred,
        linesAdded: facts.linesAdded,
        linesRemoved: facts.linesRemoved,
      });
    }
    const name = known?.name ?? 'Bash';
    if (facts.commits.length > 0) {
      facts.commits.forEach((sha, i) => {
        const id = i === 0 ? `cc:commit:${toolId}` : `cc:commit:${toolId}:${i}`;
        this.activity(env, id, ts, 'commit', { name, ref: sha });
      });
    } else if (known?.commit === true) {
      // `git commit -q` prints nothing: the commit happened, its SHA is not in the transcript.
      this.activity(env, `cc:commit:${toolId}`, ts, 'commit', { name, ref: null });
    }
  }

  /** Rare line types (subagent progress, PR links) are small enough to parse the plain way. */
  private wholeLine(b: Buffer, p: number, e: number, offset: number): void {
    if (this.lineType === T_PROGRESS && !occursIn(b, p, e, USAGE_OBJECT)) return;
    if (!isUtf8(b.subarray(p, e))) {
      this.sink.skip(SKIP.invalidUtf8);
      return;
    }
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(b.toString('utf8', p, e)) as Record<string, unknown>;
    } catch {
      this.sink.skip(SKIP.invalidJson);
      return;
    }
    if (this.lineType === T_PR_LINK) this.emitPrLink(line);
    else this.emitProgress(line, offset);
  }

  private emitPrLink(line: Record<string, unknown>): void {
    const link = prLinkOf(line);
    if (link === null) return;
    if (Number.isNaN(link.ts)) {
      this.sink.skip(SKIP.badTimestamp);
      return;
    }
    const sessionId = this.layout.sessionId ?? link.sessionId ?? 'unknown';
    // PR-link lines carry no working dir: the session's last one is where the PR came from.
    const env: Envelope = {
      sessionId,
      cwd: link.cwd ?? this.cwdMemo.text,
      gitBranch: link.gitBranch ?? this.branchMemo.text,
      isSubagent: this.layout.isSubagentFile || link.isSidechain,
    };
    // Claude Code writes the link again on resume and compaction: one record per session and PR.
    this.activity(env, `cc:pr:${sessionId}:${link.ref}`, link.ts, 'pull_request', { ref: link.ref });
  }

  /** A subagent's assistant line embedded in an older progress line, parsed like any other. */
  private emitProgress(line: Record<string, unknown>, offset: number): void {
    const b = progressAssistantLine(line);
    if (b === null) return;
    const subagentLayout: TranscriptLayout = { sessionId: this.layout.sessionId, isSubagentFile: true };
    new TranscriptParser(this.origin, subagentLayout, this.sink, null).line(b, 0, b.length, offset);
  }
}
