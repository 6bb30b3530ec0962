/**
 * The ClickHouse implementation of the ledger `Store`, for organisations too large for one
 * embedded file (see docs/clickhouse.md).
 * @module
 */
export { type ClickHouseStoreOptions, openClickHouseStore } from './clickhouse-store.js';
export { type ClickHouseTarget, describeTarget, parseClickHouseUrl } from './connection.js';
export { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
