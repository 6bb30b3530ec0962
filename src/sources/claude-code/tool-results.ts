/**
 * Reads what shipped out of a tool result (`toolUseResult`, reference/formats.md §1.6): lines an
 * edit added or removed, and commits a shell command created. Works on the raw bytes, because
 * these objects also carry whole files (`originalFile`, `content`) that are never needed as text.
 * @module
 */
import {
  bytesEqual,
  findKey,
  findLastKey,
  ObjectCursor,
  QUOTE,
  skipString,
  skipValue,
  skipWs,
} from './json-scan.js';

const BACKSLASH = 0x5c;

export interface ToolResultFacts {
  /** Which shape the result had, which also names the tool when the call was not seen. */
  shape: 'edit' | 'multi-edit' | 'write' | 'bash' | 'other';
  linesAdded: number;
  linesRemoved: number;
  /** Commit SHAs printed by `git commit` in the command's stdout, in order. */
  commits: string[];
  /** Index just past the result value; -1 when it was malformed or not walked to its end. */
  end: number;
}

/** Counts `+` / `-` entries of `structuredPatch[].lines` (the array starting at `p`). */
function countPatch(b: Buffer, p: number, end: number, facts: ToolResultFacts): number {
  if (b[p] !== 0x5b) return skipValue(b, p, end);
  let i = p + 1;
  const hunk = new ObjectCursor();
  while (i < end) {
    const c = b[i]!;
    if (c === 0x5d) return i + 1;
    if (c === 0x2c || c === 0x20) {
      i++;
      continue;
    }
    if (c !== 0x7b) return -1;
    hunk.reset(b, i, end);
    while (hunk.next()) {
      if (hunk.keyIs('lines') && b[hunk.valueStart] === 0x5b) {
        let j = hunk.valueStart + 1;
        while (j < end && b[j] !== 0x5d) {
          const d = b[j]!;
          if (d === QUOTE) {
            const first = b[j + 1];
            if (first === 0x2b) facts.linesAdded++;
            else if (first === 0x2d) facts.linesRemoved++;
            j = skipString(b, j + 1, end);
            if (j === -1) return -1;
          } else if (d === 0x2c || d === 0x20) {
            j++;
          } else {
            j = skipValue(b, j, end);
            if (j === -1) return -1;
          }
        }
        if (j >= end) return -1;
        hunk.done(j + 1);
      } else if (!hunk.skip()) {
        return -1;
      }
    }
    if (hunk.failed) return -1;
    i = hunk.position;
  }
  return -1;
}

/** Lines in the JSON string at `p` (its quote) as a file: newlines, plus an unterminated last line. */
export function countStringLines(b: Buffer, p: number, stringEnd: number): number {
  const s = p + 1;
  const e = stringEnd - 1;
  if (e <= s) return 0;
  // A plain loop: code has an escape every few dozen bytes, too often for a native call each.
  let lines = 0;
  for (let i = s; i < e; i++) {
    if (b[i] === BACKSLASH) {
      if (b[i + 1] === 0x6e /* n */) lines++;
      i++;
    }
  }
  // The last line has no newline unless the file ended with one.
  const endsWithNewline =
    e - s >= 2 && b[e - 1] === 0x6e && b[e - 2] === BACKSLASH && !escapedBackslashAt(b, s, e - 2);
  return endsWithNewline ? lines : lines + 1;
}

/** Whether the backslash at `i` is itself escaped (preceded by an odd run of backslashes). */
function escapedBackslashAt(b: Buffer, s: number, i: number): boolean {
  let k = i - 1;
  while (k >= s && b[k] === BACKSLASH) k--;
  return ((i - 1 - k) & 1) === 1;
}

const CLOSE_SPACE = Buffer.from('] ');

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

/**
 * SHAs from `git commit` summary lines, `[<branch> <sha>] <subject>` or
 * `[<branch> (root-commit) <sha>] <subject>`, in the JSON string spanning `b[s, e)` (escaped,
 * so a line break is the two bytes `\n`). The line must start at the string start or a newline.
 */
export function findCommitShas(b: Buffer, s: number, e: number): string[] {
  const out: string[] = [];
  const view = b.subarray(s, e);
  let i = view.indexOf(CLOSE_SPACE);
  while (i !== -1) {
    const close = s + i;
    let h = close;
    while (h > s && isHex(b[h - 1]!)) h--;
    const len = close - h;
    if (len >= 7 && len <= 40 && h - 1 > s && b[h - 1] === 0x20) {
      // Walk back to the opening bracket; the branch part has no bracket or line break.
      let k = h - 2;
      const limit = Math.max(s, h - 300);
      while (k >= limit && b[k] !== 0x5b && b[k] !== 0x5d && !(b[k] === 0x6e && b[k - 1] === BACKSLASH)) k--;
      if (k >= limit && b[k] === 0x5b && k < h - 2) {
        const atLineStart = k === s || (k - 2 >= s && b[k - 1] === 0x6e && b[k - 2] === BACKSLASH);
        if (atLineStart) out.push(b.toString('latin1', h, close));
      }
    }
    i = view.indexOf(CLOSE_SPACE, i + 2);
  }
  return out;
}

/** Whether a shell command runs `git commit` (not `commit-tree`), possibly after `git -C dir`. */
export function isGitCommitCommand(command: string): boolean {
  return /(?:^|[\s;&|(`])git(?:\s+-[Cc]\s+\S+)*\s+commit(?![-\w])/.test(command);
}

const STRUCTURED_PATCH_KEY = Buffer.from('"structuredPatch":');

/**
 * Lines of an `Edit` / `MultiEdit` result found anywhere in `b[from, end)`: the patch is the
 * last member before the line's short tail, so it is looked for from the end, past which only
 * the whole-file `originalFile` would have to be crossed. `end` of the facts stays -1.
 */
export function editFacts(b: Buffer, from: number, end: number, tool: 'Edit' | 'MultiEdit'): ToolResultFacts {
  const facts: ToolResultFacts = {
    shape: tool === 'Edit' ? 'edit' : 'multi-edit',
    linesAdded: 0,
    linesRemoved: 0,
    commits: [],
    end: -1,
  };
  const k = findLastKey(b, from, end, STRUCTURED_PATCH_KEY);
  if (k !== -1) {
    const v = skipWs(b, k + STRUCTURED_PATCH_KEY.length, end);
    if (countPatch(b, v, end, facts) === -1) facts.linesAdded = facts.linesRemoved = 0;
  }
  return facts;
}

/**
 * Reads the `toolUseResult` value at `p`.
 *
 * With `tool` known (the call was seen earlier in the file) only the needed member is read and
 * the walk stops there (`end` stays -1): an `Edit` result jumps straight to `structuredPatch`
 * past `originalFile`, which is the whole file. With `tool` null the value is walked completely
 * and the shape tells which tool it was. Strings (error messages) and unknown shapes yield
 * `other` with nothing counted.
 */
export function analyzeToolResult(b: Buffer, p: number, end: number, tool: string | null): ToolResultFacts {
  const facts: ToolResultFacts = { shape: 'other', linesAdded: 0, linesRemoved: 0, commits: [], end: -1 };
  if (b[p] !== 0x7b) {
    facts.end = skipValue(b, p, end);
    return facts;
  }
  if (tool === 'Edit' || tool === 'MultiEdit') return editFacts(b, p + 1, end, tool);
  const c = new ObjectCursor();
  c.reset(b, p, end);
  let type: 'create' | 'update' | null = null;
  let contentAt = -1;
  let contentEnd = -1;
  let hasPatch = false;
  let isEdit = false;
  let isMulti = false;
  let isBash = false;
  while (c.next()) {
    const v = c.valueStart;
    if (c.keyIs('structuredPatch')) {
      hasPatch = b[v] === 0x5b;
      if (!c.done(countPatch(b, v, end, facts))) break;
      if (tool !== null) break;
    } else if (c.keyIs('type') && b[v] === QUOTE) {
      const e = skipString(b, v + 1, end);
      if (bytesEqual(b, v + 1, e - 1, 'create')) type = 'create';
      else if (bytesEqual(b, v + 1, e - 1, 'update')) type = 'update';
      if (!c.done(e)) break;
      if (tool === 'Write' && type === 'update') {
        // An update's lines are in the patch; skip the old and new file contents.
        const k = findKey(b, e, end, STRUCTURED_PATCH_KEY);
        if (k === -1) break;
        c.resumeAtKey(k);
      }
    } else if (c.keyIs('content') && b[v] === QUOTE) {
      const e = skipString(b, v + 1, end);
      contentAt = v;
      contentEnd = e;
      if (!c.done(e)) break;
      if (tool === 'Write' && type === 'create') break;
    } else if (c.keyIs('stdout') && b[v] === QUOTE) {
      isBash = true;
      const e = skipString(b, v + 1, end);
      if (e !== -1) facts.commits = findCommitShas(b, v + 1, e - 1);
      if (!c.done(e)) break;
      if (tool !== null) break;
    } else {
      if (c.keyIs('oldString')) isEdit = true;
      else if (c.keyIs('edits')) isMulti = true;
      if (!c.skip()) break;
    }
  }
  if (c.failed) {
    facts.linesAdded = facts.linesRemoved = 0;
    facts.commits = [];
    return facts;
  }
  if (c.closed) facts.end = c.position;
  if (type === 'create' || type === 'update') {
    facts.shape = 'write';
    // A created file has an empty patch; its lines are the new content.
    if (type === 'create' && facts.linesAdded + facts.linesRemoved === 0 && contentAt !== -1) {
      facts.linesAdded = countStringLines(b, contentAt, contentEnd);
    }
  } else if (isMulti) {
    facts.shape = 'multi-edit';
  } else if (isEdit || hasPatch) {
    facts.shape = 'edit';
  } else if (isBash) {
    facts.shape = 'bash';
  }
  return facts;
}
