/**
 * The DuckDB ledger schema as an ordered list of migrations. A migration, once released, is never
 * edited: files written by earlier builds are brought forward by applying only the migrations they
 * lack, each in its own transaction, and a file written by a newer build is refused rather than
 * guessed at.
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { StoreSchemaError } from '../store.js';
import { workTableStatements } from './work-tables.js';

export interface Migration {
  /** Strictly increasing from 1, without gaps. */
  version: number;
  name: string;
  statements: readonly string[];
}

/*
 * `usage` and `activity` deliberately carry no PRIMARY KEY index although `id` is their key.
 * DuckDB keeps ART indexes resident and counts them against memory_limit: measured on 1.5.6,
 * ~100 bytes per VARCHAR key (~50 per 64-bit hashed key); inserts into a keyed table failed with
 * "Out of Memory" at memory_limit 192MB after ~1.5M ids, and a ledger only grows. Uniqueness of
 * `id` is kept by the store's write path instead: every write merges against the stored ids with
 * set-based SQL, and DuckDB's file lock guarantees that a single process writes.
 */
const INITIAL: readonly string[] = [
  `CREATE TABLE usage (
    id VARCHAR NOT NULL,
    ts TIMESTAMPTZ NOT NULL,
    source VARCHAR NOT NULL,
    tool VARCHAR NOT NULL,
    session_id VARCHAR NOT NULL,
    parent_session_id VARCHAR,
    request_id VARCHAR,
    message_id VARCHAR,
    model VARCHAR,
    provider VARCHAR NOT NULL,
    speed VARCHAR,
    service_tier VARCHAR,
    inference_geo VARCHAR,
    input_uncached BIGINT NOT NULL,
    cache_read BIGINT NOT NULL,
    cache_write_5m BIGINT NOT NULL,
    cache_write_1h BIGINT NOT NULL,
    cache_write_other BIGINT NOT NULL,
    output BIGINT NOT NULL,
    reasoning BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    web_search_requests INTEGER NOT NULL,
    credits DOUBLE,
    reported_cost_usd DOUBLE,
    cwd VARCHAR,
    git_branch VARCHAR,
    project VARCHAR,
    is_subagent BOOLEAN NOT NULL,
    is_sidechain BOOLEAN NOT NULL,
    granularity VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    raw_identity VARCHAR NOT NULL,
    cost_usd DOUBLE,
    cost_basis VARCHAR NOT NULL,
    price_version VARCHAR,
    superseded BOOLEAN NOT NULL DEFAULT false
  )`,
  `CREATE TABLE activity (
    id VARCHAR NOT NULL,
    ts TIMESTAMPTZ NOT NULL,
    source VARCHAR NOT NULL,
    tool VARCHAR NOT NULL,
    session_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    name VARCHAR,
    prompt_length INTEGER,
    prompt_fingerprint VARCHAR,
    lines_added INTEGER NOT NULL,
    lines_removed INTEGER NOT NULL,
    ref VARCHAR,
    cwd VARCHAR,
    git_branch VARCHAR,
    is_subagent BOOLEAN NOT NULL,
    origin VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL
  )`,
  `CREATE TABLE file_checkpoints (
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    file_id VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    mtime_ms DOUBLE NOT NULL,
    byte_offset BIGINT NOT NULL,
    head_hash VARCHAR NOT NULL,
    state VARCHAR,
    PRIMARY KEY (source, path)
  )`,
  'CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
];

/*
 * Without an index, a write that looks its ids up in the stored VARCHAR columns decompresses and
 * hashes every stored string, so a write cost grew with the ledger (the 2.5M-row demo organisation:
 * 0.5 s per 10k-row batch at the start, 1.6 s at the end). These 64-bit keys let the write path
 * probe a narrow integer column instead and read strings only for the rows that matched.
 * The key is the top half of MD5, not DuckDB's hash(): hash() is an engine detail that may change
 * between DuckDB releases, and keys stored by one release must match keys computed by the next.
 * `keyHash` in duckdb-store.ts computes the same expression for new rows. message_hash is NULL
 * exactly when message_id is. Not NOT NULL: DuckDB refuses to add the constraint in the
 * transaction that filled the column (it must not be left half-migrated).
 */
const KEY_HASHES: readonly string[] = [
  'ALTER TABLE usage ADD COLUMN id_hash UBIGINT',
  'ALTER TABLE usage ADD COLUMN message_hash UBIGINT',
  'ALTER TABLE activity ADD COLUMN id_hash UBIGINT',
  `UPDATE usage SET id_hash = CAST(md5_number(id) >> 64 AS UBIGINT),
    message_hash = CAST(md5_number(message_id) >> 64 AS UBIGINT)`,
  'UPDATE activity SET id_hash = CAST(md5_number(id) >> 64 AS UBIGINT)',
];

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', statements: INITIAL },
  { version: 2, name: 'outcomes', statements: workTableStatements() },
  { version: 3, name: 'key-hashes', statements: KEY_HASHES },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings the database behind `connection` up to the last of `migrations`. `path` only labels errors.
 * With `readOnly`, nothing is written: a file that needs migrating is an error, since a reader must
 * not interpret tables whose shape it does not know.
 */
export async function migrate(
  connection: DuckDBConnection,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
  readOnly = false,
): Promise<MigrationOutcome> {
  assertOrdered(migrations);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (!readOnly) {
    await connection.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
  }
  const current = await currentVersion(connection);
  if (current > latest) throw new StoreSchemaError(path, current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return { from: current, to: current };
  if (readOnly) {
    throw new Error(
      `The ledger ${path} is at schema version ${current} and needs migrating to ${latest}; open it for writing once to migrate it.`,
    );
  }
  for (const migration of pending) {
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run('INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)', [
        migration.version,
        migration.name,
      ]);
      // Mirrored into meta so that readers of the Store interface can see it without engine SQL.
      await connection.run(
        "INSERT INTO meta VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(migration.version)],
      );
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw new Error(
        `Migrating the ledger ${path} to schema version ${migration.version} (${migration.name}) failed: ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
  return { from: current, to: latest };
}

async function currentVersion(connection: DuckDBConnection): Promise<number> {
  const exists = await connection.runAndReadAll(
    "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main' AND NOT temporary AND database_name = current_database()",
  );
  if (exists.getRows()[0]?.[0] === 0) return 0;
  const reader = await connection.runAndReadAll(
    'SELECT coalesce(max(version), 0)::INTEGER FROM schema_migrations',
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration list is out of order: position ${i} holds version ${m.version}.`);
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
