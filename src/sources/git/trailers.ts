/**
 * Commit trailers, found the way git itself finds them (trailer.c in git 2.39+, as used by
 * `git interpret-trailers --parse --no-divider` and `%(trailers)`), so that what we call a
 * trailer is exactly what git calls one:
 * - the message's end is trimmed of trailing comment lines, blank lines and an old-style
 *   "Conflicts:" block;
 * - the first paragraph is the title and never holds trailers;
 * - the last paragraph is a trailer block when every line is a trailer (`Key: value`, the key
 *   made of letters, digits and `-`, optionally followed by spaces before the colon) or a
 *   continuation (starts with whitespace); or when it has a git-generated line
 *   (`Signed-off-by: `, `(cherry picked from commit `) and at least a quarter of its lines are
 *   trailers.
 * Continuation lines are unfolded into the value with one space. Keys keep their spelling; compare
 * them case-insensitively.
 * @module
 */
import type { Trailer } from '../../ledger/work.js';

const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];
const COMMENT = '#';

function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

function isComment(line: string): boolean {
  return line.startsWith(COMMENT);
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\r' || char === '\n' || char === '\v' || char === '\f';
}

function isKeyChar(char: string): boolean {
  return (
    (char >= 'a' && char <= 'z') ||
    (char >= 'A' && char <= 'Z') ||
    (char >= '0' && char <= '9') ||
    char === '-'
  );
}

/** git's find_separator: index of the `:` ending a `Key:` / `Key :` prefix, or -1. */
function separatorIndex(line: string): number {
  let whitespaceFound = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === ':') return i;
    if (!whitespaceFound && isKeyChar(char)) continue;
    if (i !== 0 && (char === ' ' || char === '\t')) {
      whitespaceFound = true;
      continue;
    }
    break;
  }
  return -1;
}

/** Number of lines at the end that git ignores: trailing comments, blank lines, "Conflicts:". */
function ignoredTail(lines: readonly string[]): number {
  let start = -1;
  let inConflicts = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isComment(line) || line.length === 0) {
      if (start === -1) start = i;
    } else if (line === 'Conflicts:') {
      inConflicts = true;
      if (start === -1) start = i;
    } else if (inConflicts && line.startsWith('\t')) {
      // a path inside the conflicts block
    } else {
      start = -1;
      inConflicts = false;
    }
  }
  return start === -1 ? 0 : lines.length - start;
}

/** Index of the first line of the trailer block, or `lines.length` when there is none. */
function trailerBlockStart(lines: readonly string[]): number {
  let endOfTitle = 0;
  while (endOfTitle < lines.length) {
    const line = lines[endOfTitle]!;
    if (!isComment(line) && isBlank(line)) break;
    endOfTitle++;
  }
  let onlySpaces = true;
  let recognizedPrefix = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  let possibleContinuationLines = 0;
  for (let i = lines.length - 1; i >= endOfTitle; i--) {
    const line = lines[i]!;
    if (isComment(line)) {
      nonTrailerLines += possibleContinuationLines;
      possibleContinuationLines = 0;
      continue;
    }
    if (isBlank(line)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuationLines;
      if (recognizedPrefix && trailerLines * 3 >= nonTrailerLines) return i + 1;
      if (trailerLines > 0 && nonTrailerLines === 0) return i + 1;
      return lines.length;
    }
    onlySpaces = false;
    if (GIT_GENERATED_PREFIXES.some((prefix) => line.startsWith(prefix))) {
      trailerLines++;
      possibleContinuationLines = 0;
      recognizedPrefix = true;
      continue;
    }
    if (separatorIndex(line) >= 1 && !isSpace(line[0])) {
      trailerLines++;
      possibleContinuationLines = 0;
    } else if (isSpace(line[0])) {
      possibleContinuationLines++;
    } else {
      nonTrailerLines += 1 + possibleContinuationLines;
      possibleContinuationLines = 0;
    }
  }
  return lines.length;
}

/** The trailers of a commit message, in order. */
export function parseTrailers(message: string): Trailer[] {
  const all = message.split('\n');
  // A message ending in a newline has no line after it.
  if (all[all.length - 1] === '') all.pop();
  const lines = all.slice(0, all.length - ignoredTail(all));
  const trailers: Trailer[] = [];
  let last: Trailer | null = null;
  for (let i = trailerBlockStart(lines); i < lines.length; i++) {
    const line = lines[i]!;
    if (isComment(line)) continue;
    if (isSpace(line[0])) {
      if (last && !isBlank(line)) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const separator = separatorIndex(line);
    if (separator < 1) {
      // A non-trailer line inside the block (e.g. "(cherry picked from commit …)"); its
      // continuation lines belong to it, not to the trailer before.
      last = null;
      continue;
    }
    last = { key: line.slice(0, separator).trim(), value: line.slice(separator + 1).trim() };
    trailers.push(last);
  }
  return trailers;
}
