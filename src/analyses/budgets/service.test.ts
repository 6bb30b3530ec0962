import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpReceiver,
  type SmtpReceiver,
  startHttpReceiver,
  startSmtpReceiver,
} from '../../../test/support/alert-receivers.js';
import { type AlertChannelConfig, type AlertDispatcher, createAlertDispatcher } from '../../alerts/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import type { Store } from '../../ledger/store/store.js';
import { spend, testDirectory } from './fixtures.js';
import { type Budget, parseBudget } from './schema.js';
import { type BudgetService, createBudgetService } from './service.js';

const dir = testDirectory();
const root = mkdtempSync(join(tmpdir(), 'ty-budgets-'));
let http: HttpReceiver;
let smtp: SmtpReceiver;
let n = 0;

beforeAll(async () => {
  http = await startHttpReceiver();
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  await Promise.all([http.close(), smtp.close()]);
  rmSync(root, { recursive: true, force: true });
});

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

const CHANNELS: AlertChannelConfig[] = [
  { name: 'hook', type: 'webhook', url: 'placeholder', secret: 'budget-test-secret-0123456789' },
  {
    name: 'mail',
    type: 'email',
    host: '127.0.0.1',
    port: 0,
    requireTLS: false,
    from: 'alerts@acme.example',
    to: ['finance@acme.example'],
  },
];

const ORG_MONTHLY: Budget = parseBudget({
  id: 'org-monthly',
  scope: { kind: 'org' },
  period: 'month',
  amount: 100,
});

interface Setup {
  store: Store;
  service: BudgetService;
  dispatcher: AlertDispatcher;
  clock: { now: number };
}

/** A service on a ledger file (reopened for a restart), with a real dispatcher to both receivers. */
async function setup(path: string, clock: { now: number }, config: Budget[] = [ORG_MONTHLY]): Promise<Setup> {
  const store = await openDuckDbStore({ path });
  const channels = CHANNELS.map((c) =>
    c.type === 'webhook' ? { ...c, url: `${http.url}/hook` } : { ...c, port: smtp.port },
  ) as AlertChannelConfig[];
  const dispatcher = createAlertDispatcher({ store, channels, now: () => clock.now });
  const service = createBudgetService({
    store,
    directory: () => dir,
    config,
    dispatcher,
    now: () => clock.now,
    tickMs: 0,
    draws: 50,
  });
  opened.push(store, dispatcher, service);
  return { store, service, dispatcher, clock };
}

async function write(store: Store, records: Parameters<typeof spend>[]): Promise<void> {
  await store.write({ usage: records.map((r) => spend(...r)), activity: [], checkpoints: [] });
}

async function closeAll(): Promise<void> {
  for (const item of opened.splice(0).reverse()) await item.close();
}

describe('budget service', () => {
  it('fires each threshold once per period, to the webhook and by e-mail, across restarts', async () => {
    const path = join(root, `ledger-${++n}.duckdb`);
    const clock = { now: Date.parse('2026-03-03T12:00:00Z') };
    let s = await setup(path, clock);
    const hooks = http.requests.length;
    const mails = smtp.messages.length;
    const keys = () => http.requests.slice(hooks).map((r) => JSON.parse(r.body).key as string);

    await write(s.store, [['alice@acme.example', '2026-03-03T10:00:00Z', 55]]);
    await s.service.refresh();
    await s.dispatcher.idle();
    expect(keys()).toEqual(['org-monthly:2026-03-01:threshold:50']);
    const [first] = http.requests.slice(hooks);
    expect(JSON.parse(first!.body).message).toBe('The organisation has used 50 % of its $100 March budget.');

    // Recomputing raises nothing new.
    await s.service.refresh();
    await s.service.refresh();
    await s.dispatcher.idle();
    expect(keys()).toHaveLength(1);

    await write(s.store, [['bob@acme.example', '2026-03-04T10:00:00Z', 30]]);
    clock.now = Date.parse('2026-03-04T12:00:00Z');
    await s.service.refresh();
    await s.dispatcher.idle();
    expect(keys()).toEqual(['org-monthly:2026-03-01:threshold:50', 'org-monthly:2026-03-01:threshold:80']);

    // A restarted server on the same ledger knows what was sent.
    await closeAll();
    s = await setup(path, clock);
    await s.service.refresh();
    await s.dispatcher.idle();
    expect(keys()).toHaveLength(2);

    // A new period: its thresholds fire again, once.
    clock.now = Date.parse('2026-04-02T12:00:00Z');
    await write(s.store, [['alice@acme.example', '2026-04-02T10:00:00Z', 60]]);
    await s.service.refresh();
    await s.service.refresh();
    await s.dispatcher.idle();
    expect(keys()).toEqual([
      'org-monthly:2026-03-01:threshold:50',
      'org-monthly:2026-03-01:threshold:80',
      'org-monthly:2026-04-01:threshold:50',
    ]);
    await smtp.waitForMessages(mails + 3);
    expect(smtp.messages.length - mails).toBe(3);
    const history = await s.service.alerts('org-monthly');
    expect(history.map((h) => h.event.key)).toEqual(keys().slice().reverse());
    expect(history[0]!.deliveries.map((d) => [d.channel, d.status])).toEqual([
      ['hook', 'delivered'],
      ['mail', 'delivered'],
    ]);
  });

  it('answers the budget check from memory and refreshes it after writes', async () => {
    const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
    const hard = parseBudget({
      id: 'payments-hard',
      scope: { kind: 'team', id: 'payments' },
      period: 'month',
      amount: 50,
      hard: true,
    });
    const each = parseBudget({
      id: 'each',
      scope: { kind: 'org' },
      period: 'month',
      unit: 'usd',
      amount: 30,
      perPerson: true,
    });
    const s = await setup(join(root, `ledger-${++n}.duckdb`), clock, [hard, each]);
    await s.service.ready();
    expect(s.service.check({ person: 'alice-gh', tool: 'claude-code' })).toMatchObject({
      decision: 'allow',
      person: 'alice@acme.example',
      team: 'payments',
    });

    await write(s.store, [['bob@acme.example', '2026-03-10T10:00:00Z', 45]]);
    s.service.invalidate();
    await s.service.settled();
    const bob = s.service.check({ person: 'bob@acme.example' });
    expect(bob.decision).toBe('warn');
    expect(bob.reason).toBe(
      "bob@acme.example's allowance in The organisation per person is over its limit: $45 of $30 for March 2026 (150 %).",
    );
    expect(s.service.check({ person: 'alice@acme.example' }).reason).toBe(
      'Payments has used 90 %, past its 80 % threshold ($45 of $50 for March 2026).',
    );

    await write(s.store, [['alice@acme.example', '2026-03-10T11:00:00Z', 6]]);
    s.service.invalidate();
    await s.service.settled();
    expect(s.service.check({ person: 'alice@acme.example' })).toMatchObject({
      decision: 'deny',
      reason: 'Payments is used up: $51 of $50 for March 2026; it is a hard limit.',
    });
    // Carol is in another team: only her (empty) allowance applies.
    expect(s.service.check({ person: 'carol@acme.example' }).decision).toBe('allow');
  });

  it('stops a refresh in flight when closed, between budgets, keeping nothing from it', async () => {
    const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
    const budgets = ['a', 'b', 'c', 'd'].map((id) =>
      parseBudget({ id, scope: { kind: 'org' }, period: 'month', amount: 100 }),
    );
    const s = await setup(join(root, `ledger-${++n}.duckdb`), clock, budgets);
    await write(s.store, [['alice@acme.example', '2026-03-10T10:00:00Z', 95]]);
    // The ledger reads of one whole refresh, counted on a service that runs to the end.
    let reads = 0;
    let onRead = () => {};
    const counted = new Proxy(s.store, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads++;
          onRead();
          return value.apply(target, args);
        };
      },
    });
    const serviceOn = (store: Store, dispatcher?: AlertDispatcher) =>
      createBudgetService({
        store,
        directory: () => dir,
        config: budgets,
        dispatcher,
        now: () => clock.now,
        tickMs: 0,
        draws: 50,
      });
    const whole = serviceOn(counted);
    await whole.ready();
    await whole.close();
    const perRefresh = reads;
    expect(perRefresh).toBeGreaterThanOrEqual(budgets.length);

    // Closed at its first read, a refresh ends after the budget it is computing.
    reads = 0;
    let closing: Promise<void> | undefined;
    const service = serviceOn(counted, s.dispatcher);
    onRead = () => {
      closing ??= service.close();
    };
    await service.ready();
    await closing;
    expect(reads).toBeLessThan(perRefresh / 2);
    expect(() => service.check({ person: 'alice@acme.example' })).toThrow('not computed yet');
    // Nothing was fired from it: the next refresh fires the thresholds crossed, once.
    await s.dispatcher.idle();
    expect(await s.service.alerts('a')).toEqual([]);
    await s.service.refresh();
    await s.dispatcher.idle();
    const fired = await s.service.alerts('a');
    expect(fired.map((h) => h.event.key).sort()).toEqual([
      'a:2026-03-01:threshold:50',
      'a:2026-03-01:threshold:80',
    ]);
  });

  it('keeps API budgets in the ledger; the config file wins for its ids', async () => {
    const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
    const path = join(root, `ledger-${++n}.duckdb`);
    let s = await setup(path, clock);
    const def = await s.service.set(
      { id: 'search', scope: { kind: 'team', id: 'search' }, period: 'quarter', amount: 1000 },
      'admin-token',
    );
    expect(def).toMatchObject({
      source: 'api',
      updatedBy: 'admin-token',
      budget: { thresholds: [50, 80, 100] },
    });
    await expect(s.service.set({ ...ORG_MONTHLY, amount: 5 }, 'admin-token')).rejects.toThrow(/config file/);
    await expect(s.service.set({ id: 'Bad Id', scope: { kind: 'org' } }, 'x')).rejects.toThrow(
      /id: lower-case.*period: .*amount: /,
    );
    expect((await s.service.statuses()).map((x) => [x.id, x.source])).toEqual([
      ['org-monthly', 'config'],
      ['search', 'api'],
    ]);
    await closeAll();
    s = await setup(path, clock);
    expect((await s.service.definitions()).map((d) => d.budget.id)).toEqual(['org-monthly', 'search']);
    await s.service.remove('search', 'admin-token');
    await expect(s.service.remove('search', 'admin-token')).rejects.toThrow(/No budget "search"/);
    await expect(s.service.remove('org-monthly', 'admin-token')).rejects.toThrow(/config file/);
    expect((await s.service.statuses()).map((x) => x.id)).toEqual(['org-monthly']);
    // A stored value another version wrote and this one cannot read is listed, not lost.
    await s.store.setMeta('budget:odd', '{"budget":{"id":"odd"}}');
    expect(await s.service.invalidStored()).toEqual([
      { key: 'budget:odd', error: expect.stringMatching(/^stored budget:odd is invalid/) },
    ]);
  });
});
