/**
 * Incremental parser for the output of `logArgs()` (see log-format.ts for the byte layout).
 *
 * It is fed stdout chunks as they arrive and hands back the commits completed so far, holding at
 * most one unfinished token plus the commit being read, so memory does not grow with the log.
 * Counts are parsed from bytes; only headers are decoded to strings.
 * @module
 */
import { FIELD_SEPARATOR, HEADER_FIELDS, RECORD_MARK } from './log-format.js';

/** One commit as git printed it, before any interpretation of the message. */
export interface RawCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Epoch milliseconds. */
  authorTs: number;
  committerName: string;
  committerEmail: string;
  committerTs: number;
  /** The raw message (`%B`): subject, body and trailers. */
  message: string;
  /** Numstat sums over text files. */
  additions: number;
  deletions: number;
  /** Numstat entries, binary files and renames included (a rename is one entry). */
  filesChanged: number;
}

const NUL = 0x00;
const TAB = 0x09;
const NEWLINE = 0x0a;
const DASH = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SECONDS = /^\d+$/;

/** Reads a numstat count starting at `at`: `-` (binary) is 0. Returns [count, index after tab] or null. */
function readCount(token: Buffer, at: number): [number, number] | null {
  if (token[at] === DASH) return token[at + 1] === TAB ? [0, at + 2] : null;
  let value = 0;
  let i = at;
  while (i < token.length) {
    const byte = token[i]!;
    if (byte === TAB) return i > at ? [value, i + 1] : null;
    if (byte < ZERO || byte > NINE) return null;
    value = value * 10 + (byte - ZERO);
    i++;
  }
  return null;
}

function parseHeader(token: Buffer): RawCommit | null {
  const text = token.toString('utf8', 1);
  const fields: string[] = [];
  let from = 0;
  // The body is last and may contain the separator, so only the first fields are split off.
  for (let n = 0; n < HEADER_FIELDS - 1; n++) {
    const at = text.indexOf(FIELD_SEPARATOR, from);
    if (at === -1) return null;
    fields.push(text.slice(from, at));
    from = at + 1;
  }
  fields.push(text.slice(from));
  const [sha, parents, an, ae, at, cn, ce, ct, message] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!SHA.test(sha) || !SECONDS.test(at) || !SECONDS.test(ct)) return null;
  return {
    sha,
    parents: parents.length > 0 ? parents.split(' ') : [],
    authorName: an,
    authorEmail: ae,
    authorTs: Number(at) * 1000,
    committerName: cn,
    committerEmail: ce,
    committerTs: Number(ct) * 1000,
    message,
    additions: 0,
    deletions: 0,
    filesChanged: 0,
  };
}

export class LogParser {
  /** Bytes of a token not yet terminated by NUL, possibly spread over several chunks. */
  private pending: Buffer[] = [];
  private current: RawCommit | null = null;
  /** Path tokens still to come for a rename entry (old and new path). */
  private pathsToSkip = 0;
  private done: RawCommit[] = [];
  /** Tokens that fit no expected shape (a header with unparsable fields, a stray numstat line). */
  malformed = 0;

  /** Consumes a chunk and returns the commits it completed. */
  push(chunk: Buffer): RawCommit[] {
    let start = 0;
    for (;;) {
      const nul = chunk.indexOf(NUL, start);
      if (nul === -1) break;
      if (this.pending.length > 0) {
        this.pending.push(chunk.subarray(start, nul));
        const token = Buffer.concat(this.pending);
        this.pending = [];
        this.token(token);
      } else {
        this.token(chunk.subarray(start, nul));
      }
      start = nul + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    const completed = this.done;
    this.done = [];
    return completed;
  }

  /** Signals the end of the output and returns the last commit. */
  end(): RawCommit[] {
    // With -z every token is NUL-terminated, so leftover bytes mean the output was cut short.
    if (this.pending.some((b) => b.length > 0)) this.malformed++;
    this.pending = [];
    if (this.current) this.done.push(this.current);
    this.current = null;
    const completed = this.done;
    this.done = [];
    return completed;
  }

  private token(token: Buffer): void {
    if (this.pathsToSkip > 0) {
      this.pathsToSkip--;
      return;
    }
    if (token.length === 0) return;
    if (token[0] === RECORD_MARK) {
      if (this.current) this.done.push(this.current);
      this.current = parseHeader(token);
      if (!this.current) this.malformed++;
      return;
    }
    const first = token[0] === NEWLINE ? 1 : 0;
    if (first === token.length) return;
    const added = readCount(token, first);
    const deleted = added ? readCount(token, added[1]) : null;
    if (!added || !deleted) {
      this.malformed++;
      return;
    }
    // An empty path means a rename or copy: its two paths follow as separate tokens.
    if (deleted[1] === token.length) this.pathsToSkip = 2;
    if (!this.current) return;
    this.current.additions += added[0];
    this.current.deletions += deleted[0];
    this.current.filesChanged++;
  }
}
