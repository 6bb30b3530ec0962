/**
 * Codex CLI rollouts (`~/.codex/sessions/**\/rollout-*.jsonl`), reference/formats.md §4.1.
 * Append-only files, read incrementally from a checkpoint; see README.md for the decisions.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { readLines } from '../jsonl/line-reader.js';
import type { DiscoveredFile, FileSource, ParseEnd, ParseSink, ParseStart } from '../source.js';
import { RolloutParser, sessionIdFromPath } from './parser.js';
import { codexDescription } from './paths.js';
import { scanReplayBurst } from './replay.js';
import { initialState, restoreState } from './state.js';

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/**
 * Lines worth decoding. Quoted on both sides, so a JSON-escaped mention inside some tool output
 * (`\"token_count\"`) does not match, and `"function_call"` leaves out `"function_call_output"`:
 * the large lines of a rollout are never decoded.
 */
const RELEVANT = [
  'session_meta',
  'turn_context',
  'token_count',
  'user_message',
  'exec_command_end',
  'patch_apply_begin',
  'patch_apply_end',
  'function_call',
  'custom_tool_call',
  'local_shell_call',
].map((t) => Buffer.from(`"${t}"`));

const WHOLE_LINE_SCAN = 64 * 1024;
const HEAD_SCAN = 1024;

function firstNonSpace(line: Buffer): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return i;
  }
  return -1;
}

type Decoded = { ok: true; value: unknown } | { ok: false; reason: 'invalid UTF-8' | 'invalid JSON' };

function decode(line: Buffer): Decoded {
  if (!isUtf8(line)) return { ok: false, reason: 'invalid UTF-8' };
  try {
    return { ok: true, value: JSON.parse(line.toString('utf8')) };
  } catch {
    return { ok: false, reason: 'invalid JSON' };
  }
}

export async function parseRollout(
  file: DiscoveredFile,
  start: ParseStart,
  sink: ParseSink,
): Promise<ParseEnd> {
  let offset = start.offset;
  let state = offset > 0 ? restoreState(start.state) : null;
  // A checkpoint without a state this version understands: read again from the top. Record ids
  // do not depend on where reading started, so nothing is counted twice.
  if (state === null) offset = 0;
  state ??= initialState(sessionIdFromPath(file.path));
  const parser = new RolloutParser(state, file.path, sink);

  if (!state.replayScanned) {
    const scan = await scanReplayBurst(file.path);
    if (scan.decided) {
      state.replayScanned = true;
      if (scan.second) parser.addReplaySecond(scan.second);
    }
  }

  const onLine = (buf: Buffer, startByte: number, end: number, lineOffset: number): void => {
    const line = buf.subarray(startByte, end);
    const first = firstNonSpace(line);
    if (first === -1) return;
    if (line[first] !== OPEN_BRACE) {
      sink.skip(line[first] === OPEN_BRACKET ? 'not a JSON object' : 'invalid JSON');
      return;
    }
    // Codex writes the item and payload `type` tags first, so a long line (a tool's output, a
    // pasted file) is recognised by its head instead of scanning megabytes for ten needles.
    const scope = line.length > WHOLE_LINE_SCAN ? line.subarray(0, HEAD_SCAN) : line;
    if (!RELEVANT.some((needle) => scope.indexOf(needle) !== -1)) return;
    const decoded = decode(line);
    if (decoded.ok) parser.line(decoded.value, lineOffset);
    else sink.skip(decoded.reason);
  };

  // An unterminated last line counts only if it is already a whole JSON object; otherwise the
  // writer is mid-line and the next run reads it.
  const onTail = (buf: Buffer, startByte: number, end: number, lineOffset: number): boolean => {
    const decoded = decode(buf.subarray(startByte, end));
    const value = decoded.ok ? decoded.value : null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    parser.line(value, lineOffset);
    return true;
  };

  const read = await readLines(file.path, offset, onLine, onTail, { between: sink.between?.bind(sink) });
  for (let i = 0; i < read.oversizedLines; i++) sink.skip('line too long');
  return { offset: read.offset, state: parser.state, bytesRead: read.bytesRead, lines: read.lines };
}

export const codexSource: FileSource = {
  ...codexDescription,
  parse: parseRollout,
};
