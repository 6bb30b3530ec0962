/**
 * Streams the lines of a (possibly huge, possibly still growing) JSONL file in bounded memory.
 *
 * Lines are handed out as byte ranges of a shared buffer, so a caller that only needs to look at
 * a few bytes of most lines (the usage pre-filter) never pays for decoding them. The buffer
 * only grows for a line longer than the current chunk, up to `maxLineBytes`; a longer line is
 * skipped without being held in memory, and counted.
 * @module
 */
import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;
const CR = 0x0d;

export interface LineReaderOptions {
  /** Bytes read per system call. */
  chunkBytes?: number;
  /** Lines longer than this are skipped (and counted), never buffered whole. */
  maxLineBytes?: number;
  /** Stop reading at this offset (the size seen when the file was listed), so a run is a snapshot. */
  endOffset?: number;
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

export async function readLines(
  path: string,
  startOffset: number,
  onLine: OnLine,
  onTail?: OnTail,
  options: LineReaderOptions = {},
): Promise<LineReadResult> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const handle = await open(path, 'r');
  try {
    const limit = options.endOffset ?? (await handle.stat()).size;
    let buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(limit - startOffset, 1)));
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

    while (position < limit) {
      if (filled === buf.length) {
        // The current partial line fills the buffer: grow it, or give up on the line.
        if (buf.length >= maxLineBytes) {
          skipping = true;
          oversizedLines++;
          bufOffset += filled;
          filled = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes));
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
      }
      const want = Math.min(buf.length - filled, limit - position);
      const { bytesRead } = await handle.read(buf, filled, want, position);
      if (bytesRead === 0) break; // the file shrank under us; stop at what we have
      const scanFrom = filled;
      filled += bytesRead;
      position += bytesRead;

      let lineStart = 0;
      let nl = buf.indexOf(NEWLINE, scanFrom);
      while (nl !== -1 && nl < filled) {
        if (skipping) {
          skipping = false;
        } else {
          const end = nl > lineStart && buf[nl - 1] === CR ? nl - 1 : nl;
          lines++;
          onLine(buf, lineStart, end, bufOffset + lineStart);
        }
        lineStart = nl + 1;
        consumedOffset = bufOffset + lineStart;
        nl = buf.indexOf(NEWLINE, lineStart);
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
    }

    let pendingTail = false;
    if (filled > 0 && !skipping) {
      if (onTail?.(buf, 0, filled, bufOffset)) {
        lines++;
        consumedOffset = bufOffset + filled;
      } else {
        pendingTail = true;
      }
    } else if (skipping) {
      // An oversized line without its newline yet: leave it to be re-examined next run.
      oversizedLines--;
      pendingTail = true;
    }
    return { offset: consumedOffset, bytesRead: position - startOffset, lines, oversizedLines, pendingTail };
  } finally {
    await handle.close();
  }
}
