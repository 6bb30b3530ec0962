import { describe, expect, it } from 'vitest';
import { board } from './board.js';
import { boardFixture } from './fixtures.js';

describe('board', () => {
  const model = boardFixture();
  const person = (lens: 'value' | 'efficiency', extra = {}) =>
    board(model, { lens, level: 'person', allowIndividuals: true, exactRanks: true, ...extra });

  it('ranks a power user who ships above a token burner on value and efficiency', () => {
    for (const lens of ['value', 'efficiency'] as const) {
      const entries = person(lens).entries;
      const power = entries.find((e) => e.id === 'power')!;
      const burner = entries.find((e) => e.id === 'burner')!;
      expect(burner.rank!).toBeGreaterThan(power.rank!);
      expect(power.score!).toBeGreaterThan(burner.score!);
      expect(burner.band).toBe('rest');
    }
    // On value the power user is first. On efficiency the $20-per-change people beat the power
    // user's $100 per change, which is the point of that lens.
    expect(person('value').entries.find((e) => e.id === 'power')!).toMatchObject({ rank: 1, band: 'top_25' });
    expect(person('efficiency').entries.find((e) => e.id === 'p3')!.rank).toBe(1);
  });

  it('shows teams by default and suppresses groups below the minimum size', () => {
    const b = board(model);
    expect(b.level).toBe('team');
    expect(b.entries.map((e) => [e.kind, e.id, e.size])).toEqual([['team', 'a', 5]]);
    expect(b.suppressed).toEqual([{ id: 'b', reason: 'fewer than 5 people' }]);
    // Team a: ND 5 (power) + 3 (p3–p5).
    expect(b.entries[0]!.metrics.nd).toBeCloseTo(8, 12);
  });

  it('gives bands, not ranks or scores, unless exact ranks are asked for', () => {
    const b = board(model, { lens: 'value', level: 'person', allowIndividuals: true, minGroupSize: 1 });
    expect(b.entries.every((e) => e.rank === null && e.score === null && e.band !== null)).toBe(true);
  });

  it('shows only people who opted in, plus the viewer', () => {
    const optedIn = boardFixture(['p3', 'p4']);
    const b = board(optedIn, { level: 'person', viewer: 'burner' });
    expect(b.entries.map((e) => e.id).sort()).toEqual(['burner', 'p3', 'p4']);
    expect(b.entries.find((e) => e.id === 'burner')!.self).toBe(true);
    // power and p5 ranked but hidden; x and y are in the same org-wide peer group.
    expect(b.hidden).toBe(4);
  });

  it('holds out people with open integrity flags, from the board and from team numbers', () => {
    const b = board(model, { level: 'person', allowIndividuals: true, heldOut: ['power'], minGroupSize: 1 });
    expect(b.entries.some((e) => e.id === 'power')).toBe(false);
    expect(b.heldOut).toBe(1);
    // Team a without power: 3 ND, and only 4 people left → below the minimum of 5.
    const teams = board(model, { heldOut: ['power'], minGroupSize: 4 });
    expect(teams.entries.find((e) => e.id === 'a')!.metrics.nd).toBeCloseTo(3, 12);
    expect(
      board(model, { heldOut: ['power'] })
        .suppressed.map((s) => s.id)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('lists a held-out person with the flags that hold them wherever their entry would show', () => {
    const heldOut = new Map([
      ['power', ['fl-aaaaaaaaaaaaaaaa']],
      ['p3', ['fl-bbbbbbbbbbbbbbbb', 'fl-cccccccccccccccc']],
    ]);
    const all = board(model, { level: 'person', allowIndividuals: true, heldOut, minGroupSize: 1 });
    expect(all.heldOut).toBe(2);
    expect(all.heldOutEntries.map((e) => [e.id, e.flagIds])).toEqual([
      ['p3', ['fl-bbbbbbbbbbbbbbbb', 'fl-cccccccccccccccc']],
      ['power', ['fl-aaaaaaaaaaaaaaaa']],
    ]);
    expect(all.entries.some((e) => e.id === 'power' || e.id === 'p3')).toBe(false);
    // Nobody opted in: a viewer sees only themself held out; the count still says two.
    const own = board(model, { level: 'person', heldOut, viewer: 'power', minGroupSize: 1 });
    expect(own.heldOutEntries).toEqual([
      { id: 'power', name: 'power', self: true, flagIds: ['fl-aaaaaaaaaaaaaaaa'] },
    ]);
    expect(own.heldOut).toBe(2);
    // p3 opted in: listed to everyone on the individual board, but not on the team board.
    const optedIn = boardFixture(['p3']);
    expect(
      board(optedIn, { level: 'person', heldOut, viewer: 'p4', minGroupSize: 1 }).heldOutEntries.map(
        (e) => e.id,
      ),
    ).toEqual(['p3']);
    expect(board(optedIn, { heldOut, viewer: 'p4', minGroupSize: 1 }).heldOutEntries).toEqual([]);
  });

  it('labels spend as cost, with no bands or badges', () => {
    const b = board(model, { lens: 'spend', level: 'person', allowIndividuals: true });
    expect(b.merit).toBe(false);
    expect(b.label).toMatch(/cost, not a ranking of merit/);
    expect(b.entries.every((e) => e.band === null && e.badges.length === 0)).toBe(true);
    // Ordered by cost: power and burner $500 each (by name), then the $20 people, then $0.
    expect(b.entries.map((e) => e.id).slice(0, 2)).toEqual(['burner', 'power']);
  });

  it('ranks within teams when asked, suppressing small peer groups', () => {
    const b = board(model, { level: 'person', allowIndividuals: true, peerGroup: 'team', exactRanks: true });
    expect(new Set(b.entries.map((e) => e.peerGroup))).toEqual(new Set(['a']));
    expect(b.suppressed).toEqual([{ id: 'b', reason: 'fewer than 5 people' }]);
  });
});
