import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { deadlineSpikes } from './deadline-spikes.js';
import { DAY, honestTeam, T0, WINDOW } from './fixtures.js';

describe('spikes before a period closes', () => {
  const close = T0 + 26 * DAY;

  it('finds spend that jumps in the days before the close and buys nothing', () => {
    const t = honestTeam();
    for (let day = 0; day < 23; day++) if (day % 7 < 5) t.work('x', day, { costUsd: 1.5 });
    for (const day of [23, 24, 25])
      for (let k = 0; k < 4; k++)
        t.add({ personId: 'x', day, costUsd: 3, edits: 0, linesAdded: 0, linesRemoved: 0 });
    const found = deadlineSpikes(integrityContext(t.model(), { window: WINDOW, periodEnds: [close] }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.numbers.period1SpikeUsd).toBe(36);
    expect(found[0]!.evidence.numbers.period1End).toBe(close);
  });

  it('leaves a crunch that ships alone', () => {
    const t = honestTeam();
    for (let day = 0; day < 23; day++) if (day % 7 < 5) t.work('x', day, { costUsd: 1.5 });
    for (const day of [23, 24, 25]) for (let k = 0; k < 4; k++) t.work('x', day, { costUsd: 3 });
    expect(deadlineSpikes(integrityContext(t.model(), { window: WINDOW, periodEnds: [close] }))).toEqual([]);
  });
});
