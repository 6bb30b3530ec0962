/**
 * The alert journal: one JSON value per event under `alert:${key}` in the ledger's meta table.
 * Its presence is the fire-once mark (it survives restarts and is shared by every server on the
 * ledger); its deliveries are the history and what a restarted dispatcher resumes.
 * @module
 */
import { z } from 'zod';
import type { Store } from '../ledger/store/store.js';
import { type AlertRecord, alertEventSchema } from './event.js';

export type JournalStore = Pick<Store, 'getMeta' | 'setMeta' | 'metaWithPrefix'>;

export const JOURNAL_PREFIX = 'alert:';
/** Bumped when the stored shape changes incompatibly; older values are then read by a migration. */
const JOURNAL_VERSION = 1;

const deliverySchema = z.object({
  channel: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  deliveredAt: z.number().optional(),
  lastAttemptAt: z.number().optional(),
  nextAttemptAt: z.number().optional(),
});

const storedSchema = z.object({
  v: z.literal(JOURNAL_VERSION),
  event: alertEventSchema,
  recordedAt: z.number(),
  deliveries: z.array(deliverySchema),
});

export function journalKey(eventKey: string): string {
  return `${JOURNAL_PREFIX}${eventKey}`;
}

export function serializeRecord(record: AlertRecord): string {
  return JSON.stringify({ v: JOURNAL_VERSION, ...record });
}

/** The record, or null when the value is not one this version can read. */
export function parseRecord(text: string): AlertRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = storedSchema.safeParse(json);
  if (!parsed.success) return null;
  const { v: _version, ...record } = parsed.data;
  return record;
}

export async function isRecorded(store: JournalStore, eventKey: string): Promise<boolean> {
  return (await store.getMeta(journalKey(eventKey))) !== undefined;
}

export async function writeRecord(store: JournalStore, record: AlertRecord): Promise<void> {
  await store.setMeta(journalKey(record.event.key), serializeRecord(record));
}

/** Every record, and the keys of values that could not be read (they are left as they are). */
export async function readJournal(
  store: JournalStore,
): Promise<{ records: AlertRecord[]; unreadable: string[] }> {
  const records: AlertRecord[] = [];
  const unreadable: string[] = [];
  for (const [key, value] of await store.metaWithPrefix(JOURNAL_PREFIX)) {
    const record = parseRecord(value);
    if (record) records.push(record);
    else unreadable.push(key);
  }
  return { records, unreadable };
}
