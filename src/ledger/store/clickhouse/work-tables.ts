/**
 * ClickHouse side of the outcome tables, their source checkpoints, the per-session summaries the
 * value analyses start from, and the identity statistics. Outcome records are upserted by id:
 * a copy is written with a newer version and reads take the newest (`FINAL`), so the last write
 * wins, as in the DuckDB store.
 * @module
 */
import type { Tool } from '../../records.js';
import type { SessionSummary } from '../../sessions.js';
import type { WorkBatch, WorkSourceId } from '../../work.js';
import type { IdentityStat, SessionQuery, WorkQuery, WorkWriteResult } from '../store.js';
import { fromCell, WORK_TABLES, type WorkColumn } from '../work-columns.js';
import type { Connection } from './connection.js';
import { COST, liveUsage, unitDays } from './live.js';
import { identifier, inList, join, type Sql, sql, trusted } from './sql.js';

/** Versions for last-writer-wins tables: microseconds, strictly increasing within a process. */
export class VersionClock {
  private last = 0;
  next(): number {
    this.last = Math.max(this.last + 1, Date.now() * 1000);
    return this.last;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a column of any record kind.
function cell(column: WorkColumn<any>, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'text':
      return String(value);
    case 'int':
    case 'ts':
      return Math.trunc(Number(value));
    case 'bool':
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
  }
}

/** Checks every record of `batch` before anything is written; throws naming the record and column. */
export function checkWorkBatch(batch: WorkBatch): void {
  for (const table of WORK_TABLES) {
    const rows = (batch[table.kind] ?? []) as unknown as readonly Record<string, unknown>[];
    for (const row of rows) {
      for (const column of table.columns) {
        const value = row[column.field];
        if ((value === null || value === undefined) && !column.nullable) {
          throw new Error(`${table.kind} record ${String(row.id)}: ${column.name} is required`);
        }
        if ((column.type === 'int' || column.type === 'ts') && value !== null && value !== undefined) {
          if (!Number.isFinite(Number(value))) {
            throw new Error(`${table.kind} record ${String(row.id)}: ${column.name} is not a number`);
          }
        }
      }
    }
  }
}

/** Upserts every record of `batch` by id (the last copy wins); returns what was new. */
export async function writeWorkRows(
  connection: Connection,
  clock: VersionClock,
  batch: WorkBatch,
): Promise<WorkWriteResult> {
  const result: WorkWriteResult = { inserted: 0, replaced: 0 };
  for (const table of WORK_TABLES) {
    const rows = (batch[table.kind] ?? []) as unknown as readonly Record<string, unknown>[];
    if (rows.length === 0) continue;
    const unique = [...new Map(rows.map((r) => [String(r.id), r])).values()];
    const ids = unique.map((r) => String(r.id));
    const found = await connection.rowsWithSet<{ n: string }>(
      ids,
      (set) => sql`SELECT uniqExact(id) AS n FROM ${identifier(table.table)} WHERE id IN ${set}`,
    );
    const stored = Number(found[0]?.n ?? 0);
    const ver = clock.next();
    await connection.insert(
      table.table,
      unique.map((row) => {
        const out: Record<string, unknown> = { ver };
        for (const column of table.columns) out[column.name] = cell(column, row[column.field]);
        return out;
      }),
    );
    result.replaced += stored;
    result.inserted += unique.length - stored;
  }
  return result;
}

/** Every outcome record whose own time falls in the window (all of them without one). */
export async function readWorkRows(connection: Connection, query: WorkQuery): Promise<WorkBatch> {
  const out: Record<string, unknown[]> = {};
  for (const table of WORK_TABLES) {
    if (query.kinds !== undefined && !query.kinds.includes(table.kind)) {
      out[table.kind] = [];
      continue;
    }
    const where: Sql[] = [trusted('1')];
    const time = identifier(table.timeColumn);
    if (query.since !== undefined) where.push(sql`${time} >= ${Math.ceil(query.since)}`);
    if (query.until !== undefined) where.push(sql`${time} < ${Math.ceil(query.until)}`);
    const columns = join(
      table.columns.map((c) => identifier(c.name)),
      ', ',
    );
    const rows = await connection.rows<Record<string, unknown>>(
      sql`SELECT ${columns} FROM ${identifier(table.table)} FINAL WHERE ${join(where, ' AND ')}
        ORDER BY ${time}, id`,
    );
    out[table.kind] = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const c of table.columns) record[c.field] = fromCell(c.type, row[c.name]);
      return record;
    });
  }
  return out as unknown as WorkBatch;
}

export async function readWorkCheckpoint(
  connection: Connection,
  source: WorkSourceId,
  key: string,
): Promise<unknown> {
  const rows = await connection.rows<{ state: string }>(
    sql`SELECT state FROM work_checkpoints FINAL WHERE source = ${source} AND key = ${key}`,
  );
  const state = rows[0]?.state;
  return state === undefined ? undefined : JSON.parse(state);
}

export function workCheckpointRow(source: WorkSourceId, key: string, state: unknown, ver: number) {
  return { source, key, ver, state: JSON.stringify(state ?? null) };
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

interface SessionCells {
  sid: string;
  tool: string;
  person_id: string;
  cwd: string | null;
  git_branch: string | null;
  first_ts: string;
  last_ts: string;
  calls: string;
  cost_usd: number;
  unpriced_calls: string;
  input_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  output_tokens: string;
  subagents: number;
  prompts: string;
  fingerprints: string[];
  tool_uses: string;
  edits: string;
  lines_added: string;
  lines_removed: string;
  commits: string[];
  prs: string[];
}

/**
 * One row per session (subagent calls folded into their parent). A session is agentic when the
 * agent acted on its own beyond answering: it edited files, ran subagents, or used tools at least
 * three times per human prompt.
 */
export async function readSessionSummaries(
  connection: Connection,
  query: SessionQuery,
): Promise<SessionSummary[]> {
  const where: Sql[] = [trusted('1')];
  if (query.since !== undefined) where.push(sql`ts_ms >= ${Math.ceil(query.since)}`);
  if (query.until !== undefined) where.push(sql`ts_ms < ${Math.ceil(query.until)}`);
  if (query.personId !== undefined) where.push(sql`person_id = ${query.personId}`);
  const units = unitDays(query);
  const live = liveUsage(
    sql`ifNull(parent_session_id, session_id) AS sid, person_id AS person, CAST(tool AS String) AS u_tool,
      cwd AS u_cwd, git_branch AS u_branch, ts_ms AS u_ts, ${COST} AS u_cost,
      toInt64(isNull(cost_usd)) AS u_unpriced, input_uncached AS u_input, cache_read AS u_cache_read,
      cache_write_5m + cache_write_1h + cache_write_other AS u_cache_write, output AS u_output,
      is_subagent AS u_subagent`,
    units,
    join(where, ' AND '),
  );
  // Per session and person first: the person a session belongs to is the one with most of its calls.
  const perPerson = sql`
    SELECT sid, person, count() AS n, min(u_tool) AS p_tool,
      argMinIf(u_cwd, u_ts, isNotNull(u_cwd)) AS p_cwd, minIf(u_ts, isNotNull(u_cwd)) AS p_cwd_ts,
      countIf(isNotNull(u_cwd)) AS p_has_cwd,
      argMaxIf(u_branch, u_ts, isNotNull(u_branch)) AS p_branch, maxIf(u_ts, isNotNull(u_branch)) AS p_branch_ts,
      countIf(isNotNull(u_branch)) AS p_has_branch,
      min(u_ts) AS p_first, max(u_ts) AS p_last, sum(u_cost) AS p_cost, sum(u_unpriced) AS p_unpriced,
      sum(u_input) AS p_input, sum(u_cache_read) AS p_cache_read, sum(u_cache_write) AS p_cache_write,
      sum(u_output) AS p_output, max(u_subagent) AS p_subagents
    FROM (${live}) GROUP BY sid, person`;
  const sessions = sql`
    SELECT sid, min(p_tool) AS tool, argMax(person, tuple(n, person)) AS person_id,
      argMinIf(p_cwd, p_cwd_ts, p_has_cwd > 0) AS cwd,
      argMaxIf(p_branch, p_branch_ts, p_has_branch > 0) AS git_branch,
      toString(min(p_first)) AS first_ts, toString(max(p_last)) AS last_ts, toString(sum(n)) AS calls,
      sum(p_cost) AS cost_usd, toString(sum(p_unpriced)) AS unpriced_calls,
      toString(sum(p_input)) AS input_tokens, toString(sum(p_cache_read)) AS cache_read_tokens,
      toString(sum(p_cache_write)) AS cache_write_tokens, toString(sum(p_output)) AS output_tokens,
      max(p_subagents) AS subagents
    FROM (${perPerson}) GROUP BY sid`;
  const fingerprints = query.promptFingerprints
    ? trusted(
        "groupUniqArrayIf(assumeNotNull(prompt_fingerprint), kind = 'prompt' AND is_subagent = 0 AND isNotNull(prompt_fingerprint))",
      )
    : trusted('emptyArrayString()');
  const activity = sql`
    SELECT session_id AS sid,
      toString(countIf(kind = 'prompt' AND is_subagent = 0)) AS prompts,
      ${fingerprints} AS fingerprints,
      toString(countIf(kind = 'tool_use')) AS tool_uses,
      toString(countIf(kind = 'tool_use' AND ifNull(name, '') IN ${inList(EDIT_TOOLS)})) AS edits,
      toString(sum(lines_added)) AS lines_added,
      toString(sum(lines_removed)) AS lines_removed,
      groupUniqArrayIf(assumeNotNull(ref), kind = 'commit' AND isNotNull(ref)) AS commits,
      groupUniqArrayIf(assumeNotNull(ref), kind = 'pull_request' AND isNotNull(ref)) AS prs
    FROM activity FINAL
    WHERE deleted = 0 AND session_id IN (SELECT sid FROM (${live}))
    GROUP BY session_id`;
  const rows = await connection.rows<SessionCells>(
    sql`SELECT * FROM (${sessions}) ANY LEFT JOIN (${activity}) USING sid ORDER BY toInt64(first_ts), sid`,
  );
  return rows.map((r): SessionSummary => {
    const prompts = Number(r.prompts || 0);
    const toolUses = Number(r.tool_uses || 0);
    const edits = Number(r.edits || 0);
    return {
      sessionId: r.sid,
      tool: r.tool as Tool,
      personId: r.person_id,
      cwd: r.cwd,
      gitBranch: r.git_branch,
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
      promptFingerprints: query.promptFingerprints ? [...(r.fingerprints ?? [])].sort() : undefined,
      toolUses,
      edits,
      linesAdded: Number(r.lines_added || 0),
      linesRemoved: Number(r.lines_removed || 0),
      commitShas: [...(r.commits ?? [])].sort(),
      prUrls: [...(r.prs ?? [])].sort(),
      agentic: edits > 0 || Number(r.subagents) > 0 || toolUses >= 3 * Math.max(1, prompts),
    };
  });
}

/** Raw identities on usage, with the person they resolved to and the spend they carry. */
export async function readIdentityStats(connection: Connection): Promise<IdentityStat[]> {
  const live = liveUsage(sql`raw_identity, person_id, ${COST} AS u_cost`, trusted('1'));
  const rows = await connection.rows<{
    raw_identity: string;
    person_id: string;
    cost_usd: number;
    calls: string;
  }>(
    sql`SELECT raw_identity, person_id, sum(u_cost) AS cost_usd,
        toString(count()) AS calls
      FROM (${live}) GROUP BY raw_identity, person_id ORDER BY cost_usd DESC, raw_identity`,
  );
  return rows.map((r) => ({
    rawIdentity: JSON.parse(r.raw_identity) as Record<string, string>,
    personId: r.person_id,
    costUsd: Number(r.cost_usd),
    calls: Number(r.calls),
  }));
}
