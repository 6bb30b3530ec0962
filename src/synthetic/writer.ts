/**
 * Line writer with a bounded buffer. Generated files reach gigabytes, so lines are flushed in
 * ~1 MiB chunks and never collected per file. Synchronous writes keep ordering trivially
 * deterministic and are the fastest path for one sequential producer.
 * @module
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_CHARS = 1 << 20;

export class JsonlWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private flushedBytes = 0;
  lines = 0;

  constructor(
    readonly path: string,
    mode: 'w' | 'a' = 'w',
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, mode);
  }

  line(json: string): void {
    this.pending.push(json, '\n');
    this.pendingChars += json.length + 1;
    this.lines++;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  /** Bytes flushed plus pending characters: exact once flushed, close enough for budgeting before. */
  get size(): number {
    return this.flushedBytes + this.pendingChars;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
    this.flushedBytes += buf.length;
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Flushes and closes; returns the bytes this writer added to the file. */
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.flushedBytes;
  }
}
