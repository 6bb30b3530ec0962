import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { HOUR, honestTeam, WINDOW } from './fixtures.js';
import { unattendedLoops, unpromptedMs } from './unattended-loops.js';

describe('unattended loops', () => {
  it('bounds the longest stretch without a prompt from below', () => {
    expect(unpromptedMs({ firstTs: 0, lastTs: 6 * HOUR, prompts: 1 })).toBe(3 * HOUR);
    expect(unpromptedMs({ firstTs: 0, lastTs: 6 * HOUR, prompts: 0 })).toBe(6 * HOUR);
  });

  it('finds repeated long prompt-less runs that touched no code, not long runs that edited', () => {
    const t = honestTeam();
    for (const day of [1, 3, 8]) {
      t.add({
        personId: 'x',
        day,
        calls: 400,
        prompts: 0,
        edits: 0,
        linesAdded: 0,
        linesRemoved: 0,
        costUsd: 15,
        lastTs: undefined,
      });
    }
    // The heavy user's long agent runs edit and commit: honest.
    for (const day of [2, 4, 9])
      t.add({ personId: 'heavy', day, calls: 400, prompts: 1, edits: 30, costUsd: 15 });
    const model = t.model();
    // `add` makes one-hour sessions; stretch the loops to five hours.
    for (const s of model.sessions) if (s.personId === 'x') s.lastTs = s.firstTs + 5 * HOUR;
    for (const s of model.sessions)
      if (s.personId === 'heavy' && s.calls === 400) s.lastTs = s.firstTs + 5 * HOUR;
    const found = unattendedLoops(integrityContext(model, { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.numbers.loopSessions).toBe(3);
    expect(found[0]!.wastedUsd).toBe(45);
    expect(found[0]!.severity).toBe('high');
  });
});
