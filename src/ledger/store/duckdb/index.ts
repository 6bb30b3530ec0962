/**
 * The embedded DuckDB implementation of the ledger `Store`.
 * @module
 */
export {
  DEFAULT_MEMORY_LIMIT,
  DEFAULT_THREADS,
  type DuckDbStoreOptions,
  defaultLedgerPath,
  openDuckDbStore,
} from './duckdb-store.js';
export { MIGRATIONS, type Migration, type MigrationOutcome, migrate, SCHEMA_VERSION } from './migrations.js';
