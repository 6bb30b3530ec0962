/**
 * Records to ClickHouse rows (JSONEachRow objects keyed by column) and back. A batch is checked
 * whole before anything is sent: ClickHouse has no transactions, so a record that cannot be
 * stored must stop the batch before its first insert, never half-way through it.
 * @module
 */
import {
  type ActivityRecord,
  type Provider,
  type Tool,
  totalTokens,
  type UsageRecord,
} from '../../records.js';
import type { FileCheckpoint, PricingRow } from '../store.js';

/** The (day, person) unit a usage row is filed under; see schema.ts. */
export interface UnitKey {
  /** `YYYY-MM-DD` (UTC). */
  kDay: string;
  kPerson: string;
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const unitId = (key: UnitKey) => `${key.kDay}\u0000${key.kPerson}`;

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);

function checkFields(kind: string, record: object, fields: Record<string, [string, Check]>): void {
  const r = record as Record<string, unknown>;
  for (const [field, [column, check]] of Object.entries(fields)) {
    if (!check(r[field])) {
      const value = r[field];
      const what =
        value === null || value === undefined
          ? 'is required'
          : `has an invalid value (${JSON.stringify(value)})`;
      throw new Error(`${kind} record ${String(r.id)}: ${column} ${what}`);
    }
  }
}

const USAGE_FIELDS: Record<string, [string, Check]> = {
  id: ['id', (v) => isString(v) && (v as string).length > 0],
  ts: ['ts', isNumber],
  source: ['source', isString],
  tool: ['tool', isString],
  sessionId: ['session_id', isString],
  parentSessionId: ['parent_session_id', nullable(isString)],
  requestId: ['request_id', nullable(isString)],
  messageId: ['message_id', nullable(isString)],
  model: ['model', nullable(isString)],
  provider: ['provider', isString],
  speed: ['speed', nullable(isString)],
  serviceTier: ['service_tier', nullable(isString)],
  inferenceGeo: ['inference_geo', nullable(isString)],
  webSearchRequests: ['web_search_requests', isNumber],
  credits: ['credits', nullable(isNumber)],
  reportedCostUsd: ['reported_cost_usd', nullable(isNumber)],
  cwd: ['cwd', nullable(isString)],
  gitBranch: ['git_branch', nullable(isString)],
  project: ['project', nullable(isString)],
  isSubagent: ['is_subagent', isBoolean],
  isSidechain: ['is_sidechain', isBoolean],
  granularity: ['granularity', isString],
  origin: ['origin', isString],
  personId: ['person_id', isString],
  rawIdentity: ['raw_identity', (v) => typeof v === 'object' && v !== null],
  costUsd: ['cost_usd', nullable(isNumber)],
  costBasis: ['cost_basis', isString],
  priceVersion: ['price_version', nullable(isString)],
};

const TOKEN_FIELDS = [
  'inputUncached',
  'cacheRead',
  'cacheWrite5m',
  'cacheWrite1h',
  'cacheWriteOther',
  'output',
  'reasoning',
] as const;

export function checkUsage(record: UsageRecord): void {
  checkFields('usage', record, USAGE_FIELDS);
  const tokens = record.tokens as unknown as Record<string, unknown> | null;
  if (typeof tokens !== 'object' || tokens === null)
    throw new Error(`usage record ${record.id}: tokens is required`);
  for (const field of TOKEN_FIELDS) {
    if (!isNumber(tokens[field])) throw new Error(`usage record ${record.id}: tokens.${field} is required`);
  }
}

const ACTIVITY_FIELDS: Record<string, [string, Check]> = {
  id: ['id', (v) => isString(v) && (v as string).length > 0],
  ts: ['ts', isNumber],
  source: ['source', isString],
  tool: ['tool', isString],
  sessionId: ['session_id', isString],
  kind: ['kind', isString],
  name: ['name', nullable(isString)],
  promptLength: ['prompt_length', nullable(isNumber)],
  promptFingerprint: ['prompt_fingerprint', nullable(isString)],
  linesAdded: ['lines_added', isNumber],
  linesRemoved: ['lines_removed', isNumber],
  ref: ['ref', nullable(isString)],
  cwd: ['cwd', nullable(isString)],
  gitBranch: ['git_branch', nullable(isString)],
  isSubagent: ['is_subagent', isBoolean],
  origin: ['origin', isString],
  personId: ['person_id', isString],
};

export function checkActivity(record: ActivityRecord): void {
  checkFields('activity', record, ACTIVITY_FIELDS);
}

const CHECKPOINT_FIELDS: Record<string, [string, Check]> = {
  source: ['source', isString],
  path: ['path', isString],
  fileId: ['file_id', isString],
  size: ['size', isNumber],
  mtimeMs: ['mtime_ms', isNumber],
  offset: ['byte_offset', isNumber],
  headHash: ['head_hash', isString],
};

export function checkCheckpoint(checkpoint: FileCheckpoint): void {
  checkFields('checkpoint', { id: checkpoint.path, ...checkpoint }, CHECKPOINT_FIELDS);
}

const int = (n: number) => Math.trunc(n);

/*
 * Every record of a run shares one identity object: serialising it once instead of once per row
 * saves a JSON.stringify per record on a large ingest.
 */
let lastIdentity: UsageRecord['rawIdentity'] | null = null;
let lastIdentityJson = '';
function identityJson(identity: UsageRecord['rawIdentity']): string {
  if (identity !== lastIdentity) {
    lastIdentity = identity;
    lastIdentityJson = JSON.stringify(identity);
  }
  return lastIdentityJson;
}

/** Every column of `usage`, in the order rows are inserted. */
export const USAGE_COLUMNS = [
  'k_day',
  'k_person',
  'id',
  'ver',
  'deleted',
  'ts_ms',
  'source',
  'tool',
  'session_id',
  'parent_session_id',
  'request_id',
  'message_id',
  'model',
  'provider',
  'speed',
  'service_tier',
  'inference_geo',
  'input_uncached',
  'cache_read',
  'cache_write_5m',
  'cache_write_1h',
  'cache_write_other',
  'output',
  'reasoning',
  'total_tokens',
  'web_search_requests',
  'credits',
  'reported_cost_usd',
  'cwd',
  'git_branch',
  'project',
  'is_subagent',
  'is_sidechain',
  'superseded',
  'granularity',
  'origin',
  'person_id',
  'raw_identity',
  'cost_usd',
  'cost_basis',
  'price_version',
] as const;

export function usageRow(
  r: UsageRecord,
  key: UnitKey,
  ver: bigint,
  superseded = false,
): Record<string, unknown> {
  const t = r.tokens;
  return {
    k_day: key.kDay,
    k_person: key.kPerson,
    id: r.id,
    ver: ver.toString(),
    deleted: 0,
    ts_ms: int(r.ts),
    source: r.source,
    tool: r.tool,
    session_id: r.sessionId,
    parent_session_id: r.parentSessionId,
    request_id: r.requestId,
    message_id: r.messageId,
    model: r.model,
    provider: r.provider,
    speed: r.speed,
    service_tier: r.serviceTier,
    inference_geo: r.inferenceGeo,
    input_uncached: int(t.inputUncached),
    cache_read: int(t.cacheRead),
    cache_write_5m: int(t.cacheWrite5m),
    cache_write_1h: int(t.cacheWrite1h),
    cache_write_other: int(t.cacheWriteOther),
    output: int(t.output),
    reasoning: int(t.reasoning),
    total_tokens: int(totalTokens(t)),
    web_search_requests: int(r.webSearchRequests),
    credits: r.credits,
    reported_cost_usd: r.reportedCostUsd,
    cwd: r.cwd,
    git_branch: r.gitBranch,
    project: r.project,
    is_subagent: r.isSubagent ? 1 : 0,
    is_sidechain: r.isSidechain ? 1 : 0,
    superseded: superseded ? 1 : 0,
    granularity: r.granularity,
    origin: r.origin,
    person_id: r.personId,
    raw_identity: identityJson(r.rawIdentity),
    cost_usd: r.costUsd,
    cost_basis: r.costBasis,
    price_version: r.priceVersion,
  };
}

/** A usage tombstone: the key and a winning version; every other column its type's default. */
export function usageTombstone(key: UnitKey, id: string, ver: bigint): Record<string, unknown> {
  return {
    ...USAGE_DEFAULTS,
    k_day: key.kDay,
    k_person: key.kPerson,
    id,
    ver: ver.toString(),
    deleted: 1,
  };
}

const USAGE_DEFAULTS: Record<string, unknown> = Object.fromEntries(
  USAGE_COLUMNS.map((c) => [
    c,
    [
      'parent_session_id',
      'request_id',
      'message_id',
      'model',
      'speed',
      'service_tier',
      'inference_geo',
      'credits',
      'reported_cost_usd',
      'cwd',
      'git_branch',
      'project',
      'cost_usd',
      'price_version',
    ].includes(c)
      ? null
      : [
            'source',
            'tool',
            'session_id',
            'provider',
            'granularity',
            'origin',
            'person_id',
            'raw_identity',
            'cost_basis',
          ].includes(c)
        ? ''
        : 0,
  ]),
);

/** Every column of `activity`, in the order rows are inserted. */
export const ACTIVITY_COLUMNS = [
  'k_day',
  'session_id',
  'id',
  'ver',
  'deleted',
  'ts_ms',
  'source',
  'tool',
  'kind',
  'name',
  'prompt_length',
  'prompt_fingerprint',
  'lines_added',
  'lines_removed',
  'ref',
  'cwd',
  'git_branch',
  'is_subagent',
  'origin',
  'person_id',
] as const;

export function activityRow(r: ActivityRecord, ver: bigint): Record<string, unknown> {
  return {
    k_day: utcDay(r.ts),
    session_id: r.sessionId,
    id: r.id,
    ver: ver.toString(),
    deleted: 0,
    ts_ms: int(r.ts),
    source: r.source,
    tool: r.tool,
    kind: r.kind,
    name: r.name,
    prompt_length: r.promptLength === null ? null : int(r.promptLength),
    prompt_fingerprint: r.promptFingerprint,
    lines_added: int(r.linesAdded),
    lines_removed: int(r.linesRemoved),
    ref: r.ref,
    cwd: r.cwd,
    git_branch: r.gitBranch,
    is_subagent: r.isSubagent ? 1 : 0,
    origin: r.origin,
    person_id: r.personId,
  };
}

export function activityTombstone(
  kDay: string,
  sessionId: string,
  id: string,
  ver: bigint,
): Record<string, unknown> {
  return {
    ...ACTIVITY_DEFAULTS,
    k_day: kDay,
    session_id: sessionId,
    id,
    ver: ver.toString(),
    deleted: 1,
  };
}

const ACTIVITY_DEFAULTS: Record<string, unknown> = Object.fromEntries(
  ACTIVITY_COLUMNS.map((c) => [
    c,
    ['name', 'prompt_length', 'prompt_fingerprint', 'ref', 'cwd', 'git_branch'].includes(c)
      ? null
      : ['source', 'tool', 'kind', 'origin', 'person_id'].includes(c)
        ? ''
        : 0,
  ]),
);

export function checkpointRow(c: FileCheckpoint, ver: number): Record<string, unknown> {
  return {
    source: c.source,
    path: c.path,
    ver,
    file_id: c.fileId,
    size: int(c.size),
    mtime_ms: c.mtimeMs,
    byte_offset: int(c.offset),
    head_hash: c.headHash,
    state: c.state === null || c.state === undefined ? null : JSON.stringify(c.state),
  };
}

/** The columns `usageForPricing` reads, in the order `pricingRow` expects. */
export const PRICING_COLUMNS =
  'id, tool, provider, model, speed, service_tier, inference_geo, input_uncached, cache_read, cache_write_5m, cache_write_1h, cache_write_other, output, reasoning, web_search_requests, reported_cost_usd, k_day, k_person';

export interface PricingCell {
  id: string;
  tool: string;
  provider: string;
  model: string | null;
  speed: string | null;
  service_tier: string | null;
  inference_geo: string | null;
  input_uncached: string;
  cache_read: string;
  cache_write_5m: string;
  cache_write_1h: string;
  cache_write_other: string;
  output: string;
  reasoning: string;
  web_search_requests: string;
  reported_cost_usd: number | null;
  k_day: string;
  k_person: string;
}

export function pricingRow(c: PricingCell): PricingRow {
  return {
    id: c.id,
    tool: c.tool as Tool,
    provider: c.provider as Provider,
    model: c.model,
    speed: c.speed as PricingRow['speed'],
    serviceTier: c.service_tier,
    inferenceGeo: c.inference_geo,
    tokens: {
      inputUncached: Number(c.input_uncached),
      cacheRead: Number(c.cache_read),
      cacheWrite5m: Number(c.cache_write_5m),
      cacheWrite1h: Number(c.cache_write_1h),
      cacheWriteOther: Number(c.cache_write_other),
      output: Number(c.output),
      reasoning: Number(c.reasoning),
    },
    webSearchRequests: Number(c.web_search_requests),
    reportedCostUsd: c.reported_cost_usd === null ? null : Number(c.reported_cost_usd),
  };
}
