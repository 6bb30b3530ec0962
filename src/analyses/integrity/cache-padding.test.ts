import { describe, expect, it } from 'vitest';
import { cachePadding } from './cache-padding.js';
import { integrityContext } from './context.js';
import { honestTeam, WINDOW } from './fixtures.js';

describe('cache padding', () => {
  it('finds huge cache reads with almost no output and no edits', () => {
    const t = honestTeam();
    const padded = {
      cacheReadTokens: 8_000_000,
      outputTokens: 800,
      edits: 0,
      linesAdded: 0,
      linesRemoved: 0,
      costUsd: 3,
    };
    for (const day of [0, 1, 2, 3]) t.add({ personId: 'x', day, ...padded });
    // Same reads with real output and edits: an honest long session.
    for (const day of [0, 1, 2, 3])
      t.add({ personId: 'heavy', day, cacheReadTokens: 8_000_000, outputTokens: 60_000, edits: 20 });
    const found = cachePadding(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.numbers.paddedSessions).toBe(4);
    expect(found[0]!.evidence.numbers.outputPerCacheRead).toBe(0.0001);
    expect(found[0]!.wastedUsd).toBe(12);
  });
});
