/**
 * The alert dispatcher: records each new event once in the journal, then delivers it to every
 * channel that takes it, retrying with backoff and recording every attempt. Delivery runs in the
 * background and never throws; what happened is in the journal (`history`). Built at start-up,
 * it resumes deliveries a previous process left pending.
 * @module
 */
import type { AlertChannel } from './channel.js';
import { channelTakes } from './channel.js';
import { createChannel } from './channels.js';
import { type AlertChannelConfig, resolveAlertChannels } from './config.js';
import { asDeliveryError, describeError } from './delivery-error.js';
import { type AlertDelivery, type AlertEvent, type AlertRecord, validateAlertEvents } from './event.js';
import { isRecorded, type JournalStore, readJournal, writeRecord } from './journal.js';
import { backoffDelay, type RetryPolicy, retryPolicyOf } from './retry.js';

export interface AlertDispatcher {
  /** Records each new event (by key) and delivers it to every configured channel, with retries.
   *  Events whose key was already recorded are skipped (returned in `skipped`). Resolves once every
   *  new event is recorded; deliveries continue in the background unless `await` is asked for. */
  fire(
    events: AlertEvent[],
    opts?: { awaitDelivery?: boolean },
  ): Promise<{ fired: string[]; skipped: string[] }>;
  /** Alert history, newest first: each event with its per-channel delivery attempts and outcome. */
  history(filter?: { budgetId?: string; since?: number }): Promise<AlertRecord[]>;
  /** Starts the deliveries the journal holds as pending and this dispatcher is not running (a
   *  previous process stopped or crashed mid-way); returns their event keys. Called once on creation. */
  resumePending(): Promise<string[]>;
  /** Resolves when every delivery started so far has been delivered or has failed. */
  idle(): Promise<void>;
  /** Graceful shutdown: attempts under way finish and are recorded; deliveries waiting to retry
   *  stay pending in the journal and are resumed by the next dispatcher. Safe to call twice. */
  close(): Promise<void>;
}

export interface AlertDispatcherOptions {
  store: JournalStore;
  /** Parsed from the config file's `alerts` section. */
  channels: AlertChannelConfig[];
  /** Injectable clock for tests. */
  now?: () => number;
  /** Defaults to global fetch. */
  fetch?: typeof fetch;
  /** Where `urlEnv`, `secretEnv` and `passEnv` are read (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Waits `ms` or until `signal` aborts, whichever is first; injectable so retry tests need no timers. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default `Math.random`). */
  random?: () => number;
  /** Resume pending deliveries on creation (default true). */
  resume?: boolean;
  /** Problems that cannot be recorded in the journal (it could not be written or read). */
  onError?: (err: Error) => void;
}

// Node's timers overflow past 2^31-1 ms (about 24 days); a longer wait is taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let left = ms;
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const arm = () => {
      const step = Math.min(left, MAX_TIMER_MS);
      left -= step;
      timer = setTimeout(left > 0 ? arm : done, step);
    };
    arm();
    signal.addEventListener('abort', done, { once: true });
  });
}

interface Route {
  channel: AlertChannel;
  policy: RetryPolicy;
}

/**
 * Builds the dispatcher from the config file's `alerts` section. Throws `AlertConfigError` at once
 * when a channel is invalid or names an environment variable that is not set.
 */
export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const { store } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const onError =
    options.onError ?? ((err: Error) => process.stderr.write(`tokenyield alerts: ${err.message}\n`));
  const routes: Route[] = resolveAlertChannels(options.channels, options.env ?? process.env).map(
    (config) => ({
      channel: createChannel(config, fetchFn),
      policy: retryPolicyOf(config.retry),
    }),
  );
  const routeByName = new Map(routes.map((route) => [route.channel.name, route]));

  const stopping = new AbortController();
  let closing: Promise<void> | undefined;
  /** Records with deliveries running in this process; newer than the journal until written. */
  const active = new Map<string, AlertRecord>();
  /** Delivery tasks by `${key}\0${channel}`. */
  const running = new Map<string, Promise<void>>();
  /** Per event key, the tail of its journal writes, so writes land in the order they were made. */
  const writes = new Map<string, Promise<void>>();
  // fire and resume run one at a time, so a key is checked and recorded with nothing in between.
  let gate: Promise<unknown> = Promise.resolve();

  function exclusive<T>(body: () => Promise<T>): Promise<T> {
    const run = gate.then(body, body);
    gate = run.catch(() => {});
    return run;
  }

  function persist(record: AlertRecord): Promise<void> {
    const key = record.event.key;
    const written = (writes.get(key) ?? Promise.resolve()).then(() => writeRecord(store, record));
    const tail = written.catch(() => {});
    writes.set(key, tail);
    void tail.then(() => {
      if (writes.get(key) === tail) writes.delete(key);
    });
    return written;
  }

  async function persistQuietly(record: AlertRecord): Promise<void> {
    try {
      await persist(record);
    } catch (err) {
      onError(new Error(`could not record alert ${record.event.key}: ${describeError(err)}`));
    }
  }

  async function deliver(record: AlertRecord, delivery: AlertDelivery, route: Route): Promise<void> {
    while (delivery.status === 'pending') {
      if (stopping.signal.aborted) return;
      const wait = (delivery.nextAttemptAt ?? 0) - now();
      if (wait > 0) {
        await sleep(wait, stopping.signal);
        if (stopping.signal.aborted) return;
      }
      if (delivery.attempts >= route.policy.maxAttempts) {
        // Only after a restart interrupted the last allowed attempt.
        delivery.status = 'failed';
        delivery.lastError = `${delivery.lastError ?? 'interrupted'}; gave up after ${delivery.attempts} attempts`;
        await persistQuietly(record);
        return;
      }
      delivery.attempts += 1;
      delivery.lastAttemptAt = now();
      delete delivery.nextAttemptAt;
      // Written before sending, so an attempt a crash interrupts still counts towards the limit.
      await persistQuietly(record);
      try {
        const result = await route.channel.send(record.event, { now: now() });
        delivery.status = 'delivered';
        delivery.deliveredAt = now();
        if (result.note) delivery.lastError = result.note;
      } catch (err) {
        const failure = asDeliveryError(err);
        delivery.lastError = failure.message;
        if (failure.permanent || delivery.attempts >= route.policy.maxAttempts) delivery.status = 'failed';
        else
          delivery.nextAttemptAt =
            now() + backoffDelay(delivery.attempts, route.policy, random, failure.retryAfterMs);
      }
      await persistQuietly(record);
    }
  }

  function taskId(key: string, channel: string): string {
    return `${key}\u0000${channel}`;
  }

  function start(record: AlertRecord, delivery: AlertDelivery, route: Route): Promise<void> {
    const key = record.event.key;
    const id = taskId(key, delivery.channel);
    const existing = running.get(id);
    if (existing) return existing;
    active.set(key, record);
    const task = deliver(record, delivery, route)
      .catch((err) =>
        onError(new Error(`delivery of alert ${key} to ${delivery.channel}: ${describeError(err)}`)),
      )
      .finally(() => {
        running.delete(id);
        if (!record.deliveries.some((d) => running.has(taskId(key, d.channel)))) active.delete(key);
      });
    running.set(id, task);
    return task;
  }

  function resumePending(): Promise<string[]> {
    return exclusive(async () => {
      if (stopping.signal.aborted) return [];
      const { records, unreadable } = await readJournal(store);
      if (unreadable.length)
        onError(new Error(`alert journal entries not readable, left as they are: ${unreadable.join(', ')}`));
      const resumed: string[] = [];
      for (const record of records) {
        if (active.has(record.event.key)) continue;
        const pending = record.deliveries.filter((d) => d.status === 'pending');
        if (!pending.length) continue;
        const orphans = pending.filter((d) => !routeByName.has(d.channel));
        for (const delivery of orphans) {
          delivery.status = 'failed';
          delivery.lastError = `channel "${delivery.channel}" is no longer configured`;
        }
        if (orphans.length) await persistQuietly(record);
        const live = pending.filter((d) => d.status === 'pending');
        if (!live.length) continue;
        resumed.push(record.event.key);
        for (const delivery of live) void start(record, delivery, routeByName.get(delivery.channel)!);
      }
      return resumed;
    });
  }

  async function idle(): Promise<void> {
    await gate;
    while (running.size) await Promise.all(running.values());
    await Promise.all(writes.values());
  }

  if (options.resume ?? true) resumePending().catch((err) => onError(new Error(describeError(err))));

  return {
    async fire(events, opts = {}) {
      if (stopping.signal.aborted) throw new Error('The alert dispatcher is closed; nothing was recorded.');
      const valid = validateAlertEvents(events);
      const tasks: Promise<void>[] = [];
      const outcome = await exclusive(async () => {
        const fired: string[] = [];
        const skipped: string[] = [];
        for (const event of valid) {
          if (fired.includes(event.key) || active.has(event.key) || (await isRecorded(store, event.key))) {
            skipped.push(event.key);
            continue;
          }
          const record: AlertRecord = {
            event,
            recordedAt: now(),
            deliveries: routes
              .filter((route) => channelTakes(route.channel, event))
              .map((route) => ({ channel: route.channel.name, status: 'pending', attempts: 0 })),
          };
          // Not quietly: an event that could not be recorded was not fired, and the caller must know.
          await persist(record);
          fired.push(event.key);
          for (const delivery of record.deliveries)
            tasks.push(start(record, delivery, routeByName.get(delivery.channel)!));
        }
        return { fired, skipped };
      });
      if (opts.awaitDelivery) await Promise.all(tasks);
      return outcome;
    },

    async history(filter = {}) {
      const { records } = await readJournal(store);
      const byKey = new Map(records.map((record) => [record.event.key, record]));
      for (const [key, record] of active) byKey.set(key, structuredClone(record));
      return [...byKey.values()]
        .filter((r) => filter.budgetId === undefined || r.event.budgetId === filter.budgetId)
        .filter((r) => filter.since === undefined || r.event.detectedAt >= filter.since)
        .sort(
          (a, b) =>
            b.event.detectedAt - a.event.detectedAt ||
            b.recordedAt - a.recordedAt ||
            (a.event.key < b.event.key ? -1 : a.event.key > b.event.key ? 1 : 0),
        );
    },

    resumePending,
    idle,

    close() {
      closing ??= (async () => {
        stopping.abort();
        await idle();
        for (const route of routes) route.channel.close?.();
      })();
      return closing;
    },
  };
}
