import { describe, expect, it } from 'vitest';
import { isBetterCopy } from '../../dedup.js';
import { decodeVersion, MAX_RANKED_TOTAL, rankOf, rowVersion, TOMBSTONE_RANK } from './row-version.js';

const copy = (output: number, speed: 'fast' | null) => ({
  tokens: {
    inputUncached: 0,
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheWriteOther: 0,
    output,
    reasoning: 0,
  },
  speed,
});

describe('row versions', () => {
  it('rank copies exactly as isBetterCopy orders them', () => {
    const copies = [
      copy(0, null),
      copy(0, 'fast'),
      copy(5, null),
      copy(5, 'fast'),
      copy(6, null),
      copy(1_000_000, null),
    ];
    for (const a of copies) {
      for (const b of copies) {
        const byRank = rankOf(a.tokens.output, a.speed !== null) > rankOf(b.tokens.output, b.speed !== null);
        expect(byRank).toBe(isBetterCopy(a, b));
      }
    }
    expect(rankOf(0, false)).toBeGreaterThan(TOMBSTONE_RANK);
  });

  it('let a later generation win whatever the rank, and round-trip through text', () => {
    const stored = rowVersion(0, rankOf(1_000_000, true));
    const tombstone = rowVersion(1, TOMBSTONE_RANK);
    const reread = rowVersion(1, rankOf(3, false));
    expect(tombstone > stored).toBe(true);
    expect(reread > tombstone).toBe(true);
    expect(decodeVersion(reread.toString())).toEqual({ generation: 1, rank: rankOf(3, false) });
    expect(rankOf(MAX_RANKED_TOTAL * 4, true)).toBe(rankOf(MAX_RANKED_TOTAL, true));
    expect(rowVersion((1 << 22) - 1, rankOf(MAX_RANKED_TOTAL, true))).toBeLessThan(2n ** 64n);
    expect(() => rowVersion(1 << 22, 1n)).toThrow(/out of range/);
  });
});
