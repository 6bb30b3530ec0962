/**
 * Pull request JSON (REST `GET /repos/{o}/{r}/pulls`, `…/pulls/{n}`, or a webhook's
 * `pull_request` object) plus its reviews → `PullRequestRecord`.
 *
 * Pure: no I/O, so the export reader and a future webhook receiver share it.
 * @module
 */
import { recordId } from '../../ledger/ids.js';
import type { PullRequestRecord, PullRequestState, WorkSourceId } from '../../ledger/work.js';
import { type AiMarkerOptions, prAiEvidence } from './ai-markers.js';
import {
  type ApiReview,
  describeZodError,
  parseIsoDateTime,
  pullSchema,
  reviewSchema,
} from './api-schema.js';

export interface PullRequestOptions extends AiMarkerOptions {
  /** Items of `GET …/pulls/{n}/reviews` (any order). */
  reviews?: readonly unknown[];
  source?: WorkSourceId;
}

/** A record, plus the parts of the input that were left out (bad reviews), one reason each. */
export type PullRequestParse =
  | { ok: true; record: PullRequestRecord; skipped: string[] }
  | { ok: false; reason: string };

/** Login GitHub shows for deleted accounts; the REST API returns it, some payloads return null. */
const GHOST = 'ghost';

export interface ReviewSummary {
  /** Everyone other than the author who submitted a review, sorted. */
  reviewers: string[];
  /** Reviewers whose latest review that is not a comment is an approval, sorted. */
  approvers: string[];
  skipped: string[];
}

/**
 * Approvers as GitHub counts them: a reviewer's latest APPROVED / CHANGES_REQUESTED / DISMISSED
 * review decides, and COMMENTED reviews leave that decision standing. The author's own
 * reviews (replies to review threads are recorded as COMMENTED reviews) do not make them a
 * reviewer. PENDING reviews are drafts nobody else can see, so they do not count.
 */
export function summarizeReviews(reviews: readonly unknown[], author: string | null): ReviewSummary {
  const valid: Array<{ review: ApiReview; index: number; at: number }> = [];
  const skipped: string[] = [];
  reviews.forEach((raw, index) => {
    const parsed = reviewSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push(describeZodError('review', parsed.error));
      return;
    }
    const review = parsed.data;
    if (review.user === null) return; // deleted reviewer: nobody to credit
    if (review.state.toUpperCase() === 'PENDING') return;
    const at = review.submitted_at ? parseIsoDateTime(review.submitted_at)! : Number.POSITIVE_INFINITY;
    valid.push({ review, index, at });
  });
  // The API lists reviews oldest first, but exports may be merged or re-sorted; time, then id, then position.
  valid.sort((a, b) => a.at - b.at || (a.review.id ?? 0) - (b.review.id ?? 0) || a.index - b.index);
  const reviewers = new Set<string>();
  const decision = new Map<string, string>();
  const authorKey = author?.toLowerCase();
  for (const { review } of valid) {
    const login = review.user!.login;
    if (login.toLowerCase() === authorKey) continue;
    reviewers.add(login);
    const state = review.state.toUpperCase();
    if (state !== 'COMMENTED') decision.set(login, state);
  }
  const approvers = [...decision].filter(([, s]) => s === 'APPROVED').map(([login]) => login);
  return { reviewers: sortedStrings(reviewers), approvers: sortedStrings(approvers), skipped };
}

function sortedStrings(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Maps one PR. `repo` is `owner/name`; pass null to take it from `base.repo.full_name`.
 * The list endpoint omits `additions`, `deletions`, `changed_files` and `merged_by`; without
 * the single-PR response those are 0 and null.
 */
export function pullRequestFromApi(
  json: unknown,
  repo: string | null,
  origin: string,
  options: PullRequestOptions = {},
): PullRequestParse {
  const parsed = pullSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeZodError('pull request', parsed.error) };
  const pr = parsed.data;
  const repoName = repo ?? pr.base.repo?.full_name ?? null;
  if (!repoName)
    return { ok: false, reason: 'pull request: repository unknown (no repo given, no base.repo)' };
  const author = pr.user?.login ?? GHOST;
  const mergedAt = pr.merged_at ? parseIsoDateTime(pr.merged_at) : null;
  // merged_at is the only merge signal the list endpoint has (`merged` is single-PR only).
  const state: PullRequestState = mergedAt !== null ? 'merged' : pr.state;
  const labels = (pr.labels ?? []).map((l) => l.name);
  const reviews = summarizeReviews(options.reviews ?? [], author);
  const record: PullRequestRecord = {
    id: recordId('pr', `${repoName}#${pr.number}`),
    repo: repoName,
    number: pr.number,
    title: pr.title,
    author,
    authorType: pr.user?.type ?? 'User',
    state,
    draft: pr.draft ?? false,
    createdAt: parseIsoDateTime(pr.created_at)!,
    mergedAt,
    closedAt: pr.closed_at ? parseIsoDateTime(pr.closed_at) : null,
    mergedBy: pr.merged_by?.login ?? null,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    headSha: pr.head.sha ?? null,
    mergeCommitSha: pr.merge_commit_sha ?? null,
    additions: pr.additions ?? 0,
    deletions: pr.deletions ?? 0,
    changedFiles: pr.changed_files ?? 0,
    labels,
    approvers: reviews.approvers,
    reviewers: reviews.reviewers,
    aiEvidence: prAiEvidence({ body: pr.body ?? null, labels, author }, options),
    source: options.source ?? 'github_export',
    origin,
  };
  return { ok: true, record, skipped: reviews.skipped };
}

/** `updated_at` of a raw PR object, for choosing the fresher of two copies; -∞ when absent. */
export function pullUpdatedAt(json: unknown): number {
  if (typeof json !== 'object' || json === null) return Number.NEGATIVE_INFINITY;
  const v = (json as { updated_at?: unknown }).updated_at;
  const ms = typeof v === 'string' ? parseIsoDateTime(v) : null;
  return ms ?? Number.NEGATIVE_INFINITY;
}

/**
 * One PR from its list entry and its single-PR response. Fields only the single-PR response has
 * (sizes, `merged_by`) survive either way; for the rest the copy with the later `updated_at`
 * wins, the single-PR response on a tie, so a list fetched after the details still updates state.
 */
export function mergePullCopies(listEntry: unknown, detail: unknown): unknown {
  if (listEntry === undefined) return detail;
  if (detail === undefined) return listEntry;
  if (typeof listEntry !== 'object' || listEntry === null) return detail;
  if (typeof detail !== 'object' || detail === null) return listEntry;
  return pullUpdatedAt(listEntry) > pullUpdatedAt(detail)
    ? { ...detail, ...listEntry }
    : { ...listEntry, ...detail };
}
