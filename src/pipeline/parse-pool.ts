/**
 * Parses files on worker threads while the ingesting thread de-duplicates, prices and writes.
 *
 * Files are handed out in the ingest's order and their results are taken in that order, so
 * batches and checkpoints are exactly what a single-threaded run writes; the workers only read.
 * A worker runs its files one after another; a file's drafts come back in chunks the writing
 * thread acknowledges, which bounds memory on a huge file.
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { SourceId } from '../ledger/records.js';
import type { DiscoveredFile, ParseStart } from '../sources/source.js';
import type { ParseJobRequest, PoolMessage } from './parse-protocol.js';

interface Slot {
  worker: Worker;
  /** Bytes of submitted files not finished yet. */
  queuedBytes: number;
}

/** One file's parse on a worker; read its messages with `next()` until `end` or `error`. */
export class ParseJob {
  private readonly messages: PoolMessage[] = [];
  private waiting: { resolve: (m: PoolMessage) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    readonly id: number,
    readonly slot: Slot,
    readonly bytes: number,
  ) {}

  /** @internal */
  deliver(message: PoolMessage): void {
    if (message.type !== 'chunk') this.slot.queuedBytes -= this.bytes;
    if (this.waiting) {
      this.waiting.resolve(message);
      this.waiting = null;
    } else this.messages.push(message);
  }

  /** @internal */
  fail(error: Error): void {
    this.failure = error;
    this.waiting?.reject(error);
    this.waiting = null;
  }

  next(): Promise<PoolMessage> {
    const queued = this.messages.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Lets the worker parse on after a chunk. */
  ack(): void {
    this.slot.worker.postMessage({ type: 'ack', job: this.id });
  }
}

export class ParsePool {
  private readonly slots: Slot[];
  private readonly jobs = new Map<number, ParseJob>();
  private nextId = 0;

  constructor(size: number, workerUrl = new URL('./parse-worker.js', import.meta.url)) {
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: new Worker(workerUrl), queuedBytes: 0 };
      slot.worker.on('message', (m: PoolMessage) => {
        const job = this.jobs.get(m.job);
        if (m.type !== 'chunk') this.jobs.delete(m.job);
        job?.deliver(m);
      });
      // A worker that dies takes its files with it: the ingest fails before their checkpoints.
      const failAll = (error: Error) => {
        for (const [id, job] of this.jobs) {
          if (job.slot === slot) {
            job.fail(error);
            this.jobs.delete(id);
          }
        }
      };
      slot.worker.on('error', failAll);
      slot.worker.on('exit', (code) => failAll(new Error(`parse worker exited (code ${code})`)));
      return slot;
    });
  }

  /** Bytes submitted and not yet parsed, over all workers. */
  get queuedBytes(): number {
    return this.slots.reduce((n, s) => n + s.queuedBytes, 0);
  }

  get pendingJobs(): number {
    return this.jobs.size;
  }

  submit(
    source: SourceId,
    file: DiscoveredFile,
    start: ParseStart,
    bytes: number,
    chunkRecords: number,
  ): ParseJob {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.queuedBytes < slot.queuedBytes) slot = s;
    const id = this.nextId++;
    const job = new ParseJob(id, slot, bytes);
    this.jobs.set(id, job);
    slot.queuedBytes += bytes;
    const request: ParseJobRequest = {
      type: 'parse',
      job: id,
      source,
      path: file.path,
      root: file.root,
      offset: start.offset,
      state: start.state,
      chunkRecords,
    };
    slot.worker.postMessage(request);
    return job;
  }

  async close(): Promise<void> {
    for (const s of this.slots) s.worker.removeAllListeners('exit');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
