/**
 * What every command needs, built from the global options: the config, the ledger, prices,
 * the local identity and the sources. Commands receive it and only present results.
 * @module
 */
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { resolveLocalIdentity } from '../ledger/identity.js';
import { createPriceBook } from '../ledger/pricing/index.js';
import { defaultLedgerPath, openDuckDbStore } from '../ledger/store/duckdb/index.js';
import type { Store } from '../ledger/store/store.js';
import { type IngestSummary, ingest } from '../pipeline/ingest.js';
import { LOCAL_SOURCES } from '../sources/index.js';
import { createProgressBar } from './format/progress.js';

export interface GlobalOptions {
  db?: string;
  config?: string;
}

/** `--db` and `--config`, accepted by the root and by every command. */
export function withGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'ledger file (default: $TOKENYIELD_DB or ~/.tokenyield/ledger.duckdb)')
    .option('--config <path>', 'config file (default: $TOKENYIELD_CONFIG or ~/.tokenyield/config.json)');
}

export interface CommandContext {
  store: Store;
  dbPath: string;
  ingestLocal: (opts: { progress: boolean }) => Promise<IngestSummary>;
  personId: string;
  close: () => Promise<void>;
}

export async function openContext(opts: GlobalOptions): Promise<CommandContext> {
  const env = process.env;
  const home = env.HOME || homedir();
  const { config } = loadConfig(opts.config, env, home);
  const priceBook = createPriceBook(config.pricing);
  const identity = resolveLocalIdentity(config.identity?.person, env);
  const dbPath = opts.db ?? defaultLedgerPath();
  const store = await openDuckDbStore({ path: dbPath });
  return {
    store,
    dbPath,
    personId: identity.personId,
    async ingestLocal({ progress }) {
      const bar = progress ? createProgressBar() : undefined;
      try {
        return await ingest({
          store,
          sources: LOCAL_SOURCES,
          env: { env, homeDir: home },
          priceBook,
          identity,
          onProgress: bar?.update,
          flushRecords: positiveInt(env.TOKENYIELD_INGEST_BATCH_RECORDS),
        });
      } finally {
        bar?.done();
      }
    },
    close: () => store.close(),
  };
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}
