/**
 * The embedded DuckDB ledger: the default `Store`. A write stages its records in TEMP tables
 * through the appender and merges them with set-based SQL, all in one transaction; `memory_limit`,
 * small row groups and frequent appender flushes keep the engine's share of the process bounded
 * while a large history loads.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  DuckDBVector,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { isBetterCopy } from '../../dedup.js';
import {
  type ActivityRecord,
  type Provider,
  type SourceId,
  type Tool,
  totalTokens,
  type UsageRecord,
} from '../../records.js';
import type { SessionSummary } from '../../sessions.js';
import type { WorkBatch, WorkSourceId } from '../../work.js';
import {
  type CostUpdate,
  type FileCheckpoint,
  type IdentityStat,
  type PricingRow,
  type SessionQuery,
  type Store,
  StoreLockedError,
  type UsageGrouping,
  type UsageGroupRow,
  type UsageQuery,
  type WorkCheckpoint,
  type WorkQuery,
  type WorkWriteResult,
  type WriteBatch,
  type WriteResult,
} from '../store.js';
import { TOKEN_COLUMNS } from '../usage-columns.js';
import type { KeyFilter } from './key-filter.js';
import { migrate } from './migrations.js';
import { forEachKey, keyHalves, StoredKeys } from './stored-keys.js';
import {
  readIdentityStats,
  readSessionSummaries,
  readWorkCheckpoint,
  readWorkRows,
  writeWorkCheckpoint,
  writeWorkRows,
} from './work-tables.js';

export { defaultLedgerPath } from '../ledger-path.js';

export interface DuckDbStoreOptions {
  path: string;
  readOnly?: boolean;
  /** DuckDB `memory_limit`, e.g. `'256MB'`; DEFAULT_MEMORY_LIMIT when omitted. */
  memoryLimit?: string;
  /**
   * A lower `memory_limit` for `write` only, e.g. `'64MB'`: reads keep `memoryLimit`. See
   * `DuckDbStore.write`.
   */
  writeMemoryLimit?: string;
  threads?: number;
  /**
   * Keep the ledger's keys in memory (stored-keys.ts) so that a commit whose records are all new
   * skips scanning the key columns: for a long-running writer such as the server, whose commits
   * would otherwise slow down as the ledger grows. Costs 11–21 bytes a stored record and a read of
   * the keys at open; ignored read-only.
   */
  keyFilter?: boolean;
  /** Keys per set beyond which the filter lets go (DEFAULT_KEY_FILTER_MAX_KEYS). */
  keyFilterMaxKeys?: number;
}

/*
 * The engine's part of peak RSS grows with memory_limit: `tokenyield report daily` ingesting the
 * 2 GB bench history peaked at 331 / 355 / 372 MiB with 64 / 96 / 128MB (JS heap capped at 96 MB).
 * 96MB rather than 64MB because a session report over 200k sessions ran out of memory at 64MB
 * (100k still fit); batches of any size fit either way, as they are merged in slices.
 */
export const DEFAULT_MEMORY_LIMIT = '96MB';
export const DEFAULT_THREADS = 1;

/*
 * DuckDB's lock is an OS file lock, which a process does not take against itself: a second
 * instance on the same file inside this process would open without complaint and the two would
 * corrupt each other. This set closes that gap.
 */
const openInThisProcess = new Set<string>();

export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const threads = options.threads ?? DEFAULT_THREADS;
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`threads must be a positive integer, got ${threads}`);
  const inMemory = options.path === ':memory:';
  const path = inMemory ? options.path : resolve(options.path);
  if (!inMemory) {
    if (openInThisProcess.has(path)) {
      throw new StoreLockedError(path, `already open in this process, pid ${process.pid}`);
    }
    // Claimed before the first await, so that two opens racing in this process cannot both attach.
    openInThisProcess.add(path);
  }
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    if (!inMemory && !readOnly) mkdirSync(dirname(path), { recursive: true });
    instance = await DuckDBInstance.create(':memory:', {
      memory_limit: memoryLimit,
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
    connection = await instance.connect();
    try {
      await attachLedger(connection, path, readOnly);
    } catch (error) {
      const detail = lockDetail(messageOf(error));
      if (detail !== undefined) throw new StoreLockedError(path, detail);
      throw new Error(`Cannot open the ledger ${path}: ${messageOf(error)}`, { cause: error });
    }
    // Timestamps are stored as instants; only explicit per-query zones may shape what users see.
    await connection.run("SET GLOBAL TimeZone = 'UTC'");
    await migrate(connection, path, undefined, readOnly);
    const limits = { read: memoryLimit, write: options.writeMemoryLimit ?? memoryLimit };
    const keys =
      options.keyFilter && !readOnly
        ? await StoredKeys.load(connection, options.keyFilterMaxKeys)
        : undefined;
    return new DuckDbStore(path, instance, connection, readOnly, inMemory, limits, keys);
  } catch (error) {
    connection?.closeSync();
    instance?.closeSync();
    if (!inMemory) openInThisProcess.delete(path);
    throw error;
  }
}

/** The name the ledger file is attached under; every connection of a store uses it as default. */
const LEDGER = 'ledger';

/*
 * Row groups of 16k rows instead of DuckDB's 122,880. A transaction writes each row group it fills
 * straight to the file; smaller ones fill within one batch, so a write holds less in memory and
 * leaves almost nothing for the WAL (measured: 100k rows in one transaction held 12 MB instead of
 * 19 MB and left a 6 KB WAL instead of 17 MB). The WAL then seldom triggers a checkpoint inside a
 * commit: the slowest 50k-row write fell from 5.8 s to 2.8 s.
 */
const ROW_GROUP_SIZE = 16_384;

async function attachLedger(connection: DuckDBConnection, path: string, readOnly: boolean): Promise<void> {
  // ATTACH takes no parameters; a quoted literal with doubled quotes is exact for any path.
  const literal = `'${path.replaceAll("'", "''")}'`;
  const options = [...(readOnly ? ['READ_ONLY'] : []), `ROW_GROUP_SIZE ${ROW_GROUP_SIZE}`];
  await connection.run(`ATTACH ${literal} AS ${LEDGER} (${options.join(', ')})`);
  await connection.run(`USE ${LEDGER}`);
}

/** Reads the holder out of DuckDB's lock message, e.g. `pid 4242, /usr/bin/node`. */
function lockDetail(message: string): string | undefined {
  if (!/could not set lock on file/i.test(message)) return undefined;
  const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
  return holder ? `pid ${holder[2]}, ${holder[1]}` : message;
}

/*
 * How a field is staged. Each of the appender's per-value calls crosses into native code, and those
 * crossings were most of a write's time on the JS thread. Staging fills whole data chunks instead,
 * where numbers, flags and label codes are typed-array stores and only strings cross one by one;
 * strings repeated across rows (session, model, paths…) are staged as `label` codes into a
 * per-write dictionary and decoded by the INSERT … SELECT on DuckDB's threads. Measured on 1.5M
 * rows in 50k-row batches: write() 52 s → 40 s, CPU 77 s → 61 s, against per-value appends.
 * - `text`: a string unique to the row (ids), staged as VARCHAR.
 * - `label`: a repeated string, staged as an INTEGER code into `Labels`.
 * - `number`: staged as DOUBLE (exact for integers below 2^53) and cast to `sqlType`.
 * - `flag`: BOOLEAN.
 * - `time`: epoch milliseconds, staged as DOUBLE and turned into TIMESTAMPTZ.
 */
type StageKind = 'text' | 'label' | 'number' | 'flag' | 'time';
type NumberType = 'BIGINT' | 'INTEGER' | 'DOUBLE';
type CellValue = string | number | boolean | null;

interface Column<R> {
  /** Name in the staging table and in the ledger table. */
  name: string;
  kind: StageKind;
  /** Type of the ledger column, for `number`. */
  sqlType?: NumberType;
  get(row: R): CellValue;
}

const STAGE_TYPES: Record<StageKind, DuckDBType> = {
  text: VARCHAR,
  label: INTEGER,
  number: DOUBLE,
  flag: BOOLEAN,
  time: DOUBLE,
};

const text = <R>(name: string, get: (row: R) => string | null): Column<R> => ({ name, kind: 'text', get });
const label = <R>(name: string, get: (row: R) => string | null): Column<R> => ({ name, kind: 'label', get });
const number = <R>(name: string, sqlType: NumberType, get: (row: R) => number | null): Column<R> => ({
  name,
  kind: 'number',
  sqlType,
  get,
});
const flag = <R>(name: string, get: (row: R) => boolean): Column<R> => ({ name, kind: 'flag', get });
const time = <R>(get: (row: R) => number): Column<R> => ({ name: 'ts', kind: 'time', get });

/** The SQL that turns a staged column back into the ledger column's value. */
function decode<R>(column: Column<R>, from: string): string {
  const ref = `${from}.${column.name}`;
  switch (column.kind) {
    case 'label':
      // Decoded once per distinct tuple, in the tuple table joined as `t` (see insertFromStage).
      return `t.${column.name}`;
    case 'number':
      return column.sqlType === 'DOUBLE' ? ref : `CAST(${ref} AS ${column.sqlType})`;
    case 'time':
      return `make_timestamptz(CAST(${ref} * 1000 AS BIGINT))`;
    default:
      return ref;
  }
}

/*
 * Rows are staged with one `label_tuple` code for the combination of all their label codes, and
 * the distinct combinations go to `<stage>_labels` (code, one INTEGER per label column). The
 * ledger INSERT decodes the labels of the combinations only (a few thousand per 50k rows: calls
 * of one session share every label) and joins them back on the one integer. Decoding
 * `$labels[code]` per row and label column cost ~0.5 µs a lookup, about half of the usage INSERT.
 */
const LABEL_TUPLE = 'label_tuple';
const labelTable = (stage: string) => `${stage}_labels`;

/** Values numbered from 1 in the order first seen, as DuckDB lists are; `keyOf` tells them apart. */
class Numbering<T> {
  private readonly codes = new Map<string, number>();
  readonly values: T[] = [];

  constructor(private readonly keyOf: (value: T) => string) {}

  code(value: T): number {
    const key = this.keyOf(value);
    let code = this.codes.get(key);
    if (code === undefined) {
      this.values.push(value);
      code = this.values.length;
      this.codes.set(key, code);
    }
    return code;
  }
}

/** Strings of one write. */
class Labels extends Numbering<string> {
  constructor() {
    super((value) => value);
  }
}

/** The distinct label-code combinations of one staging table. */
const labelTuples = () => new Numbering<Array<number | null>>((tuple) => tuple.join(','));

/*
 * Every record of a run shares one identity object: serialising it once instead of once per row
 * saves ~100k JSON.stringify calls on a cold ingest.
 */
let lastIdentity: UsageRecord['rawIdentity'] | null = null;
let lastIdentityJson: string | null = null;
function identityJson(identity: UsageRecord['rawIdentity'] | null | undefined): string | null {
  if (identity == null) return null;
  if (identity !== lastIdentity) {
    lastIdentity = identity;
    lastIdentityJson = JSON.stringify(identity);
  }
  return lastIdentityJson;
}

const USAGE_COLUMNS: readonly Column<UsageRecord>[] = [
  text('id', (r) => r.id),
  time((r) => r.ts),
  label('source', (r) => r.source),
  label('tool', (r) => r.tool),
  label('session_id', (r) => r.sessionId),
  label('parent_session_id', (r) => r.parentSessionId),
  text('request_id', (r) => r.requestId),
  text('message_id', (r) => r.messageId),
  label('model', (r) => r.model),
  label('provider', (r) => r.provider),
  // Text, not a label: STORED_LOSES reads its nullness from the staging table. Mostly null.
  text('speed', (r) => r.speed),
  label('service_tier', (r) => r.serviceTier),
  label('inference_geo', (r) => r.inferenceGeo),
  number('input_uncached', 'BIGINT', (r) => r.tokens.inputUncached),
  number('cache_read', 'BIGINT', (r) => r.tokens.cacheRead),
  number('cache_write_5m', 'BIGINT', (r) => r.tokens.cacheWrite5m),
  number('cache_write_1h', 'BIGINT', (r) => r.tokens.cacheWrite1h),
  number('cache_write_other', 'BIGINT', (r) => r.tokens.cacheWriteOther),
  number('output', 'BIGINT', (r) => r.tokens.output),
  number('reasoning', 'BIGINT', (r) => r.tokens.reasoning),
  number('total_tokens', 'BIGINT', (r) => totalTokens(r.tokens)),
  number('web_search_requests', 'INTEGER', (r) => r.webSearchRequests),
  number('credits', 'DOUBLE', (r) => r.credits),
  number('reported_cost_usd', 'DOUBLE', (r) => r.reportedCostUsd),
  label('cwd', (r) => r.cwd),
  label('git_branch', (r) => r.gitBranch),
  label('project', (r) => r.project),
  flag('is_subagent', (r) => r.isSubagent),
  flag('is_sidechain', (r) => r.isSidechain),
  label('granularity', (r) => r.granularity),
  label('origin', (r) => r.origin),
  label('person_id', (r) => r.personId),
  label('raw_identity', (r) => identityJson(r.rawIdentity)),
  number('cost_usd', 'DOUBLE', (r) => r.costUsd),
  label('cost_basis', (r) => r.costBasis),
  label('price_version', (r) => r.priceVersion),
];

const ACTIVITY_COLUMNS: readonly Column<ActivityRecord>[] = [
  text('id', (r) => r.id),
  time((r) => r.ts),
  label('source', (r) => r.source),
  label('tool', (r) => r.tool),
  label('session_id', (r) => r.sessionId),
  label('kind', (r) => r.kind),
  label('name', (r) => r.name),
  number('prompt_length', 'INTEGER', (r) => r.promptLength),
  text('prompt_fingerprint', (r) => r.promptFingerprint),
  number('lines_added', 'INTEGER', (r) => r.linesAdded),
  number('lines_removed', 'INTEGER', (r) => r.linesRemoved),
  text('ref', (r) => r.ref),
  label('cwd', (r) => r.cwd),
  label('git_branch', (r) => r.gitBranch),
  flag('is_subagent', (r) => r.isSubagent),
  label('origin', (r) => r.origin),
  label('person_id', (r) => r.personId),
];

const CHECKPOINT_COLUMNS: readonly Column<FileCheckpoint>[] = [
  text('source', (r) => r.source),
  text('path', (r) => r.path),
  text('file_id', (r) => r.fileId),
  number('size', 'BIGINT', (r) => r.size),
  number('mtime_ms', 'DOUBLE', (r) => r.mtimeMs),
  number('byte_offset', 'BIGINT', (r) => r.offset),
  text('head_hash', (r) => r.headHash),
  text('state', (r) => (r.state === null || r.state === undefined ? null : JSON.stringify(r.state))),
];

const COST_COLUMNS: readonly Column<CostUpdate>[] = [
  text('id', (r) => r.id),
  number('cost_usd', 'DOUBLE', (r) => r.costUsd),
  text('cost_basis', (r) => r.costBasis),
  text('price_version', (r) => r.priceVersion),
];

const ORIGIN_COLUMNS: readonly Column<string>[] = [text('origin', (r) => r)];

const ID_COLUMNS: readonly Column<{ id: string }>[] = [text('id', (r) => r.id)];

/**
 * `INSERT INTO table (…) SELECT …` of every staged column, decoded, from staging alias `s`, plus
 * `derived` columns computed from them.
 */
function insertFromStage<R>(
  table: string,
  stage: string,
  columns: readonly Column<R>[],
  extra = '',
  derived: Readonly<Record<string, string>> = {},
): string {
  const names = [...columns.map((c) => c.name), ...Object.keys(derived)].join(', ');
  const values = [...columns.map((c) => decode(c, 's')), ...Object.values(derived)].join(', ');
  const labelColumns = columns.filter((c) => c.kind === 'label');
  const tuples =
    labelColumns.length === 0
      ? ''
      : `JOIN (SELECT code, ${labelColumns.map((c) => `$labels[${c.name}] AS ${c.name}`).join(', ')}
          FROM ${labelTable(stage)}) t ON t.code = s.${LABEL_TUPLE}`;
  return `INSERT INTO ${table} (${names}) SELECT ${values} FROM ${stage} s ${tuples} ${extra}`;
}

/**
 * The 64-bit key of an id or message id, as stored in `id_hash` / `message_hash`; NULL for NULL.
 * Must stay the expression migration 3 backfilled with (migrations.ts): a key computed any other
 * way would never match a stored one, and duplicates would slip in.
 */
const keyHash = (expr: string) => `CAST(md5_number(${expr}) >> 64 AS UBIGINT)`;

/** `STORED_LOSES` applies the keep rule of `isBetterCopy` (ledger/dedup.ts) between a staged copy `s` and the stored copy `e`. */
const STORED_LOSES = `(CAST(s.total_tokens AS BIGINT) > e.total_tokens
  OR (CAST(s.total_tokens AS BIGINT) = e.total_tokens AND s.speed IS NOT NULL AND e.speed IS NULL))`;

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
 * Large batches are merged a slice at a time inside their one transaction. Staging tables dropped
 * inside a transaction keep their memory until it ends, but that memory can be spilled; what must
 * fit within memory_limit at once is one slice's join and insert (a single 300k-row activity
 * insert ran out of memory at 96MB).
 */
const SLICE_ROWS = 50_000;

function* slices<R>(rows: readonly R[]): Generator<readonly R[]> {
  for (let start = 0; start < rows.length; start += SLICE_ROWS) yield rows.slice(start, start + SLICE_ROWS);
}

/*
 * The appender holds what it is given until flushed (by default every ~200k rows); flushing every
 * few chunks lets a large batch stay within memory_limit (a 150k-row batch ran out of memory at
 * 64MB without it).
 */
const APPEND_FLUSH_ROWS = 16_384;

const never = () => false;
const always = () => true;

/*
 * Statements without parameters are sent several to a call (DuckDB runs them in order and answers
 * with the last one's result): each call is a round trip through the event loop, and on a busy
 * server those waits, not the SQL, were most of a commit's time.
 */
const STAGE_TABLES = [
  'stage_origins',
  'stage_batch_ids',
  'stage_batch_candidates',
  'stage_batch_activity_candidates',
  'stage_usage',
  'stage_usage_labels',
  'stage_usage_candidates',
  'stage_usage_existing',
  'stage_usage_replace',
  'stage_usage_kept',
  'stage_touched',
  'stage_message_candidates',
  'stage_messages',
  'stage_activity',
  'stage_activity_labels',
  'stage_activity_candidates',
  'stage_activity_existing',
  'stage_checkpoints',
  'stage_costs',
  'stage_cost_candidates',
  'stage_cost_changes',
];
const DROP_STAGE_TABLES = STAGE_TABLES.map((t) => `DROP TABLE IF EXISTS temp.main.${t};`).join(' ');

const GROUP_KEYS: Record<UsageGrouping, string> = {
  day: "strftime(local_ts, '%Y-%m-%d')",
  week: "strftime(date_trunc('week', local_ts), '%Y-%m-%d')",
  month: "strftime(local_ts, '%Y-%m')",
  session: 'session_id',
  model: "coalesce(model, '(unknown)')",
  project: "coalesce(project, '(none)')",
  tool: 'tool',
  person: 'person_id',
};

const CALENDAR_GROUPINGS: ReadonlySet<UsageGrouping> = new Set(['day', 'week', 'month']);
const QUARTER_HOUR_MS = 900_000;
const QUARTER_HOUR_US = QUARTER_HOUR_MS * 1000;

/** Open-ended spans arrive as ±Infinity; DuckDB timestamps end within ±290,000 years. */
function clampEpochMs(ms: number): number {
  return Math.max(-8.64e15, Math.min(8.64e15, ms));
}

/** Throws unless `value` is a real `YYYY-MM-DD` date. */
function assertLocalDate(label: string, value: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new Error(`${label} must be a date YYYY-MM-DD, got '${value}'`);
  }
}

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
    private readonly memoryLimits: { read: string; write: string },
    private readonly keys: StoredKeys | undefined,
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
      if (this.memoryLimits.write === this.memoryLimits.read) {
        return this.transaction('write', () => this.applyBatch(batch));
      }
      /*
       * A write's working set is bounded by its slices, a report's by the data it groups (see
       * DEFAULT_MEMORY_LIMIT): a cold ingest of the 2 GB bench history writes within 64MB, 20–30
       * MiB lower at its peak, for the same CPU. Between calls nothing of the engine's is pinned,
       * so lowering the limit only evicts cached blocks; should it fail all the same, the write
       * runs under the read limit: more memory, the same rows.
       */
      await this.setMemoryLimit(this.memoryLimits.write).catch(() => undefined);
      try {
        return await this.transaction('write', () => this.applyBatch(batch));
      } finally {
        await this.setMemoryLimit(this.memoryLimits.read);
      }
    });
  }

  private async applyBatch(batch: WriteBatch): Promise<WriteResult> {
    const run = (sql: string) => this.connection.run(sql);
    await run('CREATE OR REPLACE TEMP TABLE stage_touched (message_id VARCHAR, message_hash UBIGINT)');

    const origins = batch.replaceOrigins ?? [];
    if (origins.length > 0) {
      await this.stage('stage_origins', ORIGIN_COLUMNS, origins, new Labels());
      // Deleting a main-chain copy can revive the sidechain copies it superseded.
      await run(`INSERT INTO stage_touched
        SELECT DISTINCT message_id, message_hash FROM usage
        WHERE message_id IS NOT NULL AND origin IN (SELECT origin FROM stage_origins)`);
      await run('DELETE FROM usage WHERE origin IN (SELECT origin FROM stage_origins)');
      await run('DELETE FROM activity WHERE origin IN (SELECT origin FROM stage_origins)');
    }

    // Copies of one record inside the batch are settled here, by the same rules the SQL applies
    // against stored rows, so that every staged id is unique.
    const usage = uniqueBy(batch.usage, (r) => r.id, isBetterCopy);
    const activity = uniqueBy(batch.activity, (r) => r.id, never);
    const checkpoints = uniqueBy(batch.checkpoints, (r) => `${r.source}\u0000${r.path}`, always);

    const usageCandidates = await this.findBatchCandidates('usage', usage, 'stage_batch_candidates');
    let usageInserted = 0;
    for (const part of slices(usage)) usageInserted += await this.mergeUsage(part, usageCandidates);

    await this.settleSupersession();

    let activityInserted = 0;
    const activityCandidates = await this.findBatchCandidates(
      'activity',
      activity,
      'stage_batch_activity_candidates',
    );
    for (const part of slices(activity)) {
      const labels = new Labels();
      await this.stage('stage_activity', ACTIVITY_COLUMNS, part, labels);
      let storedFilter = '';
      const keys = `SELECT ${keyHash('id')} FROM stage_activity`;
      const search =
        this.keys === undefined ||
        (await this.mightBeStored(
          `SELECT ${keyHalves(keyHash('id'), 'id')} FROM stage_activity`,
          this.keys.activity,
        ));
      if (
        search &&
        (await this.findCandidates(
          'activity',
          'id_hash',
          keys,
          'stage_activity_candidates',
          '',
          activityCandidates,
        ))
      ) {
        await run(`CREATE OR REPLACE TEMP TABLE stage_activity_existing AS
          SELECT id FROM activity WHERE rowid IN (SELECT row_id FROM stage_activity_candidates)`);
        storedFilter = 'WHERE NOT EXISTS (SELECT 1 FROM stage_activity_existing a WHERE a.id = s.id)';
      }
      const inserted = await this.runDecoding(
        insertFromStage('activity', 'stage_activity', ACTIVITY_COLUMNS, storedFilter, {
          id_hash: keyHash('s.id'),
        }),
        labels,
      );
      activityInserted += inserted.rowsChanged;
    }

    if (checkpoints.length > 0) {
      await this.stage('stage_checkpoints', CHECKPOINT_COLUMNS, checkpoints, new Labels());
      await run(`${insertFromStage('file_checkpoints', 'stage_checkpoints', CHECKPOINT_COLUMNS)}
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

  /*
   * Stored rows are looked up in two steps, because a scan that projects a VARCHAR column
   * decompresses it for every row of the table, however few rows the join keeps (DuckDB pushes only
   * min/max of the join keys into the scan). First the candidates: rows whose 64-bit key matches a
   * staged one, from a scan of that integer column alone. Then their strings, fetched by rowid: the
   * rowid range of the candidates prunes row groups, and candidates are usually recent rows. The
   * strings are compared before anything is merged, so a key collision costs a fetch, never a row.
   */

  /**
   * Fills `into` with the rowids of `table` rows whose `keyColumn` is among `keys`; returns whether
   * any. With `batch` (see findBatchCandidates), searches those rows instead of the whole table.
   */
  private async findCandidates(
    table: string,
    keyColumn: string,
    keys: string,
    into: string,
    before = '',
    batch?: string,
  ): Promise<boolean> {
    const search =
      batch === undefined
        ? `SELECT rowid AS row_id FROM ${table} WHERE ${keyColumn} IN (${keys})`
        : `SELECT row_id FROM ${batch} WHERE ${keyColumn} IN (${keys})`;
    return (
      (await this.count(`${before}
      CREATE OR REPLACE TEMP TABLE ${into} AS ${search};
      SELECT count(*) FROM ${into}`)) > 0
    );
  }

  /**
   * With stored keys in memory: runs `sql`, whose first two columns are the staged ids' key halves,
   * and returns whether any of them might be stored already, so that false means the ledger search
   * can be skipped. Every key read is added to `filter`, since the insert that follows stores it
   * (should the transaction roll back, the extra keys only cost a search). Columns 2–3, when given,
   * are keys of sidechain messages, added to `sidechain`.
   */
  private async mightBeStored(sql: string, filter: KeyFilter, sidechain?: KeyFilter): Promise<boolean> {
    const result = await this.connection.run(sql);
    let stored = false;
    forEachKey(result, 0, (hi, lo) => {
      stored ||= filter.mightHold(hi, lo);
      filter.add(hi, lo);
    });
    if (sidechain !== undefined) forEachKey(result, 2, (hi, lo) => sidechain.add(hi, lo));
    return stored;
  }

  /*
   * A batch of several slices looks its ids up in the ledger once, not once per slice: the scan
   * reads the whole id_hash column (8 bytes a stored row, beyond memory_limit from ~10M rows on)
   * and cost ~0.8 s per slice at 10M rows. Taken before any slice is merged, it misses the rows
   * earlier slices insert, which is exact: ids are unique within the batch, so no earlier slice
   * inserts a later slice's id. Rows an earlier slice replaced are gone, and their fetch by rowid
   * returns nothing.
   */

  /** Fills `into` with (row_id, id_hash) of the `table` rows whose key matches one of `rows`' ids; undefined for one slice. */
  private async findBatchCandidates(
    table: 'usage' | 'activity',
    rows: readonly { id: string }[],
    into: string,
  ): Promise<string | undefined> {
    if (rows.length <= SLICE_ROWS) return undefined;
    await this.stage('stage_batch_ids', ID_COLUMNS, rows, new Labels());
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${into} AS
      SELECT rowid AS row_id, id_hash FROM ${table} WHERE id_hash IN (SELECT ${keyHash('id')} FROM stage_batch_ids)`);
    return into;
  }

  /**
   * Merges usage records with unique ids into the ledger; returns how many ids were new.
   * `batchCandidates` holds the stored rows (row_id, id_hash) whose key matches any id of the batch.
   */
  private async mergeUsage(usage: readonly UsageRecord[], batchCandidates?: string): Promise<number> {
    const labels = new Labels();
    await this.stage('stage_usage', USAGE_COLUMNS, usage, labels);
    let replaced = 0;
    let keptFilter = '';
    const keys = `SELECT ${keyHash('id')} FROM stage_usage`;
    // The staged messages are touched whatever happens to their rows; reading the staging table, this
    // can run before the insert, in the same round trip as the candidate search (or the keys' read).
    let touchStaged = `INSERT INTO stage_touched
      SELECT message_id, ${keyHash('message_id')} FROM stage_usage WHERE message_id IS NOT NULL;`;
    let search = true;
    if (this.keys !== undefined) {
      const sidechain = `CASE WHEN is_sidechain THEN ${keyHash('message_id')} END`;
      search = await this.mightBeStored(
        `${touchStaged} SELECT ${keyHalves(keyHash('id'), 'id')}, ${keyHalves(sidechain, 'side')} FROM stage_usage`,
        this.keys.usage,
        this.keys.sidechainMessages,
      );
      touchStaged = '';
    }
    if (
      search &&
      (await this.findCandidates(
        'usage',
        'id_hash',
        keys,
        'stage_usage_candidates',
        touchStaged,
        batchCandidates,
      ))
    ) {
      // The stored copy loses only to a strictly better one (isBetterCopy); every other tie keeps it.
      replaced = await this.count(`CREATE OR REPLACE TEMP TABLE stage_usage_existing AS
          SELECT e.* FROM (
            SELECT rowid AS row_id, id, total_tokens, speed, message_id, message_hash FROM usage
            WHERE rowid IN (SELECT row_id FROM stage_usage_candidates)
          ) e SEMI JOIN stage_usage s ON s.id = e.id;
        CREATE OR REPLACE TEMP TABLE stage_usage_replace AS
          SELECT e.row_id, e.id FROM stage_usage_existing e JOIN stage_usage s ON s.id = e.id WHERE ${STORED_LOSES};
        CREATE OR REPLACE TEMP TABLE stage_usage_kept AS
          SELECT id FROM stage_usage_existing EXCEPT SELECT id FROM stage_usage_replace;
        DELETE FROM usage WHERE rowid IN (SELECT row_id FROM stage_usage_replace);
        INSERT INTO stage_touched
          SELECT message_id, message_hash FROM stage_usage_existing WHERE message_id IS NOT NULL;
        SELECT count(*) FROM stage_usage_replace`);
      keptFilter = 'WHERE NOT EXISTS (SELECT 1 FROM stage_usage_kept k WHERE k.id = s.id)';
    }
    const inserted = await this.runDecoding(
      insertFromStage('usage', 'stage_usage', USAGE_COLUMNS, keptFilter, {
        id_hash: keyHash('s.id'),
        message_hash: keyHash('s.message_id'),
      }),
      labels,
    );
    return inserted.rowsChanged - replaced;
  }

  /*
   * A sidechain copy is superseded exactly when a main-chain copy of the same message is stored;
   * recomputed for every message the batch touched so that either arrival order ends the same.
   * All rows of a message share its key, so the candidates hold whole messages: those touched, and
   * any whose key merely collides with one. Grouping by the message id itself keeps the two apart,
   * and recomputing an untouched message leaves it as it was.
   *
   * Only keys that hold a sidechain row are recomputed: a key whose rows are all main-chain has
   * nothing to change (a main-chain row is never superseded). The first scan keeps just those keys
   * (a second scan then finds their rows) because an OTel session is one message
   * (`otel-session:…`, sources/otel/README.md) that grows with every call: recomputing each
   * touched session whole made a 40 s server bench's commits average 752 ms instead of 554, and
   * growing, once its sessions spanned the run.
   */
  private async settleSupersession(): Promise<void> {
    if (this.keys !== undefined) {
      const sidechain = this.keys.sidechainMessages;
      const touched = await this.connection.run(
        `SELECT DISTINCT ${keyHalves('message_hash', 'm')} FROM stage_touched`,
      );
      let any = false;
      forEachKey(touched, 0, (hi, lo) => {
        any ||= sidechain.mightHold(hi, lo);
      });
      // No touched message has a sidechain row (the set holds those just inserted too).
      if (!any) return;
    }
    const keys = await this.count(`CREATE OR REPLACE TEMP TABLE stage_message_candidates AS
        SELECT DISTINCT message_hash FROM usage
        WHERE is_sidechain AND message_hash IN (SELECT message_hash FROM stage_touched);
      SELECT count(*) FROM stage_message_candidates`);
    if (keys === 0) return;
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE stage_messages AS
      SELECT rowid AS row_id, superseded AS was,
        is_sidechain AND bool_or(NOT is_sidechain) OVER (PARTITION BY message_id) AS superseded
      FROM usage WHERE rowid IN (
        SELECT rowid FROM usage WHERE message_hash IN (SELECT message_hash FROM stage_message_candidates));
    UPDATE usage SET superseded = m.superseded FROM stage_messages m
      WHERE usage.rowid = m.row_id AND m.superseded <> m.was`);
  }

  private runDecoding(sql: string, labels: Labels) {
    return this.connection.run(sql, { labels: listValue(labels.values) }, { labels: LIST(VARCHAR) });
  }

  private async setMemoryLimit(limit: string): Promise<void> {
    // The limits are ours (open options), never user text; quoted as a SQL literal all the same.
    await this.connection.run(`SET memory_limit = '${limit.replaceAll("'", "''")}'`);
  }

  /** Runs `body` in a transaction; staging tables are dropped with it either way. */
  private async transaction<T>(what: string, body: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      // Inside the transaction, so that committing never has to carry staged rows.
      await this.connection.run(`${DROP_STAGE_TABLES} COMMIT`);
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw new Error(`Ledger ${what} failed and was rolled back: ${messageOf(error)}`, { cause: error });
    }
  }

  /**
   * (Re)creates TEMP `table` shaped by `columns` and fills it with `rows`; label columns become
   * one `label_tuple` code, whose combinations go to `<table>_labels` (see LABEL_TUPLE).
   */
  private async stage<R>(table: string, columns: readonly Column<R>[], rows: readonly R[], labels: Labels) {
    const staged = columns.filter((c) => c.kind !== 'label');
    const labelColumns = columns.filter((c) => c.kind === 'label');
    const definition = [
      ...staged.map((c) => `${c.name} ${STAGE_TYPES[c.kind].toString()}`),
      ...(labelColumns.length > 0 ? [`${LABEL_TUPLE} INTEGER`] : []),
    ].join(', ');
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} (${definition})`);
    let tupleCodes: Int32Array | undefined;
    if (labelColumns.length > 0) {
      const tuples = labelTuples();
      tupleCodes = new Int32Array(rows.length);
      // Consecutive rows mostly share every label (one file's or one export's calls): a row whose
      // labels equal the previous row's takes its code without numbering them again.
      const labelGetters = labelColumns.map((c) => c.get);
      const previous: unknown[] = new Array(labelGetters.length).fill(undefined);
      let previousCode = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        let same = previousCode !== 0;
        for (let c = 0; c < labelGetters.length; c++) {
          const value = labelGetters[c]!(row) ?? null;
          if (value !== previous[c]) {
            same = false;
            previous[c] = value;
          }
        }
        if (!same) {
          const tuple = previous.map((value) => (value === null ? null : labels.code(value as string)));
          previousCode = tuples.code(tuple);
        }
        tupleCodes[i] = previousCode;
      }
      const names = ['code', ...labelColumns.map((c) => c.name)];
      const combinations = tuples.values.map((t, i) => [i + 1, ...t]);
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE ${labelTable(table)} (${names.map((n) => `${n} INTEGER`).join(', ')})`,
      );
      await this.appendRows(
        labelTable(table),
        names.map(() => INTEGER),
        combinations.length,
        (c, i) => combinations[i]![c],
      );
    }
    const codes = tupleCodes;
    const getters = staged.map((c) => c.get);
    await this.appendRows(
      table,
      [...staged.map((c) => STAGE_TYPES[c.kind]), ...(codes ? [INTEGER] : [])],
      rows.length,
      (c, i) => (c < getters.length ? getters[c]!(rows[i]!) : codes![i]!),
    );
  }

  /**
   * Fills TEMP `table` with `count` rows through the appender, one reused data chunk at a time (a
   * chunk per call would hold native memory until V8 collects it); `cell(column, row)`.
   */
  private async appendRows(
    table: string,
    types: readonly DuckDBType[],
    count: number,
    cell: (column: number, row: number) => CellValue | undefined,
  ): Promise<void> {
    if (count === 0) return;
    const appender = await this.connection.createAppender(table, 'main', 'temp');
    const chunk = DuckDBDataChunk.create([...types]);
    const chunkRows = DuckDBVector.standardSize();
    try {
      for (let start = 0; start < count; start += chunkRows) {
        const n = Math.min(chunkRows, count - start);
        chunk.reset();
        chunk.rowCount = n;
        for (let c = 0; c < types.length; c++) {
          const vector = chunk.getColumnVector(c);
          for (let i = 0; i < n; i++) {
            const value = cell(c, start + i);
            vector.setItem(i, value === undefined ? null : value);
          }
          vector.flush();
        }
        appender.appendDataChunk(chunk);
        if ((start + n) % APPEND_FLUSH_ROWS === 0) appender.flushSync();
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
    const result = await this.connection.run(sql);
    // Materialized already: reading the one row synchronously saves a round trip (see STAGE_TABLES).
    return Number((result.chunkCount > 0 ? result.getChunk(0).getRows()[0]?.[0] : 0) ?? 0);
  }

  usage(query: UsageQuery): Promise<UsageGroupRow[]> {
    return this.exclusive(async () => {
      const groupKey = Object.hasOwn(GROUP_KEYS, query.groupBy) ? GROUP_KEYS[query.groupBy] : undefined;
      if (groupKey === undefined) throw new Error(`Unknown grouping '${String(query.groupBy)}'`);
      await this.assertTimeZone(query.timeZone);

      const calendar = CALENDAR_GROUPINGS.has(query.groupBy);
      // DuckDB refuses a bound parameter the statement does not use, and only calendar groupings
      // and date bounds read the zone.
      const usesZone = calendar || query.since !== undefined || query.until !== undefined;
      const values: Record<string, DuckDBValue> = usesZone ? { tz: query.timeZone } : {};
      const types: Record<string, DuckDBType> = usesZone ? { tz: VARCHAR } : {};
      const scoped = ['NOT superseded'];
      if (query.since !== undefined) {
        assertLocalDate('since', query.since);
        // The instant the local day starts, computed once: converting every row's ts to local time
        // with ICU cost ~2 s per 10 M rows, a constant bound lets row groups be skipped unread.
        scoped.push('ts >= timezone($tz, CAST(CAST($since AS DATE) AS TIMESTAMP))');
        values.since = query.since;
        types.since = VARCHAR;
      }
      if (query.until !== undefined) {
        assertLocalDate('until', query.until);
        scoped.push('ts < timezone($tz, CAST(CAST($until AS DATE) + 1 AS TIMESTAMP))');
        values.until = query.until;
        types.until = VARCHAR;
      }
      // An empty list means no filter: a CLI's absent repeatable flag arrives as [].
      if (query.tools !== undefined && query.tools.length > 0) {
        scoped.push('list_contains($tools, tool)');
        values.tools = listValue([...query.tools]);
        types.tools = LIST(VARCHAR);
      }
      if (query.models !== undefined && query.models.length > 0) {
        scoped.push('list_contains($models, model)');
        values.models = listValue([...query.models]);
        types.models = LIST(VARCHAR);
      }
      if (query.personId !== undefined) {
        scoped.push('person_id = $person');
        values.person = query.personId;
        types.person = VARCHAR;
      }
      if (query.personIds !== undefined) {
        scoped.push('list_contains($persons, person_id)');
        values.persons = listValue([...query.personIds]);
        types.persons = LIST(VARCHAR);
      }
      if (query.personSpans !== undefined) {
        // EXISTS, so that a person's overlapping spans (two teams at once) count each row once.
        scoped.push(`EXISTS (
          SELECT 1 FROM (SELECT unnest($span_people) AS p, unnest($span_from) AS f, unnest($span_until) AS u) s
          WHERE s.p = usage.person_id
            AND usage.ts BETWEEN make_timestamptz(CAST(s.f * 1000 AS BIGINT)) AND make_timestamptz(CAST(s.u * 1000 AS BIGINT)))`);
        const spans = query.personSpans;
        values.span_people = listValue(spans.map((x) => x.personId));
        types.span_people = LIST(VARCHAR);
        values.span_from = listValue(spans.map((x) => clampEpochMs(x.fromTs)));
        types.span_from = LIST(DOUBLE);
        values.span_until = listValue(spans.map((x) => clampEpochMs(x.untilTs)));
        types.span_until = LIST(DOUBLE);
      }
      const order = query.groupBy === 'session' ? 'last_ts, group_key' : 'group_key';
      const where = scoped.join(' AND ');
      /*
       * Calendar groupings cut rows into local days: rows are first summed per UTC quarter hour
       * (plain arithmetic), and only the buckets are converted to local time, since ICU's
       * conversion per row was ~90% of a daily report's time. Every zone's offset since the 1970s
       * is a whole number of quarter hours, so a bucket never straddles a local midnight.
       */
      const totalsSql = calendar
        ? `SELECT ${groupKey} AS group_key,
            ${TOKEN_COLUMNS.map((c) => `CAST(sum(${c}) AS DOUBLE) AS ${c}`).join(', ')},
            CAST(coalesce(sum(cost_usd), 0) AS DOUBLE) AS cost_usd,
            CAST(coalesce(sum(credits), 0) AS DOUBLE) AS credits,
            CAST(sum(calls) AS DOUBLE) AS calls,
            CAST(sum(unpriced_calls) AS DOUBLE) AS unpriced_calls,
            CAST(min(first_ts) AS DOUBLE) AS first_ts,
            CAST(max(last_ts) AS DOUBLE) AS last_ts
          FROM (
            SELECT timezone($tz, make_timestamptz(quarter * ${QUARTER_HOUR_US})) AS local_ts, *
            FROM (
              SELECT epoch_ms(ts) // ${QUARTER_HOUR_MS} AS quarter,
                ${TOKEN_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')},
                sum(cost_usd) AS cost_usd, sum(credits) AS credits,
                count(*) AS calls, count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced_calls,
                epoch_ms(min(ts)) AS first_ts, epoch_ms(max(ts)) AS last_ts
              FROM usage WHERE ${where} GROUP BY quarter
            )
          ) GROUP BY group_key ORDER BY ${order}`
        : `SELECT ${groupKey} AS group_key,
            ${TOKEN_COLUMNS.map((c) => `CAST(sum(${c}) AS DOUBLE) AS ${c}`).join(', ')},
            CAST(coalesce(sum(cost_usd), 0) AS DOUBLE) AS cost_usd,
            CAST(coalesce(sum(credits), 0) AS DOUBLE) AS credits,
            CAST(count(*) AS DOUBLE) AS calls,
            CAST(count(*) FILTER (WHERE cost_usd IS NULL) AS DOUBLE) AS unpriced_calls,
            CAST(epoch_ms(min(ts)) AS DOUBLE) AS first_ts,
            CAST(epoch_ms(max(ts)) AS DOUBLE) AS last_ts
          FROM usage WHERE ${where} GROUP BY group_key ORDER BY ${order}`;
      const totals = await this.connection.runAndReadAll(totalsSql, values, types);
      /*
       * Model and tool names per group come from separate queries over distinct pairs, joined as
       * one string: with 200k sessions, list(DISTINCT …) or an ordered string_agg next to the sums
       * ran out of memory even at memory_limit 192MB, while these stay within 64MB.
       */
      const namesOf = async (column: 'model' | 'tool') => {
        const reader = await this.connection.runAndReadAll(
          `SELECT group_key, string_agg(${column}, chr(1)) AS names FROM (
            SELECT DISTINCT ${groupKey} AS group_key, ${column} FROM (${
              calendar
                ? `SELECT timezone($tz, make_timestamptz(quarter * ${QUARTER_HOUR_US})) AS local_ts, ${column}
                   FROM (SELECT DISTINCT epoch_ms(ts) // ${QUARTER_HOUR_MS} AS quarter, ${column}
                         FROM usage WHERE ${where} AND ${column} IS NOT NULL)`
                : `SELECT * FROM usage WHERE ${where} AND ${column} IS NOT NULL`
            })
          ) GROUP BY group_key`,
          values,
          types,
        );
        const byKey = new Map<string, string[]>();
        for (const [key, joined] of reader.getRows())
          byKey.set(String(key), String(joined).split('\u0001').sort());
        return byKey;
      };
      const models = await namesOf('model');
      const tools = await namesOf('tool');
      return totals.getRowObjectsJS().map((row): UsageGroupRow => {
        const key = String(row.group_key);
        return {
          key,
          inputUncached: Number(row.input_uncached),
          cacheRead: Number(row.cache_read),
          cacheWrite5m: Number(row.cache_write_5m),
          cacheWrite1h: Number(row.cache_write_1h),
          cacheWriteOther: Number(row.cache_write_other),
          output: Number(row.output),
          reasoning: Number(row.reasoning),
          costUsd: Number(row.cost_usd),
          credits: Number(row.credits),
          calls: Number(row.calls),
          unpricedCalls: Number(row.unpriced_calls),
          models: models.get(key) ?? [],
          tools: (tools.get(key) ?? []) as Tool[],
          firstTs: Number(row.first_ts),
          lastTs: Number(row.last_ts),
        };
      });
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
        for (const part of slices(uniqueBy(rows, (r) => r.id, always))) {
          await this.stage('stage_costs', COST_COLUMNS, part, new Labels());
          const keys = `SELECT ${keyHash('id')} FROM stage_costs`;
          if (!(await this.findCandidates('usage', 'id_hash', keys, 'stage_cost_candidates'))) continue;
          // Unchanged rows are skipped: re-pricing with the same table then writes nothing.
          await this.connection.run(`CREATE OR REPLACE TEMP TABLE stage_cost_changes AS
            SELECT e.row_id, s.cost_usd, s.cost_basis, s.price_version FROM (
              SELECT rowid AS row_id, id, cost_usd, cost_basis, price_version FROM usage
              WHERE rowid IN (SELECT row_id FROM stage_cost_candidates)
            ) e JOIN stage_costs s ON s.id = e.id
            WHERE e.cost_usd IS DISTINCT FROM s.cost_usd OR e.cost_basis IS DISTINCT FROM s.cost_basis
              OR e.price_version IS DISTINCT FROM s.price_version`);
          // Materialised first: the UPDATE over this as a subquery ran out of memory at 96MB while
          // re-pricing the 2.5M-row demo ledger.
          await this.connection.run(`UPDATE usage
            SET cost_usd = c.cost_usd, cost_basis = c.cost_basis, price_version = c.price_version
            FROM stage_cost_changes c WHERE usage.rowid = c.row_id`);
        }
      });
    });
  }

  writeWork(batch: WorkBatch, checkpoints: WorkCheckpoint[] = []): Promise<WorkWriteResult> {
    return this.exclusive(async () => {
      this.assertWritable();
      return this.transaction('outcome write', async () => {
        const result = await writeWorkRows(this.connection, batch);
        for (const c of checkpoints) await writeWorkCheckpoint(this.connection, c.source, c.key, c.state);
        return result;
      });
    });
  }

  workCheckpoint(source: WorkSourceId, key: string): Promise<unknown> {
    return this.exclusive(() => readWorkCheckpoint(this.connection, source, key));
  }

  work(query: WorkQuery): Promise<WorkBatch> {
    return this.exclusive(() => readWorkRows(this.connection, query));
  }

  sessions(query: SessionQuery): Promise<SessionSummary[]> {
    return this.exclusive(() => readSessionSummaries(this.connection, query));
  }

  identities(): Promise<IdentityStat[]> {
    return this.exclusive(() => readIdentityStats(this.connection));
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

  metaWithPrefix(prefix: string): Promise<Map<string, string>> {
    return this.exclusive(async () => {
      // starts_with, not LIKE: a prefix may hold `%` or `_`.
      const reader = await this.connection.runAndReadAll(
        'SELECT key, value FROM meta WHERE starts_with(key, $prefix) ORDER BY key',
        { prefix },
        { prefix: VARCHAR },
      );
      return new Map(reader.getRows().map(([key, value]) => [String(key), String(value)]));
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
