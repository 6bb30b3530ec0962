import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../ledger/store/store.js';
import { periodAt } from './calendar.js';
import { definition, ledgerWith, spend, testDirectory } from './fixtures.js';
import type { BudgetInput } from './schema.js';
import { budgetStatus } from './status.js';
import { whatIfCap } from './what-if.js';

const dir = testDirectory();
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const monthly = (extra: Partial<BudgetInput> = {}): BudgetInput => ({
  id: 'org-monthly',
  scope: { kind: 'org' },
  period: 'month',
  amount: 100,
  ...extra,
});

async function statusAt(input: BudgetInput, iso: string, forecast = false) {
  return budgetStatus(store!, dir, definition(input), Date.parse(iso), { forecast, draws: 50 });
}

describe('budget status', () => {
  it('counts each call in the period of its local date in the budget’s zone', async () => {
    store = await ledgerWith([
      // 23:30 on 31 March in New York, already 1 April in UTC.
      spend('alice@acme.example', '2026-04-01T03:30:00Z', 7),
      spend('alice@acme.example', '2026-04-01T04:30:00Z', 11),
    ]);
    const ny = await statusAt(monthly({ timeZone: 'America/New_York' }), '2026-04-01T12:00:00Z');
    expect(ny.period).toMatchObject({ start: '2026-04-01', end: '2026-05-01', timeZone: 'America/New_York' });
    expect(ny.spent).toBe(11);
    const march = await statusAt(monthly({ timeZone: 'America/New_York' }), '2026-04-01T03:59:00Z');
    expect(march.period.start).toBe('2026-03-01');
    expect(march.spent).toBe(7);
    const utc = await statusAt(monthly(), '2026-04-01T12:00:00Z');
    expect(utc.spent).toBe(18);
  });

  it('a leap day belongs to February, the next day to March', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2024-02-29T23:59:00Z', 5),
      spend('alice@acme.example', '2024-03-01T00:00:00Z', 3),
    ]);
    const feb = await statusAt(monthly(), '2024-02-29T23:59:30Z');
    expect(feb.period).toMatchObject({ start: '2024-02-01', end: '2024-03-01', days: 29 });
    expect(feb.spent).toBe(5);
    expect((await statusAt(monthly(), '2024-03-01T00:00:00Z')).spent).toBe(3);
  });

  it('marks the day each threshold was crossed and the state it leaves', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2026-03-02T10:00:00Z', 30),
      spend('bob@acme.example', '2026-03-05T10:00:00Z', 30),
      spend('carol@acme.example', '2026-03-09T10:00:00Z', 30),
    ]);
    const s = await statusAt(monthly(), '2026-03-10T12:00:00Z');
    expect(s.spent).toBe(90);
    expect(s.percent).toBe(90);
    expect(s.state).toBe('warning');
    expect(s.thresholds).toEqual([
      { percent: 50, amount: 50, crossedOn: '2026-03-05' },
      { percent: 80, amount: 80, crossedOn: '2026-03-09' },
      { percent: 100, amount: 100, crossedOn: null },
    ]);
    expect(s.days.at(-1)).toEqual({ date: '2026-03-10', amount: 0, cumulative: 90 });
  });

  it('rolls over what the previous period left, up to the cap', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2026-02-10T10:00:00Z', 70),
      spend('alice@acme.example', '2026-03-03T10:00:00Z', 10),
    ]);
    const capped = await statusAt(monthly({ rollover: { cap: 20 } }), '2026-03-10T12:00:00Z');
    expect(capped.limit).toEqual({ base: 100, carried: 20, total: 120 });
    expect(capped.previous).toEqual({ start: '2026-02-01', end: '2026-03-01', spent: 70 });
    expect(capped.remaining).toBe(110);
    const wide = await statusAt(monthly({ rollover: { cap: 50 } }), '2026-03-10T12:00:00Z');
    expect(wide.limit.carried).toBe(30);
    // Only February's own amount carries: January's unused 100 does not pile up.
    const none = await statusAt(monthly({ rollover: { cap: 50 } }), '2026-02-20T12:00:00Z');
    expect(none.limit.carried).toBe(50);
    expect(none.previous?.spent).toBe(0);
  });

  it('an overspent previous period carries nothing', async () => {
    store = await ledgerWith([spend('alice@acme.example', '2026-02-10T10:00:00Z', 130)]);
    const s = await statusAt(monthly({ rollover: { cap: 20 } }), '2026-03-10T12:00:00Z');
    expect(s.limit).toEqual({ base: 100, carried: 0, total: 100 });
  });

  it('counts tokens and credits in their own units', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2026-03-02T10:00:00Z', 1, { output: 900 }),
      spend('bob@acme.example', '2026-03-02T11:00:00Z', 0, { tool: 'codex', credits: 12.5 }),
    ]);
    const tokens = await statusAt(monthly({ unit: 'tokens', amount: 10_000 }), '2026-03-10T12:00:00Z');
    expect(tokens.spent).toBe(100 + 900 + 100 + 50);
    const credits = await statusAt(
      monthly({ unit: 'credits', amount: 50, scope: { kind: 'tool', id: 'codex' } }),
      '2026-03-10T12:00:00Z',
    );
    expect(credits.spent).toBe(12.5);
    expect(credits.percent).toBe(25);
  });

  it('a team counts its members only while they were members', async () => {
    store = await ledgerWith([
      spend('dave@acme.example', '2026-03-10T10:00:00Z', 40),
      spend('dave@acme.example', '2026-03-20T10:00:00Z', 25),
      spend('erin@acme.example', '2026-03-20T10:00:00Z', 99),
    ]);
    const payments = await statusAt(
      monthly({ scope: { kind: 'team', id: 'payments' } }),
      '2026-03-25T12:00:00Z',
    );
    const search = await statusAt(monthly({ scope: { kind: 'team', id: 'search' } }), '2026-03-25T12:00:00Z');
    expect(payments.spent).toBe(40);
    expect(search.spent).toBe(25);
    const ghost = await statusAt(monthly({ scope: { kind: 'team', id: 'nobody' } }), '2026-03-25T12:00:00Z');
    expect(ghost.spent).toBe(0);
    expect(ghost.warnings.join(' ')).toMatch(/no team "nobody"/);
  });

  it('a person budget accepts any alias of the person', async () => {
    store = await ledgerWith([spend('bob@acme.example', '2026-03-02T10:00:00Z', 12)]);
    const s = await statusAt(monthly({ scope: { kind: 'person', id: 'bob-gh' } }), '2026-03-10T12:00:00Z');
    expect(s.spent).toBe(12);
  });

  it('a per-person allowance gives every person their own limit', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2026-03-02T10:00:00Z', 45),
      spend('alice@acme.example', '2026-03-04T10:00:00Z', 15),
      spend('bob@acme.example', '2026-03-02T10:00:00Z', 10),
      spend('carol@acme.example', '2026-03-02T10:00:00Z', 500),
    ]);
    const s = await statusAt(
      monthly({ id: 'payments-each', scope: { kind: 'team', id: 'payments' }, amount: 50, perPerson: true }),
      '2026-03-10T12:00:00Z',
    );
    expect(s.allowances).toEqual({
      amount: 50,
      people: 3, // alice, bob and dave are members
      pastThreshold: 1,
      over: 1,
      rows: [
        { personId: 'alice@acme.example', spent: 60, percent: 120 },
        { personId: 'bob@acme.example', spent: 10, percent: 20 },
      ],
    });
    expect(s.state).toBe('exceeded');
    expect(s.limit.total).toBe(150);
    expect(s.forecast).toBeNull();
  });

  it('forecasts the period from the days before, with the adoption of the scope', async () => {
    const records = [];
    for (let d = 1; d <= 37; d++) {
      const day = new Date(Date.UTC(2026, 1, d, 10)).toISOString(); // 1 February to 9 March
      records.push(spend('alice@acme.example', day, 10, { agentic: true }));
      records.push(spend('bob@acme.example', day, 2));
    }
    store = await ledgerWith(records);
    const s = await statusAt(monthly({ amount: 300 }), '2026-03-10T00:00:00Z', true);
    expect(s.spent).toBe(9 * 12);
    const f = s.forecast!;
    expect(f.burnRatePerDay).toBeCloseTo(12, 6);
    // 108 spent; 12 a day reaches 300 on the 16th day after 9 March: 25 March.
    expect(f.exhaustsOn).toBe('2026-03-25');
    expect(f.projected.mid).toBeCloseTo(12 * 31, 6);
    // Two people, one agentic: too few to fit spend on adoption, so a (flat) trend.
    expect(f.method).toBe('trend');
  });
});

describe('what-if caps', () => {
  it('says what a per-person cap would have saved and whom it would have stopped, on which day', async () => {
    store = await ledgerWith([
      spend('alice@acme.example', '2026-02-02T10:00:00Z', 30),
      spend('alice@acme.example', '2026-02-05T10:00:00Z', 30),
      spend('bob@acme.example', '2026-02-03T10:00:00Z', 35),
      spend('carol@acme.example', '2026-02-03T10:00:00Z', 100),
      spend('carol@acme.example', '2026-02-09T10:00:00Z', 20),
    ]);
    const budget = definition(monthly()).budget;
    const period = periodAt('month', Date.parse('2026-02-10T00:00:00Z'), 'UTC');
    const r = await whatIfCap(store, dir, budget, 40, period, Date.parse('2026-03-10T00:00:00Z'));
    expect(r).toMatchObject({ people: 3, spent: 215, saved: 80 + 20, stopped: 2, through: '2026-02-28' });
    expect(r.savedShare).toBeCloseTo(100 / 215, 9);
    expect(r.rows).toEqual([
      { personId: 'carol@acme.example', spent: 120, excess: 80, stoppedOn: '2026-02-03' },
      { personId: 'alice@acme.example', spent: 60, excess: 20, stoppedOn: '2026-02-05' },
    ]);
    await expect(whatIfCap(store, dir, budget, 0, period, Date.now())).rejects.toThrow(/positive/);
  });
});
