/**
 * OTLP ingest through a durable journal. An export is answered 2xx once its body is in the
 * journal and synced to disk (group commit: one sync for every request that arrived during the
 * last); an applier then moves the records into the ledger in large transactions. It gathers
 * acknowledged exports until every table they write has `applyRows` rows waiting (usage and
 * activity counted apart), or four times that many are waiting in all, or `applyDelayMs` has
 * passed since the first of them, whichever comes first (a read waiting for them, or shutdown,
 * applies at once). Per table, because that is how DuckDB decides: a transaction that fills a
 * row group of a table (16,384 rows) writes it compressed to the file, while fewer rows go
 * through the WAL and are compressed again at the next checkpoint. Writes of 15,000 usage rows
 * (with their activity) cost 3.7 s of commits per 200k calls, writes of 16,384 cost 1.5 s. A busy
 * ledger's own group commit would otherwise settle on whatever arrived during the last, small,
 * commit. A crash between the two replays the journal at the next start; the ledger
 * de-duplicates by record id, so an entry applied before the crash and replayed after it is
 * counted once.
 *
 * Reads wait for the applier (`caughtUp`): a read sees every export acknowledged before it
 * began. The journal is bounded by that lag: past `maxLagRecords` not yet in the ledger, new
 * exports get 429 with Retry-After. Everything else (push, work records, replacements) goes to
 * the ledger writer directly, as before.
 * @module
 */
import type { WriteBatch } from '../../ledger/store/store.js';
import type { Journal, JournalEntry } from '../journal/journal.js';
import { decodeOtlpEntry, encodeOtlpEntry, type OtlpExport } from './otlp-records.js';
import { type IngestWriter, OverloadedError, ShuttingDownError } from './writer.js';

export interface JournaledOptions {
  /** Records acknowledged but not yet in the ledger before new exports are refused. */
  maxLagRecords: number;
  /** How long to wait before applying a batch again after the ledger refused it (default 1 s). */
  retryMs?: number;
  /** How long `drain` waits for the applier before leaving the rest to the next start's replay. */
  drainMs?: number;
  /** Rows of each table (usage, activity) gathered before they are applied at once (default 16,384). */
  applyRows?: number;
  /** Longest an acknowledged export waits to be gathered before it is applied (default 2 s). */
  applyDelayMs?: number;
  onApplyError?: (err: unknown) => void;
}

export interface JournaledWriter extends IngestWriter {
  /** Applies entries left in the journal by an earlier run, then releases them. */
  replay(entries: JournalEntry[], recordsOf: (req: OtlpExport) => WriteBatch): Promise<number>;
  /** Records acknowledged and not yet in the ledger. */
  readonly lagRecords: number;
  readonly appliedSeq: number;
}

const sizeOf = (b: WriteBatch) => b.usage.length + b.activity.length;

/** A journal entry's records on their way to the ledger. */
interface Applying {
  seq: number;
  batch: WriteBatch;
  size: number;
}

export function journaledWriter(
  ledger: IngestWriter,
  journal: Journal,
  options: JournaledOptions,
): JournaledWriter {
  const retryMs = options.retryMs ?? 1000;
  const applyRows = options.applyRows ?? 16_384;
  // Never so many that gathering alone would hold the lag at its bound.
  const applyAtMost = Math.min(4 * applyRows, Math.ceil(options.maxLagRecords / 2));
  const applyDelayMs = options.applyDelayMs ?? 2000;
  let lag = 0;
  let generation = 0;
  let closed = false;
  // Entries are applied in batches that may finish out of order after a retry: `applied` is the
  // highest seq below which every entry is in the ledger, `done` holds those finished above it.
  let applied = journal.durableSeq;
  const done = new Set<number>();
  let waiters: { seq: number; resolve: () => void }[] = [];
  let releasing: Promise<void> = Promise.resolve();
  // Acknowledged entries not yet handed to the ledger writer.
  let gathered: Applying[] = [];
  let gatheredUsage = 0;
  let gatheredActivity = 0;
  let gatherTimer: NodeJS.Timeout | undefined;

  function finished(seq: number): void {
    done.add(seq);
    if (!done.has(applied + 1)) return;
    while (done.delete(applied + 1)) applied++;
    generation++;
    waiters = waiters.filter((w) => {
      if (w.seq > applied) return true;
      w.resolve();
      return false;
    });
    const upTo = applied;
    releasing = releasing.then(() => journal.release(upTo).catch((err) => options.onApplyError?.(err)));
  }

  function gather(entry: Applying): void {
    gathered.push(entry);
    gatheredUsage += entry.batch.usage.length;
    gatheredActivity += entry.batch.activity.length;
    const filled = (rows: number) => rows === 0 || rows >= applyRows;
    const ready =
      (filled(gatheredUsage) && filled(gatheredActivity)) || gatheredUsage + gatheredActivity >= applyAtMost;
    if (ready || waiters.length > 0 || closed) applyGathered();
    else gatherTimer ??= setTimeout(applyGathered, applyDelayMs).unref();
  }

  function applyGathered(): void {
    clearTimeout(gatherTimer);
    gatherTimer = undefined;
    if (gathered.length === 0) return;
    const group = gathered;
    gathered = [];
    gatheredUsage = 0;
    gatheredActivity = 0;
    apply(group);
  }

  function apply(group: Applying[]): void {
    const batch: WriteBatch =
      group.length === 1
        ? group[0]!.batch
        : {
            usage: group.flatMap((e) => e.batch.usage),
            activity: group.flatMap((e) => e.batch.activity),
            checkpoints: [],
          };
    ledger.write(batch, { force: true }).then(
      () => {
        for (const entry of group) {
          lag -= entry.size;
          finished(entry.seq);
        }
      },
      (err) => {
        // Durable in the journal already: never dropped. Tried again, or replayed at next start.
        if (err instanceof ShuttingDownError) return;
        options.onApplyError?.(err);
        setTimeout(() => apply(group), retryMs).unref();
      },
    );
  }

  function caughtUpTo(seq: number): Promise<void> {
    if (applied >= seq) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => waiters.push({ seq, resolve }));
    // A reader does not wait for the gathering delay.
    applyGathered();
    return waiting;
  }

  return {
    write: (batch, opts) => ledger.write(batch, opts),
    writeWork: (batch, checkpoints) => ledger.writeWork(batch, checkpoints),
    async accept(batch, request) {
      if (closed) throw new ShuttingDownError();
      const size = sizeOf(batch);
      if (lag > 0 && lag + size > options.maxLagRecords) {
        const retry = Math.min(30, Math.max(1, Math.ceil(lag / 50_000)));
        throw new OverloadedError(
          retry,
          `The server is busy: ${lag} acknowledged records are waiting to reach the ledger (limit ${options.maxLagRecords}). Retry after ${retry} s.`,
        );
      }
      lag += size;
      let seq: number;
      try {
        seq = await journal.append(encodeOtlpEntry(request));
      } catch (err) {
        lag -= size;
        throw err;
      }
      generation++;
      gather({ seq, batch, size });
    },
    caughtUp: (position) => caughtUpTo(position ?? journal.durableSeq),
    get position() {
      return journal.durableSeq;
    },
    async replay(entries, recordsOf) {
      let records = 0;
      let inFlight: Promise<unknown>[] = [];
      for (const entry of entries) {
        const batch = recordsOf(decodeOtlpEntry(entry.payload));
        records += sizeOf(batch);
        inFlight.push(ledger.write(batch, { force: true }));
        // Bounded, so a long journal is not held as records all at once.
        if (inFlight.length >= 200) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
      const last = entries.at(-1)?.seq ?? 0;
      if (last) await journal.release(last);
      return records;
    },
    get queuedRecords() {
      // Journaled records waiting in the ledger writer's queue are also in `lag`: not added twice.
      return Math.max(lag, ledger.queuedRecords);
    },
    get lagRecords() {
      return lag;
    },
    get appliedSeq() {
      return applied;
    },
    get generation() {
      return generation + ledger.generation;
    },
    get commits() {
      return ledger.commits;
    },
    async drain() {
      closed = true;
      // Appends in flight finish (and were acknowledged); none start after this.
      await journal.close();
      applyGathered();
      const target = journal.durableSeq;
      // Whatever is still unapplied after this is not lost: the next start replays it.
      await Promise.race([
        caughtUpTo(target),
        new Promise((r) => setTimeout(r, options.drainMs ?? 30_000).unref()),
      ]);
      await ledger.drain();
      await releasing;
      // With the journal closed even its last segment can go, if all of it reached the ledger.
      if (applied >= journal.durableSeq) await journal.release(applied);
    },
  };
}
