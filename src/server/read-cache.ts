/**
 * Answers of expensive reads (the value model, usage reports), kept per ledger generation.
 *
 * On a live server every commit changes the generation, and at thousands of engineers the value
 * model takes tens of seconds to build: recomputing on the first read after each commit would
 * make every dashboard load wait for it. So a read that was slow to compute may be answered from
 * its last result, at most `maxStaleMs` old, while one refresh runs in the background. Fast reads
 * (a small ledger, every test) are always recomputed, so what was just written is what is read.
 * @module
 */

/** Reads faster than this are never answered stale: recomputing them costs less than a surprise. */
export const SLOW_READ_MS = 1000;

export interface ReadCacheOptions {
  /** How old a stale answer may be, in ms; 0 answers every read fresh. */
  maxStaleMs: number;
  /** Distinct keys kept (least recently used first out). */
  maxEntries?: number;
  slowMs?: number;
  now?: () => number;
}

export interface CachedRead<T> {
  value: T;
  /** When the computation that produced `value` started (the ledger as of then). */
  asOf: number;
  /** Whether the ledger has changed since. */
  stale: boolean;
}

export interface ReadCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<CachedRead<T>>;
  /** Entries kept, for tests and /metrics. */
  readonly size: number;
}

interface Entry {
  generation: string;
  asOf: number;
  tookMs: number;
  value: unknown;
  /** The computation in flight for this key, if any: concurrent readers share it. */
  pending?: { generation: string; promise: Promise<CachedRead<unknown>> };
}

export function createReadCache(generation: () => string, options: ReadCacheOptions): ReadCache {
  const now = options.now ?? Date.now;
  const slowMs = options.slowMs ?? SLOW_READ_MS;
  const maxEntries = options.maxEntries ?? 256;
  const entries = new Map<string, Entry | { pending: Entry['pending'] }>();

  function remember(key: string, entry: Entry | { pending: Entry['pending'] }): void {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  function start<T>(key: string, compute: () => Promise<T>): Promise<CachedRead<T>> {
    const gen = generation();
    const asOf = now();
    const promise = compute().then(
      (value) => {
        const finished = now();
        const current = entries.get(key);
        // A newer computation that already finished wins over this one.
        if (!(current && 'value' in current && current.asOf > asOf))
          remember(key, { generation: gen, asOf, tookMs: finished - asOf, value });
        return { value, asOf, stale: gen !== generation() };
      },
      (err: unknown) => {
        const current = entries.get(key);
        if (current?.pending?.promise === promise) {
          if ('value' in current) current.pending = undefined;
          else entries.delete(key);
        }
        throw err;
      },
    );
    const pending = { generation: gen, promise: promise as Promise<CachedRead<unknown>> };
    const current = entries.get(key);
    if (current && 'value' in current) current.pending = pending;
    else remember(key, { pending });
    return promise;
  }

  return {
    get<T>(key: string, compute: () => Promise<T>): Promise<CachedRead<T>> {
      const gen = generation();
      const entry = entries.get(key);
      if (entry && 'value' in entry) {
        remember(key, entry);
        if (entry.generation === gen)
          return Promise.resolve({ value: entry.value as T, asOf: entry.asOf, stale: false });
        const age = now() - entry.asOf;
        if (options.maxStaleMs > 0 && entry.tookMs >= slowMs && age <= options.maxStaleMs) {
          // At most one refresh at a time, and idle at least as long as the last one took: under
          // constant ingest back-to-back refreshes would keep a core busy on answers nobody waits for.
          const idleMs = age - entry.tookMs;
          if (!entry.pending && idleMs >= entry.tookMs) start(key, compute).catch(() => {});
          return Promise.resolve({ value: entry.value as T, asOf: entry.asOf, stale: true });
        }
      }
      if (entry?.pending?.generation === gen) return entry.pending.promise as Promise<CachedRead<T>>;
      return start(key, compute);
    },
    get size() {
      return entries.size;
    },
  };
}
