/**
 * Runs the server: opens the ledger (this process then owns it), listens, and on SIGINT/SIGTERM
 * stops accepting connections, lets in-flight requests finish and commits every accepted batch
 * before closing the ledger.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type AlertChannelConfig, createAlertDispatcher } from '../alerts/index.js';
import { type Budget, createBudgetService } from '../analyses/budgets/index.js';
import { valueModelFromStore } from '../analyses/value/index.js';
import type { PeopleDirectory } from '../ledger/people/types.js';
import type { PriceBook } from '../ledger/pricing/index.js';
import type { Store } from '../ledger/store/store.js';
import { createApp } from './app.js';
import { createAuditLog } from './auth/audit.js';
import { createTokenSource, type TokenTable } from './auth/tokens.js';
import type { ServerContext } from './context.js';
import { journaledWriter } from './ingest/journaled.js';
import { createOtlpMapper } from './ingest/otlp-mapper.js';
import { otlpRecords } from './ingest/otlp-records.js';
import { createIngestWriter, type IngestWriter } from './ingest/writer.js';
import { openJournal } from './journal/journal.js';
import { readYourWrites } from './journal/read-your-writes.js';
import { createReadCache } from './read-cache.js';
import { createSelfMetrics } from './self-metrics.js';
import { DEFAULT_DECODE_WORKERS, type ServerSettings } from './settings.js';

/** The journal position when the current request began (see `withJournal`). */
const readsFrom = new AsyncLocalStorage<number>();

/*
 * How long an idle keep-alive connection stays open. Node's default of 5 s (it closes after ~6)
 * is about the interval at which OTel SDKs export (Claude Code's logs and metrics every 5 s): a
 * client reusing its connection as the server closes it gets a reset, and its export fails or is
 * sent again. Longer than the minute clients commonly keep idle connections (the OTel Collector's
 * own receiver also keeps them for a minute), so the client is the one that closes.
 */
const KEEP_ALIVE_MS = 65_000;

export interface StartOptions {
  store: Store;
  settings: ServerSettings;
  directory: () => PeopleDirectory;
  priceBook: PriceBook;
  /** Where a tokens file that stopped parsing is reported (the last good tokens stay in force). */
  onTokensError?: (err: Error) => void;
  /** Budgets from the config file's `budgets` section. */
  budgets?: readonly Budget[];
  /** Alert channels from the config file's `alerts` section (none: alerts are only recorded). */
  alertChannels?: AlertChannelConfig[];
  /** The clock budgets are judged by (tests); default `Date.now`. */
  now?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  context: ServerContext;
  tokens: TokenTable;
  /** Graceful stop: refuse new connections, finish requests, commit what was accepted, close the ledger. */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { store, settings } = options;
  let accepting = true;
  // Late-bound: the metrics gauge reads the writer's queue, the writer reports commits to metrics.
  let queued = () => 0;
  // Late-bound too: commits refresh the budgets, which are built after the writer.
  let committed = () => {};
  const metrics = createSelfMetrics(() => queued());
  const ledgerWriter = createIngestWriter(store, {
    maxQueuedRecords: settings.maxQueuedRecords,
    onCommit({ ms }) {
      metrics.commits.inc();
      metrics.commitSeconds.observe(ms / 1000);
      committed();
    },
  });
  const { writer, reads } = await withJournal(ledgerWriter, options);
  queued = () => writer.queuedRecords;
  // On ClickHouse other servers write to the same ledger: this one's commits are not the only
  // changes, so its cached answers also expire with the second (slow ones refresh in the background).
  const shared = store.engine === 'clickhouse' ? () => `|${Math.floor(Date.now() / 1000)}` : () => '';
  const readCache = createReadCache(() => `${writer.generation}|${options.directory().version}${shared()}`, {
    maxStaleMs: settings.maxStaleSeconds * 1000,
  });
  // Alerts are recorded in the ledger (and shown as history) even with no channel to deliver to.
  const alerts = createAlertDispatcher({
    store: reads,
    channels: options.alertChannels ?? [],
    now: options.now,
  });
  const mapper = createOtlpMapper({
    workers: settings.decodeWorkers ?? DEFAULT_DECODE_WORKERS,
    onWorkerError: (err) =>
      process.stderr.write(`tokenyield: an OTLP decoding thread failed, decoding in place: ${err.message}\n`),
  });
  const context: ServerContext = {
    store: reads,
    writer,
    mapper,
    directory: options.directory,
    priceBook: options.priceBook,
    settings,
    audit: createAuditLog(settings.auditLog),
    metrics,
    valueModel: async () =>
      (await readCache.get('value-model', () => valueModelFromStore(reads, options.directory()))).value,
    readCache,
    budgets: createBudgetService({
      store: reads,
      directory: options.directory,
      config: options.budgets ?? [],
      dispatcher: alerts,
      now: options.now,
    }),
  };
  committed = () => context.budgets.invalidate();
  context.budgets.ready().catch((err: Error) => process.stderr.write(`tokenyield budgets: ${err.message}\n`));
  // Built now rather than on the first page load: at thousands of engineers it takes tens of seconds.
  context.valueModel().catch(() => {});
  const tokens = createTokenSource(settings.tokens, settings.tokensFile, options.onTokensError ?? (() => {}));
  const app = createApp(context, {
    tokens,
    readiness: { ready: () => accepting && writer.queuedRecords < settings.maxQueuedRecords },
  });

  const server: ServerType = await new Promise<ServerType>((resolve, reject) => {
    const fetch: typeof app.fetch = (req, ...rest) =>
      readsFrom.run(writer.position, () => app.fetch(req, ...rest));
    const s = serve({ fetch, hostname: settings.host, port: settings.port }, () => resolve(s));
    s.once('error', reject);
    const http = s as Server;
    http.keepAliveTimeout = KEEP_ALIVE_MS;
    // Above the idle time, as is usual since Node versions that counted it across the idle wait.
    http.headersTimeout = KEEP_ALIVE_MS + 1000;
  }).catch(async (err) => {
    await mapper.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    context,
    tokens,
    close() {
      closing ??= (async () => {
        accepting = false;
        await new Promise<void>((resolve) => {
          const http = server as Server;
          // A connection whose request is still in flight then closes once it is answered,
          // instead of idling for KEEP_ALIVE_MS and holding close() open.
          http.keepAliveTimeout = 1;
          http.close(() => resolve());
          // Idle keep-alive connections would hold close() open; in-flight requests still finish.
          http.closeIdleConnections();
        });
        await mapper.close();
        await writer.drain();
        await context.budgets.close();
        await alerts.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * With a journal directory and a DuckDB ledger, OTLP exports are answered once journaled and
 * reads wait for the applier; what an earlier run journaled but did not apply is applied first.
 * A ClickHouse ledger is shared by several servers and keeps committing before answering.
 */
async function withJournal(
  ledger: IngestWriter,
  options: StartOptions,
): Promise<{ writer: IngestWriter; reads: Store }> {
  const { store, settings } = options;
  if (!settings.journalDir || store.engine !== 'duckdb') return { writer: ledger, reads: store };
  const { journal, entries, tornBytes } = await openJournal(settings.journalDir);
  if (tornBytes > 0)
    process.stderr.write(
      `tokenyield: dropped a torn last journal entry (${tornBytes} bytes, never acknowledged) in ${settings.journalDir}\n`,
    );
  const writer = journaledWriter(ledger, journal, {
    maxLagRecords: settings.maxQueuedRecords,
    onApplyError: (err) =>
      process.stderr.write(`tokenyield: applying journaled exports, will retry: ${(err as Error).message}\n`),
  });
  if (entries.length > 0) {
    const records = await writer.replay(
      entries,
      (req) => otlpRecords(req, options.directory(), options.priceBook).batch,
    );
    process.stderr.write(
      `tokenyield: replayed ${entries.length} journaled exports (${records} records) into the ledger\n`,
    );
  }
  // A read waits for what was acknowledged when its request began, not for exports that arrive
  // while it runs: under constant ingest a report making several ledger queries would otherwise
  // wait for a commit before each of them.
  return { writer, reads: readYourWrites(store, () => writer.caughtUp(readsFrom.getStore())) };
}
