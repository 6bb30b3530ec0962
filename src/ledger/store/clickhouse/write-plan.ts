/**
 * What a write inserts, decided from the batch and the copies already stored: the ClickHouse half
 * of de-duplication on write. Pure functions, so that the rules are tested without a server; the
 * store reads the stored copies and inserts what these return.
 *
 * - A usage record whose id is not stored (or whose stored copy was deleted) is new, and is filed
 *   under the unit of the stored copies of its message if any (so that the sidechain rule stays
 *   inside one unit), else under its own UTC day and person.
 * - A record whose id is stored is a duplicate; it is written (under the stored key, at the stored
 *   generation) only when it is strictly the better copy, so the stored copy keeps every tie.
 * - Replaced origins turn every live row of those files into a tombstone one generation up.
 * - A sidechain copy is superseded exactly when a live main-chain copy of its message is stored;
 *   a write settles the flag of every copy of the messages it touched, whatever the arrival order.
 * @module
 */
import type { ActivityRecord, UsageRecord } from '../../records.js';
import { totalTokens } from '../../records.js';
import { rankOf, rowVersion, TOMBSTONE_RANK } from './row-version.js';
import {
  activityRow,
  activityTombstone,
  type UnitKey,
  unitId,
  usageRow,
  usageTombstone,
  utcDay,
} from './rows.js';

/** The winning stored copy of one usage id. */
export interface StoredUsage {
  key: UnitKey;
  generation: number;
  rank: bigint;
  deleted: boolean;
  messageId: string | null;
  sidechain: boolean;
  superseded: boolean;
}

/** A record the write will insert: new, or a better copy of a stored id. */
export interface PlannedUsage {
  record: UsageRecord;
  key: UnitKey;
  version: bigint;
}

export interface UsagePlan {
  planned: PlannedUsage[];
  /** Records whose id was new to the ledger. */
  inserted: number;
}

/** `records` must be unique by id (settled in memory by `isBetterCopy` first). */
export function planUsage(
  records: readonly UsageRecord[],
  stored: ReadonlyMap<string, StoredUsage>,
  messageKeys: Map<string, UnitKey>,
): UsagePlan {
  const planned: PlannedUsage[] = [];
  let inserted = 0;
  for (const record of records) {
    const rank = rankOf(totalTokens(record.tokens), record.speed !== null);
    const copy = stored.get(record.id);
    let key: UnitKey;
    if (copy !== undefined && !copy.deleted) {
      key = copy.key;
      if (rank > copy.rank) planned.push({ record, key, version: rowVersion(copy.generation, rank) });
    } else {
      const byMessage = record.messageId === null ? undefined : messageKeys.get(record.messageId);
      key = copy?.key ?? byMessage ?? { kDay: utcDay(record.ts), kPerson: record.personId };
      planned.push({ record, key, version: rowVersion(copy?.generation ?? 0, rank) });
      inserted++;
    }
    if (record.messageId !== null && !messageKeys.has(record.messageId))
      messageKeys.set(record.messageId, key);
  }
  return { planned, inserted };
}

/** A stored row whose superseded flag must change: written again one generation up. */
export interface Flip {
  id: string;
  key: UnitKey;
  superseded: boolean;
  version: bigint;
}

/**
 * The superseded flag of every planned row, and the stored rows whose flag changes, for the
 * messages in `touched`. `stored` holds the winning stored copy of every id of those messages
 * (tombstones included); planned rows replace the stored copies of their ids.
 */
export function settleSupersession(
  planned: readonly PlannedUsage[],
  stored: ReadonlyMap<string, StoredUsage>,
  touched: ReadonlySet<string>,
): { superseded: Set<string>; flips: Flip[] } {
  interface Copy {
    id: string;
    live: boolean;
    sidechain: boolean;
    stored?: StoredUsage;
  }
  const byMessage = new Map<string, Copy[]>();
  const add = (messageId: string, copy: Copy) => {
    const list = byMessage.get(messageId) ?? [];
    list.push(copy);
    byMessage.set(messageId, list);
  };
  const plannedIds = new Set(planned.map((p) => p.record.id));
  for (const p of planned) {
    if (p.record.messageId !== null && touched.has(p.record.messageId)) {
      add(p.record.messageId, { id: p.record.id, live: true, sidechain: p.record.isSidechain });
    }
  }
  for (const [id, copy] of stored) {
    if (copy.messageId === null || !touched.has(copy.messageId) || plannedIds.has(id)) continue;
    add(copy.messageId, { id, live: !copy.deleted, sidechain: copy.sidechain, stored: copy });
  }
  const superseded = new Set<string>();
  const flips: Flip[] = [];
  for (const copies of byMessage.values()) {
    const hasMain = copies.some((c) => c.live && !c.sidechain);
    for (const c of copies) {
      const want = c.live && c.sidechain && hasMain;
      if (c.stored === undefined) {
        if (want) superseded.add(c.id);
      } else if (c.live && want !== c.stored.superseded) {
        flips.push({
          id: c.id,
          key: c.stored.key,
          superseded: want,
          version: rowVersion(c.stored.generation + 1, c.stored.rank),
        });
      }
    }
  }
  return { superseded, flips };
}

/** Planned rows as the rows to insert, with their superseded flags. */
export function plannedRows(planned: readonly PlannedUsage[], superseded: ReadonlySet<string>) {
  return planned.map((p) => usageRow(p.record, p.key, p.version, superseded.has(p.record.id)));
}

/** Units the rows of a write fall in, by `unitId`. */
export function unitsOf(keys: Iterable<UnitKey>): Map<string, UnitKey> {
  const units = new Map<string, UnitKey>();
  for (const key of keys) units.set(unitId(key), key);
  return units;
}

/** A live stored usage row of a replaced origin. */
export interface OriginUsage {
  id: string;
  key: UnitKey;
  generation: number;
  messageId: string | null;
  sidechain: boolean;
}

/** Tombstones for `live`, and the stored state they leave (for planning the rest of the batch). */
export function tombstoneUsage(live: readonly OriginUsage[]): {
  rows: Record<string, unknown>[];
  stored: Map<string, StoredUsage>;
} {
  const rows: Record<string, unknown>[] = [];
  const stored = new Map<string, StoredUsage>();
  for (const row of live) {
    const generation = row.generation + 1;
    rows.push(usageTombstone(row.key, row.id, rowVersion(generation, TOMBSTONE_RANK)));
    stored.set(row.id, {
      key: row.key,
      generation,
      rank: TOMBSTONE_RANK,
      deleted: true,
      messageId: row.messageId,
      sidechain: row.sidechain,
      superseded: false,
    });
  }
  return { rows, stored };
}

/** The winning stored copy of one activity id. */
export interface StoredActivity {
  kDay: string;
  sessionId: string;
  generation: number;
  deleted: boolean;
}

export const LIVE_ACTIVITY_RANK = 1n;

/** New activity (ids not stored, or deleted) to insert; the first copy of an id is kept. */
export function planActivity(
  records: readonly ActivityRecord[],
  stored: ReadonlyMap<string, StoredActivity>,
): { rows: Record<string, unknown>[]; inserted: number } {
  const rows: Record<string, unknown>[] = [];
  for (const record of records) {
    const copy = stored.get(record.id);
    if (copy !== undefined && !copy.deleted) continue;
    rows.push(activityRow(record, rowVersion(copy?.generation ?? 0, LIVE_ACTIVITY_RANK)));
  }
  return { rows, inserted: rows.length };
}

export interface OriginActivity {
  id: string;
  kDay: string;
  sessionId: string;
  generation: number;
}

export function tombstoneActivity(live: readonly OriginActivity[]): {
  rows: Record<string, unknown>[];
  stored: Map<string, StoredActivity>;
} {
  const rows: Record<string, unknown>[] = [];
  const stored = new Map<string, StoredActivity>();
  for (const row of live) {
    const generation = row.generation + 1;
    rows.push(activityTombstone(row.kDay, row.sessionId, row.id, rowVersion(generation, TOMBSTONE_RANK)));
    stored.set(row.id, { kDay: row.kDay, sessionId: row.sessionId, generation, deleted: true });
  }
  return { rows, stored };
}
