/**
 * `tokenyield push` without the command line: asks the server what it accepts, then runs the
 * local ingest pipeline with the server as its ledger.
 * @module
 */
import type { LocalIdentity } from '../../ledger/identity.js';
import type { PriceBook } from '../../ledger/pricing/index.js';
import { type IngestProgress, type IngestSummary, ingest } from '../../pipeline/ingest.js';
import { type PushInfo, pushInfoSchema } from '../../server/push/wire.js';
import type { FileSource, SourceEnv } from '../../sources/source.js';
import { createPushClient, PushError } from './client.js';
import { RemoteStore } from './remote-store.js';

export interface PushOptions {
  server: string;
  token: string;
  sources: readonly FileSource[];
  env: SourceEnv;
  identity: LocalIdentity;
  /** ingest() prices while reading; the server discards that and prices with its own table. */
  priceBook: PriceBook;
  onProgress?: (p: IngestProgress) => void;
  flushRecords?: number;
  fetch?: typeof fetch;
}

export interface PushOutcome {
  server: string;
  info: PushInfo;
  /** HTTP requests the push took. */
  requests: number;
  summary: IngestSummary;
}

export async function pushLocalUsage(options: PushOptions): Promise<PushOutcome> {
  const client = createPushClient({ server: options.server, token: options.token, fetch: options.fetch });
  const parsed = pushInfoSchema.safeParse(await client.get('/api/v1/push', 'connecting'));
  if (!parsed.success)
    throw new PushError(
      `${client.server} does not speak the push protocol this tokenyield sends (version 1).`,
    );
  const store = new RemoteStore(client, parsed.data, options.identity.raw);
  const summary = await ingest({
    store,
    sources: options.sources,
    env: options.env,
    priceBook: options.priceBook,
    identity: options.identity,
    onProgress: options.onProgress,
    flushRecords: options.flushRecords,
  });
  return { server: client.server, info: parsed.data, requests: client.requests, summary };
}
