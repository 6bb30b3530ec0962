/**
 * Byte-level walking of JSON held in a Buffer, without decoding or parsing what is not needed.
 *
 * Transcript lines are mostly long strings (file contents, tool output). Walking the structure
 * and jumping over strings with native `indexOf` lets the parser read a few fields of a 100 KB
 * line without turning it into a JS string or object. Every function takes the line's `end` and
 * returns -1 for input that is malformed or runs past it, so a bad line is reported, never thrown.
 * @module
 */

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;

/** Short strings are walked in JS: a native call costs more than looking at a few dozen bytes. */
const INLINE_STRING_BYTES = 48;

export function skipWs(b: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = b[p]!;
    if (c !== SPACE && c !== 0x0a && c !== 0x0d && c !== 0x09) return p;
    p++;
  }
  return p;
}

/**
 * `p` is just past an opening quote; returns the index just past the closing quote, or -1.
 * A quote preceded by an odd run of backslashes is escaped and does not close the string.
 */
export function skipString(b: Buffer, p: number, end: number): number {
  const inlineEnd = Math.min(p + INLINE_STRING_BYTES, end);
  let i = p;
  for (; i < inlineEnd; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  if (i >= end) return -1;
  for (;;) {
    const q = b.indexOf(QUOTE, i);
    if (q === -1 || q >= end) return -1;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q + 1;
    i = q + 1;
  }
}

/** `p` is at the first byte of a value; returns the index just past it, or -1. */
export function skipValue(b: Buffer, p: number, end: number): number {
  const c = b[p];
  if (c === QUOTE) return skipString(b, p + 1, end);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let i = p; i < end; i++) {
      const d = b[i]!;
      if (d === QUOTE) {
        const s = skipString(b, i + 1, end);
        if (s === -1) return -1;
        i = s - 1;
      } else if (d === OPEN_BRACE || d === OPEN_BRACKET) {
        depth++;
      } else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // Number, true, false, null: runs to the next delimiter.
  let i = p;
  while (i < end) {
    const d = b[i]!;
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === SPACE || d === 0x0a || d === 0x0d)
      break;
    i++;
  }
  return i > p ? i : -1;
}

/**
 * Cursor over the members of one JSON object. After `next()` returns true, the key is
 * `b[keyStart, keyEnd)` (raw, still escaped) and the value starts at `valueStart`. The caller
 * either reads the value and calls `done(valueEnd)`, or calls `skip()`.
 */
export class ObjectCursor {
  b!: Buffer;
  end = 0;
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  /** Next read position; -1 once the object is malformed. */
  private pos = 0;
  private first = true;
  /** True once the closing brace was reached cleanly. */
  closed = false;

  /** Starts at `p`, which must be the object's `{`. Returns false if it is not an object. */
  reset(b: Buffer, p: number, end: number): boolean {
    this.b = b;
    this.end = end;
    this.first = true;
    this.closed = false;
    p = skipWs(b, p, end);
    if (b[p] !== OPEN_BRACE || p >= end) {
      this.pos = -1;
      return false;
    }
    this.pos = p + 1;
    return true;
  }

  /**
   * Continues the walk at `p`, the opening quote of a member key found by `findKey`, as if every
   * member before it had been read. Used to jump over values that are large and not needed.
   */
  resumeAtKey(p: number): void {
    this.pos = p;
    this.first = true;
    this.closed = false;
  }

  get failed(): boolean {
    return this.pos === -1;
  }

  /** Index just past the closing brace (valid once `closed`). */
  get position(): number {
    return this.pos;
  }

  next(): boolean {
    const b = this.b;
    const end = this.end;
    let p = this.pos;
    if (p === -1 || this.closed) return false;
    if (p >= end) return this.fail();
    // Written for compact JSON (what Claude Code writes): whitespace only costs when present.
    let c = b[p]!;
    if (c <= SPACE) {
      p = skipWs(b, p, end);
      c = b[p]!;
    }
    if (this.first) {
      this.first = false;
      if (c === CLOSE_BRACE) {
        this.pos = p + 1;
        this.closed = true;
        return false;
      }
    } else if (c === COMMA) {
      p++;
      c = b[p]!;
      if (c <= SPACE) {
        p = skipWs(b, p, end);
        c = b[p]!;
      }
    } else if (c === CLOSE_BRACE) {
      this.pos = p + 1;
      this.closed = true;
      return false;
    } else {
      return this.fail();
    }
    if (c !== QUOTE || p >= end) return this.fail();
    // Keys are short and almost never escaped.
    let i = p + 1;
    for (;;) {
      if (i >= end) return this.fail();
      const d = b[i]!;
      if (d === QUOTE) break;
      i += d === BACKSLASH ? 2 : 1;
    }
    this.keyStart = p + 1;
    this.keyEnd = i;
    p = i + 1;
    if (b[p] !== COLON) {
      p = skipWs(b, p, end);
      if (b[p] !== COLON) return this.fail();
    }
    p++;
    if (p < end && b[p]! <= SPACE) p = skipWs(b, p, end);
    if (p >= end) return this.fail();
    this.valueStart = p;
    this.pos = p;
    return true;
  }

  /** Moves past the current value. Returns false if it was malformed. */
  skip(): boolean {
    const e = skipValue(this.b, this.valueStart, this.end);
    if (e === -1) {
      this.pos = -1;
      return false;
    }
    this.pos = e;
    return true;
  }

  /** Continues after a value the caller walked itself; `valueEnd` -1 marks it malformed. */
  done(valueEnd: number): boolean {
    // Every JSON value is at least one byte long; an end that does not move past the value's
    // start is a caller's mistake, and treating it as malformed makes a hang impossible.
    if (valueEnd <= this.valueStart) {
      this.pos = -1;
      return false;
    }
    this.pos = valueEnd;
    return true;
  }

  /** Whether the current key equals `key` (ASCII, as written in the file). */
  keyIs(key: string): boolean {
    const len = this.keyEnd - this.keyStart;
    if (len !== key.length) return false;
    const b = this.b;
    const s = this.keyStart;
    for (let i = 0; i < len; i++) if (b[s + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private fail(): false {
    this.pos = -1;
    return false;
  }
}

/** Whether `b[s, e)` equals the ASCII string `text`. */
export function bytesEqual(b: Buffer, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Whether `b[s, e)` starts with the ASCII string `text`. */
export function bytesStartWith(b: Buffer, s: number, e: number, text: string): boolean {
  if (e - s < text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

function hasBackslash(b: Buffer, s: number, e: number): boolean {
  if (e - s <= INLINE_STRING_BYTES) {
    for (let i = s; i < e; i++) if (b[i] === BACKSLASH) return true;
    return false;
  }
  return b.subarray(s, e).indexOf(BACKSLASH) !== -1;
}

/**
 * Decodes the JSON string whose opening quote is at `p` (ending at `stringEnd`, just past its
 * closing quote). Returns null for a malformed escape.
 */
export function decodeString(b: Buffer, p: number, stringEnd: number): string | null {
  const s = p + 1;
  const e = stringEnd - 1;
  if (!hasBackslash(b, s, e)) return b.toString('utf8', s, e);
  try {
    return JSON.parse(b.toString('utf8', p, stringEnd)) as string;
  } catch {
    return null;
  }
}

/**
 * Reads a string value at `p`: the decoded string, null for JSON `null`, or undefined when the
 * value is of another type or malformed. `out.end` receives the index just past the value.
 */
export function readString(
  b: Buffer,
  p: number,
  end: number,
  out: { end: number },
): string | null | undefined {
  const c = b[p];
  if (c === QUOTE) {
    const e = skipString(b, p + 1, end);
    out.end = e;
    if (e === -1) return undefined;
    const v = decodeString(b, p, e);
    return v === null ? undefined : v;
  }
  out.end = skipValue(b, p, end);
  if (c === 0x6e && out.end === p + 4 && bytesEqual(b, p, p + 4, 'null')) return null;
  return undefined;
}

/** Reads `true` / `false` at `p`; undefined for anything else. `out.end` as in `readString`. */
export function readBool(b: Buffer, p: number, end: number, out: { end: number }): boolean | undefined {
  const e = skipValue(b, p, end);
  out.end = e;
  if (e - p === 4 && bytesEqual(b, p, e, 'true')) return true;
  if (e - p === 5 && bytesEqual(b, p, e, 'false')) return false;
  return undefined;
}

/** Sentinel for a count that is present but not a non-negative integer. */
export const WRONG_TYPE = -1;

/**
 * Reads a token count at `p`: a non-negative safe integer, null for JSON `null`, or
 * `WRONG_TYPE` (strings, negatives, fractions, huge numbers, other types). `out.end` as above.
 */
export function readCount(b: Buffer, p: number, end: number, out: { end: number }): number | null {
  let i = p;
  let n = 0;
  while (i < end) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    i++;
  }
  if (i > p && i - p <= 15) {
    const c = b[i];
    if (i === end || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === SPACE) {
      out.end = i;
      return n;
    }
  }
  const e = skipValue(b, p, end);
  out.end = e;
  if (e === -1) return WRONG_TYPE;
  if (e - p === 4 && bytesEqual(b, p, e, 'null')) return null;
  const c = b[p]!;
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
    // Exponent or fraction forms such as `12.0` or `1e3` are still whole counts.
    const v = Number(b.toString('latin1', p, e));
    if (Number.isSafeInteger(v) && v >= 0) return v;
  }
  return WRONG_TYPE;
}

/**
 * Index of the opening quote of the first `"<key>":` in `b[from, end)` that starts a member
 * (preceded by `{` or `,`), or -1. Inside a JSON string every quote is escaped, so such a match
 * is always a real key, though possibly of a nested object: callers verify what they find.
 * `pattern` is `Buffer.from('"<key>":')`.
 */
export function findKey(b: Buffer, from: number, end: number, pattern: Buffer): number {
  // No view of [from, end): making one costs more than the search; the key is nearly always
  // in the line, and a match past `end` is rejected below.
  let i = from < end ? b.indexOf(pattern, from) : -1;
  while (i !== -1 && i + pattern.length <= end) {
    const before = b[i - 1];
    if (i > 0 && (before === COMMA || before === OPEN_BRACE)) return i;
    i = b.indexOf(pattern, i + 1);
  }
  return -1;
}

/** As `findKey`, but the last such key: for members known to sit near the end of a line. */
export function findLastKey(b: Buffer, from: number, end: number, pattern: Buffer): number {
  let i = end - pattern.length >= from ? b.lastIndexOf(pattern, end - pattern.length) : -1;
  while (i >= from && i > 0) {
    const before = b[i - 1];
    if (before === COMMA || before === OPEN_BRACE) return i;
    i = b.lastIndexOf(pattern, i - 1);
  }
  return -1;
}

/** Whether `pattern` occurs in `b[from, end)`. */
export function occursIn(b: Buffer, from: number, end: number, pattern: Buffer): boolean {
  return from < end && b.subarray(from, end).indexOf(pattern) !== -1;
}
