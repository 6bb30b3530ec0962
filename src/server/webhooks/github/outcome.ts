/**
 * What handling one GitHub event yields: records to store (with checkpoints that must commit
 * alongside them), a deliberate no-op, or a payload the sender must fix.
 * @module
 */
import type { Store, WorkCheckpoint } from '../../../ledger/store/store.js';
import type { WorkBatch } from '../../../ledger/work.js';

export type EventOutcome =
  | { kind: 'records'; batch: WorkBatch; checkpoints: WorkCheckpoint[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; message: string };

export interface EventInput {
  payload: unknown;
  store: Store;
  /** Where the records say they came from: the delivery. */
  origin: string;
}

export type EventHandler = (input: EventInput) => Promise<EventOutcome>;

export const invalid = (message: string): EventOutcome => ({ kind: 'invalid', message });
export const ignored = (reason: string): EventOutcome => ({ kind: 'ignored', reason });
