/**
 * Replay protection. Senders retry and operators press "redeliver", so every delivery id that
 * stored something is saved as a work checkpoint in the same transaction as its records: a
 * delivery seen again is answered without writing, and a crash between the two is impossible.
 * Two copies racing past the check only upsert the same records by id, so nothing counts twice.
 * @module
 */
import type { Store, WorkCheckpoint } from '../../ledger/store/store.js';
import type { WorkSourceId } from '../../ledger/work.js';

/** Printable, no spaces, short: GitHub sends a GUID; CD tools send their own ids. */
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;

export function validDeliveryId(id: string | undefined): id is string {
  return id !== undefined && DELIVERY_ID.test(id);
}

function deliveryKey(id: string): string {
  return `delivery:${id}`;
}

export async function seenDelivery(store: Store, source: WorkSourceId, id: string): Promise<boolean> {
  return (await store.workCheckpoint(source, deliveryKey(id))) !== undefined;
}

export function deliveryCheckpoint(source: WorkSourceId, id: string, event: string): WorkCheckpoint {
  return { source, key: deliveryKey(id), state: { event, receivedAt: new Date().toISOString() } };
}
