/**
 * Reads files that hold one or more JSON values one after another.
 *
 * `gh api --paginate` prints every page as its own JSON document, so a list endpoint with three
 * pages becomes `[…][…][…]` (or `{…}{…}` for object responses such as compare), which
 * `JSON.parse` rejects. NDJSON is the same thing with newlines between the values. Splitting
 * at top-level value boundaries and parsing each piece with `JSON.parse` keeps the native
 * parser's speed and error messages.
 * @module
 */

export class JsonValuesError extends Error {
  constructor(
    message: string,
    /** 1-based line where the bad value starts. */
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonValuesError';
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

/** Every top-level JSON value in `text`, in order; throws `JsonValuesError` on the first bad one. */
export function parseJsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 0x0a) line++;
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === 0x5b || c === 0x7b) {
      let depth = 0;
      let inString = false;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x0a) line++;
        if (inString) {
          if (d === 0x5c) i++;
          else if (d === 0x22) inString = false;
          continue;
        }
        if (d === 0x22) inString = true;
        else if (d === 0x5b || d === 0x7b) depth++;
        else if (d === 0x5d || d === 0x7d) {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
      if (depth !== 0)
        throw new JsonValuesError(`unterminated JSON value starting at line ${startLine}`, startLine);
    } else if (c === 0x22) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) {
          i++;
          break;
        }
      }
    } else {
      while (i < n && !isSpace(text.charCodeAt(i)) && !'[{"'.includes(text[i]!)) i++;
    }
    const piece = text.slice(start, i);
    try {
      values.push(JSON.parse(piece));
    } catch (err) {
      throw new JsonValuesError(`invalid JSON at line ${startLine}: ${(err as Error).message}`, startLine);
    }
  }
  return values;
}

/**
 * The items of a list response: plain array, `gh api --paginate` pages (`[…][…]`) or
 * `gh api --paginate --slurp` (`[[…],[…]]`). Throws when the file is not a list.
 */
export function parseJsonList(text: string): unknown[] {
  const values = parseJsonValues(text);
  const items: unknown[] = [];
  for (const v of values) {
    if (!Array.isArray(v)) throw new JsonValuesError('expected a JSON array (or concatenated arrays)', 1);
    for (const item of v) {
      if (Array.isArray(item)) items.push(...item);
      else items.push(item);
    }
  }
  return items;
}
