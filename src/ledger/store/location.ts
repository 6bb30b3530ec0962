/**
 * Where the ledger lives, as the user names it (`--store`, `TOKENYIELD_STORE`, config `store`), and
 * opening it: a `clickhouse://host:port/database` URL selects the ClickHouse store, anything else
 * (a path, or `duckdb:PATH`) the embedded DuckDB file. Engines are loaded on demand, so a command
 * never pays for the engine it does not use.
 * @module
 */
import type { Store } from './store.js';

export type StoreLocation = { engine: 'duckdb'; path: string } | { engine: 'clickhouse'; url: string };

const CLICKHOUSE = /^clickhouse:\/\//i;

/** Reads a store location; throws on an empty one or an unsupported URL scheme. */
export function parseStoreLocation(text: string): StoreLocation {
  const value = text.trim();
  if (value === '')
    throw new Error('The store location is empty: give a file path or clickhouse://host:port/db.');
  if (CLICKHOUSE.test(value)) return { engine: 'clickhouse', url: value };
  if (/^duckdb:/i.test(value)) return { engine: 'duckdb', path: value.replace(/^duckdb:(\/\/)?/i, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(
      `Unsupported store '${value}': use a DuckDB file path or clickhouse://host:port/database.`,
    );
  }
  return { engine: 'duckdb', path: value };
}

/** The location for messages, without any password. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.engine === 'duckdb') return location.path;
  try {
    const url = new URL(location.url);
    url.password = '';
    url.username = '';
    return url.toString();
  } catch {
    return 'clickhouse://…';
  }
}

export interface OpenStoreOptions {
  readOnly?: boolean;
  /** The embedded engine's memory limit (DuckDB `memory_limit`); DEFAULT_MEMORY_LIMIT when omitted. */
  memoryLimit?: string;
  /** The embedded engine's memory limit while it writes (DuckDB `memory_limit`); reads keep `memoryLimit`. */
  writeMemoryLimit?: string;
  /** The embedded engine keeps the ledger's keys in memory (DuckDbStoreOptions.keyFilter): for long-running writers. */
  keyFilter?: boolean;
}

export async function openStoreAt(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.engine === 'clickhouse') {
    const { openClickHouseStore } = await import('./clickhouse/index.js');
    return openClickHouseStore({ url: location.url, readOnly: options.readOnly });
  }
  const { openDuckDbStore } = await import('./duckdb/index.js');
  return openDuckDbStore({
    path: location.path,
    readOnly: options.readOnly,
    memoryLimit: options.memoryLimit,
    writeMemoryLimit: options.writeMemoryLimit,
    keyFilter: options.keyFilter,
  });
}
