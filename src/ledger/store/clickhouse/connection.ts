/**
 * The store's HTTP connection to ClickHouse, over `@clickhouse/client`. It accepts statements only
 * as `Sql` (see sql.ts) and fits the client to 18.16: no query parameters are ever sent (18.16
 * reads `param_*` as unknown settings and refuses the query), 64-bit integers arrive as JSON
 * strings and are converted by the callers, and the client's own console logging is silenced so
 * that errors surface once, as thrown errors with the statement's purpose in them.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type ClickHouseClient,
  ClickHouseLogLevel,
  type ClickHouseSettings,
  createClient,
} from '@clickhouse/client';
import { type Sql, trusted } from './sql.js';
import { toTsv } from './tsv.js';

/** Where the ledger lives: an HTTP endpoint and a database on it. */
export interface ClickHouseTarget {
  /** `http://host:port` or `https://host:port`. */
  url: string;
  database: string;
  username: string;
  password: string;
}

const DEFAULT_DATABASE = 'tokenyield';

/**
 * Reads `clickhouse://[user[:password]@]host[:port][/database][?secure=1]` (also `http://…` and
 * `https://…`). The port defaults to 8123 (8443 when secure), the database to `tokenyield`.
 */
export function parseClickHouseUrl(text: string): ClickHouseTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a ClickHouse URL; expected clickhouse://host:port/database.`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!['clickhouse', 'http', 'https'].includes(scheme)) {
    throw new Error(`'${text}' is not a ClickHouse URL; expected clickhouse://host:port/database.`);
  }
  const secure = scheme === 'https' || ['1', 'true'].includes(url.searchParams.get('secure') ?? '');
  if (url.hostname === '') throw new Error(`'${text}' names no host.`);
  const database =
    decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || DEFAULT_DATABASE;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new Error(`The database name '${database}' must be letters, digits and underscores.`);
  }
  const port = url.port || (secure ? '8443' : '8123');
  return {
    url: `${secure ? 'https' : 'http'}://${url.hostname}:${port}`,
    database,
    username: decodeURIComponent(url.username) || 'default',
    password: decodeURIComponent(url.password),
  };
}

/** The target without its password, for messages. */
export function describeTarget(target: ClickHouseTarget): string {
  return `clickhouse://${target.url.replace(/^https?:\/\//, '')}/${target.database}`;
}

/*
 * Every statement may carry long literal lists (a batch's ids, a team's people): 18.16's defaults
 * (256 KiB of query text, 50,000 AST elements) are too small for a 50,000-record batch.
 */
const STATEMENT_SETTINGS: ClickHouseSettings = {
  max_query_size: '268435456',
  max_ast_elements: '10000000',
  max_expanded_ast_elements: '10000000',
};

export class Connection {
  private constructor(
    private readonly client: ClickHouseClient,
    readonly target: ClickHouseTarget,
  ) {}

  /** A connection to `target.database`, or to the server's default database when `database` is false. */
  static open(target: ClickHouseTarget, database = true): Connection {
    const client = createClient({
      url: target.url,
      username: target.username,
      password: target.password,
      ...(database ? { database: target.database } : {}),
      log: { level: ClickHouseLogLevel.OFF },
      request_timeout: 600_000,
      clickhouse_settings: STATEMENT_SETTINGS,
      keep_alive: { enabled: true },
    });
    return new Connection(client, target);
  }

  /** Runs a statement that returns no rows (DDL, INSERT … SELECT). */
  async command(statement: Sql, settings: ClickHouseSettings = {}): Promise<void> {
    try {
      await this.client.command({ query: statement.text, clickhouse_settings: settings });
    } catch (error) {
      throw this.failure(error, statement);
    }
  }

  /**
   * All rows of a query, as objects. The server finishes the query before answering
   * (`wait_end_of_query`), so an error part-way arrives as an error, never as a truncated result.
   */
  async rows<T = Record<string, unknown>>(statement: Sql, settings: ClickHouseSettings = {}): Promise<T[]> {
    try {
      const result = await this.client.query({
        query: statement.text,
        format: 'JSONEachRow',
        clickhouse_settings: { wait_end_of_query: 1, ...settings },
      });
      return await result.json<T>();
    } catch (error) {
      throw this.failure(error, statement);
    }
  }

  /** Rows of a large query as they arrive, in the server's blocks. */
  async *stream<T = Record<string, unknown>>(statement: Sql): AsyncGenerator<T[]> {
    let result: Awaited<ReturnType<ClickHouseClient['query']>>;
    try {
      result = await this.client.query({ query: statement.text, format: 'JSONEachRow' });
    } catch (error) {
      throw this.failure(error, statement);
    }
    const stream = result.stream<T>();
    try {
      for await (const rows of stream) yield rows.map((row) => row.json<T>());
    } catch (error) {
      throw this.failure(error, statement);
    } finally {
      stream.destroy();
    }
  }

  /**
   * Inserts rows (objects keyed by column) into `table`: as TabSeparated in `columns` order when
   * columns are given (the fast path for records), else as JSONEachRow (columns by name).
   */
  async insert(table: string, rows: readonly object[], columns?: readonly string[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      if (columns === undefined) {
        await this.client.insert({ table, values: rows as object[], format: 'JSONEachRow' });
      } else {
        const text = toTsv(columns, rows as readonly Record<string, unknown>[]);
        await this.client.insert({
          table,
          columns: [...columns] as [string, ...string[]],
          values: Readable.from([Buffer.from(text)], { objectMode: false }),
          format: 'TabSeparated',
        });
      }
    } catch (error) {
      throw this.failure(error, trusted(`INSERT INTO ${table}`));
    }
  }

  /**
   * Rows of `query(set)`, where `set` names a temporary table holding `values` (one String column
   * `v`), usable as `x IN set`. A batch's ids go through a table rather than an IN list: 18.16
   * parsed 100,000 literals in 1–2 s, and loaded them as TabSeparated data in ~0.1 s.
   */
  async rowsWithSet<T = Record<string, unknown>>(
    values: readonly string[],
    query: (set: Sql) => Sql,
  ): Promise<T[]> {
    const session_id = `tokenyield-${randomUUID()}`;
    const set = trusted('lookup_values');
    const statement = query(set);
    try {
      await this.client.command({ query: 'CREATE TEMPORARY TABLE lookup_values (v String)', session_id });
      try {
        await this.client.insert({
          table: 'lookup_values',
          values: Readable.from(
            [
              Buffer.from(
                toTsv(
                  ['v'],
                  values.map((v) => ({ v })),
                ),
              ),
            ],
            { objectMode: false },
          ),
          format: 'TabSeparated',
          session_id,
        });
        const result = await this.client.query({
          query: statement.text,
          format: 'JSONEachRow',
          session_id,
          clickhouse_settings: { wait_end_of_query: 1 },
        });
        return await result.json<T>();
      } finally {
        await this.client.command({ query: 'DROP TEMPORARY TABLE IF EXISTS lookup_values', session_id });
      }
    } catch (error) {
      throw this.failure(error, statement);
    }
  }

  /** Answers whether the server responds at all. */
  async ping(): Promise<boolean> {
    const result = await this.client.ping();
    return result.success;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private failure(error: unknown, statement: Sql): Error {
    const message = error instanceof Error ? error.message : String(error);
    const head = statement.text.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new Error(`ClickHouse at ${describeTarget(this.target)}: ${message} (in: ${head}…)`, {
      cause: error,
    });
  }
}
