import { describe, expect, it } from 'vitest';
import { coverByQuarterHours, MAX_MS, MIN_MS, mergeSpans } from './spans.js';

const Q = 15 * 60 * 1000;
const T = Date.parse('2024-03-10T00:00:00Z');

describe('mergeSpans', () => {
  it('merges overlapping and touching spans of a person, keeps people apart, drops empty ones', () => {
    expect(
      mergeSpans([
        { personId: 'a', fromTs: T + 100, untilTs: T + 200 },
        { personId: 'b', fromTs: T, untilTs: T + 50 },
        { personId: 'a', fromTs: T + 150, untilTs: T + 300 },
        { personId: 'a', fromTs: T + 301, untilTs: T + 400 },
        { personId: 'a', fromTs: T + 500.5, untilTs: T + 600.5 },
        { personId: 'c', fromTs: T + 10, untilTs: T },
      ]),
    ).toEqual([
      { personId: 'a', from: T + 100, until: T + 400 },
      { personId: 'a', from: T + 501, until: T + 600 },
      { personId: 'b', from: T, until: T + 50 },
    ]);
    expect(
      mergeSpans([{ personId: 'a', fromTs: Number.NEGATIVE_INFINITY, untilTs: Number.POSITIVE_INFINITY }]),
    ).toEqual([{ personId: 'a', from: MIN_MS, until: MAX_MS }]);
  });
});

describe('coverByQuarterHours', () => {
  it('gives the roll-up the whole quarter hours and raw rows the fringes', () => {
    const now = T + 3 * Q + 1234;
    expect(coverByQuarterHours([{ personId: 'a', from: T, until: now }])).toEqual({
      whole: [{ personId: 'a', from: T, until: T + 3 * Q - 1 }],
      fringe: [{ personId: 'a', from: T + 3 * Q, until: now }],
    });
    expect(coverByQuarterHours([{ personId: 'a', from: T + 5, until: T + 2 * Q - 1 }])).toEqual({
      whole: [{ personId: 'a', from: T + Q, until: T + 2 * Q - 1 }],
      fringe: [{ personId: 'a', from: T + 5, until: T + Q - 1 }],
    });
    expect(coverByQuarterHours([{ personId: 'a', from: T + 5, until: T + 10 }])).toEqual({
      whole: [],
      fringe: [{ personId: 'a', from: T + 5, until: T + 10 }],
    });
    expect(coverByQuarterHours([{ personId: 'a', from: MIN_MS, until: MAX_MS }])).toEqual({
      whole: [{ personId: 'a', from: MIN_MS, until: MAX_MS }],
      fringe: [],
    });
  });
});
