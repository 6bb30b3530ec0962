/**
 * The review workflow of flags (DESIGN §7): open → confirmed / dismissed, with a note, who
 * decided and when. Flags are recomputed from the ledger on every run; only the decisions are
 * stored, as JSON in the ledger's meta table under `flag-review:<flag id>`, so every server and
 * CLI on one ledger sees the same reviews. A flag can be reviewed again (a dismissal reversed, a
 * confirmation withdrawn): each decision is appended to its history and the last one is in force.
 *
 * A decision made on a flag also covers a later flag of the same person and window whose signals
 * are all among the reviewed flag's: new data can clear a session and drop a signal, and the
 * reviewer has already judged that evidence. A flag with a signal the reviewer did not see is a
 * new flag, open until someone looks at it.
 * @module
 */
import type { Window } from '../value/time.js';
import type { Flag, FlagReview, ReviewDecision } from './flags.js';
import { SIGNALS, type SignalId } from './types.js';

export const REVIEW_PREFIX = 'flag-review:';

/** Notes longer than this are refused rather than cut. */
export const MAX_NOTE_CHARS = 2000;

/** What is stored under `flag-review:<flagId>`. */
export interface StoredReview {
  flagId: string;
  personId: string;
  window: Window;
  signals: SignalId[];
  history: ReviewDecision[];
}

/** The part of the ledger's store the reviews live in. */
export interface ReviewStore {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  metaWithPrefix(prefix: string): Promise<Map<string, string>>;
}

/** A review that cannot be recorded; the message says what to change. */
export class ReviewError extends Error {
  override name = 'ReviewError';
}

export interface ReviewBook {
  /** By flag id. */
  reviews: Map<string, StoredReview>;
  /** Stored entries that could not be read, with the reason: left as they are, never overwritten. */
  unreadable: Array<{ key: string; reason: string }>;
}

function isDecision(d: unknown): d is ReviewDecision {
  const x = d as ReviewDecision;
  return (
    typeof x === 'object' &&
    x !== null &&
    (x.status === 'confirmed' || x.status === 'dismissed') &&
    typeof x.note === 'string' &&
    typeof x.by === 'string' &&
    Number.isFinite(x.at)
  );
}

/** Parses one stored entry; a string says why it is unreadable. */
export function parseStoredReview(key: string, text: string): StoredReview | string {
  let v: StoredReview;
  try {
    v = JSON.parse(text) as StoredReview;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (typeof v !== 'object' || v === null) return 'not an object';
  if (`${REVIEW_PREFIX}${v.flagId}` !== key) return `its flagId "${String(v.flagId)}" does not match the key`;
  if (typeof v.personId !== 'string' || v.personId === '') return 'no personId';
  if (!Number.isFinite(v.window?.from) || !Number.isFinite(v.window?.until)) return 'no window';
  if (!Array.isArray(v.signals) || !v.signals.every((s) => (SIGNALS as readonly string[]).includes(s)))
    return 'signals are missing or unknown';
  if (!Array.isArray(v.history) || v.history.length === 0 || !v.history.every(isDecision))
    return 'history is missing or has a malformed decision';
  return v;
}

export async function readReviews(store: ReviewStore): Promise<ReviewBook> {
  const reviews = new Map<string, StoredReview>();
  const unreadable: ReviewBook['unreadable'] = [];
  for (const [key, text] of await store.metaWithPrefix(REVIEW_PREFIX)) {
    const parsed = parseStoredReview(key, text);
    if (typeof parsed === 'string') unreadable.push({ key, reason: parsed });
    else reviews.set(parsed.flagId, parsed);
  }
  return { reviews, unreadable };
}

const last = (r: StoredReview) => r.history[r.history.length - 1]!;

/** The stored review that applies to `flag` (see the module comment), if any. */
export function reviewFor(flag: Flag, book: ReviewBook): StoredReview | undefined {
  const own = book.reviews.get(flag.id);
  if (own) return own;
  let best: StoredReview | undefined;
  for (const r of book.reviews.values()) {
    if (r.personId !== flag.personId || r.window.from !== flag.window.from) continue;
    if (r.window.until !== flag.window.until || !flag.signals.every((s) => r.signals.includes(s))) continue;
    if (!best || last(r).at > last(best).at) best = r;
  }
  return best;
}

/** The flags with their reviews applied: status from the decision in force, and its history. */
export function applyReviews(flags: readonly Flag[], book: ReviewBook): Flag[] {
  return flags.map((f) => {
    const r = reviewFor(f, book);
    if (!r) return f;
    const review: FlagReview = { flagId: r.flagId, history: r.history };
    return { ...f, status: last(r).status, review };
  });
}

export interface ReviewRequest {
  status: ReviewDecision['status'];
  note: string;
  /** The reviewer's person id; null for a token that names no person. */
  by: string | null;
  /** Shown instead of `by` when it is null (the token's name). */
  byName?: string;
  at?: number;
}

/**
 * Checks a decision before anything is written: a decision is confirmed or dismissed, has a
 * note, and is not made by the person flagged.
 */
export function checkReview(flag: Flag, request: ReviewRequest): ReviewDecision {
  if (request.status !== 'confirmed' && request.status !== 'dismissed')
    throw new ReviewError(`A review decides "confirmed" or "dismissed" (got "${String(request.status)}").`);
  const note = typeof request.note === 'string' ? request.note.trim() : '';
  if (note === '') throw new ReviewError('A review needs a note saying why it was decided that way.');
  if (note.length > MAX_NOTE_CHARS)
    throw new ReviewError(`The note is ${note.length} characters; keep it under ${MAX_NOTE_CHARS}.`);
  if (request.by !== null && request.by === flag.personId)
    throw new ReviewError('Nobody reviews their own flag: ask a manager of your team or an admin.');
  const by = request.by ?? request.byName;
  if (!by) throw new ReviewError('A review must say who decided it.');
  return { status: request.status, note, by, at: request.at ?? Date.now() };
}

/**
 * Records a decision on `flag` (as computed now) and returns the flag as reviewed. The history
 * kept under the flag's own id grows; an entry that cannot be read is refused rather than
 * overwritten, so no earlier decision is ever lost.
 */
export async function recordReview(store: ReviewStore, flag: Flag, request: ReviewRequest): Promise<Flag> {
  const decision = checkReview(flag, request);
  const key = `${REVIEW_PREFIX}${flag.id}`;
  const text = await store.getMeta(key);
  let stored: StoredReview;
  if (text === undefined) {
    // A flag reviewed through a wider one starts its own history with the decisions it inherited.
    const inherited = flag.review && flag.review.flagId !== flag.id ? flag.review.history : [];
    stored = {
      flagId: flag.id,
      personId: flag.personId,
      window: { from: flag.window.from, until: flag.window.until },
      signals: [...flag.signals],
      history: [...inherited, decision],
    };
  } else {
    const parsed = parseStoredReview(key, text);
    if (typeof parsed === 'string')
      throw new ReviewError(
        `The stored review of ${flag.id} cannot be read (${parsed}); it was left as it is. Repair or remove the ledger's meta entry "${key}" first.`,
      );
    stored = { ...parsed, history: [...parsed.history, decision] };
  }
  await store.setMeta(key, JSON.stringify(stored));
  return { ...flag, status: decision.status, review: { flagId: flag.id, history: stored.history } };
}
