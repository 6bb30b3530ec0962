import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { DEADLINE_SPIKES, deadlineSpikes } from './deadline-spikes.js';
import { explainFlag } from './explain.js';
import { DAY, honestTeam, T0, WINDOW } from './fixtures.js';
import { detectFindings, flagsFromFindings } from './flags.js';

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
    // The spend above the own rate is waste (the own rate had little).
    expect(found[0]!.evidence.numbers.period1ExcessWasteShare).toBeGreaterThanOrEqual(0.8);
    expect(found[0]!.evidence.numbers.period1OwnZ).toBeGreaterThan(3);
  });

  it('is explained: every number recomputed from the listed sessions matches, every check holds', () => {
    const t = honestTeam();
    for (let day = 0; day < 23; day++) if (day % 7 < 5) t.work('x', day, { costUsd: 1.5 });
    for (const day of [23, 24, 25])
      for (let k = 0; k < 4; k++)
        t.add({ personId: 'x', day, costUsd: 3, edits: 0, linesAdded: 0, linesRemoved: 0 });
    const model = t.model();
    const options = { window: WINDOW, periodEnds: [close], signals: ['deadline_spikes' as const] };
    const [flag] = flagsFromFindings(model, WINDOW, detectFindings(model, options));
    const x = explainFlag(model, flag!, { periodEnds: [close] }).findings[0]!;
    expect(x.derivations.map((d) => d.key)).toEqual(
      expect.arrayContaining(['period1ExcessWasteShare', 'period1OwnZ', 'period1CombinedZ']),
    );
    for (const d of x.derivations) expect(d.matches, d.key).toBe(true);
    for (const c of x.checks) expect(c.met, c.what).toBe(true);
  });

  it('leaves alone a spike that is more of the person’s usual mix, however much of it is waste', () => {
    // x usually spends two thirds on sessions that change nothing (questions, exploration); a
    // crunch of the same mix is 67% waste, but the spend above their own rate is no more wasteful
    // than their ordinary work.
    const t = honestTeam();
    const day = (d: number, n: number) => {
      for (let k = 0; k < n; k++) {
        t.work('x', d, { costUsd: 1.5 });
        t.add({ personId: 'x', day: d, costUsd: 3, edits: 0, linesAdded: 0, linesRemoved: 0 });
      }
    };
    for (let d = 0; d < 23; d++) if (d % 7 < 5) day(d, 1);
    for (const d of [23, 24, 25]) day(d, 4);
    const ctx = integrityContext(t.model(), { window: WINDOW, periodEnds: [close] });
    expect(deadlineSpikes(ctx)).toEqual([]);
    // The same rows with the rule of one condition relaxed are a finding: the mix alone clears them.
    expect(
      deadlineSpikes(ctx, { ...DEADLINE_SPIKES, minExcessWasteShare: 0.5 }).map((f) => f.personId),
    ).toEqual(['x']);
  });

  it('leaves a crunch that ships alone', () => {
    const t = honestTeam();
    for (let day = 0; day < 23; day++) if (day % 7 < 5) t.work('x', day, { costUsd: 1.5 });
    for (const day of [23, 24, 25]) for (let k = 0; k < 4; k++) t.work('x', day, { costUsd: 3 });
    expect(deadlineSpikes(integrityContext(t.model(), { window: WINDOW, periodEnds: [close] }))).toEqual([]);
  });
});
