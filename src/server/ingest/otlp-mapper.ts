/**
 * Where OTLP export bodies are decoded and mapped to record drafts: on worker threads, or on the
 * calling thread when there are none.
 *
 * Why a worker: over JSON the server's main thread was its limit (83 % busy at ~13.5k calls/s on
 * 2 cores while ~28 % of the cores sat idle), and half of its time went to `JSON.parse` and UTF-8
 * decoding (`docs/decisions.md`, "Server throughput", eleventh session). The drafts come back
 * packed (packed-map-result.ts): cloned as objects they cost the worker 7.3–7.7 µs per call to
 * send and the main thread 4.7–4.9 µs to receive, packed ~1 and ~0.5 µs. Protobuf bodies stayed
 * on the main thread while receiving cost as much as decoding (~12 µs per call); with packing, on
 * the worker they sustained ~9 % more calls (six alternated runs, thirteenth session), and the
 * main thread, 75 % busy decoding them, is left half idle for requests and reads.
 *
 * Nothing is lost to a worker: a worker that fails or exits hands its requests back, and they are
 * mapped on the calling thread (as is everything after, when no worker is left). The body is
 * copied to the worker, not transferred: the ingest journal writes the original.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type OtelMapResult, OtlpDecodeError } from '../../sources/otel/types.js';
import { mapOtlpExport, type OtlpExport } from './otlp-records.js';
import { type PackedMapResult, unpackMapResult } from './packed-map-result.js';

export interface MapRequest extends OtlpExport {
  id: number;
}

export type MapReply =
  | { id: number; packed: PackedMapResult }
  | { id: number; error: { decode: boolean; message: string } };

export interface OtlpMapper {
  /** The drafts of one export request; rejects with `OtlpDecodeError` when it is not one. */
  map(request: OtlpExport): Promise<OtelMapResult>;
  /** Worker threads mapping bodies now (0: all on the calling thread). */
  readonly threads: number;
  close(): Promise<void>;
}

export interface OtlpMapperOptions {
  /** Worker threads; 0 maps everything on the calling thread. */
  workers: number;
  /** The compiled worker module (default: otlp-map-worker.js beside this one). */
  workerUrl?: URL;
  /** A worker failed; its requests were mapped on the calling thread. */
  onWorkerError?: (err: Error) => void;
}

interface Pending {
  request: OtlpExport;
  resolve: (mapped: OtelMapResult) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

const WORKER_URL = new URL('./otlp-map-worker.js', import.meta.url);

function mapHere(request: OtlpExport): Promise<OtelMapResult> {
  try {
    return Promise.resolve(mapOtlpExport(request));
  } catch (err) {
    return Promise.reject(err);
  }
}

function settleHere(p: Pending): void {
  mapHere(p.request).then(p.resolve, p.reject);
}

export function createOtlpMapper(options: OtlpMapperOptions): OtlpMapper {
  const url = options.workerUrl ?? WORKER_URL;
  // The TypeScript sources (as the unit tests run them) have no compiled worker beside them.
  const runnable = url.protocol === 'file:' && existsSync(fileURLToPath(url));
  const slots: Slot[] = [];
  let nextId = 0;
  let closing = false;

  function retire(slot: Slot, err: Error): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (!closing) options.onWorkerError?.(err);
    for (const p of slot.pending.values()) settleHere(p);
    slot.pending.clear();
  }

  for (let i = 0; runnable && i < options.workers; i++) {
    const slot: Slot = { worker: new Worker(url), pending: new Map(), alive: true };
    slot.worker.unref();
    slot.worker.on('message', (reply: MapReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if ('packed' in reply) p.resolve(unpackMapResult(reply.packed));
      else if (reply.error.decode) p.reject(new OtlpDecodeError(reply.error.message));
      // Not the body's fault: whatever it was, this thread's own mapping decides.
      else settleHere(p);
    });
    slot.worker.on('error', (err) => retire(slot, err));
    slot.worker.on('exit', (code) => retire(slot, new Error(`OTLP mapping worker exited with code ${code}`)));
    slots.push(slot);
  }

  function leastBusy(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of slots)
      if (slot.alive && (best === undefined || slot.pending.size < best.pending.size)) best = slot;
    return best;
  }

  return {
    map(request) {
      const slot = closing ? undefined : leastBusy();
      if (!slot) return mapHere(request);
      const id = nextId++;
      // A view into a larger buffer would be cloned with all of it.
      const body =
        request.body.byteLength === request.body.buffer.byteLength ? request.body : request.body.slice();
      const message: MapRequest = { id, signal: request.signal, encoding: request.encoding, body };
      return new Promise<OtelMapResult>((resolve, reject) => {
        slot.pending.set(id, { request, resolve, reject });
        slot.worker.postMessage(message);
      });
    },
    get threads() {
      return slots.filter((s) => s.alive).length;
    },
    async close() {
      closing = true;
      await Promise.all(
        slots.map(async (slot) => {
          // Requests still waiting are mapped here rather than dropped with the thread.
          const waiting = [...slot.pending.values()];
          slot.pending.clear();
          slot.alive = false;
          await slot.worker.terminate();
          for (const p of waiting) settleHere(p);
        }),
      );
    },
  };
}
