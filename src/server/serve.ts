/**
 * Runs the server: opens the ledger (this process then owns it), listens, and on SIGINT/SIGTERM
 * stops accepting connections, lets in-flight requests finish and commits every accepted batch
 * before closing the ledger.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { valueModelFromStore } from '../analyses/value/index.js';
import type { ValueModel } from '../analyses/value/model.js';
import type { PeopleDirectory } from '../ledger/people/types.js';
import type { PriceBook } from '../ledger/pricing/index.js';
import type { Store } from '../ledger/store/store.js';
import { createApp } from './app.js';
import { createAuditLog } from './auth/audit.js';
import { createTokenSource, type TokenTable } from './auth/tokens.js';
import type { ServerContext } from './context.js';
import { createIngestWriter } from './ingest/writer.js';
import { createSelfMetrics } from './self-metrics.js';
import type { ServerSettings } from './settings.js';

export interface StartOptions {
  store: Store;
  settings: ServerSettings;
  directory: () => PeopleDirectory;
  priceBook: PriceBook;
  /** Where a tokens file that stopped parsing is reported (the last good tokens stay in force). */
  onTokensError?: (err: Error) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  context: ServerContext;
  tokens: TokenTable;
  /** Graceful stop: refuse new connections, finish requests, commit what was accepted, close the ledger. */
  close(): Promise<void>;
}

/** Caches the value model per ledger generation and people-file version. */
function valueModelCache(store: Store, directory: () => PeopleDirectory, generation: () => number) {
  let cached: { key: string; model: Promise<ValueModel> } | undefined;
  return () => {
    const dir = directory();
    const key = `${generation()}|${dir.version}`;
    if (cached?.key !== key) {
      const model = valueModelFromStore(store, dir);
      cached = { key, model };
      model.catch(() => {
        if (cached?.model === model) cached = undefined;
      });
    }
    return cached.model;
  };
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { store, settings } = options;
  let accepting = true;
  // Late-bound: the metrics gauge reads the writer's queue, the writer reports commits to metrics.
  let queued = () => 0;
  const metrics = createSelfMetrics(() => queued());
  const writer = createIngestWriter(store, {
    maxQueuedRecords: settings.maxQueuedRecords,
    onCommit({ ms }) {
      metrics.commits.inc();
      metrics.commitSeconds.observe(ms / 1000);
    },
  });
  queued = () => writer.queuedRecords;
  const context: ServerContext = {
    store,
    writer,
    directory: options.directory,
    priceBook: options.priceBook,
    settings,
    audit: createAuditLog(settings.auditLog),
    metrics,
    valueModel: valueModelCache(store, options.directory, () => writer.generation),
  };
  const tokens = createTokenSource(settings.tokens, settings.tokensFile, options.onTokensError ?? (() => {}));
  const app = createApp(context, {
    tokens,
    readiness: { ready: () => accepting && writer.queuedRecords < settings.maxQueuedRecords },
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: settings.host, port: settings.port }, () => resolve(s));
    s.once('error', reject);
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
          server.close(() => resolve());
          // Idle keep-alive connections would hold close() open; in-flight requests still finish.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        await writer.drain();
        await store.close();
      })();
      return closing;
    },
  };
}
