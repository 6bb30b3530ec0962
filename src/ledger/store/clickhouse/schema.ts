/**
 * The ClickHouse ledger schema as ordered migrations, and how a database is brought up to date.
 *
 * Every table is a ReplacingMergeTree: ClickHouse has no unique keys or updates, so a changed row
 * is written again with a higher version (`ver`, or `wm` for roll-ups) and reads pick the highest
 * version of each key (`FINAL` or `argMax`), which is what merges keep in the end. Reads are
 * therefore correct before merges, and any number of writers may insert at once.
 *
 * - `usage` is keyed by (`k_day`, `k_person`, `id`): the UTC day and person of the first copy of a
 *   call that reached the ledger. Later copies reuse the stored key so that they replace it, and
 *   copies of one message (main chain and sidechain) share it, so that everything a row's fate
 *   depends on sits in one (day, person) unit. Units are what the roll-up recomputes.
 * - `superseded` marks a sidechain copy whose message has a live main-chain copy; the write that
 *   changes it writes the row again, as DuckDB updates its column.
 * - `usage_rollup` holds, per unit, quarter-hour sums per person, tool, model and project; a
 *   quarter hour divides every UTC offset in use, so any time zone's days are whole sums of it.
 * - Timestamps are epoch milliseconds in Int64 (18.16 has no DateTime64).
 * @module
 */
import { StoreSchemaError } from '../store.js';
import { WORK_TABLES, type WorkColumnType } from '../work-columns.js';
import type { Connection } from './connection.js';
import { type Sql, sql, trusted } from './sql.js';
import type { ServerFeatures } from './version.js';

export interface Migration {
  version: number;
  name: string;
  statements: (features: ServerFeatures) => Sql[];
}

/** Column types that depend on the server: dictionary-encoded names where LowCardinality is available. */
function types(features: ServerFeatures) {
  const low = features.lowCardinality;
  return {
    /** A repeated name that is never null (tool, source …). */
    name: low ? 'LowCardinality(String)' : 'String',
    /** A repeated name that may be null (model, speed …). */
    nullableName: low ? 'LowCardinality(Nullable(String))' : 'Nullable(String)',
  };
}

function usageTable(features: ServerFeatures): Sql {
  const t = types(features);
  return trusted(`CREATE TABLE IF NOT EXISTS usage (
    k_day Date,
    k_person String,
    id String,
    ver UInt64,
    deleted UInt8,
    ts_ms Int64,
    source ${t.name},
    tool ${t.name},
    session_id String,
    parent_session_id Nullable(String),
    request_id Nullable(String),
    message_id Nullable(String),
    model ${t.nullableName},
    provider ${t.name},
    speed ${t.nullableName},
    service_tier ${t.nullableName},
    inference_geo ${t.nullableName},
    input_uncached Int64,
    cache_read Int64,
    cache_write_5m Int64,
    cache_write_1h Int64,
    cache_write_other Int64,
    output Int64,
    reasoning Int64,
    total_tokens Int64,
    web_search_requests Int64,
    credits Nullable(Float64),
    reported_cost_usd Nullable(Float64),
    cwd Nullable(String),
    git_branch Nullable(String),
    project ${t.nullableName},
    is_subagent UInt8,
    is_sidechain UInt8,
    superseded UInt8,
    granularity ${t.name},
    origin String,
    person_id String,
    raw_identity String,
    cost_usd Nullable(Float64),
    cost_basis ${t.name},
    price_version ${t.nullableName}
  ) ENGINE = ReplacingMergeTree(ver) PARTITION BY toYYYYMM(k_day) ORDER BY (k_day, k_person, id)`);
}

function activityTable(features: ServerFeatures): Sql {
  const t = types(features);
  return trusted(`CREATE TABLE IF NOT EXISTS activity (
    k_day Date,
    session_id String,
    id String,
    ver UInt64,
    deleted UInt8,
    ts_ms Int64,
    source ${t.name},
    tool ${t.name},
    kind ${t.name},
    name ${t.nullableName},
    prompt_length Nullable(Int64),
    prompt_fingerprint Nullable(String),
    lines_added Int64,
    lines_removed Int64,
    ref Nullable(String),
    cwd Nullable(String),
    git_branch Nullable(String),
    is_subagent UInt8,
    origin String,
    person_id String
  ) ENGINE = ReplacingMergeTree(ver) PARTITION BY toYYYYMM(k_day) ORDER BY (session_id, id)`);
}

/*
 * One row per unit, its groups in parallel arrays: a recompute replaces the whole unit with one
 * row, and `FINAL` keeps the newest (highest watermark) per unit in a single read. Rows per group
 * with a unit-level "newest only" filter were tried first: correct, but at 12 M groups 18.16 needed
 * more than 2 GB to pick each unit's newest rows, where FINAL over 450,000 unit rows took 2.5 s.
 */
function rollupTable(features: ServerFeatures): Sql {
  const t = types(features);
  return trusted(`CREATE TABLE IF NOT EXISTS usage_rollup (
    k_day Date,
    k_person String,
    wm UInt64,
    bucket Array(UInt32),
    person_id Array(String),
    tool Array(${t.name}),
    model Array(${t.name}),
    has_model Array(UInt8),
    project Array(${t.name}),
    has_project Array(UInt8),
    input_uncached Array(Int64),
    cache_read Array(Int64),
    cache_write_5m Array(Int64),
    cache_write_1h Array(Int64),
    cache_write_other Array(Int64),
    output Array(Int64),
    reasoning Array(Int64),
    cost_usd Array(Float64),
    credits Array(Float64),
    calls Array(Int64),
    unpriced_calls Array(Int64),
    first_ts Array(Int64),
    last_ts Array(Int64)
  ) ENGINE = ReplacingMergeTree(wm) PARTITION BY toYYYYMM(k_day) ORDER BY (k_day, k_person)`);
}

const INITIAL_SMALL_TABLES: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS file_checkpoints (
    source String,
    path String,
    ver UInt64,
    file_id String,
    size Int64,
    mtime_ms Float64,
    byte_offset Int64,
    head_hash String,
    state Nullable(String)
  ) ENGINE = ReplacingMergeTree(ver) ORDER BY (source, path)`,
  'CREATE TABLE IF NOT EXISTS meta (key String, ver UInt64, value String) ENGINE = ReplacingMergeTree(ver) ORDER BY key',
  `CREATE TABLE IF NOT EXISTS work_checkpoints (
    source String,
    key String,
    ver UInt64,
    state String
  ) ENGINE = ReplacingMergeTree(ver) ORDER BY (source, key)`,
];

const WORK_SQL_TYPES: Record<WorkColumnType, string> = {
  text: 'String',
  int: 'Int64',
  bool: 'UInt8',
  ts: 'Int64',
  json: 'String',
};

/** The outcome tables, from the column layout every engine shares (work-columns.ts). */
export function workTableStatements(): Sql[] {
  return WORK_TABLES.map((table) => {
    const columns = table.columns.map((c) => {
      const type = WORK_SQL_TYPES[c.type];
      return `${c.name} ${c.nullable ? `Nullable(${type})` : type}`;
    });
    return trusted(
      `CREATE TABLE IF NOT EXISTS ${table.table} (${[...columns, 'ver UInt64'].join(', ')}) ENGINE = ReplacingMergeTree(ver) ORDER BY id`,
    );
  });
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: (features) => [
      usageTable(features),
      activityTable(features),
      rollupTable(features),
      ...INITIAL_SMALL_TABLES.map(trusted),
      ...workTableStatements(),
    ],
  },
];

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export interface MigrationOutcome {
  from: number;
  to: number;
}

/*
 * Statements are idempotent (IF NOT EXISTS) and a migration is recorded only after all of its
 * statements ran, so that servers starting together, or a start that died half-way, converge:
 * whoever runs a migration again changes nothing and records the same version.
 */
export async function migrate(
  connection: Connection,
  features: ServerFeatures,
  label: string,
  migrations: readonly Migration[] = MIGRATIONS,
  readOnly = false,
): Promise<MigrationOutcome> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration list is out of order: position ${i} holds version ${m.version}.`);
  });
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (!readOnly) {
    await connection.command(
      sql`CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime) ENGINE = MergeTree ORDER BY version`,
    );
  }
  const current = await currentVersion(connection);
  if (current > latest) throw new StoreSchemaError(label, current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length > 0 && readOnly) {
    throw new Error(
      `The ledger ${label} is at schema version ${current} and needs migrating to ${latest}; open it for writing once to migrate it.`,
    );
  }
  for (const migration of pending) {
    try {
      for (const statement of migration.statements(features)) await connection.command(statement);
      await connection.insert('schema_migrations', [
        { version: migration.version, name: migration.name, applied_at: Math.floor(Date.now() / 1000) },
      ]);
      await connection.insert('meta', [
        { key: 'schema_version', ver: Date.now() * 1000, value: String(migration.version) },
      ]);
    } catch (error) {
      throw new Error(
        `Migrating the ledger ${label} to schema version ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return { from: current, to: Math.max(current, latest) };
}

async function currentVersion(connection: Connection): Promise<number> {
  const exists = await connection.rows<{ n: string }>(
    sql`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'`,
  );
  if (Number(exists[0]?.n ?? 0) === 0) return 0;
  const rows = await connection.rows<{ v: number }>(sql`SELECT max(version) AS v FROM schema_migrations`);
  return Number(rows[0]?.v ?? 0);
}
