/**
 * The demo's budgets tell the story their module promises when the real analyses judge them at
 * the demo's clock: all of them valid config, everything on track but the biggest-spending team,
 * whose quarter the forecast sees running out, and an allowance a few engineers are past.
 * @module
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoLedger, type DemoLedger } from '../../../test/support/demo-ledger.js';
import { projectsOverrun } from '../../analyses/budgets/events.js';
import { type BudgetInput, budgetsConfigSchema, parseBudget } from '../../analyses/budgets/schema.js';
import { type BudgetStatus, budgetStatus } from '../../analyses/budgets/status.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { demoBudgetClock, demoEnd } from '../../pipeline/demo.js';
import { demoBudgets } from './budgets.js';

/** Days the "spending most per day" of the module is judged over. */
const RECENT_DAYS = 28;

let demo: DemoLedger;
let inputs: BudgetInput[];
let statuses: BudgetStatus[];

beforeAll(async () => {
  // Long enough for the quarter to hold two weeks of spend, the least a projected overrun needs.
  demo = await buildDemoLedger({ seed: 11, engineers: 60, teams: 4, days: 70 });
  const store = await openDuckDbStore({ path: demo.path });
  try {
    inputs = await demoBudgets(store, demo.directory, demoEnd({}));
    const now = demoBudgetClock({});
    statuses = [];
    for (const input of inputs)
      statuses.push(
        await budgetStatus(store, demo.directory, { budget: parseBudget(input), source: 'config' }, now, {
          forecast: true,
        }),
      );
  } finally {
    await store.close();
  }
});

afterAll(() => {
  if (demo) rmSync(demo.dir, { recursive: true, force: true });
});

const byId = (id: string) => statuses.find((s) => s.id === id)!;
const recentRate = (s: BudgetStatus) => s.days.slice(-RECENT_DAYS).reduce((sum, d) => sum + d.amount, 0);

describe('demoBudgets', () => {
  it('writes a budgets section the config accepts, with spend in every budget', () => {
    expect(budgetsConfigSchema.safeParse(inputs).success).toBe(true);
    const shape = (s: BudgetStatus) =>
      `${s.budget.scope.kind}/${s.budget.period}${s.budget.perPerson ? '/each' : ''}`;
    expect(statuses.filter((s) => shape(s) === 'org/year')).toHaveLength(1);
    expect(statuses.filter((s) => shape(s) === 'org/month/each')).toHaveLength(1);
    expect(statuses.filter((s) => shape(s) === 'tool/quarter').length).toBeGreaterThan(0);
    expect(
      statuses.flatMap((s) => (s.budget.scope.kind === 'team' ? [s.budget.scope.id] : [])).sort(),
    ).toEqual(demo.directory.teams.map((t) => t.id).sort());
    for (const s of statuses) {
      expect(s.warnings, s.id).toEqual([]);
      expect(s.spent, s.id).toBeGreaterThan(0);
    }
  });

  it('judges the demo on its last day, two months into the quarter and five into the year', () => {
    for (const s of statuses) expect(s.today, s.id).toBe(demoEnd({}));
    expect(byId('org-annual').period).toMatchObject({ start: '2026-02-01', end: '2027-02-01' });
    for (const s of statuses.filter((s) => s.budget.period === 'quarter'))
      expect(s.period, s.id).toMatchObject({ start: '2026-05-01', end: '2026-08-01' });
  });

  it('keeps the organisation on track for its year', () => {
    const org = byId('org-annual');
    expect(org.state).toBe('ok');
    expect(org.forecast!.exhaustsOn).toBeNull();
    expect(org.forecast!.projected.mid).toBeLessThan(org.limit.total);
  });

  it('projects exactly the biggest-spending team to run out before its quarter ends', () => {
    const pooled = statuses.filter((s) => !s.budget.perPerson);
    const overrunning = pooled.filter((s) => s.forecast!.exhaustsOn !== null);
    const teams = pooled.filter((s) => s.budget.scope.kind === 'team');
    const biggest = teams.reduce((a, t) => (recentRate(t) > recentRate(a) ? t : a));
    expect(overrunning.map((s) => s.id)).toEqual([biggest.id]);
    const exhausts = biggest.forecast!.exhaustsOn!;
    expect(exhausts > biggest.today && exhausts < biggest.period.end, exhausts).toBe(true);
    expect(biggest.state).not.toBe('exceeded');
    // Firm enough for the alert the budgets page and its notifications raise.
    expect(projectsOverrun(biggest)).toBe(true);
    for (const s of pooled.filter((s) => s !== biggest)) expect(projectsOverrun(s), s.id).toBe(false);
  });

  it('has a per-engineer allowance that some, but not most, engineers are past', () => {
    const allowance = byId('engineer-monthly');
    expect(allowance.period).toMatchObject({ start: '2026-06-01', end: '2026-07-01' });
    const { over, rows } = allowance.allowances!;
    expect(over).toBeGreaterThan(0);
    expect(over).toBeLessThan(rows.length / 2);
  });
});
