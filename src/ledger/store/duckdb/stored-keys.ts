/**
 * The keys a long-running writer (the server) keeps in memory so that its commits need not scan the
 * whole ledger: every stored usage and activity `id_hash`, and the `message_hash` of every message
 * with a sidechain row. Without them each commit scans those columns in full, and its cost grows
 * with the ledger: +140 ms a 16k-call commit at 2M calls, most of it these scans.
 *
 * Each set only ever holds more than the ledger does (rows deleted, transactions rolled back), never
 * less: a missing key would let a copy in twice, an extra one only costs the scan it would have cost
 * anyway. Loaded when the store opens, while it holds the file's write lock, so no other process
 * can add rows behind its back.
 * @module
 */
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBVector } from '@duckdb/node-api';
import { KeyFilter } from './key-filter.js';

/*
 * Per set: 12,582,912 keys fit in 2^24 slots at the filter's 3/4 load, 128 MiB. A 6M-call server
 * ledger holds ~7.2M activity records (a tool result per call, a prompt every fifth), which a limit
 * of half this overflowed. Beyond it a set lets go and its commits scan as they did before (see
 * KeyFilter); a ledger that large is better served by the scale-out store (ClickHouse).
 */
export const DEFAULT_KEY_FILTER_MAX_KEYS = 12_582_912;

/** `SELECT` list of a 64-bit key expression's high and low halves, as two UINTEGER columns. */
export function keyHalves(key: string, name: string): string {
  return `CAST((${key}) >> 32 AS UINTEGER) AS ${name}_hi, CAST((${key}) & 4294967295 AS UINTEGER) AS ${name}_lo`;
}

/**
 * Calls `each` with the halves in columns `column` and `column + 1` of every row of `result` whose
 * key is not NULL. `result` is materialized: its chunks are read without a round trip.
 */
export function forEachKey(
  result: DuckDBMaterializedResult,
  column: number,
  each: (hi: number, lo: number) => void,
): void {
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    readKeys(chunk.getColumnVector(column), chunk.getColumnVector(column + 1), chunk.rowCount, each);
  }
}

function readKeys(
  his: DuckDBVector,
  los: DuckDBVector,
  rows: number,
  each: (hi: number, lo: number) => void,
): void {
  for (let i = 0; i < rows; i++) {
    const hi = his.getItem(i);
    const lo = los.getItem(i);
    if (typeof hi === 'number' && typeof lo === 'number') each(hi, lo);
  }
}

export class StoredKeys {
  private constructor(
    /** `usage.id_hash` */
    readonly usage: KeyFilter,
    /** `activity.id_hash` */
    readonly activity: KeyFilter,
    /** `usage.message_hash` of rows with `is_sidechain` */
    readonly sidechainMessages: KeyFilter,
  ) {}

  /** Reads the stored keys; a set whose table holds more than `maxKeys` starts (and stays) overflowed. */
  static async load(
    connection: DuckDBConnection,
    maxKeys = DEFAULT_KEY_FILTER_MAX_KEYS,
  ): Promise<StoredKeys> {
    return new StoredKeys(
      await loadFilter(connection, 'SELECT id_hash AS k FROM usage', maxKeys),
      await loadFilter(connection, 'SELECT id_hash AS k FROM activity', maxKeys),
      await loadFilter(
        connection,
        'SELECT DISTINCT message_hash AS k FROM usage WHERE is_sidechain AND message_hash IS NOT NULL',
        maxKeys,
      ),
    );
  }
}

async function loadFilter(connection: DuckDBConnection, keys: string, maxKeys: number): Promise<KeyFilter> {
  const counted = await connection.run(`SELECT count(*) FROM (${keys})`);
  const count = Number(counted.getChunk(0).getColumnVector(0).getItem(0));
  const filter = new KeyFilter(maxKeys, count);
  if (count > maxKeys) {
    // Reading them all only to overflow would cost the scan and the memory for nothing.
    filter.giveUp();
    return filter;
  }
  // Streamed: materialized, a large ledger's keys would be held twice (8 bytes each in the engine).
  const result = await connection.stream(`SELECT ${keyHalves('k', 'k')} FROM (${keys}) WHERE k IS NOT NULL`);
  const add = (hi: number, lo: number) => filter.add(hi, lo);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    readKeys(chunk.getColumnVector(0), chunk.getColumnVector(1), chunk.rowCount, add);
  }
  return filter;
}
