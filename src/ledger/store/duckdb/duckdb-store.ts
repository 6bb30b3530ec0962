/**
 * The embedded DuckDB ledger: the default `Store`. Writes go through TEMP staging tables filled by
 * the appender and are merged with set-based SQL inside one transaction, which keeps ingestion of
 * a large history fast while DuckDB's `memory_limit` bounds the engine's share of the process.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  TIMESTAMPTZ,
  timestampTZValue,
  VARCHAR,
} from '@duckdb/node-api';
import {
  type ActivityRecord,
  type Provider,
  type SourceId,
  type Tool,
  totalTokens,
  type UsageRecord,
} from '../../records.js';
import {
  type CostUpdate,
  type FileCheckpoint,
  type PricingRow,
  type Store,
  StoreLockedError,
  type UsageGrouping,
  type UsageGroupRow,
  type UsageQuery,
  type WriteBatch,
  type WriteResult,
} from '../store.js';
import { migrate } from './migrations.js';

export interface DuckDbStoreOptions {
  path: string;
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. `'192MB'`. */
  memoryLimit?: string;
  threads?: number;
}

export const DEFAULT_MEMORY_LIMIT = '96MB';
export const DEFAULT_THREADS = 2;

/** `$TOKENYIELD_DB` when set, else `~/.tokenyield/ledger.duckdb`. */
export function defaultLedgerPath(
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): string {
  const fromEnv = env.TOKENYIELD_DB;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(home, '.tokenyield', 'ledger.duckdb');
}

/*
 * DuckDB's lock is an OS file lock, which a process does not take against itself: a second
 * instance on the same file inside this process would open without complaint and the two would
 * corrupt each other. This set closes that gap.
 */
const openInThisProcess = new Set<string>();

export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  const threads = options.threads ?? DEFAULT_THREADS;
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`threads must be a positive integer, got ${threads}`);
  const inMemory = options.path === ':memory:';
  const path = inMemory ? options.path : resolve(options.path);
  if (!inMemory && openInThisProcess.has(path)) {
    throw new StoreLockedError(path, `already open in this process, pid ${process.pid}`);
  }
  if (!inMemory && !readOnly) mkdirSync(dirname(path), { recursive: true });

  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    threads: String(threads),
    // Row order within a table carries no meaning here, and keeping it costs memory on inserts.
    preserve_insertion_order: 'false',
    // A CLI that records spend must never reach out to the network to fetch an extension.
    autoinstall_known_extensions: 'false',
    // Without these, memory freed after each write stays with the allocator, and resident memory
    // measured ~100 MB above what DuckDB itself reports as in use.
    allocator_background_threads: 'true',
    allocator_flush_threshold: '16MB',
    // Spill files beside the ledger rather than in whatever directory the CLI was started from.
    ...(inMemory ? {} : { temp_directory: `${path}.tmp` }),
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    try {
      await attachLedger(connection, path, readOnly);
    } catch (error) {
      const detail = lockDetail(messageOf(error));
      if (detail !== undefined) throw new StoreLockedError(path, detail);
      throw new Error(`Cannot open the ledger ${path}: ${messageOf(error)}`, { cause: error });
    }
    if (!inMemory) openInThisProcess.add(path);
    // Timestamps are stored as instants; only explicit per-query zones may shape what users see.
    await connection.run("SET GLOBAL TimeZone = 'UTC'");
    await migrate(connection, path, undefined, readOnly);
    await assertColumnOrder(connection, path);
    return new DuckDbStore(path, instance, connection, readOnly, inMemory);
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    openInThisProcess.delete(path);
    throw error;
  }
}

/** The name the ledger file is attached under; every connection of a store uses it as default. */
const LEDGER = 'ledger';

/*
 * Row groups of 16k rows instead of DuckDB's 122,880: a transaction keeps its appended rows in
 * memory until a row group fills (then writes it to the file), and a checkpoint compresses whole
 * row groups, so this size bounds the memory of large writes. A 150k-row usage batch failed with
 * "Out of Memory" at memory_limit 64MB with the default size.
 */
const ROW_GROUP_SIZE = 16_384;

async function attachLedger(connection: DuckDBConnection, path: string, readOnly: boolean): Promise<void> {
  // ATTACH takes no parameters; a quoted literal with doubled quotes is exact for any path.
  const literal = `'${path.replaceAll("'", "''")}'`;
  const options = [...(readOnly ? ['READ_ONLY'] : []), `ROW_GROUP_SIZE ${ROW_GROUP_SIZE}`];
  await connection.run(`ATTACH ${literal} AS ${LEDGER} (${options.join(', ')})`);
  await connection.run(`USE ${LEDGER}`);
}

/**
 * The appender fills tables by position, so a migration that reorders or adds columns without the
 * column lists below following would shift values into the wrong columns; refuse to open instead.
 */
async function assertColumnOrder(connection: DuckDBConnection, path: string): Promise<void> {
  for (const [table, columns] of APPENDED_TABLES) {
    const reader = await connection.runAndReadAll(
      `SELECT column_name FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table
       ORDER BY column_index`,
      { table },
      { table: VARCHAR },
    );
    const actual = reader.getRows().map(([name]) => String(name));
    const expected = columns.map((c) => c.name);
    if (actual.join(',') !== expected.join(',')) {
      throw new Error(
        `The ledger ${path} has table ${table} with columns (${actual.join(', ')}); this build writes (${expected.join(', ')}).`,
      );
    }
  }
}

/** Reads the holder out of DuckDB's lock message, e.g. `pid 4242, /usr/bin/node`. */
function lockDetail(message: string): string | undefined {
  if (!/could not set lock on file/i.test(message)) return undefined;
  const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  return holder ? `pid ${holder[2]}, ${holder[1]}` : message;
}

/** How a value is handed to the appender; the appender casts it to the column's declared type. */
type AppendKind = 'varchar' | 'double' | 'boolean' | 'timestamp';
type CellValue = string | number | boolean | null;

interface Column<R> {
  /** Column name, in the table's declared order. */
  name: string;
  kind: AppendKind;
  get(row: R): CellValue;
}

const SQL_TYPES: Record<AppendKind, string> = {
  varchar: 'VARCHAR',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
};

const varchar = <R>(name: string, get: (row: R) => string | null): Column<R> => ({
  name,
  kind: 'varchar',
  get,
});
/*
 * Integers go in as doubles and the appender casts them to BIGINT/INTEGER (exact below 2^53): its
 * BIGINT entry point takes only a JS bigint, and minting one per token count costs more.
 */
const number = <R>(name: string, get: (row: R) => number | null): Column<R> => ({
  name,
  kind: 'double',
  get,
});
const boolean = <R>(name: string, get: (row: R) => boolean): Column<R> => ({ name, kind: 'boolean', get });
const timestamp = <R>(get: (row: R) => number): Column<R> => ({ name: 'ts', kind: 'timestamp', get });

/** Every column of `usage`, in the order migrations.ts declares them: the appender fills by position. */
const USAGE_COLUMNS: readonly Column<UsageRecord>[] = [
  varchar('id', (r) => r.id),
  timestamp((r) => r.ts),
  varchar('source', (r) => r.source),
  varchar('tool', (r) => r.tool),
  varchar('session_id', (r) => r.sessionId),
  varchar('parent_session_id', (r) => r.parentSessionId),
  varchar('request_id', (r) => r.requestId),
  varchar('message_id', (r) => r.messageId),
  varchar('model', (r) => r.model),
  varchar('provider', (r) => r.provider),
  varchar('speed', (r) => r.speed),
  varchar('service_tier', (r) => r.serviceTier),
  varchar('inference_geo', (r) => r.inferenceGeo),
  number('input_uncached', (r) => r.tokens.inputUncached),
  number('cache_read', (r) => r.tokens.cacheRead),
  number('cache_write_5m', (r) => r.tokens.cacheWrite5m),
  number('cache_write_1h', (r) => r.tokens.cacheWrite1h),
  number('cache_write_other', (r) => r.tokens.cacheWriteOther),
  number('output', (r) => r.tokens.output),
  number('reasoning', (r) => r.tokens.reasoning),
  number('total_tokens', (r) => totalTokens(r.tokens)),
  number('web_search_requests', (r) => r.webSearchRequests),
  number('credits', (r) => r.credits),
  number('reported_cost_usd', (r) => r.reportedCostUsd),
  varchar('cwd', (r) => r.cwd),
  varchar('git_branch', (r) => r.gitBranch),
  varchar('project', (r) => r.project),
  boolean('is_subagent', (r) => r.isSubagent),
  boolean('is_sidechain', (r) => r.isSidechain),
  varchar('granularity', (r) => r.granularity),
  varchar('origin', (r) => r.origin),
  varchar('person_id', (r) => r.personId),
  varchar('raw_identity', (r) => (r.rawIdentity == null ? null : JSON.stringify(r.rawIdentity))),
  number('cost_usd', (r) => r.costUsd),
  varchar('cost_basis', (r) => r.costBasis),
  varchar('price_version', (r) => r.priceVersion),
  // Settled by the sidechain rule once the batch is in.
  boolean('superseded', () => false),
];

/** Every column of `activity`, in declared order. */
const ACTIVITY_COLUMNS: readonly Column<ActivityRecord>[] = [
  varchar('id', (r) => r.id),
  timestamp((r) => r.ts),
  varchar('source', (r) => r.source),
  varchar('tool', (r) => r.tool),
  varchar('session_id', (r) => r.sessionId),
  varchar('kind', (r) => r.kind),
  varchar('name', (r) => r.name),
  number('prompt_length', (r) => r.promptLength),
  varchar('prompt_fingerprint', (r) => r.promptFingerprint),
  number('lines_added', (r) => r.linesAdded),
  number('lines_removed', (r) => r.linesRemoved),
  varchar('ref', (r) => r.ref),
  varchar('cwd', (r) => r.cwd),
  varchar('git_branch', (r) => r.gitBranch),
  boolean('is_subagent', (r) => r.isSubagent),
  varchar('origin', (r) => r.origin),
  varchar('person_id', (r) => r.personId),
];

/** What the keep rule and the sidechain rule need of a usage record, staged apart from the record. */
const USAGE_KEY_COLUMNS: readonly Column<UsageRecord>[] = [
  varchar('id', (r) => r.id),
  number('total_tokens', (r) => totalTokens(r.tokens)),
  varchar('speed', (r) => r.speed),
  varchar('message_id', (r) => r.messageId),
];

const ID_COLUMNS: readonly Column<{ id: string }>[] = [varchar('id', (r) => r.id)];

const CHECKPOINT_COLUMNS: readonly Column<FileCheckpoint>[] = [
  varchar('source', (r) => r.source),
  varchar('path', (r) => r.path),
  varchar('file_id', (r) => r.fileId),
  number('size', (r) => r.size),
  number('mtime_ms', (r) => r.mtimeMs),
  number('byte_offset', (r) => r.offset),
  varchar('head_hash', (r) => r.headHash),
  varchar('state', (r) => (r.state === null || r.state === undefined ? null : JSON.stringify(r.state))),
];

const COST_COLUMNS: readonly Column<CostUpdate>[] = [
  varchar('id', (r) => r.id),
  number('cost_usd', (r) => r.costUsd),
  varchar('cost_basis', (r) => r.costBasis),
  varchar('price_version', (r) => r.priceVersion),
];

const ORIGIN_COLUMNS: readonly Column<string>[] = [varchar('origin', (r) => r)];

/** Tables the appender fills by position, checked against the file on open. */
const APPENDED_TABLES: ReadonlyArray<readonly [string, readonly Column<never>[]]> = [
  ['usage', USAGE_COLUMNS],
  ['activity', ACTIVITY_COLUMNS],
];

/**
 * The keep rule for two copies of one call (ccusage's): the larger token total is the most complete
 * copy of a streamed response; on a tie the copy that states its speed can be priced for fast mode.
 * `STORED_LOSES` applies the same rule between a staged copy `k` and the stored copy `e`.
 */
function isBetterCopy(candidate: UsageRecord, kept: UsageRecord): boolean {
  const a = totalTokens(candidate.tokens);
  const b = totalTokens(kept.tokens);
  if (a !== b) return a > b;
  return candidate.speed !== null && kept.speed === null;
}

const STORED_LOSES = `(CAST(k.total_tokens AS BIGINT) > e.total_tokens
  OR (CAST(k.total_tokens AS BIGINT) = e.total_tokens AND k.speed IS NOT NULL AND e.speed IS NULL))`;

/** One record per key: `better(candidate, kept)` decides whether a later copy replaces the earlier one. */
function uniqueBy<R>(
  rows: readonly R[],
  key: (row: R) => string,
  better: (candidate: R, kept: R) => boolean,
): R[] {
  const kept = new Map<string, R>();
  for (const row of rows) {
    const k = key(row);
    const previous = kept.get(k);
    if (previous === undefined || better(row, previous)) kept.set(k, row);
  }
  return kept.size === rows.length ? [...rows] : [...kept.values()];
}

/*
 * The appender buffers rows until flushed (up to ~200k by default) in memory that the table's own
 * storage could otherwise spill or write out; flushing often keeps a large batch within memory_limit.
 */
const APPEND_FLUSH_ROWS = 8192;

const never = () => false;
const always = () => true;

const STAGE_TABLES = [
  'stage_origins',
  'stage_usage_keys',
  'stage_usage_existing',
  'stage_usage_replace',
  'stage_touched',
  'stage_activity_keys',
  'stage_checkpoints',
  'stage_costs',
];

const GROUP_KEYS: Record<UsageGrouping, string> = {
  day: "strftime(local_ts, '%Y-%m-%d')",
  week: "strftime(date_trunc('week', local_ts), '%Y-%m-%d')",
  month: "strftime(local_ts, '%Y-%m')",
  session: 'session_id',
  model: "coalesce(model, '(unknown)')",
  project: "coalesce(project, '(none)')",
  tool: 'tool',
};

const DAY_MS = 86_400_000;

/** Epoch ms of UTC midnight of a `YYYY-MM-DD` date; throws on anything else. */
function parseLocalDate(label: string, value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new Error(`${label} must be a date YYYY-MM-DD, got '${value}'`);
  }
  return ms;
}

/** Microsecond instant for binding as TIMESTAMPTZ. */
const instant = (ms: number) => timestampTZValue(BigInt(ms) * 1000n);

class DuckDbStore implements Store {
  readonly engine = 'duckdb' as const;
  private tail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly knownZones = new Set<string>();
  private readonly readers = new Set<DuckDBConnection>();

  constructor(
    private readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly readOnly: boolean,
    private readonly inMemory: boolean,
  ) {}

  /*
   * One connection serves every call, and a DuckDB connection runs one transaction at a time:
   * calls are queued so that a write's BEGIN … COMMIT is never interleaved with another call.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error(`The ledger ${this.path} is closed.`));
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error(`The ledger ${this.path} is open read-only.`);
  }

  checkpoints(source: SourceId): Promise<Map<string, FileCheckpoint>> {
    return this.exclusive(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT source, path, file_id, CAST(size AS DOUBLE) AS size, mtime_ms, CAST(byte_offset AS DOUBLE) AS byte_offset,
           head_hash, state
         FROM file_checkpoints WHERE source = $source`,
        { source },
        { source: VARCHAR },
      );
      const result = new Map<string, FileCheckpoint>();
      for (const row of reader.getRowObjectsJS()) {
        const path = String(row.path);
        result.set(path, {
          source: String(row.source) as SourceId,
          path,
          fileId: String(row.file_id),
          size: Number(row.size),
          mtimeMs: Number(row.mtime_ms),
          offset: Number(row.byte_offset),
          headHash: String(row.head_hash),
          state: row.state === null ? null : JSON.parse(String(row.state)),
        });
      }
      return result;
    });
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    return this.exclusive(async () => {
      this.assertWritable();
      return this.transaction('write', () => this.applyBatch(batch));
    });
  }

  /*
   * Rows go straight into `usage` and `activity` through the appender, so that the transaction holds
   * one copy of the batch; only ids (and what the keep rule needs) are staged, to find the rows that
   * are already stored before anything is appended.
   */
  private async applyBatch(batch: WriteBatch): Promise<WriteResult> {
    const run = (sql: string) => this.connection.run(sql);
    await run('CREATE OR REPLACE TEMP TABLE stage_touched (message_id VARCHAR)');

    const origins = batch.replaceOrigins ?? [];
    if (origins.length > 0) {
      await this.append('stage_origins', ORIGIN_COLUMNS, origins, 'temp');
      // Deleting a main-chain copy can revive the sidechain copies it superseded.
      await run(`INSERT INTO stage_touched
        SELECT DISTINCT message_id FROM usage
        WHERE message_id IS NOT NULL AND origin IN (SELECT origin FROM stage_origins)`);
      await run('DELETE FROM usage WHERE origin IN (SELECT origin FROM stage_origins)');
      await run('DELETE FROM activity WHERE origin IN (SELECT origin FROM stage_origins)');
    }

    // Copies of one record inside the batch are settled here, by the same rules the SQL applies
    // against stored rows, so that every id below is unique within the batch.
    const usage = uniqueBy(batch.usage, (r) => r.id, isBetterCopy);
    const activity = uniqueBy(batch.activity, (r) => r.id, never);
    const checkpoints = uniqueBy(batch.checkpoints, (r) => `${r.source}\u0000${r.path}`, always);

    let usageInserted = 0;
    if (usage.length > 0) {
      await this.append('stage_usage_keys', USAGE_KEY_COLUMNS, usage, 'temp');
      await run(`CREATE OR REPLACE TEMP TABLE stage_usage_existing AS
        SELECT id, total_tokens, speed, message_id FROM usage WHERE id IN (SELECT id FROM stage_usage_keys)`);
      const keepStored = new Set<string>();
      let replaced = 0;
      if ((await this.count('SELECT count(*) FROM stage_usage_existing')) > 0) {
        await run(`CREATE OR REPLACE TEMP TABLE stage_usage_replace AS
          SELECT DISTINCT e.id FROM stage_usage_existing e JOIN stage_usage_keys k ON k.id = e.id
          WHERE ${STORED_LOSES}`);
        replaced = await this.count('SELECT count(*) FROM stage_usage_replace');
        const kept = await this.connection.runAndReadAll(
          'SELECT DISTINCT id FROM stage_usage_existing EXCEPT SELECT id FROM stage_usage_replace',
        );
        for (const [id] of kept.getRows()) keepStored.add(String(id));
        await run('DELETE FROM usage WHERE id IN (SELECT id FROM stage_usage_replace)');
        await run(
          'INSERT INTO stage_touched SELECT message_id FROM stage_usage_existing WHERE message_id IS NOT NULL',
        );
      }
      const fresh = keepStored.size > 0 ? usage.filter((r) => !keepStored.has(r.id)) : usage;
      await this.append('usage', USAGE_COLUMNS, fresh, 'main');
      usageInserted = fresh.length - replaced;
      await run(
        'INSERT INTO stage_touched SELECT message_id FROM stage_usage_keys WHERE message_id IS NOT NULL',
      );
    }

    // A sidechain copy is superseded exactly when a main-chain copy of the same message is stored;
    // recomputed for every message the batch touched so that either arrival order ends the same.
    await run(`UPDATE usage SET superseded = (usage.is_sidechain AND m.has_main)
      FROM (
        SELECT message_id, bool_or(NOT is_sidechain) AS has_main FROM usage
        WHERE message_id IN (SELECT message_id FROM stage_touched) GROUP BY message_id
      ) m
      WHERE usage.message_id = m.message_id AND usage.superseded <> (usage.is_sidechain AND m.has_main)`);

    let activityInserted = 0;
    if (activity.length > 0) {
      await this.append('stage_activity_keys', ID_COLUMNS, activity, 'temp');
      const stored = await this.connection.runAndReadAll(
        'SELECT id FROM activity WHERE id IN (SELECT id FROM stage_activity_keys)',
      );
      const known = new Set(stored.getRows().map(([id]) => String(id)));
      const fresh = known.size > 0 ? activity.filter((r) => !known.has(r.id)) : activity;
      await this.append('activity', ACTIVITY_COLUMNS, fresh, 'main');
      activityInserted = fresh.length;
    }

    if (checkpoints.length > 0) {
      await this.append('stage_checkpoints', CHECKPOINT_COLUMNS, checkpoints, 'temp');
      await run(`INSERT INTO file_checkpoints BY NAME SELECT * FROM stage_checkpoints
        ON CONFLICT (source, path) DO UPDATE SET
          file_id = excluded.file_id, size = excluded.size, mtime_ms = excluded.mtime_ms,
          byte_offset = excluded.byte_offset, head_hash = excluded.head_hash, state = excluded.state`);
    }

    return {
      usageInserted,
      usageDuplicates: batch.usage.length - usageInserted,
      activityInserted,
      activityDuplicates: batch.activity.length - activityInserted,
    };
  }

  /** Runs `body` in a transaction; staging tables are dropped with it either way. */
  private async transaction<T>(what: string, body: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      // Inside the transaction, so that committing never has to carry staged rows.
      for (const table of STAGE_TABLES) await this.connection.run(`DROP TABLE IF EXISTS temp.main.${table}`);
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw new Error(`Ledger ${what} failed and was rolled back: ${messageOf(error)}`, { cause: error });
    }
  }

  /*
   * Appends value by value rather than through DuckDBDataChunk: measured faster here, and a chunk's
   * native buffers live until V8 collects its wrapper, which the JS heap size alone never prompts.
   * `temp` (re)creates a TEMP staging table shaped by `columns`; `main` appends to a ledger table.
   */
  private async append<R>(
    table: string,
    columns: readonly Column<R>[],
    rows: readonly R[],
    target: 'temp' | 'main',
  ): Promise<void> {
    if (target === 'temp') {
      const definition = columns.map((c) => `${c.name} ${SQL_TYPES[c.kind]}`).join(', ');
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${definition})`);
    }
    if (rows.length === 0) return;
    const appender = await this.connection.createAppender(table, 'main', target === 'temp' ? 'temp' : LEDGER);
    let pending = 0;
    try {
      for (const row of rows) {
        for (const column of columns) {
          const value = column.get(row);
          if (value === null || value === undefined) appender.appendNull();
          else if (column.kind === 'varchar') appender.appendVarchar(value as string);
          else if (column.kind === 'double') appender.appendDouble(value as number);
          else if (column.kind === 'boolean') appender.appendBoolean(value as boolean);
          else appender.appendTimestampTZ(timestampTZValue(BigInt(Math.round((value as number) * 1000))));
        }
        appender.endRow();
        if (++pending === APPEND_FLUSH_ROWS) {
          appender.flushSync();
          pending = 0;
        }
      }
      appender.closeSync();
    } catch (error) {
      // Closing flushes, and after a failed row that fails again with a message that hides the first.
      try {
        appender.closeSync();
      } catch {}
      throw error;
    }
  }

  private async count(sql: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(sql);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  usage(query: UsageQuery): Promise<UsageGroupRow[]> {
    return this.exclusive(async () => {
      const groupKey = Object.hasOwn(GROUP_KEYS, query.groupBy) ? GROUP_KEYS[query.groupBy] : undefined;
      if (groupKey === undefined) throw new Error(`Unknown grouping '${String(query.groupBy)}'`);
      await this.assertTimeZone(query.timeZone);

      const values: Record<string, DuckDBValue> = { tz: query.timeZone };
      const types: Record<string, DuckDBType> = { tz: VARCHAR };
      const scoped = ['NOT superseded'];
      const local: string[] = [];
      if (query.since !== undefined) {
        const since = parseLocalDate('since', query.since);
        // Coarse instant bound first, so that row groups outside the range are skipped before any
        // zone conversion; UTC offsets stay within a day of midnight UTC.
        scoped.push('ts >= $since_instant');
        values.since_instant = instant(since - DAY_MS);
        types.since_instant = TIMESTAMPTZ;
        local.push('CAST(local_ts AS DATE) >= CAST($since AS DATE)');
        values.since = query.since;
        types.since = VARCHAR;
      }
      if (query.until !== undefined) {
        const until = parseLocalDate('until', query.until);
        scoped.push('ts < $until_instant');
        values.until_instant = instant(until + 2 * DAY_MS);
        types.until_instant = TIMESTAMPTZ;
        local.push('CAST(local_ts AS DATE) <= CAST($until AS DATE)');
        values.until = query.until;
        types.until = VARCHAR;
      }
      // An empty list means no filter: a CLI's absent repeatable flag arrives as [].
      if (query.tools !== undefined && query.tools.length > 0) {
        scoped.push('list_contains($tools, tool)');
        values.tools = listValue([...query.tools]);
        types.tools = LIST(VARCHAR);
      }
      if (query.personId !== undefined) {
        scoped.push('person_id = $person');
        values.person = query.personId;
        types.person = VARCHAR;
      }
      const order = query.groupBy === 'session' ? 'last_ts, group_key' : 'group_key';
      const sql = `
        WITH scoped AS (
          SELECT *, timezone($tz, ts) AS local_ts FROM usage WHERE ${scoped.join(' AND ')}
        )
        SELECT ${groupKey} AS group_key,
          CAST(sum(input_uncached) AS DOUBLE) AS input_uncached,
          CAST(sum(cache_read) AS DOUBLE) AS cache_read,
          CAST(sum(cache_write_5m) AS DOUBLE) AS cache_write_5m,
          CAST(sum(cache_write_1h) AS DOUBLE) AS cache_write_1h,
          CAST(sum(cache_write_other) AS DOUBLE) AS cache_write_other,
          CAST(sum(output) AS DOUBLE) AS output,
          CAST(sum(reasoning) AS DOUBLE) AS reasoning,
          CAST(coalesce(sum(cost_usd), 0) AS DOUBLE) AS cost_usd,
          CAST(count(*) AS DOUBLE) AS calls,
          CAST(count(*) FILTER (WHERE cost_usd IS NULL) AS DOUBLE) AS unpriced_calls,
          list(DISTINCT model) FILTER (WHERE model IS NOT NULL) AS models,
          list(DISTINCT tool) AS tools,
          CAST(epoch_ms(min(ts)) AS DOUBLE) AS first_ts,
          CAST(epoch_ms(max(ts)) AS DOUBLE) AS last_ts
        FROM scoped
        ${local.length > 0 ? `WHERE ${local.join(' AND ')}` : ''}
        GROUP BY group_key
        ORDER BY ${order}`;
      const reader = await this.connection.runAndReadAll(sql, values, types);
      return reader.getRowObjectsJS().map(
        (row): UsageGroupRow => ({
          key: String(row.group_key),
          inputUncached: Number(row.input_uncached),
          cacheRead: Number(row.cache_read),
          cacheWrite5m: Number(row.cache_write_5m),
          cacheWrite1h: Number(row.cache_write_1h),
          cacheWriteOther: Number(row.cache_write_other),
          output: Number(row.output),
          reasoning: Number(row.reasoning),
          costUsd: Number(row.cost_usd),
          calls: Number(row.calls),
          unpricedCalls: Number(row.unpriced_calls),
          models: stringList(row.models),
          tools: stringList(row.tools) as Tool[],
          firstTs: Number(row.first_ts),
          lastTs: Number(row.last_ts),
        }),
      );
    });
  }

  /** DuckDB's ICU decides what a zone name means here, so it is also the one asked whether it knows it. */
  private async assertTimeZone(zone: string): Promise<void> {
    if (this.knownZones.has(zone)) return;
    try {
      if (typeof zone !== 'string' || zone.trim() === '') throw new Error('empty');
      await this.connection.run(
        "SELECT timezone($tz, TIMESTAMPTZ '2000-01-01 00:00:00+00')",
        { tz: zone },
        { tz: VARCHAR },
      );
    } catch (error) {
      throw new Error(
        `Unknown time zone '${String(zone)}': use an IANA name such as 'Europe/Berlin' or 'UTC'.`,
        {
          cause: error,
        },
      );
    }
    this.knownZones.add(zone);
  }

  /*
   * Streams from a connection of its own: the caller usually calls updateCosts between batches, and
   * a query on the shared connection would invalidate an open stream. The stream reads one snapshot,
   * so rows updated meanwhile are neither skipped nor seen twice.
   */
  async *usageForPricing(batchSize: number): AsyncIterable<PricingRow[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const connection = await this.exclusive(async () => {
      const reader = await this.instance.connect();
      this.readers.add(reader);
      await reader.run(`USE ${LEDGER}`);
      return reader;
    });
    try {
      const result = await connection.stream(`
        SELECT id, tool, provider, model, speed, service_tier, inference_geo,
          CAST(input_uncached AS DOUBLE), CAST(cache_read AS DOUBLE), CAST(cache_write_5m AS DOUBLE),
          CAST(cache_write_1h AS DOUBLE), CAST(cache_write_other AS DOUBLE), CAST(output AS DOUBLE),
          CAST(reasoning AS DOUBLE), CAST(web_search_requests AS DOUBLE), reported_cost_usd
        FROM usage`);
      let batch: PricingRow[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) {
          batch.push(pricingRow(row));
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      if (this.readers.delete(connection)) connection.closeSync();
    }
  }

  updateCosts(rows: CostUpdate[]): Promise<void> {
    return this.exclusive(async () => {
      this.assertWritable();
      if (rows.length === 0) return;
      await this.transaction('cost update', async () => {
        await this.append(
          'stage_costs',
          COST_COLUMNS,
          uniqueBy(rows, (r) => r.id, always),
          'temp',
        );
        // Unchanged rows are skipped: re-pricing with the same table then writes nothing.
        await this.connection.run(`UPDATE usage
          SET cost_usd = s.cost_usd, cost_basis = s.cost_basis, price_version = s.price_version
          FROM stage_costs s
          WHERE usage.id = s.id AND (
            usage.cost_usd IS DISTINCT FROM s.cost_usd OR usage.cost_basis IS DISTINCT FROM s.cost_basis
            OR usage.price_version IS DISTINCT FROM s.price_version)`);
      });
    });
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.exclusive(async () => {
      const reader = await this.connection.runAndReadAll(
        'SELECT value FROM meta WHERE key = $key',
        { key },
        { key: VARCHAR },
      );
      const value = reader.getRows()[0]?.[0];
      return value === undefined || value === null ? undefined : String(value);
    });
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.exclusive(async () => {
      this.assertWritable();
      await this.connection.run(
        'INSERT INTO meta VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        { key, value },
        { key: VARCHAR, value: VARCHAR },
      );
    });
  }

  close(): Promise<void> {
    this.closing ??= this.tail.then(() => {
      for (const reader of this.readers) reader.closeSync();
      this.readers.clear();
      this.connection.closeSync();
      this.instance.closeSync();
      if (!this.inMemory) openInThisProcess.delete(this.path);
    });
    return this.closing;
  }
}

function pricingRow(row: readonly DuckDBValue[]): PricingRow {
  const text = (i: number) => (row[i] === null ? null : String(row[i]));
  const number = (i: number) => Number(row[i]);
  return {
    id: String(row[0]),
    tool: String(row[1]) as Tool,
    provider: String(row[2]) as Provider,
    model: text(3),
    speed: text(4) as PricingRow['speed'],
    serviceTier: text(5),
    inferenceGeo: text(6),
    tokens: {
      inputUncached: number(7),
      cacheRead: number(8),
      cacheWrite5m: number(9),
      cacheWrite1h: number(10),
      cacheWriteOther: number(11),
      output: number(12),
      reasoning: number(13),
    },
    webSearchRequests: number(14),
    reportedCostUsd: row[15] === null ? null : number(15),
  };
}

/** Distinct non-null strings, in JS string order so that callers comparing with `sort()` agree. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string').sort();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
