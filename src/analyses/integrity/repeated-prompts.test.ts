import { describe, expect, it } from 'vitest';
import { integrityContext } from './context.js';
import { fp, HONEST, honestTeam, WINDOW } from './fixtures.js';
import { repeatedPrompts } from './repeated-prompts.js';

describe('repeated prompts', () => {
  it('finds one prompt starting many sessions that shipped nothing', () => {
    const t = honestTeam();
    const mantra = fp(42);
    const near = `${mantra.slice(0, 15)}${((Number.parseInt(mantra[15]!, 16) ^ 1) & 15).toString(16)}`;
    for (let day = 0; day < 8; day++)
      t.add({
        personId: 'x',
        day,
        edits: 0,
        linesAdded: 0,
        linesRemoved: 0,
        promptFingerprints: [day % 2 ? mantra : near],
      });
    const found = repeatedPrompts(integrityContext(t.model(), { window: WINDOW }));
    expect(found.map((f) => f.personId)).toEqual(['x']);
    expect(found[0]!.evidence.numbers.repeatedSessions).toBe(8);
    expect(found[0]!.evidence.numbers.clusters).toBe(1);
  });

  it('ignores an idiom the whole team types ("commit this and open a PR")', () => {
    const t = honestTeam();
    const idiom = fp(7);
    for (const p of [...HONEST, 'x'])
      for (let day = 0; day < 8; day++) t.question(p, day, { promptFingerprints: [idiom] });
    expect(repeatedPrompts(integrityContext(t.model(), { window: WINDOW }))).toEqual([]);
  });
});
