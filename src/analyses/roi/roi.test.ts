import { describe, expect, it } from 'vitest';
import { parseBudget } from '../budgets/schema.js';
import { DAY, sessionScenario, T0 } from '../value/fixtures.js';
import { buildValueModel } from '../value/model.js';
import { valueSummary } from '../value/summary.js';
import { ALL_TIME } from '../value/time.js';
import type { BudgetFacts } from './budgets.js';
import { roiReport } from './roi.js';

// Every number below is derived by hand from the story in value/fixtures.ts (`sessionScenario`).
// Week 0 (T0 = Mon 2026-03-02): sessions sA1 $10 durable, sA2 $4 never committed, sA3 $1 no edits,
// sB1 $3 not counted (trivial PR), sB2 $5 not durable (reverted); PR 1 qualifies; d1 credits alice 1 ND.
// Week 1: sA4 $2 in review, sC1 $0.5 no edits; PR 4 qualifies; d2 credits carol 1 ND.
const TWO_WEEKS = { from: T0, until: T0 + 14 * DAY };

describe('roiReport', () => {
  const { model, input, people } = sessionScenario();

  it('puts spend beside outcomes per week, with cost per outcome and waste by cause', () => {
    const r = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      minGroupSize: 1,
    });
    expect(r.from).toBe('2026-03-02');
    expect(r.until).toBe('2026-03-16');
    expect(r.periods.map((p) => [p.start, p.partial])).toEqual([
      ['2026-03-02', false],
      ['2026-03-09', false],
    ]);
    const [w0, w1] = r.periods;
    expect(w0).toMatchObject({
      spendUsd: 23,
      sessions: 5,
      attempted: 4, // sA3 edited nothing and committed nothing
      agentWorkUnits: 1,
      durableChanges: 1,
      nd: 1,
      costPerNd: 23,
      costPerAgentWorkUnit: 23,
      costPerDurableChange: 23,
      lowData: ['nd', 'agentWorkUnits', 'durableChanges'],
    });
    expect(w0!.waste).toEqual({
      usd: 13,
      share: 13 / 23,
      byCause: { no_edits: 1, never_committed: 4, not_shipped: 0, not_durable: 5, not_counted: 3 },
      pendingUsd: 0,
    });
    expect(w1).toMatchObject({ spendUsd: 2.5, agentWorkUnits: 0, nd: 1, durableChanges: 1, costPerNd: 2.5 });
    // No agent work unit in week 1: a cost per nothing is unknown, not infinite.
    expect(w1!.costPerAgentWorkUnit).toBeNull();
    expect(w1!.waste).toMatchObject({ usd: 0.5, share: 0.2, pendingUsd: 2 });
    expect(r.totals).toMatchObject({
      spendUsd: 25.5,
      nd: 2,
      durableChanges: 2,
      agentWorkUnits: 1,
      costPerNd: 12.75,
    });
    expect(r.totals.waste.usd).toBe(13.5);
    // Two weeks with one outcome each: no trend to state.
    expect(r.trend.costPerNd).toMatchObject({ direction: null, periods: 0 });
  });

  it('sums to the value metrics of the same scope and window', () => {
    for (const [scope, valueScope] of [
      [{ kind: 'org' }, { kind: 'org' }],
      [
        { kind: 'teams', teams: ['core'] },
        { kind: 'team', team: 'core' },
      ],
      [
        { kind: 'person', personId: 'carol' },
        { kind: 'person', personId: 'carol' },
      ],
    ] as const) {
      const r = roiReport(model, { window: ALL_TIME, period: 'month', scope, minGroupSize: 1 });
      const v = valueSummary(model, valueScope, ALL_TIME);
      expect(r.totals.spendUsd).toBeCloseTo(v.spend.costUsd, 9);
      expect(r.totals.nd).toBeCloseTo(v.nd.nd, 9);
      expect(r.totals.durableChanges).toBe(v.shipped.qualifying);
      expect(r.totals.shipped).toBe(v.shipped.shipped);
      expect(r.totals.agentWorkUnits).toBe(v.agentWork.units);
      expect(r.totals.waste.usd).toBeCloseTo(v.waste.costUsd, 9);
      expect(r.periods.reduce((s, p) => s + p.spendUsd, 0)).toBeCloseTo(v.spend.costUsd, 9);
    }
  });

  it('stops open ends at the data, and marks the cut periods partial', () => {
    const r = roiReport(model, { window: ALL_TIME, period: 'week', scope: { kind: 'org' }, minGroupSize: 1 });
    // First data: sA1 at T0 + 1 h (its whole day, a Monday, is in); last: sA4 ends at T0 + 9 d + 2 h.
    expect(r.from).toBe('2026-03-02');
    expect(r.until).toBe('2026-03-12');
    expect(r.periods.map((p) => p.partial)).toEqual([false, true]);
  });

  it('reads a team through its members and withholds teams under the minimum group size', () => {
    const core = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'teams', teams: ['core'] },
      minGroupSize: 2,
    });
    // alice and bob: $23 + alice's $2 in week 1; carol's ND is not theirs.
    expect(core.totals).toMatchObject({ spendUsd: 25, nd: 1, durableChanges: 1 });
    const org = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      minGroupSize: 2,
    });
    expect(org.teams).toEqual([
      expect.objectContaining({ team: 'core', suppressed: false }),
      { team: 'web', suppressed: true, numbers: null },
    ]);
    expect(org.teams[0]!.numbers).toMatchObject({ contributors: 2, spendUsd: 25 });
    expect(org.notes.join(' ')).toContain('fewer than 2 contributors');
    const carol = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'person', personId: 'carol' },
      minGroupSize: 5,
    });
    // A person's own report lists no teams and withholds nothing.
    expect(carol.teams).toEqual([]);
    expect(carol.totals).toMatchObject({ spendUsd: 0.5, nd: 1, durableChanges: 1, costPerNd: 0.5 });
  });

  it('keeps a tool filter to sessions: ND, changes and flags are not split by tool', () => {
    const sessions = input.sessions.map((s) =>
      s.sessionId === 'sB2' ? { ...s, tool: 'codex' as const } : s,
    );
    const m = buildValueModel({ ...input, sessions }, people);
    const r = roiReport(m, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      tools: ['codex'],
      flags: [{ status: 'open', wastedUsd: 9, spendUsd: 20, window: TWO_WEEKS }],
      minGroupSize: 1,
    });
    expect(r.totals).toMatchObject({
      spendUsd: 5,
      sessions: 1,
      agentWorkUnits: 0,
      nd: null,
      durableChanges: null,
      costPerNd: null,
    });
    expect(r.totals.waste.byCause.not_durable).toBe(5);
    expect(r.flagged).toBeNull();
    expect(r.notes[0]).toContain('not split by tool');
  });

  it('states a trend only over whole periods with enough outcomes', () => {
    const r = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      minGroupSize: 1,
      minOutcomes: 1,
    });
    expect(r.periods.map((p) => p.lowData)).toEqual([[], []]);
    expect(r.trend.costPerNd).toMatchObject({ direction: null, periods: 2 });
    expect(r.trend.costPerNd.reason).toContain('needs 3');
  });

  it('adds up flagged waste without dismissed flags', () => {
    const w = (from: number) => ({ from, until: from + 56 * DAY });
    const r = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      minGroupSize: 1,
      flags: [
        { status: 'open', wastedUsd: 4, spendUsd: 10, window: w(T0) },
        { status: 'confirmed', wastedUsd: 3, spendUsd: 6, window: w(T0) },
        { status: 'dismissed', wastedUsd: 100, spendUsd: 200, window: w(T0 - 56 * DAY) },
      ],
    });
    expect(r.flagged).toEqual({
      flags: { open: 1, confirmed: 1, dismissed: 1 },
      wastedUsd: 7,
      confirmedUsd: 3,
      flaggedSpendUsd: 16,
      from: '2026-01-05',
      until: '2026-04-27',
    });
  });

  it('compares the outcomes of a budget’s period so far with its dollars', () => {
    const budget = (over: Record<string, unknown>, period = TWO_WEEKS): BudgetFacts => ({
      id: String(over.id),
      name: String(over.id),
      budget: parseBudget({ period: 'month', amount: 100, ...over }),
      // The status was computed 7 days into a 14-day period: week 0's numbers.
      period: {
        kind: 'month',
        start: '2026-03-02',
        end: '2026-03-16',
        startTs: period.from,
        endTs: period.until,
        timeZone: 'UTC',
        label: 'test',
        days: 14,
      },
      spent: 23,
      limit: { base: 100, carried: 0, total: 100 },
      computedAt: T0 + 7 * DAY - 1,
    });
    const budgets = [
      budget({ id: 'org-usd', scope: { kind: 'org' } }),
      budget({ id: 'org-tokens', scope: { kind: 'org' }, unit: 'tokens' }),
      budget({ id: 'core', scope: { kind: 'team', id: 'core' } }),
    ];
    const org = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'org' },
      minGroupSize: 1,
      budgets,
    });
    expect(org.budgets.map((b) => b.id)).toEqual(['org-tokens', 'org-usd']);
    expect(org.budgets[1]).toMatchObject({
      spent: 23,
      limit: 100,
      used: 0.23,
      outcomes: { nd: 1, agentWorkUnits: 1, durableChanges: 1 },
      ndPerThousandLimit: 10,
      note: null,
    });
    expect(org.budgets[1]!.elapsed).toBeCloseTo(0.5, 6);
    expect(org.budgets[1]!.ndPerThousandSpent).toBeCloseTo(1000 / 23, 9);
    expect(org.budgets[0]).toMatchObject({ outcomes: null, ndPerThousandSpent: null });
    expect(org.budgets[0]!.note).toContain('tokens');
    const core = roiReport(model, {
      window: TWO_WEEKS,
      period: 'week',
      scope: { kind: 'teams', teams: ['core'] },
      minGroupSize: 1,
      budgets,
    });
    expect(core.budgets.map((b) => b.id)).toEqual(['core']);
  });

  it('has nothing to report on a model without data', () => {
    const empty = buildValueModel(
      { commits: [], pullRequests: [], deployments: [], incidents: [], sessions: [] },
      people,
    );
    const r = roiReport(empty, {
      window: ALL_TIME,
      period: 'month',
      scope: { kind: 'org' },
      minGroupSize: 5,
    });
    expect(r).toMatchObject({ from: null, until: null, periods: [], teams: [] });
    expect(r.totals).toMatchObject({ spendUsd: 0, nd: 0, costPerNd: null });
  });
});
