/**
 * The `Store` interface: the ledger's only door to a database engine. One implementation per
 * engine lives beside it (`duckdb/`, later `clickhouse/`), and one contract test suite runs
 * against each (`store.contract.ts`).
 * @module
 */
import type { PersonSpan } from '../people/types.js';
import type { ActivityRecord, SourceId, Tool, UsageRecord } from '../records.js';
import type { SessionSummary } from '../sessions.js';
import type { WorkBatch, WorkSourceId } from '../work.js';

/** Where incremental ingestion stopped in one file. */
export interface FileCheckpoint {
  source: SourceId;
  path: string;
  /** `dev:ino` of the file when it was read; a different identity means the file was replaced. */
  fileId: string;
  size: number;
  mtimeMs: number;
  /** Byte offset just past the last complete line consumed. */
  offset: number;
  /** Hash of the file's first bytes (up to 4 KiB) to detect a file rewritten in place. */
  headHash: string;
  /** Source-specific parser state carried between runs (JSON-serialisable), or null. */
  state: unknown;
}

/** One atomic unit of ingestion: records and the checkpoints that cover them commit together. */
export interface WriteBatch {
  usage: UsageRecord[];
  activity: ActivityRecord[];
  checkpoints: FileCheckpoint[];
  /**
   * Origins (file paths) whose earlier records must be dropped before this batch is applied,
   * for sources that re-read whole files (Gemini chats are rewritten in place).
   */
  replaceOrigins?: string[];
}

export interface WriteResult {
  /** Usage records new to the ledger. */
  usageInserted: number;
  /** Usage records whose id was already stored (the same call seen again): merged, not added. */
  usageDuplicates: number;
  activityInserted: number;
  activityDuplicates: number;
}

export type UsageGrouping = 'day' | 'week' | 'month' | 'session' | 'model' | 'project' | 'tool' | 'person';

export interface UsageQuery {
  groupBy: UsageGrouping;
  /** IANA time zone used to cut days, weeks and months. */
  timeZone: string;
  /** Inclusive local date YYYY-MM-DD in `timeZone`. */
  since?: string;
  /** Inclusive local date YYYY-MM-DD in `timeZone`. */
  until?: string;
  tools?: Tool[];
  /** Only calls of these models (as the tool wrote them); absent or empty: every model. */
  models?: string[];
  personId?: string;
  /**
   * Only these people (a team's members). Unlike `tools`, an empty list selects nobody: a scope
   * that resolves to no one must never widen to everyone.
   */
  personIds?: string[];
  /**
   * Only these people, each only within its spans (a team's members while they were members).
   * Overlapping spans of one person count their usage once; an empty list selects nobody.
   */
  personSpans?: readonly PersonSpan[];
}

/** Aggregated usage for one group. Token fields are sums of the canonical buckets. */
export interface UsageGroupRow {
  /** The group key: `YYYY-MM-DD` for day, the Monday `YYYY-MM-DD` for week, `YYYY-MM` for month, else the id/name (person id for person). */
  key: string;
  inputUncached: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheWriteOther: number;
  output: number;
  reasoning: number;
  /** Sum over priced calls only. */
  costUsd: number;
  /** Credits of credit-metered tools (0 where a tool reports none). */
  credits: number;
  calls: number;
  /** Calls with no known price: their tokens are in the sums above, their cost is not. */
  unpricedCalls: number;
  models: string[];
  tools: Tool[];
  firstTs: number;
  lastTs: number;
}

/** The fields of a stored usage record that its price depends on. */
export type PricingRow = Pick<
  UsageRecord,
  | 'id'
  | 'tool'
  | 'provider'
  | 'model'
  | 'speed'
  | 'serviceTier'
  | 'inferenceGeo'
  | 'tokens'
  | 'webSearchRequests'
  | 'reportedCostUsd'
>;

export type CostUpdate = Pick<UsageRecord, 'id' | 'costUsd' | 'costBasis' | 'priceVersion'>;

/** A window of epoch milliseconds, `since` inclusive and `until` exclusive; open ends when absent. */
export interface TimeWindow {
  since?: number;
  until?: number;
}

export interface WorkQuery extends TimeWindow {
  /** Only these kinds are read (the others come back empty); all of them when absent. */
  kinds?: readonly (keyof WorkBatch)[];
}

export interface SessionQuery extends TimeWindow {
  personId?: string;
  /**
   * Fill `promptFingerprints` (for near-duplicate prompt detection). Off by default: at a large
   * organisation's million sessions the strings cost hundreds of MB the value model never reads.
   */
  promptFingerprints?: boolean;
}

export interface WorkWriteResult {
  /** Records whose id was new. */
  inserted: number;
  /** Records that replaced a stored copy of the same id (a re-read, or a newer state of a PR). */
  replaced: number;
}

/** Where an outcome source stopped (a repository's ref tips, an export file's stamp …). */
export interface WorkCheckpoint {
  source: WorkSourceId;
  key: string;
  state: unknown;
}

/** A raw identity seen on usage, what it resolved to, and what it carries. */
export interface IdentityStat {
  rawIdentity: Record<string, string>;
  personId: string;
  costUsd: number;
  calls: number;
}

export class StoreLockedError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`The ledger ${path} is open for writing in another process (${detail}).`);
    this.name = 'StoreLockedError';
  }
}

/** The ledger was written by a newer build whose schema this build does not know. */
export class StoreSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly foundVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `The ledger ${path} has schema version ${foundVersion}, newer than this build supports (${supportedVersion}). Upgrade tokenyield to read it.`,
    );
    this.name = 'StoreSchemaError';
  }
}

export interface Store {
  readonly engine: 'duckdb' | 'clickhouse';
  /** All checkpoints of one source, keyed by path. */
  checkpoints(source: SourceId): Promise<Map<string, FileCheckpoint>>;
  /** Applies a batch atomically: either all of it is durable or none of it is. */
  write(batch: WriteBatch): Promise<WriteResult>;
  usage(query: UsageQuery): Promise<UsageGroupRow[]>;
  /** Every usage record with what pricing needs, in batches, for re-pricing after a price change. */
  usageForPricing(batchSize: number): AsyncIterable<PricingRow[]>;
  /** Replaces the cost of stored usage records (after a price-table or override change). */
  updateCosts(rows: CostUpdate[]): Promise<void>;
  /**
   * Upserts outcome records by id and saves the source checkpoints that cover them, atomically:
   * a crash leaves either both or neither.
   */
  writeWork(batch: WorkBatch, checkpoints?: WorkCheckpoint[]): Promise<WorkWriteResult>;
  workCheckpoint(source: WorkSourceId, key: string): Promise<unknown>;
  /** Outcome records whose own time (authored, created, deployed, opened, done) is in the window. */
  work(query: WorkQuery): Promise<WorkBatch>;
  /** One summary per AI session active in the window (see ledger/sessions.ts). */
  sessions(query: SessionQuery): Promise<SessionSummary[]>;
  /** Raw identities on usage records, for `people unresolved` and re-resolution. */
  identities(): Promise<IdentityStat[]>;
  /** Key/value metadata (price table version in use, schema version …). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Every metadata entry whose key starts with `prefix`, keyed by the full key. Small governance
   * state (budgets defined over the API, alert history, flag reviews) lives here so that it is
   * shared by every server on one ledger, whatever its engine.
   */
  metaWithPrefix(prefix: string): Promise<Map<string, string>>;
  close(): Promise<void>;
}
