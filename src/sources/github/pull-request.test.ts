import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonList } from './json-values.js';
import { mergePullCopies, pullRequestFromApi, summarizeReviews } from './pull-request.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/github/octo-app/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(DIR + name, 'utf8'));
const detail101 = read('pulls/101.json') as Record<string, unknown>;
const reviews101 = parseJsonList(readFileSync(`${DIR}reviews/101.json`, 'utf8'));

function ok(result: ReturnType<typeof pullRequestFromApi>) {
  if (!result.ok) throw new Error(`expected a record, got: ${result.reason}`);
  return result.record;
}

describe('pullRequestFromApi', () => {
  it('maps a merged single-PR response with its reviews', () => {
    const pr = ok(pullRequestFromApi(detail101, 'octo/app', 'pulls/101.json', { reviews: reviews101 }));
    expect(pr).toMatchObject({
      id: 'pr:octo/app#101',
      repo: 'octo/app',
      number: 101,
      title: 'Add rate limiter',
      author: 'alice',
      authorType: 'User',
      state: 'merged',
      draft: false,
      createdAt: Date.parse('2026-05-01T09:00:00Z'),
      mergedAt: Date.parse('2026-05-02T15:00:00Z'),
      closedAt: Date.parse('2026-05-02T15:00:00Z'),
      mergedBy: 'bob',
      baseRef: 'main',
      headRef: 'alice/rate-limit',
      headSha: '1'.repeat(40),
      mergeCommitSha: 'f1'.repeat(20),
      additions: 120,
      deletions: 30,
      changedFiles: 5,
      labels: ['ai-assisted', 'backend'],
      source: 'github_export',
      origin: 'pulls/101.json',
    });
    // bob: APPROVED, then only a comment; carol: APPROVED then CHANGES_REQUESTED; eve: DISMISSED.
    expect(pr.approvers).toEqual(['bob']);
    // alice is the author: her thread replies are COMMENTED reviews, not reviewing.
    expect(pr.reviewers).toEqual(['bob', 'carol', 'dave', 'eve']);
  });

  it('tells closed-unmerged and open PRs apart from merged ones', () => {
    const closed = ok(pullRequestFromApi(read('pulls/102.json'), 'octo/app', 'x'));
    expect(closed).toMatchObject({ state: 'closed', mergedAt: null, mergedBy: null });
    expect(closed.closedAt).toBe(Date.parse('2026-05-04T11:00:00Z'));
    const open = ok(
      pullRequestFromApi({ ...detail101, state: 'open', closed_at: null, merged_at: null }, 'o/r', 'x'),
    );
    expect(open).toMatchObject({ state: 'open', mergedAt: null, closedAt: null });
  });

  it('accepts a list entry without merged_by, sizes or draft', () => {
    const entry: Record<string, unknown> = { ...detail101 };
    for (const k of ['merged_by', 'additions', 'deletions', 'changed_files', 'draft', 'labels', 'body'])
      delete entry[k];
    const pr = ok(pullRequestFromApi(entry, 'octo/app', 'pulls.json'));
    expect(pr).toMatchObject({
      state: 'merged',
      mergedBy: null,
      additions: 0,
      changedFiles: 0,
      draft: false,
      labels: [],
    });
    expect(pr.aiEvidence).toEqual([]);
  });

  it('takes the repository from base.repo when none is given, and ghost for a deleted author', () => {
    const pr = ok(pullRequestFromApi({ ...detail101, user: null }, null, 'x'));
    expect(pr.repo).toBe('octo/app');
    expect(pr.id).toBe('pr:octo/app#101');
    expect(pr.author).toBe('ghost');
    const noRepo = pullRequestFromApi({ ...detail101, base: { ref: 'main', repo: null } }, null, 'x');
    expect(noRepo).toEqual({
      ok: false,
      reason: 'pull request: repository unknown (no repo given, no base.repo)',
    });
  });

  it('skips wrong types and missing fields with a reason naming the field, ignoring unknown fields', () => {
    expect(pullRequestFromApi({ ...detail101, number: '101' }, 'o/r', 'x')).toEqual({
      ok: false,
      reason: 'pull request: number: expected number, received string',
    });
    const { title: _t, ...noTitle } = detail101;
    expect(pullRequestFromApi(noTitle, 'o/r', 'x')).toEqual({
      ok: false,
      reason: 'pull request: missing title',
    });
    const badDate = pullRequestFromApi({ ...detail101, merged_at: 'yesterday' }, 'o/r', 'x');
    expect(badDate).toEqual({ ok: false, reason: 'pull request: merged_at: not an ISO-8601 date-time' });
    expect(pullRequestFromApi(null, 'o/r', 'x').ok).toBe(false);
    expect(pullRequestFromApi({ ...detail101, brand_new_field: { x: 1 } }, 'o/r', 'x').ok).toBe(true);
  });

  it('is deterministic: the same JSON gives an equal record', () => {
    const a = pullRequestFromApi(detail101, 'octo/app', 'o', { reviews: reviews101 });
    const b = pullRequestFromApi(structuredClone(detail101), 'octo/app', 'o', {
      reviews: [...reviews101].reverse(),
    });
    expect(b).toEqual(a);
  });
});

describe('summarizeReviews', () => {
  const r = (id: number, login: string, state: string, at: string | null) => ({
    id,
    user: { login },
    state,
    ...(at ? { submitted_at: at } : {}),
  });

  it('lets a later CHANGES_REQUESTED override an approval, and a later approval override it back', () => {
    const s = summarizeReviews(
      [
        r(1, 'x', 'APPROVED', '2026-01-01T00:00:00Z'),
        r(2, 'x', 'CHANGES_REQUESTED', '2026-01-02T00:00:00Z'),
        r(3, 'y', 'CHANGES_REQUESTED', '2026-01-01T00:00:00Z'),
        r(4, 'y', 'APPROVED', '2026-01-03T00:00:00Z'),
      ],
      'author',
    );
    expect(s.approvers).toEqual(['y']);
    expect(s.reviewers).toEqual(['x', 'y']);
  });

  it('ignores PENDING drafts and deleted reviewers, and reports malformed reviews', () => {
    const s = summarizeReviews(
      [r(1, 'p', 'PENDING', null), { id: 2, user: null, state: 'APPROVED' }, { id: 3, state: 'APPROVED' }],
      'a',
    );
    expect(s.reviewers).toEqual([]);
    expect(s.skipped).toEqual(['review: missing user']);
  });
});

describe('mergePullCopies', () => {
  it('keeps single-PR-only fields and lets the fresher copy decide the rest', () => {
    const list = {
      number: 1,
      state: 'closed',
      merged_at: '2026-01-02T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
    };
    const detail = {
      number: 1,
      state: 'open',
      merged_at: null,
      updated_at: '2026-01-01T00:00:00Z',
      additions: 5,
    };
    expect(mergePullCopies(list, detail)).toMatchObject({ state: 'closed', additions: 5 });
    expect(mergePullCopies({ ...list, updated_at: '2026-01-01T00:00:00Z' }, detail)).toMatchObject({
      state: 'open',
    });
    expect(mergePullCopies(undefined, detail)).toBe(detail);
  });
});
