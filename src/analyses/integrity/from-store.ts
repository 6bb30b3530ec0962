/**
 * Flags from the ledger: the value model the caller already has, the prompt fingerprints of each
 * period's sessions read from the store (the model is built without them), and the reviews
 * stored in the ledger's meta table.
 * @module
 */
import type { Store } from '../../ledger/store/store.js';
import type { ValueModel } from '../value/model.js';
import type { Window } from '../value/time.js';
import { type FlagBook, flagBook, type PeriodOptions, periodFlags, periodsFor } from './flag-book.js';
import type { Flag } from './flags.js';
import { readReviews } from './review.js';

export type FlagStore = Pick<Store, 'sessions' | 'getMeta' | 'setMeta' | 'metaWithPrefix'>;

/** Prompt fingerprints of the sessions with calls in `period`, by session id. */
export async function periodFingerprints(
  store: Pick<Store, 'sessions'>,
  period: Window,
): Promise<Map<string, string[]>> {
  const sessions = await store.sessions({
    since: period.from,
    until: period.until,
    promptFingerprints: true,
  });
  const out = new Map<string, string[]>();
  for (const s of sessions)
    if (s.promptFingerprints && s.promptFingerprints.length > 0) out.set(s.sessionId, s.promptFingerprints);
  return out;
}

/** One period's flags, unreviewed, with the fingerprints its sessions need. */
export async function periodFlagsFromStore(
  store: Pick<Store, 'sessions'>,
  model: ValueModel,
  period: Window,
  options: PeriodOptions = {},
): Promise<Flag[]> {
  const fingerprints = await periodFingerprints(store, period);
  return periodFlags(model, period, { ...options, fingerprints });
}

/** The flags of every period `window` overlaps, reviewed. */
export async function flagBookFromStore(
  store: FlagStore,
  model: ValueModel,
  window: Window,
  options: PeriodOptions = {},
): Promise<FlagBook> {
  const periods = periodsFor(model, window);
  const computed: Flag[] = [];
  for (const p of periods) computed.push(...(await periodFlagsFromStore(store, model, p, options)));
  return flagBook(periods, computed, await readReviews(store));
}
