import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import type { Store } from '../../ledger/store/store.js';
import { WINDOW } from './fixtures.js';
import { type Flag, flagId, heldOutFrom } from './flags.js';
import { applyReviews, REVIEW_PREFIX, ReviewError, readReviews, recordReview } from './review.js';
import type { SignalId } from './types.js';

function flag(personId: string, signals: SignalId[]): Flag {
  return {
    id: flagId(personId, WINDOW, signals),
    personId,
    window: WINDOW,
    status: 'open',
    severity: 'medium',
    signals,
    findings: [],
    wastedUsd: 10,
    spendUsd: 40,
    review: null,
  };
}

let store: Store;
beforeEach(async () => {
  store = await openDuckDbStore({ path: ':memory:' });
});
afterEach(() => store.close());

describe('flag reviews', () => {
  it('stores only the decision, in the ledger’s meta table, and applies it to the recomputed flag', async () => {
    const f = flag('x', ['churn', 'tiny_prs']);
    const reviewed = await recordReview(store, f, {
      status: 'dismissed',
      note: 'A migration: the reverts were planned.',
      by: 'carol',
      at: 1000,
    });
    expect(reviewed.status).toBe('dismissed');
    const stored = JSON.parse((await store.getMeta(`${REVIEW_PREFIX}${f.id}`))!);
    expect(stored).toEqual({
      flagId: f.id,
      personId: 'x',
      window: WINDOW,
      signals: ['churn', 'tiny_prs'],
      history: [
        { status: 'dismissed', note: 'A migration: the reverts were planned.', by: 'carol', at: 1000 },
      ],
    });
    // A later run computes the flag afresh: the stored decision finds it by its id.
    const [again] = applyReviews([flag('x', ['tiny_prs', 'churn'])], await readReviews(store));
    expect(again!.status).toBe('dismissed');
    expect(again!.review!.history).toHaveLength(1);
    expect(heldOutFrom([again!])).toEqual(new Map());
  });

  it('keeps every decision when a flag is reviewed again; the last one is in force', async () => {
    const f = flag('x', ['churn']);
    await recordReview(store, f, { status: 'dismissed', note: 'looks fine', by: 'carol', at: 1 });
    await recordReview(store, f, {
      status: 'confirmed',
      note: 'on second look, it is not',
      by: 'admin',
      at: 2,
    });
    const [r] = applyReviews([f], await readReviews(store));
    expect(r!.status).toBe('confirmed');
    expect(r!.review!.history.map((d) => [d.status, d.by])).toEqual([
      ['dismissed', 'carol'],
      ['confirmed', 'admin'],
    ]);
    expect(heldOutFrom([r!])).toEqual(new Map([['x', [f.id]]]));
  });

  it('lets a decision cover a later flag with fewer signals, but not one with a new signal', async () => {
    const wide = flag('x', ['churn', 'tiny_prs']);
    await recordReview(store, wide, { status: 'dismissed', note: 'planned work', by: 'carol', at: 5 });
    const book = await readReviews(store);
    const [narrow, wider, other] = applyReviews(
      [flag('x', ['churn']), flag('x', ['churn', 'tiny_prs', 'cache_padding']), flag('y', ['churn'])],
      book,
    );
    expect(narrow!.status).toBe('dismissed');
    expect(narrow!.review!.flagId).toBe(wide.id);
    expect(wider!.status).toBe('open');
    expect(other!.status).toBe('open');
    // Reviewing the narrower flag itself starts its history with the decision it inherited.
    const again = await recordReview(store, narrow!, {
      status: 'confirmed',
      note: 'now it is',
      by: 'dan',
      at: 9,
    });
    expect(again.review!.history.map((d) => d.by)).toEqual(['carol', 'dan']);
  });

  it('refuses a review without a note, of one’s own flag, or with another decision, writing nothing', async () => {
    const f = flag('x', ['churn']);
    await expect(recordReview(store, f, { status: 'dismissed', note: '  ', by: 'carol' })).rejects.toThrow(
      /needs a note/,
    );
    await expect(recordReview(store, f, { status: 'dismissed', note: 'fine', by: 'x' })).rejects.toThrow(
      /Nobody reviews their own flag/,
    );
    await expect(
      recordReview(store, f, { status: 'open' as 'confirmed', note: 'fine', by: 'carol' }),
    ).rejects.toBeInstanceOf(ReviewError);
    expect(await store.metaWithPrefix(REVIEW_PREFIX)).toEqual(new Map());
  });

  it('leaves an unreadable stored review as it is: listed, never overwritten', async () => {
    const f = flag('x', ['churn']);
    const key = `${REVIEW_PREFIX}${f.id}`;
    await store.setMeta(key, '{"flagId": "fl-broken"');
    const book = await readReviews(store);
    expect(book.reviews.size).toBe(0);
    expect(book.unreadable).toEqual([{ key, reason: expect.stringMatching(/^not JSON/) }]);
    await expect(recordReview(store, f, { status: 'dismissed', note: 'fine', by: 'carol' })).rejects.toThrow(
      /cannot be read/,
    );
    expect(await store.getMeta(key)).toBe('{"flagId": "fl-broken"');
  });
});
