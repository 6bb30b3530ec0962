import { describe, expect, it } from 'vitest';
import { type CheckEntry, type CheckRequest, checkBudgets } from './check.js';

const APRIL = {
  periodStartTs: Date.parse('2026-04-01T00:00:00Z'),
  periodEndTs: Date.parse('2026-05-01T00:00:00Z'),
};

function entry(overrides: Partial<CheckEntry>): CheckEntry {
  return {
    id: 'org',
    name: 'The organisation',
    scope: { kind: 'org' },
    unit: 'usd',
    hard: false,
    thresholds: [50, 80, 100],
    periodLabel: 'April 2026',
    ...APRIL,
    spent: 10,
    limit: 100,
    perPerson: null,
    projectedExhaustion: null,
    ...overrides,
  };
}

const request = (overrides: Partial<CheckRequest> = {}): CheckRequest => ({
  personId: 'alice@acme.example',
  team: 'payments',
  tool: 'claude-code',
  model: undefined,
  now: Date.parse('2026-04-10T12:00:00Z'),
  ...overrides,
});

describe('the budget check', () => {
  it('allows within budget and says so', () => {
    const a = checkBudgets([entry({})], request());
    expect(a.decision).toBe('allow');
    expect(a.reason).toBe('Within budget: The organisation 10 %.');
    expect(a.budgets).toHaveLength(1);
  });

  it('warns past a soft threshold, and past 100 % of a soft budget', () => {
    expect(checkBudgets([entry({ spent: 85 })], request())).toMatchObject({
      decision: 'warn',
      reason: 'The organisation has used 85 %, past its 80 % threshold ($85 of $100 for April 2026).',
    });
    expect(checkBudgets([entry({ spent: 120 })], request())).toMatchObject({
      decision: 'warn',
      reason: 'The organisation is over its limit: $120 of $100 for April 2026 (120 %).',
    });
  });

  it('denies once a hard budget is used up', () => {
    const a = checkBudgets([entry({ spent: 100, hard: true })], request());
    expect(a.decision).toBe('deny');
    expect(a.reason).toBe('The organisation is used up: $100 of $100 for April 2026; it is a hard limit.');
  });

  it('warns of a projected overrun before any threshold', () => {
    const a = checkBudgets([entry({ projectedExhaustion: '2026-04-24' })], request());
    expect(a).toMatchObject({
      decision: 'warn',
      reason: 'At this rate The organisation runs out on 24 April, before April 2026 ends (10 % used).',
    });
  });

  it('applies a budget only to the team, person, tool and model it covers', () => {
    const entries = [
      entry({ id: 'pay', name: 'Payments', scope: { kind: 'team', id: 'payments' }, spent: 100, hard: true }),
      entry({ id: 'codex', name: 'Codex', scope: { kind: 'tool', id: 'codex' }, spent: 100, hard: true }),
      entry({ id: 'opus', name: 'Opus', scope: { kind: 'model', id: 'claude-opus-4-1' }, spent: 90 }),
      entry({
        id: 'bob',
        name: 'Bob',
        scope: { kind: 'person', id: 'bob@acme.example' },
        spent: 100,
        hard: true,
      }),
    ];
    expect(checkBudgets(entries, request()).budgets.map((b) => b.id)).toEqual(['pay']);
    expect(checkBudgets(entries, request()).decision).toBe('deny');
    const carol = checkBudgets(entries, request({ personId: 'carol@acme.example', team: 'search' }));
    expect(carol).toMatchObject({
      decision: 'allow',
      reason: 'No budget covers this person, tool and model.',
    });
    const codex = checkBudgets(entries, request({ team: 'search', tool: 'codex', model: 'claude-opus-4-1' }));
    expect(codex.budgets.map((b) => [b.id, b.decision])).toEqual([
      ['codex', 'deny'],
      ['opus', 'warn'],
    ]);
    expect(checkBudgets(entries, request({ personId: 'bob@acme.example', team: 'search' })).decision).toBe(
      'deny',
    );
  });

  it('an allowance answers with the person’s own spend', () => {
    const allowance = entry({
      id: 'each',
      name: 'Per engineer',
      limit: 50,
      hard: true,
      perPerson: new Map([
        ['alice@acme.example', 55],
        ['bob@acme.example', 20],
      ]),
    });
    const alice = checkBudgets([allowance], request());
    expect(alice.decision).toBe('deny');
    expect(alice.budgets[0]).toMatchObject({ allowance: true, spent: 55, limit: 50 });
    expect(alice.budgets[0]!.percent).toBeCloseTo(110, 9);
    expect(alice.reason).toBe(
      "alice@acme.example's allowance in Per engineer is used up: $55 of $50 for April 2026; it is a hard limit.",
    );
    expect(checkBudgets([allowance], request({ personId: 'bob@acme.example' })).decision).toBe('allow');
    expect(checkBudgets([allowance], request({ personId: 'new@acme.example' })).budgets[0]!.spent).toBe(0);
  });

  it('the strictest budget decides; ties go to the fuller one', () => {
    const a = checkBudgets(
      [entry({ id: 'a', name: 'A', spent: 85 }), entry({ id: 'b', name: 'B', spent: 95 })],
      request(),
    );
    expect(a.decision).toBe('warn');
    expect(a.reason).toMatch(/^B has used 95 %/);
  });

  it('after the period ends the old spend no longer counts, and the answer says it is stale', () => {
    const a = checkBudgets(
      [entry({ spent: 150, hard: true })],
      request({ now: Date.parse('2026-05-01T00:00:00Z') }),
    );
    expect(a).toMatchObject({ decision: 'allow', stale: true });
    expect(a.budgets[0]!.spent).toBe(0);
  });
});
