/**
 * A durable append-only journal with group commit. `append` resolves once its entry is on disk
 * (written and `fdatasync`ed): appends that arrive while one sync runs are written and synced
 * together by the next, so a busy server pays one sync for many requests. Entries get increasing
 * sequence numbers in the order they became durable.
 *
 * The journal is a directory of segment files (`<first seq>.log`). A new segment starts once the
 * current one passes `segmentBytes`; `release(seq)` deletes the segments whose every entry is at
 * or below `seq` (the caller has applied them elsewhere), which keeps the journal bounded by how
 * far the caller lags, not by how much was ever written.
 *
 * Opening reads every segment back. A torn last entry (the process died inside a write, so the
 * entry was never acknowledged) is cut off; the entries before it are kept. Damage anywhere else
 * is not something a crash produces, and opening fails with where it is rather than guess.
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, truncateSync, unlinkSync } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { frameHeader, scanFrames } from './frame.js';

export class JournalDamagedError extends Error {
  override name = 'JournalDamagedError';
}

export interface JournalEntry {
  seq: number;
  payload: Buffer;
}

export interface OpenedJournal {
  journal: Journal;
  /** Entries left from before (not yet released): the caller applies them, then releases. */
  entries: JournalEntry[];
  /** Bytes cut from the end of the last segment: a torn entry that was never acknowledged. */
  tornBytes: number;
}

export interface Journal {
  /** Appends one entry, given in parts; resolves with its sequence number once it is durable. */
  append(parts: readonly Uint8Array[]): Promise<number>;
  /** Deletes segments whose entries are all at or below `seq`. */
  release(seq: number): Promise<void>;
  /** The last durable sequence number (0: none yet). */
  readonly durableSeq: number;
  /** Syncs made so far (each covers every append that was waiting for it). */
  readonly syncs: number;
  /** Bytes in segments not yet released. */
  readonly bytes: number;
  /** Waits for appends in flight, then closes the current segment. */
  close(): Promise<void>;
}

export interface JournalOptions {
  /** Start a new segment once the current one is this large (default 64 MiB). */
  segmentBytes?: number;
}

interface Segment {
  firstSeq: number;
  path: string;
  bytes: number;
}

const NAME = /^(\d{16})\.log$/;
const nameOf = (firstSeq: number) => `${String(firstSeq).padStart(16, '0')}.log`;

export async function openJournal(dir: string, options: JournalOptions = {}): Promise<OpenedJournal> {
  const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort();
  const segments: Segment[] = [];
  const entries: JournalEntry[] = [];
  let tornBytes = 0;
  let seq = 0;
  for (const [i, file] of files.entries()) {
    const path = join(dir, file);
    const firstSeq = Number(NAME.exec(file)![1]);
    if (firstSeq <= seq)
      throw new JournalDamagedError(
        `Journal segment ${path} overlaps the one before it (entry ${firstSeq}).`,
      );
    const data = readFileSync(path);
    const { payloads, validBytes } = scanFrames(data);
    if (validBytes < data.byteLength) {
      if (i < files.length - 1)
        throw new JournalDamagedError(
          `Journal segment ${path} is damaged at byte ${validBytes} of ${data.byteLength}, and it is not the last one: not a torn write. Move the journal aside to start without it.`,
        );
      tornBytes = data.byteLength - validBytes;
      truncateSync(path, validBytes);
    }
    if (payloads.length === 0) {
      // Created, then the process died before its first entry was durable: nothing to keep.
      unlinkSync(path);
      continue;
    }
    seq = firstSeq - 1;
    for (const payload of payloads) entries.push({ seq: ++seq, payload });
    segments.push({ firstSeq, path, bytes: validBytes });
  }
  const dirHandle = await open(dir, 'r');
  const journal = createJournal(dir, segments, seq, segmentBytes, dirHandle);
  return { journal, entries, tornBytes };
}

function createJournal(
  dir: string,
  segments: Segment[],
  lastSeq: number,
  segmentBytes: number,
  dirHandle: FileHandle,
): Journal {
  let durable = lastSeq;
  let current: { segment: Segment; handle: FileHandle } | null = null;
  let pending: { frame: Uint8Array[]; resolve: (seq: number) => void; reject: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;
  let broken: Error | null = null;
  let syncs = 0;
  let closed = false;

  async function startSegment(): Promise<void> {
    if (current) await current.handle.close();
    const segment: Segment = { firstSeq: durable + 1, path: join(dir, nameOf(durable + 1)), bytes: 0 };
    // 'w': a segment left empty by a crash right after it was created is simply started again.
    const handle = await open(segment.path, 'w');
    // The new file's directory entry must be durable too, or a crash could lose the whole segment.
    await dirHandle.sync();
    segments.push(segment);
    current = { segment, handle };
  }

  async function flushOnce(): Promise<void> {
    const group = pending;
    pending = [];
    try {
      if (broken) throw broken;
      if (!current || current.segment.bytes >= segmentBytes) await startSegment();
      const { segment, handle } = current!;
      const frames = group.flatMap((p) => p.frame);
      const size = frames.reduce((n, f) => n + f.byteLength, 0);
      try {
        const { bytesWritten } = await handle.writev(frames, segment.bytes);
        if (bytesWritten !== size) throw new Error(`short write (${bytesWritten} of ${size} bytes)`);
        await handle.datasync();
        syncs++;
      } catch (err) {
        // A partial frame left in the middle would hide every later entry on replay: cut it off,
        // and if even that fails refuse further appends rather than acknowledge what cannot be read.
        await handle.truncate(segment.bytes).catch((e: Error) => {
          broken = new Error(
            `The journal ${segment.path} could not be repaired after a failed write: ${e.message}`,
          );
        });
        throw err;
      }
      segment.bytes += size;
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    for (const p of group) p.resolve(++durable);
  }

  function kick(): void {
    if (flushing) return;
    flushing = (async () => {
      // Cleared in the same turn as the last look at `pending`: cleared in a later callback, an
      // append made in between (by code resumed by the last flush) would find a flush "running"
      // and wait for one that never comes.
      try {
        while (pending.length > 0) await flushOnce();
      } finally {
        flushing = null;
      }
    })();
  }

  return {
    append(parts) {
      if (closed) return Promise.reject(new Error('The journal is closed.'));
      return new Promise<number>((resolve, reject) => {
        pending.push({ frame: [frameHeader(parts), ...parts], resolve, reject });
        kick();
      });
    },
    async release(seq) {
      // Every segment but the one being written whose successor starts at or below seq + 1.
      while (segments.length > 1 && segments[1]!.firstSeq <= seq + 1) {
        const done = segments.shift()!;
        await unlink(done.path);
      }
      if (segments.length === 1 && !current && seq >= durable) {
        // The last replayed segment, with nothing written since, and all of it applied.
        await unlink(segments.shift()!.path);
      }
    },
    get durableSeq() {
      return durable;
    },
    get syncs() {
      return syncs;
    },
    get bytes() {
      return segments.reduce((n, s) => n + s.bytes, 0);
    },
    async close() {
      closed = true;
      while (flushing) await flushing;
      await current?.handle.close();
      current = null;
      await dirHandle.close();
    },
  };
}
