/**
 * Streams the lines of a (possibly huge, possibly still growing) JSONL file in bounded memory.
 *
 * Lines are handed out as byte ranges of a shared buffer, so a caller that only needs to look at
 * a few bytes of most lines (the usage pre-filter) never pays for decoding them. The buffer
 * only grows for a line longer than the current chunk, up to `maxLineBytes`; a longer line is
 * skipped without being held in memory, and counted.
 *
 * Reads are synchronous on purpose: a history is thousands of small files, and a promise-based
 * read costs a thread-pool round trip per call, which made reading several times slower than
 * parsing. The event loop still gets a turn every `YIELD_BYTES`, so a 1 GB transcript does not
 * freeze progress reporting, and the chunk buffers come from a pool so that concurrent reads
 * never share one.
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const NEWLINE = 0x0a;
const CR = 0x0d;

export interface LineReaderOptions {
  /** Bytes read per system call. */
  chunkBytes?: number;
  /** Lines longer than this are skipped (and counted), never buffered whole. */
  maxLineBytes?: number;
  /** Stop reading at this offset (the size seen when the file was listed), so a run is a snapshot. */
  endOffset?: number;
  /**
   * Called between chunks; a returned promise is awaited before reading on. Lets the consumer
   * write out what it has collected, so a single huge file is read in bounded memory.
   */
  between?: () => Promise<void> | undefined;
}

/**
 * Called for every complete line, `buf[start, end)` without the newline (and without a trailing CR).
 * `offset` is the file offset of `buf[start]`. The buffer is reused: copy what you keep.
 */
export type OnLine = (buf: Buffer, start: number, end: number, offset: number) => void;

/**
 * Called for a last line that has no newline yet. Return true if it is complete anyway (for
 * example it parses as a whole JSON object) so it is consumed; false leaves it for the next run.
 */
export type OnTail = (buf: Buffer, start: number, end: number, offset: number) => boolean;

export interface LineReadResult {
  /** Offset just past the last consumed line: where the next run starts. */
  offset: number;
  bytesRead: number;
  lines: number;
  /** Lines skipped because they were longer than `maxLineBytes`. */
  oversizedLines: number;
  /** True when an unterminated last line was left unconsumed (a session still being written). */
  pendingTail: boolean;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Bytes read between turns given back to the event loop. */
const YIELD_BYTES = 64 * 1024 * 1024;
/** Idle chunk buffers kept for the next file. */
const POOL_SIZE = 4;

const pool: Buffer[] = [];

function acquire(size: number): Buffer {
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i]!.length === size) return pool.splice(i, 1)[0]!;
  }
  return Buffer.allocUnsafeSlow(size);
}

function release(buf: Buffer, size: number): void {
  if (buf.length === size && pool.length < POOL_SIZE) pool.push(buf);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function readLines(
  path: string,
  startOffset: number,
  onLine: OnLine,
  onTail?: OnTail,
  options: LineReaderOptions = {},
): Promise<LineReadResult> {
  const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const fd = openSync(path, 'r');
  const pooled = acquire(chunkBytes);
  let buf = pooled;
  try {
    const limit = options.endOffset ?? fstatSync(fd).size;
    /** Bytes of `buf` holding data. */
    let filled = 0;
    /** File offset of `buf[0]`. */
    let bufOffset = startOffset;
    /** File position of the next read. */
    let position = startOffset;
    let lines = 0;
    let oversizedLines = 0;
    /** While true we are inside an oversized line, discarding bytes up to its newline. */
    let skipping = false;
    let consumedOffset = startOffset;
    let sinceYield = 0;

    while (position < limit) {
      if (filled === buf.length) {
        // One partial line fills the buffer: grow it, or give up on the line.
        if (filled > maxLineBytes) {
          skipping = true;
          oversizedLines++;
          bufOffset += filled;
          filled = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes + 1));
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
      }
      const want = Math.min(buf.length - filled, limit - position);
      const bytesRead = readSync(fd, buf, filled, want, position);
      if (bytesRead === 0) break; // the file shrank under us; stop at what we have
      const scanFrom = filled;
      filled += bytesRead;
      position += bytesRead;

      // Search a view that ends at `filled`: past it lie stale bytes of an earlier file, and an
      // unbounded search could run through megabytes of them looking for a newline.
      const view = buf.subarray(0, filled);
      let lineStart = 0;
      let nl = view.indexOf(NEWLINE, scanFrom);
      while (nl !== -1) {
        if (skipping) {
          skipping = false;
        } else if (nl - lineStart > maxLineBytes) {
          oversizedLines++;
        } else {
          const end = nl > lineStart && buf[nl - 1] === CR ? nl - 1 : nl;
          lines++;
          onLine(buf, lineStart, end, bufOffset + lineStart);
        }
        lineStart = nl + 1;
        consumedOffset = bufOffset + lineStart;
        nl = view.indexOf(NEWLINE, lineStart);
      }
      if (skipping) {
        // Still inside the oversized line: drop everything read so far.
        bufOffset += filled;
        filled = 0;
      } else if (lineStart > 0) {
        buf.copy(buf, 0, lineStart, filled);
        filled -= lineStart;
        bufOffset += lineStart;
      }
      sinceYield += bytesRead;
      const pause = options.between?.();
      if (pause) await pause;
      if (sinceYield >= YIELD_BYTES && position < limit) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }

    let pendingTail = false;
    if (skipping || filled > maxLineBytes) {
      // An oversized line without its newline yet: leave it to be re-examined next run.
      if (skipping) oversizedLines--;
      pendingTail = true;
    } else if (filled > 0) {
      if (onTail?.(buf, 0, filled, bufOffset)) {
        lines++;
        consumedOffset = bufOffset + filled;
      } else {
        pendingTail = true;
      }
    }
    return { offset: consumedOffset, bytesRead: position - startOffset, lines, oversizedLines, pendingTail };
  } finally {
    closeSync(fd);
    release(pooled, chunkBytes);
  }
}
