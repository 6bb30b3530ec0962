/**
 * The server's only path to the ledger's write side. Requests hand their records over and wait:
 * a request is answered 2xx only after the transaction holding its records has committed.
 * Writes are serialized (one DuckDB writer); while one commits, new arrivals queue and are
 * committed together in the next transaction (group commit), which is what lets many small OTLP
 * exports share one commit. The queue is bounded in records: past the bound a request is refused
 * with `OverloadedError` (HTTP 429 + Retry-After, which OTel exporters honour) instead of
 * buffering without limit.
 * @module
 */
import type {
  Store,
  WorkCheckpoint,
  WorkWriteResult,
  WriteBatch,
  WriteResult,
} from '../../ledger/store/store.js';
import type { WorkBatch } from '../../ledger/work.js';
import type { OtlpExport } from './otlp-records.js';

export class OverloadedError extends Error {
  override name = 'OverloadedError';
  constructor(
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(detail);
  }
}

export class ShuttingDownError extends Error {
  override name = 'ShuttingDownError';
  constructor() {
    super('The server is shutting down; retry against another instance or after restart.');
  }
}

export interface IngestWriter {
  /**
   * Commits a batch of usage and activity. `alone` keeps it out of group commit, so that its
   * result counts are its own (push reports them) and its `replaceOrigins` apply to it only.
   */
  write(batch: WriteBatch, opts?: { alone?: boolean; force?: boolean }): Promise<WriteResult>;
  /**
   * Takes the records of one OTLP export. Resolves once they are durable: committed to the
   * ledger, or with a journal (journaled.ts) written to it and synced, to be applied shortly.
   */
  accept(batch: WriteBatch, request: OtlpExport): Promise<void>;
  /**
   * Resolves once everything acknowledged up to `position` (default: now) is in the ledger; reads
   * pass the position current when their request began (read-your-writes).
   */
  caughtUp(position?: number): Promise<void>;
  /** How far acknowledgements have gone: the journal's last durable entry (0 without a journal). */
  readonly position: number;
  writeWork(batch: WorkBatch, checkpoints?: WorkCheckpoint[]): Promise<WorkWriteResult>;
  /** Records waiting for a commit (not counting the transaction in flight). */
  readonly queuedRecords: number;
  /** Increments after every committed write; caches of derived data key on it. */
  readonly generation: number;
  readonly commits: number;
  /** Refuses new writes and resolves when every accepted one has committed or failed. */
  drain(): Promise<void>;
}

export interface WriterOptions {
  maxQueuedRecords: number;
  /** Records merged into one transaction at most (default 50,000). */
  maxGroupRecords?: number;
  onCommit?: (info: { records: number; jobs: number; ms: number }) => void;
}

type Job =
  | {
      kind: 'usage';
      batch: WriteBatch;
      alone: boolean;
      size: number;
      resolve: (r: WriteResult) => void;
      reject: (e: unknown) => void;
    }
  | {
      kind: 'work';
      batch: WorkBatch;
      checkpoints: WorkCheckpoint[] | undefined;
      size: number;
      resolve: (r: WorkWriteResult) => void;
      reject: (e: unknown) => void;
    };

function workSize(b: WorkBatch): number {
  let n = 0;
  for (const list of Object.values(b) as unknown[][]) n += list.length;
  return n;
}

export function createIngestWriter(store: Store, options: WriterOptions): IngestWriter {
  const maxGroup = options.maxGroupRecords ?? 50_000;
  const queue: Job[] = [];
  let queued = 0;
  let generation = 0;
  let commits = 0;
  let running: Promise<void> | null = null;
  let closed = false;

  function admit(size: number, force: boolean): void {
    if (closed) throw new ShuttingDownError();
    // Forced: records that are already durable elsewhere (the journal) and must not be refused.
    if (force) return;
    // An empty queue always admits, so a single request larger than the bound still gets through.
    if (queued > 0 && queued + size > options.maxQueuedRecords) {
      const retry = Math.min(30, Math.max(1, Math.ceil(queued / 50_000)));
      throw new OverloadedError(
        retry,
        `The server is busy: ${queued} records are waiting to be committed (limit ${options.maxQueuedRecords}). Retry after ${retry} s.`,
      );
    }
  }

  function takeGroup(): Job[] {
    const first = queue.shift()!;
    const group = [first];
    if (first.kind === 'usage' && !first.alone && !first.batch.replaceOrigins?.length) {
      let records = first.size;
      while (queue.length > 0) {
        const next = queue[0]!;
        if (next.kind !== 'usage' || next.alone || next.batch.replaceOrigins?.length) break;
        if (records + next.size > maxGroup) break;
        records += next.size;
        group.push(queue.shift()!);
      }
    }
    for (const job of group) queued -= job.size;
    return group;
  }

  async function commitGroup(group: Job[]): Promise<void> {
    const started = performance.now();
    const first = group[0]!;
    try {
      if (first.kind === 'work') {
        const result = await store.writeWork(first.batch, first.checkpoints);
        generation++;
        commits++;
        first.resolve(result);
      } else {
        const usageJobs = group as Extract<Job, { kind: 'usage' }>[];
        const batch: WriteBatch =
          usageJobs.length === 1
            ? (first.batch as WriteBatch)
            : {
                usage: usageJobs.flatMap((j) => j.batch.usage),
                activity: usageJobs.flatMap((j) => j.batch.activity),
                checkpoints: usageJobs.flatMap((j) => j.batch.checkpoints),
              };
        const result = await store.write(batch);
        generation++;
        commits++;
        for (const job of usageJobs) job.resolve(result);
      }
      options.onCommit?.({
        records: group.reduce((n, j) => n + j.size, 0),
        jobs: group.length,
        ms: performance.now() - started,
      });
    } catch (error) {
      for (const job of group) job.reject(error);
    }
  }

  function pump(): void {
    if (running) return;
    running = (async () => {
      while (queue.length > 0) await commitGroup(takeGroup());
    })().finally(() => {
      running = null;
      if (queue.length > 0) pump();
    });
  }

  function enqueue<T>(
    make: (resolve: (r: T) => void, reject: (e: unknown) => void) => Job,
    force = false,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job = make(resolve, reject);
      admit(job.size, force);
      queue.push(job);
      queued += job.size;
      pump();
    });
  }

  function write(batch: WriteBatch, opts?: { alone?: boolean; force?: boolean }): Promise<WriteResult> {
    const size = batch.usage.length + batch.activity.length + batch.checkpoints.length;
    return enqueue<WriteResult>(
      (resolve, reject) => ({
        kind: 'usage',
        batch,
        alone: opts?.alone ?? false,
        size,
        resolve,
        reject,
      }),
      opts?.force,
    );
  }

  return {
    write,
    async accept(batch) {
      await write(batch);
    },
    caughtUp: () => Promise.resolve(),
    position: 0,
    writeWork(batch, checkpoints) {
      return enqueue<WorkWriteResult>((resolve, reject) => ({
        kind: 'work',
        batch,
        checkpoints,
        size: workSize(batch) + (checkpoints?.length ?? 0),
        resolve,
        reject,
      }));
    },
    get queuedRecords() {
      return queued;
    },
    get generation() {
      return generation;
    },
    get commits() {
      return commits;
    },
    async drain() {
      closed = true;
      while (running) await running;
    },
  };
}
