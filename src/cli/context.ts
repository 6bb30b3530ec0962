/**
 * What every command needs, built from the global options: the config, the ledger, prices,
 * the local identity and the sources. Commands receive it and only present results.
 *
 * The ledger is opened only when a command needs it: a report whose inputs have not changed
 * since it was last computed is answered from the ledger manifest, without loading the
 * database engine at all (see pipeline/ledger-manifest.ts).
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/config.js';
import { type LocalIdentity, resolveLocalIdentity } from '../ledger/identity.js';
import { localDirectoryFor } from '../ledger/people/local.js';
import type { PeopleDirectory } from '../ledger/people/types.js';
import { type PriceBook, priceBookFor } from '../ledger/pricing/book.js';
import { defaultLedgerPath } from '../ledger/store/ledger-path.js';
import {
  describeStoreLocation,
  openStoreAt,
  parseStoreLocation,
  type StoreLocation,
} from '../ledger/store/location.js';
import type { Store } from '../ledger/store/store.js';
// Only types: the ingest pipelines are loaded when something is to be read (see main.ts).
import type { IngestSummary } from '../pipeline/ingest.js';
import type { WorkIngestSummary } from '../pipeline/ingest-work.js';
import {
  type FileStamp,
  type LedgerManifest,
  manifestIsCurrent,
  readManifest,
  stampOf,
  writeManifest,
} from '../pipeline/ledger-manifest.js';
import { LOCAL_SOURCES } from '../sources/index.js';
import type { SourceEnv } from '../sources/source.js';
import { createProgressBar } from './format/progress.js';

export interface GlobalOptions {
  db?: string;
  /** `clickhouse://host:port/database` (or a DuckDB path): the ledger, when not the local file. */
  store?: string;
  config?: string;
}

/** `--db` and `--config`, accepted by the root and by every command. */
export function withGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'ledger file (default: $TOKENYIELD_DB or ~/.tokenyield/ledger.duckdb)')
    .option(
      '--store <url>',
      'ledger on ClickHouse, clickhouse://host:port/db (default: $TOKENYIELD_STORE, config store)',
    )
    .option('--config <path>', 'config file (default: $TOKENYIELD_CONFIG or ~/.tokenyield/config.json)');
}

export interface ReportRun<T> {
  result: T;
  /** The ingest that ran first, if one ran (absent when the answer came from the manifest). */
  summary?: IngestSummary;
}

/** Where outcomes are read from: the config's `outcomes` plus command-line additions. */
export interface OutcomeTargets {
  git: string[];
  github: string[];
  files: string[];
  aiLabels?: string[];
}

export interface CommandContext {
  dbPath: string;
  /** The ledger: the DuckDB file at `dbPath`, or a ClickHouse database. */
  store: StoreLocation;
  /** The ledger's location for messages (no password). */
  storeLabel: string;
  config: Config;
  home: string;
  priceBook: PriceBook;
  /** Expands a leading `~` to the home directory. */
  expand: (path: string) => string;
  /** The configured people file (env TOKENYIELD_PEOPLE over config), expanded; undefined when none. */
  peopleFile: string | undefined;
  /** The configured outcome sources plus `extra`; undefined when there are none at all. */
  outcomeTargets: (
    extra: Partial<Record<'git' | 'github' | 'files', string[]>>,
  ) => OutcomeTargets | undefined;
  /** The people directory: the configured people file, else everyone is the local user. */
  directory: () => Promise<PeopleDirectory>;
  /** Runs `compute` on the ledger as it is (no ingest first). */
  withStore: <T>(compute: (store: Store) => Promise<T>) => Promise<T>;
  /** Reads outcome sources into the ledger. */
  ingestOutcomes: (targets: OutcomeTargets) => Promise<WorkIngestSummary>;
  personId: string;
  /** Reads new local usage into the ledger and prints nothing; returns the summary. */
  ingestLocal: (opts: { progress: boolean }) => Promise<IngestSummary>;
  /**
   * Computes a report on an up-to-date ledger: reads new local usage first (unless `ingest` is
   * false), or answers from the manifest when neither the logs nor the ledger changed since the
   * same report (`key`) was computed.
   */
  report: <T>(
    key: string,
    opts: { ingest: boolean; progress: boolean },
    compute: (store: Store) => Promise<T>,
  ) => Promise<ReportRun<T>>;
}

/*
 * What a command writes is one person's new local usage, in batches (pipeline/ingest.ts) that fit
 * the embedded engine's 64MB; its reports keep the engine's default (DEFAULT_MEMORY_LIMIT in
 * store/duckdb), sized for large session reports. A server (serve-run.ts) has one limit of its
 * own for both, `server.ledgerMemory`.
 */
const WRITE_MEMORY_LIMIT = '64MB';

async function openStore(location: StoreLocation): Promise<Store> {
  // Loaded on demand: the engine's bindings are the slowest part of start-up.
  return openStoreAt(location, { writeMemoryLimit: WRITE_MEMORY_LIMIT });
}

/**
 * The ledger named by the options: `--store` or `--db` (not both), else `TOKENYIELD_STORE` or
 * `TOKENYIELD_DB`, else config `store`, else the DuckDB file at `dbPath`.
 */
export function resolveStoreLocation(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv,
  configured: string | undefined,
  dbPath: string,
): StoreLocation {
  if (opts.store !== undefined && opts.db !== undefined) {
    throw new Error('Give either --store or --db, not both.');
  }
  if (opts.store !== undefined) return parseStoreLocation(opts.store);
  if (opts.db === undefined && !env.TOKENYIELD_DB) {
    const named = env.TOKENYIELD_STORE || configured;
    if (named) return parseStoreLocation(named);
  }
  return { engine: 'duckdb', path: dbPath };
}

/** The ledger file's stamp once closed; a missing WAL is part of "unchanged". */
function ledgerStamp(dbPath: string): FileStamp | null {
  return stampOf(`${dbPath}.wal`) === null ? stampOf(dbPath) : null;
}

function sameStamp(a: FileStamp | null | undefined, b: FileStamp | null): boolean {
  return !!a && !!b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

type ManifestWithLedger = LedgerManifest & { ledger?: FileStamp };

export async function openContext(opts: GlobalOptions): Promise<CommandContext> {
  const env = process.env;
  const home = env.HOME || homedir();
  const { config } = await loadConfig(opts.config, env, home);
  const priceBook = priceBookFor(config.pricing);
  // Resolved on first use: it may run git, and a report answered from the manifest never needs it.
  let resolvedIdentity: LocalIdentity | undefined;
  const identity = () => {
    resolvedIdentity ??= resolveLocalIdentity(config.identity?.person, env);
    return resolvedIdentity;
  };
  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? join(home, p.slice(1)) : p);
  const configuredLedger = config.ledger === undefined ? undefined : expand(config.ledger);
  const dbPath = opts.db ?? (env.TOKENYIELD_DB || configuredLedger) ?? defaultLedgerPath(env, home);
  const location = resolveStoreLocation(opts, env, config.store, dbPath);
  // The manifest caches reports against the ledger file's stamp; a server's database has none.
  const cacheable = location.engine === 'duckdb' && location.path === dbPath;
  const sourceEnv: SourceEnv = { env, homeDir: home };

  async function runIngest(store: Store, progress: boolean, files: LedgerManifest['files']) {
    const { ingest } = await import('../pipeline/ingest.js');
    const bar = progress ? createProgressBar() : undefined;
    try {
      return await ingest({
        store,
        sources: LOCAL_SOURCES,
        env: sourceEnv,
        priceBook,
        identity: identity(),
        onProgress: bar?.update,
        flushRecords: positiveInt(env.TOKENYIELD_INGEST_BATCH_RECORDS),
        onFileCovered(source, path, stamp) {
          const known = files[source] ?? {};
          known[path] = stamp;
          files[source] = known;
        },
      });
    } finally {
      bar?.done();
    }
  }

  /** Records what the ledger now covers; cached reports survive only if nothing was written. */
  function saveManifest(
    files: LedgerManifest['files'],
    summary: IngestSummary,
    previous: ManifestWithLedger | null,
    reports: Record<string, unknown>,
  ): void {
    const unchanged =
      summary.repriced === 0 && summary.sources.every((s) => s.filesRead === 0 && s.unreadable.length === 0);
    const manifest: ManifestWithLedger = {
      format: 1,
      priceVersion: priceBook.version,
      files,
      reports: { ...(unchanged && previous ? previous.reports : {}), ...reports },
    };
    const ledger = ledgerStamp(dbPath);
    if (ledger) manifest.ledger = ledger;
    writeManifest(dbPath, manifest);
  }

  async function withStore<T>(compute: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(location);
    try {
      return await compute(store);
    } finally {
      await store.close();
    }
  }

  const configuredPeople = env.TOKENYIELD_PEOPLE || config.people;
  const peopleFile = configuredPeople ? expand(configuredPeople) : undefined;
  return {
    dbPath,
    store: location,
    storeLabel: describeStoreLocation(location),
    config,
    home,
    priceBook,
    expand,
    peopleFile,
    get personId() {
      return identity().personId;
    },
    async directory() {
      if (!peopleFile) return localDirectoryFor(identity());
      // The loader brings YAML, CSV and zod parsers: only for commands that read a people file.
      const { loadPeopleFile } = await import('../ledger/people/load.js');
      return loadPeopleFile(peopleFile);
    },
    withStore,
    outcomeTargets(extra) {
      const configured = config.outcomes ?? {};
      const targets: OutcomeTargets = {
        git: [...(configured.git ?? []), ...(extra.git ?? [])].map(expand),
        github: [...(configured.github ?? []), ...(extra.github ?? [])].map(expand),
        files: [...(configured.files ?? []), ...(extra.files ?? [])].map(expand),
        ...(configured.aiLabels ? { aiLabels: configured.aiLabels } : {}),
      };
      const any = targets.git.length + targets.github.length + targets.files.length > 0;
      return any ? targets : undefined;
    },
    ingestOutcomes: (targets) =>
      withStore(async (store) =>
        (await import('../pipeline/ingest-work.js')).ingestWork({ store, ...targets }),
      ),
    async ingestLocal({ progress }) {
      const previous = readManifest(dbPath) as ManifestWithLedger | null;
      const files: LedgerManifest['files'] = {};
      const store = await openStore(location);
      let summary: IngestSummary;
      try {
        summary = await runIngest(store, progress, files);
      } finally {
        await store.close();
      }
      if (cacheable) saveManifest(files, summary, previous, {});
      return summary;
    },
    async report(key, { ingest: withIngest, progress }, compute) {
      const manifest = readManifest(dbPath) as ManifestWithLedger | null;
      const cacheKey = `${priceBook.version}|${key}`;
      if (
        cacheable &&
        manifest &&
        cacheKey in manifest.reports &&
        sameStamp(manifest.ledger, ledgerStamp(dbPath))
      ) {
        const current = withIngest
          ? await manifestIsCurrent(manifest, LOCAL_SOURCES, sourceEnv, priceBook.version)
          : manifest.priceVersion === priceBook.version;
        if (current) return { result: manifest.reports[cacheKey] as Awaited<ReturnType<typeof compute>> };
      }
      const files: LedgerManifest['files'] = {};
      const store = await openStore(location);
      let summary: IngestSummary | undefined;
      let result: Awaited<ReturnType<typeof compute>>;
      try {
        if (withIngest) summary = await runIngest(store, progress, files);
        result = await compute(store);
      } finally {
        await store.close();
      }
      if (summary && cacheable) saveManifest(files, summary, manifest, { [cacheKey]: result });
      return { result, summary };
    },
  };
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}
