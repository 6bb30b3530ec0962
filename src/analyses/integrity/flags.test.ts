import { describe, expect, it } from 'vitest';
import { board } from '../board/board.js';
import { HEAVY, honestTeam, WINDOW } from './fixtures.js';
import {
  detectFindings,
  type Flag,
  flagId,
  flagsFromFindings,
  heldOutFrom,
  integrityFlags,
  raisesFlag,
} from './flags.js';
import { evidence, type Finding } from './types.js';

const finding = (signal: Finding['signal'], severity: Finding['severity']): Finding => ({
  signal,
  personId: 'x',
  peerGroup: 'core',
  window: WINDOW,
  severity,
  reason: '',
  evidence: evidence({}),
  wastedUsd: 0,
});

describe('flags', () => {
  it('an honest team, heavy user included, raises no finding at all', () => {
    const model = honestTeam().model();
    expect(detectFindings(model, { window: WINDOW })).toEqual([]);
    expect(heldOutFrom(integrityFlags(model, { window: WINDOW }))).toEqual(new Map());
  });

  it('one low finding is watched, not flagged; two signals or a medium one are flagged', () => {
    expect(raisesFlag([finding('cost_per_outcome', 'low')])).toBe(false);
    expect(raisesFlag([finding('cost_per_outcome', 'low'), finding('churn', 'low')])).toBe(true);
    expect(raisesFlag([finding('churn', 'medium')])).toBe(true);
  });

  it('combines findings per person, counts each wasted session once, and holds the person out of the board', () => {
    const t = honestTeam();
    for (let day = 0; day < 6; day++)
      t.add({
        personId: 'x',
        day,
        costUsd: 80,
        calls: 300,
        prompts: 0,
        edits: 0,
        linesAdded: 0,
        linesRemoved: 0,
        cacheReadTokens: 20_000_000,
        outputTokens: 1000,
      });
    const model = t.model();
    for (const s of model.sessions) if (s.personId === 'x') s.lastTs = s.firstTs + 5 * 3_600_000;
    const flags = integrityFlags(model, { window: WINDOW });
    expect(flags.map((f) => f.personId)).toEqual(['x']);
    const flag = flags[0]!;
    expect(flag.signals).toEqual(
      expect.arrayContaining([
        'unattended_loops',
        'cache_padding',
        'no_edit_sessions',
        'spend_without_outcomes',
      ]),
    );
    expect(flag.severity).toBe('high');
    // Several signals name the same six sessions: $480 once, not once per signal.
    expect(flag.wastedUsd).toBe(480);
    expect(flag.spendUsd).toBe(480);
    const heldOut = heldOutFrom(flags);
    expect(heldOut).toEqual(new Map([['x', [flag.id]]]));
    const b = board(model, {
      level: 'person',
      allowIndividuals: true,
      heldOut,
      minGroupSize: 1,
      window: WINDOW,
    });
    expect(b.heldOut).toBe(1);
    expect(b.entries.some((e) => e.id === 'x')).toBe(false);
    expect(b.heldOutEntries).toEqual([{ id: 'x', name: 'x', self: false, flagIds: [flag.id] }]);
    expect(b.entries.some((e) => e.id === HEAVY)).toBe(true);
    expect(flagsFromFindings(model, WINDOW, [])).toEqual([]);
  });

  it('gives a flag the same id on every run, and another id for another window or set of signals', () => {
    const a = flagId('x', WINDOW, ['churn', 'tiny_prs']);
    expect(a).toMatch(/^fl-[0-9a-f]{16}$/);
    expect(flagId('x', WINDOW, ['tiny_prs', 'churn'])).toBe(a);
    expect(flagId('x', WINDOW, ['churn'])).not.toBe(a);
    expect(flagId('y', WINDOW, ['churn', 'tiny_prs'])).not.toBe(a);
    expect(flagId('x', { from: WINDOW.from, until: WINDOW.until + 1 }, ['churn', 'tiny_prs'])).not.toBe(a);
  });

  it('holds out open and confirmed flags, not dismissed ones', () => {
    const base = { personId: 'p', window: WINDOW, severity: 'medium', signals: [], findings: [] } as const;
    const flag = (id: string, personId: string, status: Flag['status']): Flag => ({
      ...base,
      id,
      personId,
      status,
      signals: ['churn'],
      findings: [],
      wastedUsd: 0,
      spendUsd: 0,
      review: null,
    });
    expect(
      heldOutFrom([flag('f1', 'p', 'open'), flag('f2', 'p', 'confirmed'), flag('f3', 'q', 'dismissed')]),
    ).toEqual(new Map([['p', ['f1', 'f2']]]));
  });
});
