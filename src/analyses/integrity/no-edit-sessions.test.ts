import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { honestTeam, WINDOW } from './fixtures.js';
import { noEditSessions } from './no-edit-sessions.js';

describe('sessions with no edits at high spend', () => {
  it('finds expensive sessions that touched no code, not cheap questions', () => {
    const t = honestTeam();
    for (const day of [0, 1, 2, 3, 4]) {
      t.work('x', day, { costUsd: 2 });
      t.add({ personId: 'x', day, costUsd: 80, edits: 0, linesAdded: 0, linesRemoved: 0 });
    }
    const found = noEditSessions(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.sessionIds).toHaveLength(5);
    expect(found[0]!.wastedUsd).toBe(400);
  });
});
