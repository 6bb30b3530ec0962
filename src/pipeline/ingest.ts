/**
 * Incremental, idempotent ingestion of local AI tool logs into the ledger (DESIGN §3–§4).
 *
 * sources (files → drafts) → normalize (identity, pricing, in-memory dedup) → store.
 * Every record has a deterministic id and the store upserts, so re-reading anything never
 * changes totals; checkpoints only save work. Records and the checkpoints of the files they
 * came from are written in one transaction, so a kill at any point loses nothing and counts
 * nothing twice: the next run re-reads from the last durable checkpoint.
 * Records of files that later disappear (Claude Code deletes transcripts after 30 days) stay in
 * the ledger on purpose.
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isBetterCopy } from '../ledger/dedup.js';
import type { LocalIdentity } from '../ledger/identity.js';
import { type PriceBook, priceUsage } from '../ledger/pricing/index.js';
import type { ActivityDraft, ActivityRecord, SourceId, UsageDraft, UsageRecord } from '../ledger/records.js';
import type { FileCheckpoint, Store } from '../ledger/store/store.js';
import type { DiscoveredFile, FileSource, ParseEnd, ParseSink, SourceEnv } from '../sources/source.js';
import { decodeDrafts } from './draft-columns.js';
import type { FileStamp } from './ledger-manifest.js';
import { type ParseJob, ParsePool } from './parse-pool.js';
import { WORKER_PARSERS } from './parse-protocol.js';

const HEAD_BYTES = 4096;
/** Records held in memory before a write; bounds memory on huge histories. */
export const DEFAULT_FLUSH_RECORDS = 60_000;
const PRICE_VERSION_KEY = 'price_version';
/*
 * Below this many bytes to read, starting workers (~50 ms each, loading the parser) costs more
 * than parsing on this thread; the warm and incremental runs stay single-threaded.
 */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;
/** Files handed to the workers ahead of the one being written, and the bytes they may hold. */
const WORKER_LOOKAHEAD_FILES = 32;
const WORKER_LOOKAHEAD_BYTES = 32 * 1024 * 1024;
/** Drafts a worker posts at a time from inside a file (never more than a write batch). */
const WORKER_CHUNK_RECORDS = 4096;

/**
 * `TOKENYIELD_PARSE_WORKERS` (0 parses on the ingesting thread), else 0: opt-in until the kill
 * test has passed with workers on (docs/decisions.md, Performance, fifth session).
 */
export function defaultParseWorkers(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TOKENYIELD_PARSE_WORKERS;
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 16) {
    throw new Error(`TOKENYIELD_PARSE_WORKERS must be an integer from 0 to 16, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export interface IngestProgress {
  phase: 'discover' | 'read' | 'reprice' | 'done';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface SourceIngestSummary {
  source: SourceId;
  tool: string;
  filesSeen: number;
  filesRead: number;
  filesUnchanged: number;
  /** Files re-read from the start because they shrank, were replaced or rewritten. */
  filesRestarted: number;
  bytesRead: number;
  lines: number;
  /** Usage lines/events found (before de-duplication). */
  callsFound: number;
  /** Calls new to the ledger. */
  newCalls: number;
  /** Copies of calls already counted (streamed lines, resumed sessions, replays, re-reads). */
  duplicatesDropped: number;
  activityFound: number;
  newActivity: number;
  /** Files whose last line is not finished yet (a session still being written); read next run. */
  pendingTails: number;
  skipped: Record<string, number>;
  unreadable: Array<{ path: string; reason: string }>;
}

export interface IngestSummary {
  sources: SourceIngestSummary[];
  /** Transactions written (one per batch of records and the checkpoints they complete). */
  batchesWritten: number;
  /** Stored costs recomputed because the price table or overrides changed. */
  repriced: number;
  durationMs: number;
}

export interface IngestOptions {
  store: Store;
  sources: readonly FileSource[];
  env: SourceEnv;
  priceBook: PriceBook;
  identity: LocalIdentity;
  onProgress?: (progress: IngestProgress) => void;
  /** Records held before a write (default 60,000); smaller means more, smaller transactions. */
  flushRecords?: number;
  /** Worker threads that parse files (default `defaultParseWorkers()`); 0 parses on this thread. */
  parseWorkers?: number;
  /**
   * Told about every file whose whole content (at the size and mtime given) is in the ledger
   * once this run's writes have committed; feeds the ledger manifest.
   */
  onFileCovered?: (source: SourceId, path: string, stamp: FileStamp) => void;
}

interface PlannedFile {
  source: FileSource;
  summary: SourceIngestSummary;
  file: DiscoveredFile;
  fileId: string;
  size: number;
  mtimeMs: number;
  start: { offset: number; state: unknown };
  headHash: string;
  restart: boolean;
}

function emptySummary(source: FileSource): SourceIngestSummary {
  return {
    source: source.id,
    tool: source.tool,
    filesSeen: 0,
    filesRead: 0,
    filesUnchanged: 0,
    filesRestarted: 0,
    bytesRead: 0,
    lines: 0,
    callsFound: 0,
    newCalls: 0,
    duplicatesDropped: 0,
    activityFound: 0,
    newActivity: 0,
    pendingTails: 0,
    skipped: {},
    unreadable: [],
  };
}

/*
 * Synchronous on purpose, like the line reader: planning touches every file of a history (8,000 in
 * the bench), and a promise-based stat/open/read/close costs a thread-pool round trip each, which
 * left the process idle ~1.5 s of a cold ingest.
 */
function headHash(path: string, size: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
    const bytesRead = readSync(fd, buf, 0, buf.length, 0);
    return createHash('sha1').update(buf.subarray(0, bytesRead)).digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** Decides, per file, whether to skip it, continue it from its checkpoint, or restart it. */
function planFile(
  source: FileSource,
  summary: SourceIngestSummary,
  file: DiscoveredFile,
  checkpoint: FileCheckpoint | undefined,
): PlannedFile | null {
  const st = statSync(file.path, { bigint: false });
  const fileId = `${st.dev}:${st.ino}`;
  const base = { source, summary, file, fileId, size: st.size, mtimeMs: st.mtimeMs };
  if (
    checkpoint &&
    checkpoint.fileId === fileId &&
    checkpoint.size === st.size &&
    checkpoint.mtimeMs === st.mtimeMs
  ) {
    return null;
  }
  const head = headHash(file.path, st.size);
  const sameFile =
    checkpoint !== undefined &&
    checkpoint.fileId === fileId &&
    st.size >= checkpoint.offset &&
    // A file shorter than 4 KiB at the last run has a head that legitimately grew.
    (checkpoint.headHash === head || checkpoint.offset < HEAD_BYTES);
  if (sameFile && source.mode === 'append') {
    return {
      ...base,
      start: { offset: checkpoint.offset, state: checkpoint.state },
      headHash: head,
      restart: false,
    };
  }
  return { ...base, start: { offset: 0, state: null }, headHash: head, restart: checkpoint !== undefined };
}

/**
 * Accumulates normalised records and writes them (with the checkpoints of the files they
 * complete) in bounded batches. A batch never mixes sources: the writer is told the source
 * before its files are read and flushes when it changes, so store results map back exactly.
 */
class BatchWriter {
  private usage = new Map<string, UsageRecord>();
  private activity = new Map<string, ActivityRecord>();
  private checkpoints: FileCheckpoint[] = [];
  private replaceOrigins: string[] = [];
  /** Usage drafts received for the current batch (copies included), for the summary. */
  private callsInBatch = 0;
  private summary: SourceIngestSummary | null = null;
  private inFlight: Promise<void> | null = null;
  /** True from handing a batch to the store until the store has committed it. */
  private writing = false;
  batchesWritten = 0;

  constructor(
    private readonly store: Store,
    private readonly priceBook: PriceBook,
    private readonly identity: LocalIdentity,
    readonly flushRecords: number,
  ) {}

  get size(): number {
    return this.usage.size + this.activity.size;
  }

  async startSource(summary: SourceIngestSummary): Promise<void> {
    if (this.summary !== summary) await this.flush();
    this.summary = summary;
  }

  addUsage(draft: UsageDraft): void {
    this.callsInBatch++;
    const kept = this.usage.get(draft.id);
    if (kept && !isBetterCopy(draft, kept)) return;
    const price = priceUsage(this.priceBook, draft);
    // The draft is handed over by its source; completing it in place avoids a copy per call.
    const record = draft as UsageRecord;
    record.personId = this.identity.personId;
    record.rawIdentity = this.identity.raw;
    record.costUsd = price.costUsd;
    record.costBasis = price.costBasis;
    record.priceVersion = price.priceVersion;
    this.usage.set(draft.id, record);
  }

  addActivity(draft: ActivityDraft): void {
    const record = draft as ActivityRecord;
    record.personId = this.identity.personId;
    this.activity.set(draft.id, record);
  }

  fileDone(checkpoint: FileCheckpoint, replace: boolean): void {
    this.checkpoints.push(checkpoint);
    if (replace) this.replaceOrigins.push(checkpoint.path);
  }

  /**
   * Mid-file: writes what a huge file yielded so far, without its checkpoint (the records are
   * idempotent, so a crash before the checkpoint only means they are read again).
   */
  flushIfFull(): Promise<void> | undefined {
    return this.size >= this.flushRecords ? this.flush() : this.letWriteProgress();
  }

  /*
   * A write is a chain of engine calls, and each call's completion reaches JS only through the event
   * loop, while parsing is synchronous: without a turn now and then, the engine idled after each
   * statement until the next flush awaited it, and writes hardly overlapped parsing (profiled on
   * the 2 GB bench history: the main thread later sat 4.8 s of 15 s waiting for writes that had
   * barely started). A turn costs microseconds.
   */
  letWriteProgress(): Promise<void> | undefined {
    return this.writing ? new Promise((resolve) => setImmediate(resolve)) : undefined;
  }

  /**
   * Hands the current batch to the store and starts a new one. Writes are pipelined: the store's
   * engine merges one batch on its own threads while the sources parse the next, and at most
   * one batch is in flight, which bounds memory. Call `drain()` to wait for the last write.
   */
  async flush(): Promise<void> {
    if (this.size === 0 && this.checkpoints.length === 0) return;
    const batch = {
      usage: [...this.usage.values()],
      activity: [...this.activity.values()],
      checkpoints: this.checkpoints,
      replaceOrigins: this.replaceOrigins,
    };
    const summary = this.summary;
    const calls = this.callsInBatch;
    this.usage = new Map();
    this.activity = new Map();
    this.checkpoints = [];
    this.replaceOrigins = [];
    this.callsInBatch = 0;
    const previous = this.inFlight;
    if (previous) await previous;
    this.writing = true;
    const write = this.store.write(batch).then((result) => {
      this.writing = false;
      this.batchesWritten++;
      if (!summary) return;
      summary.newCalls += result.usageInserted;
      summary.duplicatesDropped += calls - result.usageInserted;
      summary.newActivity += result.activityInserted;
    });
    // A failed write is reported by the next flush() or drain(), not as an unhandled rejection.
    write.catch(() => {
      this.writing = false;
    });
    this.inFlight = write;
  }

  async drain(): Promise<void> {
    const last = this.inFlight;
    this.inFlight = null;
    if (last) await last;
  }
}

/** Recomputes every stored cost when the price table or the user's overrides changed. */
async function repriceIfNeeded(store: Store, book: PriceBook): Promise<number> {
  const stored = await store.getMeta(PRICE_VERSION_KEY);
  if (stored === book.version) return 0;
  let n = 0;
  if (stored !== undefined) {
    for await (const rows of store.usageForPricing(20_000)) {
      await store.updateCosts(rows.map((r) => ({ id: r.id, ...priceUsage(book, r) })));
      n += rows.length;
    }
  }
  await store.setMeta(PRICE_VERSION_KEY, book.version);
  return n;
}

export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { store, env, onProgress } = options;
  const flushRecords = options.flushRecords ?? DEFAULT_FLUSH_RECORDS;
  onProgress?.({ phase: 'discover', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
  const repriced = await repriceIfNeeded(store, options.priceBook);

  const summaries: SourceIngestSummary[] = [];
  const plans: PlannedFile[] = [];
  for (const source of options.sources) {
    const summary = emptySummary(source);
    summaries.push(summary);
    const [files, checkpoints] = await Promise.all([source.discover(env), store.checkpoints(source.id)]);
    summary.filesSeen = files.length;
    for (const file of files) {
      try {
        const checkpoint = checkpoints.get(file.path);
        const plan = planFile(source, summary, file, checkpoint);
        if (plan) plans.push(plan);
        else {
          summary.filesUnchanged++;
          if (checkpoint && checkpoint.offset >= checkpoint.size) {
            options.onFileCovered?.(source.id, file.path, [
              checkpoint.fileId,
              checkpoint.size,
              checkpoint.mtimeMs,
            ]);
          }
        }
      } catch (err) {
        summary.unreadable.push({ path: file.path, reason: describeFsError(err) });
      }
    }
  }

  const bytesTotal = plans.reduce((n, p) => n + (p.size - p.start.offset), 0);
  let bytesDone = 0;
  const writer = new BatchWriter(store, options.priceBook, options.identity, flushRecords);
  const covered: Array<[SourceId, string, FileStamp]> = [];
  const workers = options.parseWorkers ?? defaultParseWorkers();
  const pool = workers > 0 && bytesTotal >= WORKER_MIN_BYTES ? new ParsePool(workers) : null;
  const jobs: Array<ParseJob | undefined> = [];
  // Keeps the workers busy ahead of the file being written, within the lookahead bounds.
  const submitUpTo = (current: number) => {
    if (!pool) return;
    while (
      jobs.length < plans.length &&
      (jobs.length <= current ||
        (jobs.length - current < WORKER_LOOKAHEAD_FILES && pool.queuedBytes < WORKER_LOOKAHEAD_BYTES))
    ) {
      const p = plans[jobs.length]!;
      jobs.push(
        WORKER_PARSERS[p.source.id]
          ? pool.submit(
              p.source.id,
              p.file,
              p.start,
              p.size - p.start.offset,
              Math.min(WORKER_CHUNK_RECORDS, flushRecords),
            )
          : undefined,
      );
    }
  };
  try {
    for (const [i, plan] of plans.entries()) {
      const { summary, source, file } = plan;
      await writer.startSource(summary);
      onProgress?.({ phase: 'read', filesDone: i, filesTotal: plans.length, bytesDone, bytesTotal });
      let calls = 0;
      let activity = 0;
      const sink: ParseSink = {
        usage(draft) {
          calls++;
          writer.addUsage(draft);
        },
        activity(draft) {
          activity++;
          writer.addActivity(draft);
        },
        skip(reason) {
          summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
        },
        // Whole-file sources replace their file's records when it completes, so they must not
        // write part of it earlier.
        between: source.mode === 'append' ? () => writer.flushIfFull() : undefined,
      };
      submitUpTo(i);
      const job = jobs[i];
      jobs[i] = undefined;
      try {
        const end = job
          ? await fromWorker(job, sink, summary, writer)
          : await source.parse(file, plan.start, sink);
        summary.filesRead++;
        if (plan.restart) summary.filesRestarted++;
        summary.bytesRead += end.bytesRead;
        summary.lines += end.lines;
        summary.callsFound += calls;
        summary.activityFound += activity;
        if (end.offset < plan.size) summary.pendingTails++;
        else covered.push([source.id, file.path, [plan.fileId, plan.size, plan.mtimeMs]]);
        writer.fileDone(
          {
            source: source.id,
            path: file.path,
            fileId: plan.fileId,
            size: plan.size,
            mtimeMs: plan.mtimeMs,
            offset: end.offset,
            headHash: plan.headHash,
            state: end.state ?? null,
          },
          source.mode === 'whole',
        );
      } catch (err) {
        summary.unreadable.push({ path: file.path, reason: describeFsError(err) });
      }
      bytesDone += plan.size - plan.start.offset;
      if (writer.size >= flushRecords) await writer.flush();
      else await writer.letWriteProgress();
    }
  } finally {
    await pool?.close();
  }
  await writer.flush();
  await writer.drain();
  // Only now are the files read in this run durably in the ledger.
  for (const [source, path, stamp] of covered) options.onFileCovered?.(source, path, stamp);
  onProgress?.({ phase: 'done', filesDone: plans.length, filesTotal: plans.length, bytesDone, bytesTotal });
  return {
    sources: summaries,
    batchesWritten: writer.batchesWritten,
    repriced,
    durationMs: performance.now() - started,
  };
}

/** Feeds a worker's parse of one file to `sink` as if it had been parsed here. */
async function fromWorker(
  job: ParseJob,
  sink: ParseSink,
  summary: SourceIngestSummary,
  writer: BatchWriter,
): Promise<ParseEnd> {
  const onUsage = sink.usage.bind(sink);
  const onActivity = sink.activity.bind(sink);
  for (;;) {
    const message = await job.next();
    decodeDrafts(message.columns, onUsage, onActivity);
    for (const [reason, n] of Object.entries(message.skips)) {
      summary.skipped[reason] = (summary.skipped[reason] ?? 0) + n;
    }
    if (message.type === 'end') return message.end;
    if (message.type === 'error') {
      throw Object.assign(new Error(message.error.message), { code: message.error.code });
    }
    await writer.flushIfFull();
    job.ack();
  }
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'file vanished while reading';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}

/**
 * True when nothing could be read at all: no log files anywhere, or every file we tried was
 * unreadable or held nothing usable. A run that merely found nothing new is not a failure.
 */
export function nothingReadable(summary: IngestSummary): boolean {
  const sum = (f: (s: SourceIngestSummary) => number) => summary.sources.reduce((n, s) => n + f(s), 0);
  if (sum((s) => s.filesSeen) === 0) return true;
  const usable = sum((s) => s.callsFound + s.activityFound + s.filesUnchanged);
  const failed = sum((s) => s.unreadable.length + Object.values(s.skipped).reduce((a, b) => a + b, 0));
  return usable === 0 && failed > 0;
}
