/**
 * Worker-thread entry of the parse pool (parse-pool.ts): parses the files it is sent with their
 * source's own parser and posts the drafts back as columns. It never touches the ledger, so a
 * kill of the process at any moment leaves exactly what the writing thread committed.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import type { ParseEnd } from '../sources/source.js';
import { DraftEncoder } from './draft-columns.js';
import { type ParseJobRequest, type PoolMessage, WORKER_PARSERS } from './parse-protocol.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');

const acks = new Map<number, () => void>();
const queue: ParseJobRequest[] = [];
let running = false;

function post(message: PoolMessage): void {
  const transfer = message.columns ? [message.columns.numbers.buffer as ArrayBuffer] : [];
  port!.postMessage(message, transfer);
}

async function run(job: ParseJobRequest): Promise<void> {
  const encoder = new DraftEncoder();
  let skips: Record<string, number> = {};
  const takeSkips = () => {
    const out = skips;
    skips = {};
    return out;
  };
  const parse = WORKER_PARSERS[job.source];
  try {
    if (!parse) throw new Error(`no worker parser for ${job.source}`);
    const end: ParseEnd = await parse(
      { path: job.path, root: job.root },
      { offset: job.offset, state: job.state },
      {
        usage: (d) => encoder.addUsage(d),
        activity: (d) => encoder.addActivity(d),
        skip: (reason) => {
          skips[reason] = (skips[reason] ?? 0) + 1;
        },
        between: () => {
          // Mid-file, the worker waits until the writing thread has taken the chunk: a 1 GB transcript
          // then holds at most one chunk here and one there, as on a single thread.
          if (encoder.size < job.chunkRecords) return undefined;
          const taken = new Promise<void>((resolve) => acks.set(job.job, resolve));
          post({ job: job.job, type: 'chunk', columns: encoder.take(), skips: takeSkips() });
          return taken;
        },
      },
    );
    post({ job: job.job, type: 'end', columns: encoder.take(), skips: takeSkips(), end });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    post({
      job: job.job,
      type: 'error',
      columns: encoder.take(),
      skips: takeSkips(),
      error: { code: e.code, message: e.message ?? String(err) },
    });
  }
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  for (let job = queue.shift(); job; job = queue.shift()) await run(job);
  running = false;
}

port.on('message', (message: ParseJobRequest | { type: 'ack'; job: number }) => {
  if (message.type === 'ack') {
    const resolve = acks.get(message.job);
    acks.delete(message.job);
    resolve?.();
    return;
  }
  queue.push(message);
  void drain();
});
