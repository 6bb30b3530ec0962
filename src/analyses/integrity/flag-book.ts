/**
 * The flags of a range of time as every surface shows them: the flags of each integrity period
 * the range overlaps (periods.ts), with their reviews applied (review.ts), and the people they
 * hold out of the board. Computing flags needs the value model and, for `repeated_prompts`, the
 * prompt fingerprints of the period's sessions; the model is built without them, so the caller
 * (from-store.ts, or a server's cache) hands them in per period.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { ValueModel } from '../value/model.js';
import type { Window } from '../value/time.js';
import {
  type DetectOptions,
  type Flag,
  type FlagStatus,
  heldOutFrom,
  integrityFlags,
  type ReviewDecision,
} from './flags.js';
import { periodLabel, periodsOverlapping } from './periods.js';
import { applyReviews, type ReviewBook } from './review.js';

export type PeriodOptions = Omit<DetectOptions, 'window'>;

/** The flags of one period, as computed (open, unreviewed). */
export function periodFlags(model: ValueModel, period: Window, options: PeriodOptions = {}): Flag[] {
  return integrityFlags(model, { ...options, window: period });
}

export interface FlagBook {
  /** The periods the range overlaps, oldest first. */
  periods: Window[];
  /** Their flags, reviewed; by period, then person. */
  flags: Flag[];
  /** People held out of a board over the range, with the flags that hold them. */
  heldOut: Map<string, string[]>;
  /** Stored reviews that could not be read (ReviewBook.unreadable). */
  unreadableReviews: ReviewBook['unreadable'];
}

/** Combines the flags computed for `periods` with the stored reviews. */
export function flagBook(periods: Window[], computed: readonly Flag[], reviews: ReviewBook): FlagBook {
  const flags = applyReviews(computed, reviews);
  return { periods, flags, heldOut: heldOutFrom(flags), unreadableReviews: reviews.unreadable };
}

/** The periods whose flags matter for `window` (an open end stops at the model's data). */
export function periodsFor(model: ValueModel, window: Window): Window[] {
  return periodsOverlapping(model, window);
}

export interface FlagFilter {
  /** Only these people; undefined for everyone. */
  people?: ReadonlySet<string>;
  statuses?: readonly FlagStatus[];
}

export function selectFlags(flags: readonly Flag[], filter: FlagFilter): Flag[] {
  return flags.filter(
    (f) =>
      (!filter.people || filter.people.has(f.personId)) &&
      (!filter.statuses || filter.statuses.length === 0 || filter.statuses.includes(f.status)),
  );
}

/**
 * The flag `id` names: an exact id, or a prefix of at least 6 characters that only one flag
 * has. `ambiguous` when several share the prefix.
 */
export function findFlag(flags: readonly Flag[], id: string): Flag | 'ambiguous' | undefined {
  const exact = flags.find((f) => f.id === id);
  if (exact) return exact;
  if (id.length < 6) return undefined;
  const hits = flags.filter((f) => f.id.startsWith(id));
  if (hits.length > 1 && new Set(hits.map((f) => f.id)).size > 1) return 'ambiguous';
  return hits[0];
}

/** A flag for lists: who, when, how bad, how much, and where its review stands; no evidence. */
export interface FlagSummary {
  id: string;
  personId: string;
  name: string;
  /** The person's team at the end of the window (or null). */
  team: string | null;
  window: Window;
  status: Flag['status'];
  severity: Flag['severity'];
  signals: Flag['signals'];
  reasons: Array<{ signal: Flag['signals'][number]; severity: Flag['severity']; reason: string }>;
  wastedUsd: number;
  spendUsd: number;
  /** The decision in force, if any. */
  decision: ReviewDecision | null;
  decisions: number;
}

export function summariseFlag(flag: Flag, directory: PeopleDirectory): FlagSummary {
  const history = flag.review?.history ?? [];
  return {
    id: flag.id,
    personId: flag.personId,
    name: directory.person(flag.personId)?.name ?? flag.personId,
    team: directory.teamAt(flag.personId, flag.window.until - 1) ?? null,
    window: flag.window,
    status: flag.status,
    severity: flag.severity,
    signals: flag.signals,
    reasons: flag.findings.map((f) => ({ signal: f.signal, severity: f.severity, reason: f.reason })),
    wastedUsd: flag.wastedUsd,
    spendUsd: flag.spendUsd,
    decision: history.at(-1) ?? null,
    decisions: history.length,
  };
}

/** One flag as `tokenyield flags show` and `GET /api/v1/flags/{id}` present it. */
export interface FlagDetail extends FlagSummary {
  period: string;
  findings: Flag['findings'];
  review: Flag['review'];
  /** Whether the one asking may review it (their role, and never their own flag). */
  canReview: boolean;
}

export function flagDetail(flag: Flag, directory: PeopleDirectory, canReview: boolean): FlagDetail {
  return {
    ...summariseFlag(flag, directory),
    period: periodLabel(flag.window),
    findings: flag.findings,
    review: flag.review,
    canReview,
  };
}

/** The list as `tokenyield flags --json` and `GET /api/v1/flags` give it. */
export interface FlagList {
  periods: Array<Window & { label: string }>;
  flags: FlagSummary[];
  /** Over the flags listed: how many in each state, and the waste of those holding people out. */
  totals: { open: number; confirmed: number; dismissed: number; heldOutWastedUsd: number };
  unreadableReviews: ReviewBook['unreadable'];
}

export function flagList(
  book: FlagBook,
  flags: readonly Flag[],
  directory: PeopleDirectory,
  withUnreadable: boolean,
): FlagList {
  const totals = { open: 0, confirmed: 0, dismissed: 0, heldOutWastedUsd: 0 };
  for (const f of flags) {
    totals[f.status]++;
    if (f.status !== 'dismissed') totals.heldOutWastedUsd += f.wastedUsd;
  }
  totals.heldOutWastedUsd = Math.round(totals.heldOutWastedUsd * 100) / 100;
  return {
    periods: book.periods.map((p) => ({ ...p, label: periodLabel(p) })),
    flags: flags.map((f) => summariseFlag(f, directory)),
    totals,
    unreadableReviews: withUnreadable ? book.unreadableReviews : [],
  };
}
