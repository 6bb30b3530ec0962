/**
 * Deterministic record ids. Re-reading the same input must produce the same id so that the
 * store can upsert instead of appending (ingestion is idempotent, DESIGN §4).
 * @module
 */
import { createHash } from 'node:crypto';

/** Joins the natural key parts of a record under a source prefix, e.g. `cc:msg_01…:req_01…`. */
export function recordId(prefix: string, ...parts: ReadonlyArray<string | number>): string {
  return `${prefix}:${parts.join(':')}`;
}

/** A short stable hash, for keys built from long or private inputs (paths, prompt text). */
export function shortHash(input: string | Uint8Array, length = 16): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}
