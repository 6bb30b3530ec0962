/**
 * The version a usage or activity row is written with, which decides which copy of a key a read
 * (and, in the end, a merge) keeps: the highest. It packs two numbers into the UInt64 that
 * ReplacingMergeTree compares:
 *
 *   generation (high 22 bits) | rank (low 42 bits)
 *
 * - rank orders copies of one call by the keep rule of `isBetterCopy` (ledger/dedup.ts): more
 *   tokens win, and on a tie the copy that states its speed. A tombstone (a deleted row) has rank 0,
 *   below every copy.
 * - generation counts the changes that must win regardless of rank: a deletion (replaced origins)
 *   and a re-pricing. A tombstone is written at generation g + 1, and a copy written after it at
 *   g + 1 too, so that the re-read copy beats the tombstone whatever its token count.
 *
 * Equal versions (two writers racing with equally good copies) are settled by insertion order,
 * as merges settle them.
 * @module
 */

const RANK_BITS = 42n;
const RANK_MASK = (1n << RANK_BITS) - 1n;
const MAX_GENERATION = (1 << 22) - 1;

/** Token totals above this (2.2 trillion per call) rank as equal; no model call comes near it. */
export const MAX_RANKED_TOTAL = Number((RANK_MASK - 1n) >> 1n);

export const TOMBSTONE_RANK = 0n;

/** The rank of a live copy with `total` tokens; 1 or more. */
export function rankOf(total: number, speedKnown: boolean): bigint {
  const clamped = Math.max(0, Math.min(MAX_RANKED_TOTAL, Math.trunc(total)));
  return 1n + 2n * BigInt(clamped) + (speedKnown ? 1n : 0n);
}

export function rowVersion(generation: number, rank: bigint): bigint {
  if (!Number.isInteger(generation) || generation < 0 || generation > MAX_GENERATION) {
    throw new Error(`Row generation ${generation} is out of range (0–${MAX_GENERATION}).`);
  }
  return (BigInt(generation) << RANK_BITS) | (rank & RANK_MASK);
}

export interface DecodedVersion {
  generation: number;
  rank: bigint;
}

/** Reads a version as ClickHouse returns it in JSON (a decimal string) or as a bigint. */
export function decodeVersion(ver: string | bigint | number): DecodedVersion {
  const value = BigInt(ver);
  return { generation: Number(value >> RANK_BITS), rank: value & RANK_MASK };
}
