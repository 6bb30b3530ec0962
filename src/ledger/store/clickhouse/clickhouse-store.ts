/**
 * The ClickHouse ledger: the `Store` for an organisation too large for one embedded file, with
 * stateless servers in front of one ClickHouse. No lock is taken: any number of processes may
 * write at once. Within one process, writes are applied one at a time (reads run alongside).
 *
 * A write reads the stored copies of its ids, inserts what is new or strictly better (see
 * write-plan.ts), recomputes the roll-up of the units it touched (rollup.ts) and saves its file
 * checkpoints last. ClickHouse has no transactions, so "all or nothing" is kept differently: the
 * whole batch is checked before the first insert, and a write cut short (a crash, a lost
 * connection) leaves records without the checkpoints that cover them, so they are read again and
 * their second arrival merges with the first instead of adding to it.
 * @module
 */
import { isBetterCopy } from '../../dedup.js';
import type { ActivityRecord, SourceId, UsageRecord } from '../../records.js';
import type { SessionSummary } from '../../sessions.js';
import type { WorkBatch, WorkSourceId } from '../../work.js';
import type {
  CostUpdate,
  FileCheckpoint,
  IdentityStat,
  PricingRow,
  SessionQuery,
  Store,
  UsageGroupRow,
  UsageQuery,
  WorkCheckpoint,
  WorkQuery,
  WorkWriteResult,
  WriteBatch,
  WriteResult,
} from '../store.js';
import { type ClickHouseTarget, Connection, describeTarget, parseClickHouseUrl } from './connection.js';
import { recomputeUnits } from './rollup.js';
import { decodeVersion, rowVersion, TOMBSTONE_RANK } from './row-version.js';
import {
  ACTIVITY_COLUMNS,
  checkActivity,
  checkCheckpoint,
  checkpointRow,
  checkUsage,
  PRICING_COLUMNS,
  type PricingCell,
  pricingRow,
  type UnitKey,
  USAGE_COLUMNS,
  unitId,
  utcDay,
} from './rows.js';
import { migrate } from './schema.js';
import { identifier, inList, sql, trusted, tupleList } from './sql.js';
import { GROUPINGS, usageStatement } from './usage-query.js';
import { assertSupported, featuresOf, parseServerVersion, type ServerVersion } from './version.js';
import {
  checkWorkBatch,
  readIdentityStats,
  readSessionSummaries,
  readWorkCheckpoint,
  readWorkRows,
  VersionClock,
  workCheckpointRow,
  writeWorkRows,
} from './work-tables.js';
import {
  type Flip,
  type OriginActivity,
  type OriginUsage,
  planActivity,
  plannedRows,
  planUsage,
  type StoredActivity,
  type StoredUsage,
  settleSupersession,
  tombstoneActivity,
  tombstoneUsage,
  unitsOf,
} from './write-plan.js';
import { isKnownZone } from './zone.js';

export interface ClickHouseStoreOptions {
  /** `clickhouse://[user[:password]@]host[:port]/database`. */
  url: string;
  /** Refuse writes, and refuse a database that would need migrating. */
  readOnly?: boolean;
  /**
   * Answer reports from the roll-up where it is exact (the default); false reads raw rows only,
   * which tests use to hold both paths to the same answers.
   */
  rollups?: boolean;
}

/** Ids looked up per statement when merging a batch. */
const LOOKUP_CHUNK = 50_000;

interface StoredCell {
  k_day: string;
  k_person: string;
  id: string;
  message_id: string | null;
  ver: string;
  is_sidechain: number;
  superseded: number;
}

export async function openClickHouseStore(options: ClickHouseStoreOptions): Promise<Store> {
  const target = parseClickHouseUrl(options.url);
  const label = describeTarget(target);
  const readOnly = options.readOnly ?? false;
  const admin = Connection.open(target, false);
  let version: ServerVersion;
  try {
    const rows = await admin.rows<{ v: string }>(sql`SELECT version() AS v`);
    version = parseServerVersion(rows[0]?.v ?? '');
    assertSupported(version);
    if (readOnly) {
      const exists = await admin.rows<{ n: string }>(
        sql`SELECT count() AS n FROM system.databases WHERE name = ${target.database}`,
      );
      if (Number(exists[0]?.n) === 0) throw new Error(`The ledger ${label} does not exist.`);
    } else {
      await admin.command(sql`CREATE DATABASE IF NOT EXISTS ${identifier(target.database)}`);
    }
  } catch (error) {
    throw new Error(`Cannot open the ledger ${label}: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.close();
  }
  const connection = Connection.open(target);
  try {
    await migrate(connection, featuresOf(version), label, undefined, readOnly);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return new ClickHouseStore(target, connection, version, readOnly, options.rollups ?? true);
}

class ClickHouseStore implements Store {
  readonly engine = 'clickhouse' as const;
  private readonly label: string;
  private readonly clock = new VersionClock();
  private writes: Promise<unknown> = Promise.resolve();
  private readonly running = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  private readonly knownZones = new Set<string>();
  /** Unit keys of the last batch `usageForPricing` yielded: `updateCosts` of those ids needs no search. */
  private pricingKeys = new Map<string, UnitKey>();

  constructor(
    target: ClickHouseTarget,
    private readonly connection: Connection,
    readonly serverVersion: ServerVersion,
    private readonly readOnly: boolean,
    private readonly rollups: boolean,
  ) {
    this.label = describeTarget(target);
  }

  /** Runs a read; refused once the store is closing. */
  private read<T>(task: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error(`The ledger ${this.label} is closed.`));
    const run = task();
    this.running.add(run);
    const done = () => this.running.delete(run);
    run.then(done, done);
    return run;
  }

  /** Runs a write after the writes before it (one at a time in this process). */
  private serialWrite<T>(what: string, task: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new Error(`The ledger ${this.label} is closed.`));
    if (this.readOnly) return Promise.reject(new Error(`The ledger ${this.label} is open read-only.`));
    const run = this.writes.then(task).catch((error: unknown) => {
      throw new Error(`Ledger ${what} failed: ${(error as Error).message}`, { cause: error });
    });
    this.writes = run.catch(() => undefined);
    this.running.add(run);
    const done = () => this.running.delete(run);
    run.then(done, done);
    return run;
  }

  checkpoints(source: SourceId): Promise<Map<string, FileCheckpoint>> {
    return this.read(async () => {
      const rows = await this.connection.rows<{
        path: string;
        file_id: string;
        size: string;
        mtime_ms: number;
        byte_offset: string;
        head_hash: string;
        state: string | null;
      }>(
        sql`SELECT path, file_id, size, mtime_ms, byte_offset, head_hash, state
          FROM file_checkpoints FINAL WHERE source = ${source}`,
      );
      const result = new Map<string, FileCheckpoint>();
      for (const row of rows) {
        result.set(row.path, {
          source,
          path: row.path,
          fileId: row.file_id,
          size: Number(row.size),
          mtimeMs: Number(row.mtime_ms),
          offset: Number(row.byte_offset),
          headHash: row.head_hash,
          state: row.state === null ? null : JSON.parse(row.state),
        });
      }
      return result;
    });
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    return this.serialWrite('write', () => this.applyBatch(batch));
  }

  private async applyBatch(batch: WriteBatch): Promise<WriteResult> {
    // Everything is checked before the first insert: there is no transaction to roll back.
    for (const record of batch.usage) checkUsage(record);
    for (const record of batch.activity) checkActivity(record);
    for (const checkpoint of batch.checkpoints) checkCheckpoint(checkpoint);
    const origins = [...new Set(batch.replaceOrigins ?? [])];

    // Copies of one record inside the batch are settled first, by the rule applied against stored rows.
    const usage = uniqueBy(batch.usage, (r) => r.id, isBetterCopy);
    const activity = uniqueBy(
      batch.activity,
      (r) => r.id,
      () => false,
    );
    const checkpoints = uniqueBy(
      batch.checkpoints,
      (r) => `${r.source}\u0000${r.path}`,
      () => true,
    );

    const usageRows: Record<string, unknown>[] = [];
    const activityRows: Record<string, unknown>[] = [];
    // Messages whose copies may change state: their sidechain copies are settled again.
    const touched = new Set<string>();
    for (const r of usage) if (r.messageId !== null) touched.add(r.messageId);
    let tombstoned = new Map<string, StoredUsage>();
    let deletedActivity = new Map<string, StoredActivity>();
    const originUnits: UnitKey[] = [];
    if (origins.length > 0) {
      const live = await this.liveUsageOf(origins);
      const gone = tombstoneUsage(live);
      usageRows.push(...gone.rows);
      tombstoned = gone.stored;
      for (const row of live) {
        originUnits.push(row.key);
        if (row.messageId !== null) touched.add(row.messageId);
      }
      const goneActivity = tombstoneActivity(await this.liveActivityOf(origins));
      activityRows.push(...goneActivity.rows);
      deletedActivity = goneActivity.stored;
    }

    const stored = await this.storedUsage(usage, originUnits, touched);
    for (const [id, copy] of tombstoned) stored.set(id, copy);
    const messageKeys = new Map<string, UnitKey>();
    for (const copy of stored.values()) {
      if (copy.messageId === null) continue;
      const known = messageKeys.get(copy.messageId);
      if (known === undefined || unitId(copy.key) < unitId(known)) messageKeys.set(copy.messageId, copy.key);
    }
    const plan = planUsage(usage, stored, messageKeys);
    const { superseded, flips } = settleSupersession(plan.planned, stored, touched);
    usageRows.push(...plannedRows(plan.planned, superseded));
    if (flips.length > 0) usageRows.push(...(await this.flipped(flips)));

    let activityInserted = 0;
    for (let start = 0; start < activity.length; start += LOOKUP_CHUNK) {
      const part = activity.slice(start, start + LOOKUP_CHUNK);
      const storedActivity = await this.storedActivity(part);
      for (const [id, copy] of deletedActivity) storedActivity.set(id, copy);
      const planned = planActivity(part, storedActivity);
      activityRows.push(...planned.rows);
      activityInserted += planned.inserted;
    }

    await this.connection.insert('usage', usageRows, USAGE_COLUMNS);
    await this.connection.insert('activity', activityRows, ACTIVITY_COLUMNS);
    await recomputeUnits(
      this.connection,
      unitsOf(usageRows.map((r) => ({ kDay: String(r.k_day), kPerson: String(r.k_person) }))).values(),
    );
    // Last: a write cut short before this point is read again, and merges with what it left.
    await this.connection.insert(
      'file_checkpoints',
      checkpoints.map((c) => checkpointRow(c, this.clock.next())),
    );
    return {
      usageInserted: plan.inserted,
      usageDuplicates: batch.usage.length - plan.inserted,
      activityInserted,
      activityDuplicates: batch.activity.length - activityInserted,
    };
  }

  /** Live usage rows whose origin is one of `origins` (a scan: replaced origins are rare). */
  private async liveUsageOf(origins: readonly string[]): Promise<OriginUsage[]> {
    const rows = await this.connection.rows<{
      k_day: string;
      k_person: string;
      id: string;
      ver: string;
      message_id: string | null;
      is_sidechain: number;
    }>(
      sql`SELECT k_day, k_person, id, toString(ver) AS ver, message_id, is_sidechain FROM usage FINAL
        WHERE deleted = 0 AND origin IN ${inList(origins)}`,
    );
    return rows.map((r) => ({
      id: r.id,
      key: { kDay: r.k_day, kPerson: r.k_person },
      generation: decodeVersion(r.ver).generation,
      messageId: r.message_id,
      sidechain: Number(r.is_sidechain) === 1,
    }));
  }

  private async liveActivityOf(origins: readonly string[]): Promise<OriginActivity[]> {
    const rows = await this.connection.rows<{ k_day: string; session_id: string; id: string; ver: string }>(
      sql`SELECT k_day, session_id, id, toString(ver) AS ver FROM activity FINAL
        WHERE deleted = 0 AND origin IN ${inList(origins)}`,
    );
    return rows.map((r) => ({
      id: r.id,
      kDay: r.k_day,
      sessionId: r.session_id,
      generation: decodeVersion(r.ver).generation,
    }));
  }

  /**
   * The winning stored copy of every id of `records` and of every copy of the `messages`.
   * Copies are looked for in the units a copy can be filed under: each record's person on its UTC
   * day and the days either side, and `units` (those of rows the write deletes).
   */
  private async storedUsage(
    records: readonly UsageRecord[],
    units: readonly UnitKey[],
    messages: ReadonlySet<string>,
  ): Promise<Map<string, StoredUsage>> {
    const best = new Map<string, { row: StoredCell; ver: bigint }>();
    for (let start = 0; start < Math.max(records.length, units.length > 0 ? 1 : 0); start += LOOKUP_CHUNK) {
      const part = records.slice(start, start + LOOKUP_CHUNK);
      const pairs = new Map<string, [string, string]>();
      const days: string[] = [];
      const addUnit = (day: string, person: string) => {
        pairs.set(`${day}\u0000${person}`, [day, person]);
        days.push(day);
      };
      for (const r of part) {
        for (const shift of [-1, 0, 1]) addUnit(utcDay(r.ts + shift * 86_400_000), r.personId);
      }
      if (start === 0) for (const u of units) addUnit(u.kDay, u.kPerson);
      const partMessages =
        start === 0
          ? [...messages]
          : [...new Set(part.flatMap((r) => (r.messageId === null ? [] : [r.messageId])))];
      const wanted = [...part.map((r) => r.id), ...partMessages];
      if (wanted.length === 0) continue;
      days.sort();
      // Ids and message ids share one set: rows are then used by their id and by their message id.
      const rows = await this.connection.rowsWithSet<StoredCell>(
        wanted,
        (set) =>
          sql`SELECT k_day, k_person, id, message_id, toString(ver) AS ver, is_sidechain, superseded FROM usage
          WHERE k_day >= toDate(${days[0]!}) AND k_day <= toDate(${days[days.length - 1]!})
            AND (k_day, k_person) IN ${tupleList([...pairs.values()])}
            AND (id IN ${set} OR assumeNotNull(message_id) IN ${set})`,
      );
      for (const row of rows) {
        const ver = BigInt(row.ver);
        const previous = best.get(row.id);
        if (previous === undefined || ver > previous.ver) best.set(row.id, { row, ver });
      }
    }
    const stored = new Map<string, StoredUsage>();
    for (const [id, { row, ver }] of best) {
      const { generation, rank } = decodeVersion(ver);
      stored.set(id, {
        key: { kDay: row.k_day, kPerson: row.k_person },
        generation,
        rank,
        deleted: rank === TOMBSTONE_RANK,
        messageId: row.message_id,
        sidechain: Number(row.is_sidechain) === 1,
        superseded: Number(row.superseded) === 1,
      });
    }
    return stored;
  }

  /** Stored rows written again with their superseded flag changed. */
  private async flipped(flips: readonly Flip[]): Promise<Record<string, unknown>[]> {
    const byId = new Map(flips.map((f) => [f.id, f]));
    const units = unitsOf(flips.map((f) => f.key));
    const rows = await this.connection.rows<Record<string, unknown>>(
      sql`SELECT * FROM usage FINAL
        WHERE (k_day, k_person) IN ${tupleList([...units.values()].map((u) => [u.kDay, u.kPerson]))}
          AND id IN ${inList([...byId.keys()])} AND deleted = 0`,
    );
    return rows.map((row) => {
      const flip = byId.get(String(row.id))!;
      return { ...row, ver: flip.version.toString(), superseded: flip.superseded ? 1 : 0 };
    });
  }

  private async storedActivity(records: readonly ActivityRecord[]): Promise<Map<string, StoredActivity>> {
    const stored = new Map<string, StoredActivity>();
    if (records.length === 0) return stored;
    const sessions = [...new Set(records.map((r) => r.sessionId))];
    const rows = await this.connection.rowsWithSet<{
      k_day: string;
      session_id: string;
      id: string;
      ver: string;
    }>(
      records.map((r) => r.id),
      (set) => sql`SELECT k_day, session_id, id, toString(max(ver)) AS ver FROM activity
        WHERE session_id IN ${inList(sessions)} AND id IN ${set}
        GROUP BY k_day, session_id, id`,
    );
    const best = new Map<string, { row: (typeof rows)[number]; ver: bigint }>();
    for (const row of rows) {
      const ver = BigInt(row.ver);
      const previous = best.get(row.id);
      if (previous === undefined || ver > previous.ver) best.set(row.id, { row, ver });
    }
    for (const [id, { row, ver }] of best) {
      const { generation, rank } = decodeVersion(ver);
      stored.set(id, {
        kDay: row.k_day,
        sessionId: row.session_id,
        generation,
        deleted: rank === TOMBSTONE_RANK,
      });
    }
    return stored;
  }

  usage(query: UsageQuery): Promise<UsageGroupRow[]> {
    return this.read(async () => {
      if (!GROUPINGS.includes(query.groupBy)) throw new Error(`Unknown grouping '${String(query.groupBy)}'`);
      await this.assertTimeZone(query.timeZone);
      const statement = usageStatement(query, { rollups: this.rollups });
      if (statement === null) return [];
      const rows = await this.connection.rows<{
        group_key: string;
        input_uncached: string;
        cache_read: string;
        cache_write_5m: string;
        cache_write_1h: string;
        cache_write_other: string;
        output: string;
        reasoning: string;
        cost_usd: number;
        credits: number;
        calls: string;
        unpriced_calls: string;
        models: string[];
        tools: string[];
        first_ts: string;
        last_ts: string;
      }>(statement);
      return rows.map(
        (row): UsageGroupRow => ({
          key: row.group_key,
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
          models: [...row.models].sort(),
          tools: [...row.tools].sort() as UsageGroupRow['tools'],
          firstTs: Number(row.first_ts),
          lastTs: Number(row.last_ts),
        }),
      );
    });
  }

  /** A zone must be known to this runtime (as DuckDB's ICU would know it) and to the server. */
  private async assertTimeZone(zone: string): Promise<void> {
    if (this.knownZones.has(zone)) return;
    const unknown = (cause?: unknown) =>
      new Error(`Unknown time zone '${String(zone)}': use an IANA name such as 'Europe/Berlin' or 'UTC'.`, {
        cause,
      });
    if (!isKnownZone(zone)) throw unknown();
    try {
      await this.connection.rows(sql`SELECT toString(toTimeZone(toDateTime(0), ${zone})) AS t`);
    } catch (error) {
      throw unknown(error);
    }
    this.knownZones.add(zone);
  }

  /*
   * One streamed query: it reads one snapshot of the table, so rows re-priced while the caller
   * iterates (written again with a new version) are neither skipped nor seen twice.
   */
  async *usageForPricing(batchSize: number): AsyncIterable<PricingRow[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    }
    if (this.closing) throw new Error(`The ledger ${this.label} is closed.`);
    let batch: PricingCell[] = [];
    const flush = () => {
      this.pricingKeys = new Map(batch.map((c) => [c.id, { kDay: c.k_day, kPerson: c.k_person }]));
      const rows = batch.map(pricingRow);
      batch = [];
      return rows;
    };
    for await (const rows of this.connection.stream<PricingCell>(
      sql`SELECT ${trusted(PRICING_COLUMNS)} FROM usage FINAL WHERE deleted = 0`,
    )) {
      for (const row of rows) {
        batch.push(row);
        if (batch.length === batchSize) yield flush();
      }
    }
    if (batch.length > 0) yield flush();
  }

  updateCosts(rows: CostUpdate[]): Promise<void> {
    return this.serialWrite('cost update', async () => {
      if (rows.length === 0) return;
      const updates = uniqueBy(
        rows,
        (r) => r.id,
        () => true,
      );
      const units = new Map<string, UnitKey>();
      for (let start = 0; start < updates.length; start += LOOKUP_CHUNK) {
        const part = updates.slice(start, start + LOOKUP_CHUNK);
        const byId = new Map(part.map((u) => [u.id, u]));
        const keys = await this.unitsOf(part.map((u) => u.id));
        if (keys.length === 0) continue;
        const stored = await this.connection.rows<Record<string, unknown>>(
          sql`SELECT * FROM usage FINAL
            WHERE (k_day, k_person) IN ${tupleList(keys.map((k) => [k.kDay, k.kPerson]))}
              AND id IN ${inList([...byId.keys()])} AND deleted = 0`,
        );
        const changed: Record<string, unknown>[] = [];
        for (const row of stored) {
          const update = byId.get(String(row.id))!;
          const cost = row.cost_usd === null ? null : Number(row.cost_usd);
          if (
            cost === update.costUsd &&
            row.cost_basis === update.costBasis &&
            row.price_version === update.priceVersion
          )
            continue;
          const { generation, rank } = decodeVersion(String(row.ver));
          changed.push({
            ...row,
            ver: rowVersion(generation + 1, rank).toString(),
            cost_usd: update.costUsd,
            cost_basis: update.costBasis,
            price_version: update.priceVersion,
          });
          const key = { kDay: String(row.k_day), kPerson: String(row.k_person) };
          units.set(unitId(key), key);
        }
        await this.connection.insert('usage', changed, USAGE_COLUMNS);
      }
      await recomputeUnits(this.connection, units.values());
    });
  }

  /** The units holding `ids`: known from the pricing batch just read, else searched for. */
  private async unitsOf(ids: readonly string[]): Promise<UnitKey[]> {
    const known = new Map<string, UnitKey>();
    const missing: string[] = [];
    for (const id of ids) {
      const key = this.pricingKeys.get(id);
      if (key === undefined) missing.push(id);
      else known.set(unitId(key), key);
    }
    if (missing.length > 0) {
      const rows = await this.connection.rowsWithSet<{ k_day: string; k_person: string }>(
        missing,
        (set) => sql`SELECT DISTINCT k_day, k_person FROM usage WHERE id IN ${set}`,
      );
      for (const row of rows) {
        const key = { kDay: row.k_day, kPerson: row.k_person };
        known.set(unitId(key), key);
      }
    }
    return [...known.values()];
  }

  writeWork(batch: WorkBatch, checkpoints: WorkCheckpoint[] = []): Promise<WorkWriteResult> {
    return this.serialWrite('outcome write', async () => {
      checkWorkBatch(batch);
      const result = await writeWorkRows(this.connection, this.clock, batch);
      await this.connection.insert(
        'work_checkpoints',
        checkpoints.map((c) => workCheckpointRow(c.source, c.key, c.state, this.clock.next())),
      );
      return result;
    });
  }

  workCheckpoint(source: WorkSourceId, key: string): Promise<unknown> {
    return this.read(() => readWorkCheckpoint(this.connection, source, key));
  }

  work(query: WorkQuery): Promise<WorkBatch> {
    return this.read(() => readWorkRows(this.connection, query));
  }

  sessions(query: SessionQuery): Promise<SessionSummary[]> {
    return this.read(() => readSessionSummaries(this.connection, query));
  }

  identities(): Promise<IdentityStat[]> {
    return this.read(() => readIdentityStats(this.connection));
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.read(async () => {
      const rows = await this.connection.rows<{ value: string }>(
        sql`SELECT value FROM meta FINAL WHERE key = ${key}`,
      );
      return rows[0]?.value;
    });
  }

  metaWithPrefix(prefix: string): Promise<Map<string, string>> {
    return this.read(async () => {
      // startsWith, not LIKE: a prefix may hold `%` or `_`.
      const rows = await this.connection.rows<{ key: string; value: string }>(
        sql`SELECT key, value FROM meta FINAL WHERE startsWith(key, ${prefix}) ORDER BY key`,
      );
      return new Map(rows.map((r) => [r.key, r.value]));
    });
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.serialWrite('meta write', () =>
      this.connection.insert('meta', [{ key, ver: this.clock.next(), value }]),
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.running]);
      await this.connection.close();
    })();
    return this.closing;
  }
}

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
