/**
 * DuckDB side of the outcome tables (commits, pull requests, deployments, incidents, tasks), the
 * checkpoints of outcome sources, and the per-session summary the value analyses start from.
 * Functions take the store's connection; the store serialises calls and owns transactions.
 * @module
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
  timestampTZValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { Tool } from '../../records.js';
import type { SessionSummary } from '../../sessions.js';
import type { WorkBatch, WorkSourceId } from '../../work.js';
import type { IdentityStat, SessionQuery, WorkQuery, WorkWriteResult } from '../store.js';
import {
  fromCell,
  WORK_TABLES,
  type WorkColumn,
  type WorkColumnType,
  type WorkTable,
} from '../work-columns.js';

const SQL_TYPES: Record<WorkColumnType, string> = {
  text: 'VARCHAR',
  int: 'BIGINT',
  bool: 'BOOLEAN',
  ts: 'TIMESTAMPTZ',
  json: 'VARCHAR',
};

/** Statements of the migration that adds the outcome tables. */
export function workTableStatements(): string[] {
  const tables = WORK_TABLES.map((t) => {
    const columns = t.columns.map((c) => `${c.name} ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`);
    return `CREATE TABLE ${t.table} (${columns.join(', ')})`;
  });
  return [
    ...tables,
    `CREATE TABLE work_checkpoints (
      source VARCHAR NOT NULL,
      key VARCHAR NOT NULL,
      state VARCHAR NOT NULL,
      PRIMARY KEY (source, key)
    )`,
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: a column of any record kind.
function appendCell(appender: DuckDBAppender, column: WorkColumn<any>, value: unknown): void {
  if (value === null || value === undefined) {
    if (!column.nullable) throw new Error(`${column.name} is required`);
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'text':
      appender.appendVarchar(String(value));
      return;
    case 'int':
      appender.appendBigInt(BigInt(Math.trunc(Number(value))));
      return;
    case 'bool':
      appender.appendBoolean(Boolean(value));
      return;
    case 'ts':
      appender.appendTimestampTZ(timestampTZValue(BigInt(Math.trunc(Number(value))) * 1000n));
      return;
    case 'json':
      appender.appendVarchar(JSON.stringify(value));
      return;
  }
}

/** Upserts every record of `batch` by id (a later copy replaces the stored one); returns what was new. */
export async function writeWorkRows(
  connection: DuckDBConnection,
  batch: WorkBatch,
): Promise<WorkWriteResult> {
  const result: WorkWriteResult = { inserted: 0, replaced: 0 };
  for (const table of WORK_TABLES) {
    const rows = batch[table.kind] as unknown as readonly Record<string, unknown>[];
    if (rows.length === 0) continue;
    // Within a batch the last copy of an id wins, as it would across batches.
    const unique = [...new Map(rows.map((r) => [String(r.id), r])).values()];
    const stage = `stage_${table.table}`;
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${stage} AS SELECT * FROM ${table.table} LIMIT 0`);
    const appender = await connection.createAppender(stage, 'main', 'temp');
    try {
      for (const row of unique) {
        for (const column of table.columns) {
          try {
            appendCell(appender, column, row[column.field]);
          } catch (error) {
            throw new Error(`${table.kind} record ${String(row.id)}: ${(error as Error).message}`);
          }
        }
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    const replaced = await connection.run(`DELETE FROM ${table.table} WHERE id IN (SELECT id FROM ${stage})`);
    await connection.run(`INSERT INTO ${table.table} SELECT * FROM ${stage}`);
    await connection.run(`DROP TABLE ${stage}`);
    result.replaced += replaced.rowsChanged;
    result.inserted += unique.length - replaced.rowsChanged;
  }
  return result;
}

// biome-ignore lint/suspicious/noExplicitAny: a table of any record kind.
function selectList(table: WorkTable<any>): string {
  return table.columns
    .map((c) => (c.type === 'ts' ? `CAST(epoch_ms(${c.name}) AS DOUBLE) AS ${c.name}` : c.name))
    .join(', ');
}

/** Every outcome record whose time falls in the window (all of them without one). */
export async function readWorkRows(connection: DuckDBConnection, query: WorkQuery): Promise<WorkBatch> {
  const out: Record<string, unknown[]> = {};
  for (const table of WORK_TABLES) {
    if (query.kinds !== undefined && !query.kinds.includes(table.kind)) {
      out[table.kind] = [];
      continue;
    }
    const where: string[] = [];
    const values: Record<string, DuckDBValue> = {};
    if (query.since !== undefined) {
      where.push(`${table.timeColumn} >= make_timestamptz(CAST($since AS BIGINT) * 1000)`);
      values.since = query.since;
    }
    if (query.until !== undefined) {
      where.push(`${table.timeColumn} < make_timestamptz(CAST($until AS BIGINT) * 1000)`);
      values.until = query.until;
    }
    const sql = `SELECT ${selectList(table)} FROM ${table.table}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${table.timeColumn}, id`;
    const reader = await connection.runAndReadAll(sql, values);
    out[table.kind] = reader.getRowObjectsJS().map((row) => {
      const record: Record<string, unknown> = {};
      for (const c of table.columns) record[c.field] = fromCell(c.type, row[c.name]);
      return record;
    });
  }
  return out as unknown as WorkBatch;
}

export async function readWorkCheckpoint(
  connection: DuckDBConnection,
  source: WorkSourceId,
  key: string,
): Promise<unknown> {
  const reader = await connection.runAndReadAll(
    'SELECT state FROM work_checkpoints WHERE source = $source AND key = $key',
    { source, key },
    { source: VARCHAR, key: VARCHAR },
  );
  const state = reader.getRows()[0]?.[0];
  return state === undefined || state === null ? undefined : JSON.parse(String(state));
}

export async function writeWorkCheckpoint(
  connection: DuckDBConnection,
  source: WorkSourceId,
  key: string,
  state: unknown,
): Promise<void> {
  await connection.run(
    `INSERT INTO work_checkpoints VALUES ($source, $key, $state)
     ON CONFLICT (source, key) DO UPDATE SET state = excluded.state`,
    { source, key, state: JSON.stringify(state ?? null) },
    { source: VARCHAR, key: VARCHAR, state: VARCHAR },
  );
}

/**
 * Tool uses that change files, across the sources' tool names: Claude Code (Edit, MultiEdit, Write,
 * NotebookEdit), Codex (apply_patch) and Gemini CLI (replace, write_file).
 */
export const EDIT_TOOLS = [
  'Edit',
  'MultiEdit',
  'Write',
  'NotebookEdit',
  'apply_patch',
  'replace',
  'write_file',
];

const sqlList = (values: readonly string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');

/**
 * One row per session (subagent calls folded into their parent). A session is agentic when the
 * agent acted on its own beyond answering: it edited files, ran subagents, or used tools at least
 * three times per human prompt.
 */
export async function readSessionSummaries(
  connection: DuckDBConnection,
  query: SessionQuery,
): Promise<SessionSummary[]> {
  const where = ['NOT superseded'];
  const values: Record<string, DuckDBValue> = {};
  if (query.since !== undefined) {
    where.push('ts >= make_timestamptz(CAST($since AS BIGINT) * 1000)');
    values.since = query.since;
  }
  if (query.until !== undefined) {
    where.push('ts < make_timestamptz(CAST($until AS BIGINT) * 1000)');
    values.until = query.until;
  }
  if (query.personId !== undefined) {
    where.push('person_id = $person');
    values.person = query.personId;
  }
  const reader = await connection.runAndReadAll(
    `WITH u AS (
      SELECT coalesce(parent_session_id, session_id) AS sid,
        min(tool) AS tool, mode(person_id) AS person_id,
        arg_min(cwd, ts) FILTER (WHERE cwd IS NOT NULL) AS cwd,
        arg_max(git_branch, ts) FILTER (WHERE git_branch IS NOT NULL) AS git_branch,
        CAST(epoch_ms(min(ts)) AS DOUBLE) AS first_ts, CAST(epoch_ms(max(ts)) AS DOUBLE) AS last_ts,
        CAST(count(*) AS DOUBLE) AS calls,
        CAST(coalesce(sum(cost_usd), 0) AS DOUBLE) AS cost_usd,
        CAST(count(*) FILTER (WHERE cost_usd IS NULL) AS DOUBLE) AS unpriced_calls,
        CAST(sum(input_uncached) AS DOUBLE) AS input_tokens,
        CAST(sum(cache_read) AS DOUBLE) AS cache_read_tokens,
        CAST(sum(cache_write_5m + cache_write_1h + cache_write_other) AS DOUBLE) AS cache_write_tokens,
        CAST(sum(output) AS DOUBLE) AS output_tokens,
        bool_or(is_subagent) AS subagents
      FROM usage WHERE ${where.join(' AND ')} GROUP BY sid
    ), a AS (
      SELECT session_id AS sid,
        CAST(count(*) FILTER (WHERE kind = 'prompt' AND NOT is_subagent) AS DOUBLE) AS prompts,
        ${
          query.promptFingerprints
            ? `coalesce(string_agg(DISTINCT prompt_fingerprint, ' ')
          FILTER (WHERE kind = 'prompt' AND NOT is_subagent AND prompt_fingerprint IS NOT NULL), '')`
            : "''"
        } AS fingerprints,
        CAST(count(*) FILTER (WHERE kind = 'tool_use') AS DOUBLE) AS tool_uses,
        CAST(count(*) FILTER (WHERE kind = 'tool_use' AND name IN (${sqlList(EDIT_TOOLS)})) AS DOUBLE) AS edits,
        CAST(coalesce(sum(lines_added), 0) AS DOUBLE) AS lines_added,
        CAST(coalesce(sum(lines_removed), 0) AS DOUBLE) AS lines_removed,
        coalesce(string_agg(DISTINCT ref, ' ') FILTER (WHERE kind = 'commit' AND ref IS NOT NULL), '') AS commits,
        coalesce(string_agg(DISTINCT ref, ' ') FILTER (WHERE kind = 'pull_request' AND ref IS NOT NULL), '') AS prs
      FROM activity WHERE session_id IN (SELECT sid FROM u) GROUP BY session_id
    )
    SELECT u.*, coalesce(a.prompts, 0) AS prompts, coalesce(a.fingerprints, '') AS fingerprints,
      coalesce(a.tool_uses, 0) AS tool_uses,
      coalesce(a.edits, 0) AS edits, coalesce(a.lines_added, 0) AS lines_added,
      coalesce(a.lines_removed, 0) AS lines_removed, coalesce(a.commits, '') AS commits, coalesce(a.prs, '') AS prs
    FROM u LEFT JOIN a ON a.sid = u.sid ORDER BY u.first_ts, u.sid`,
    values,
  );
  const words = (s: unknown) => (String(s ?? '') === '' ? [] : String(s).split(' ').sort());
  return reader.getRowObjectsJS().map((r): SessionSummary => {
    const prompts = Number(r.prompts);
    const toolUses = Number(r.tool_uses);
    const edits = Number(r.edits);
    return {
      sessionId: String(r.sid),
      tool: String(r.tool) as Tool,
      personId: String(r.person_id),
      cwd: r.cwd === null ? null : String(r.cwd),
      gitBranch: r.git_branch === null ? null : String(r.git_branch),
      firstTs: Number(r.first_ts),
      lastTs: Number(r.last_ts),
      calls: Number(r.calls),
      costUsd: Number(r.cost_usd),
      unpricedCalls: Number(r.unpriced_calls),
      inputTokens: Number(r.input_tokens),
      cacheReadTokens: Number(r.cache_read_tokens),
      cacheWriteTokens: Number(r.cache_write_tokens),
      outputTokens: Number(r.output_tokens),
      prompts,
      promptFingerprints: query.promptFingerprints ? words(r.fingerprints) : undefined,
      toolUses,
      edits,
      linesAdded: Number(r.lines_added),
      linesRemoved: Number(r.lines_removed),
      commitShas: words(r.commits),
      prUrls: words(r.prs),
      agentic: edits > 0 || Boolean(r.subagents) || toolUses >= 3 * Math.max(1, prompts),
    };
  });
}

/** Raw identities on usage, with the person they resolved to and the spend they carry. */
export async function readIdentityStats(connection: DuckDBConnection): Promise<IdentityStat[]> {
  const reader = await connection.runAndReadAll(
    `SELECT raw_identity, person_id, CAST(coalesce(sum(cost_usd), 0) AS DOUBLE) AS cost_usd,
       CAST(count(*) AS DOUBLE) AS calls
     FROM usage WHERE NOT superseded GROUP BY raw_identity, person_id ORDER BY cost_usd DESC, raw_identity`,
  );
  return reader.getRowObjectsJS().map((r) => ({
    rawIdentity: JSON.parse(String(r.raw_identity)) as Record<string, string>,
    personId: String(r.person_id),
    costUsd: Number(r.cost_usd),
    calls: Number(r.calls),
  }));
}
