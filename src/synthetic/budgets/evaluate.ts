/**
 * The forecast backtest (bench/eval-forecast.mjs): a ramping organisation's usage is written into
 * a real DuckDB ledger through the Store one week at a time; at the end of each week (and at the
 * end of the year's first month) the budget's status and forecast are computed from the ledger as
 * it then stands, and the alerts it raises go through a real AlertDispatcher to a local webhook
 * receiver that checks their signatures. The budget is sized so that it truly runs out on the
 * scenario's `exhaustOn`; the forecast's error is measured against that day.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertDispatcher, verifyAlertSignature } from '../../alerts/index.js';
import { datesBetween, startOfLocalDay, weekdayOf } from '../../analyses/budgets/calendar.js';
import { budgetEvents } from '../../analyses/budgets/events.js';
import { type Budget, parseBudget } from '../../analyses/budgets/schema.js';
import { budgetStatus } from '../../analyses/budgets/status.js';
import { addDays } from '../../analyses/reports/dates.js';
import { createPeopleDirectory } from '../../ledger/people/directory.js';
import type { UsageRecord } from '../../ledger/records.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import {
  agenticShareAt,
  calibratedBudget,
  dayRecords,
  historyStart,
  type RampScenario,
  rampPeople,
} from './ramp-org.js';

export interface ReplayPoint {
  /** The last day of data the forecast saw. */
  asOf: string;
  endOfFirstMonth: boolean;
  spent: number;
  percent: number;
  method: string;
  agenticShare: number | null;
  trueAgenticShare: number;
  exhaustsOn: string | null;
  early: string | null;
  late: string | null;
  /** Predicted minus true exhaustion day (positive: predicted too late); null when none predicted. */
  errorDays: number | null;
  /** The true day lies within the 80 % range. */
  covered: boolean;
  probability: number;
  /** Alerts fired at this point (keys), and the projected-overrun message if one fired. */
  fired: string[];
  overrunMessage: string | null;
}

export interface ScenarioResult {
  scenario: RampScenario;
  budget: Budget;
  truth: string;
  records: number;
  points: ReplayPoint[];
  /** The forecast as the first month closed (the acceptance point). */
  firstMonth: ReplayPoint;
  /** The first replay point whose alerts included the projected overrun. */
  overrunAlert: { asOf: string; message: string; delivered: boolean } | null;
  webhookDeliveries: number;
  badSignatures: number;
  ms: { write: number; forecast: number };
}

const DAY_MS = 86_400_000;
const SECRET = 'eval-forecast-webhook-secret';

function dayDiff(a: string, b: string): number {
  return Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

/** Last day of the fiscal year's first month. */
function firstMonthEnd(yearStart: string): string {
  const d = new Date(`${yearStart}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return addDays(d.toISOString().slice(0, 10), -1);
}

interface Receiver {
  url: string;
  deliveries: { key: string; kind: string; message: string; signed: boolean }[];
  close(): Promise<void>;
}

/** A local webhook receiver that verifies each alert's HMAC signature against the replay clock. */
async function startReceiver(clock: () => number): Promise<Receiver> {
  const deliveries: Receiver['deliveries'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const event = JSON.parse(body) as { key: string; kind: string; message: string };
      const signed = verifyAlertSignature({
        body,
        timestamp: req.headers['x-tokenyield-timestamp'] as string | undefined,
        signature: req.headers['x-tokenyield-signature'] as string | undefined,
        secret: SECRET,
        nowSeconds: Math.floor(clock() / 1000),
      });
      deliveries.push({ key: event.key, kind: event.kind, message: event.message, signed });
      res.writeHead(signed ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function evaluateScenario(
  s: RampScenario,
  options: { draws?: number; onPoint?: (p: ReplayPoint) => void } = {},
): Promise<ScenarioResult> {
  const { people, teams } = rampPeople(s);
  const directory = createPeopleDirectory(people, teams);
  const amount = calibratedBudget(s);
  const budget = parseBudget({
    id: 'org-annual',
    name: 'The organisation',
    scope: { kind: 'org' },
    period: 'year',
    fiscalYearStart: Number(s.yearStart.slice(5, 7)),
    timeZone: 'UTC',
    unit: 'usd',
    amount: Math.round(amount),
  });
  const truth = s.exhaustOn;
  const monthEnd = firstMonthEnd(s.yearStart);
  const dir = mkdtempSync(join(tmpdir(), 'ty-eval-forecast-'));
  const store = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });
  let clock = Date.parse(`${s.yearStart}T00:00:00Z`);
  const receiver = await startReceiver(() => clock);
  const dispatcher = createAlertDispatcher({
    store,
    channels: [{ type: 'webhook', name: 'eval-receiver', url: receiver.url, secret: SECRET }],
    now: () => clock,
  });
  const ms = { write: 0, forecast: 0 };
  let records = 0;
  const write = async (dates: string[]) => {
    const started = performance.now();
    let batch: UsageRecord[] = [];
    for (const date of dates) {
      batch.push(...dayRecords(s, date));
      if (batch.length >= 50_000) {
        await store.write({ usage: batch, activity: [], checkpoints: [] });
        records += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await store.write({ usage: batch, activity: [], checkpoints: [] });
    records += batch.length;
    ms.write += performance.now() - started;
  };

  const points: ReplayPoint[] = [];
  let overrunAlert: ScenarioResult['overrunAlert'] = null;
  try {
    await write(datesBetween(historyStart(s), s.yearStart));
    const last = addDays(truth, 7);
    let pending: string[] = [];
    for (const date of datesBetween(s.yearStart, addDays(last, 1))) {
      pending.push(date);
      const weekEnd = weekdayOf(date) === 6;
      const monthClose = date === monthEnd;
      if (!weekEnd && !monthClose) continue;
      await write(pending);
      pending = [];
      // The end of the day: everything up to `date` is in, nothing after it.
      clock = startOfLocalDay(addDays(date, 1), 'UTC') - 1;
      const started = performance.now();
      const status = await budgetStatus(store, directory, { budget, source: 'config' }, clock, {
        forecast: true,
        draws: options.draws,
      });
      ms.forecast += performance.now() - started;
      const events = budgetEvents(status, clock);
      const { fired } = await dispatcher.fire(events, { awaitDelivery: true });
      const f = status.forecast!;
      const overrun = events.find((e) => e.kind === 'projected_overrun' && fired.includes(e.key));
      const point: ReplayPoint = {
        asOf: date,
        endOfFirstMonth: monthClose,
        spent: status.spent,
        percent: status.percent,
        method: f.method,
        agenticShare: f.adoption?.agenticShare ?? null,
        trueAgenticShare: agenticShareAt(s, date),
        exhaustsOn: f.exhaustsOn,
        early: f.exhaustsRange.early,
        late: f.exhaustsRange.late,
        errorDays: f.exhaustsOn ? dayDiff(f.exhaustsOn, truth) : null,
        covered:
          f.exhaustsRange.early !== null &&
          f.exhaustsRange.early <= truth &&
          (f.exhaustsRange.late === null || f.exhaustsRange.late >= truth),
        probability: f.exhaustionProbability,
        fired,
        overrunMessage: overrun?.message ?? null,
      };
      if (overrun && !overrunAlert) {
        const delivered = receiver.deliveries.some((d) => d.key === overrun.key && d.signed);
        overrunAlert = { asOf: date, message: overrun.message, delivered };
      }
      points.push(point);
      options.onPoint?.(point);
      if (date > truth && status.percent >= 100) break;
    }
  } finally {
    await dispatcher.close();
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    scenario: s,
    budget,
    truth,
    records,
    points,
    firstMonth: points.find((p) => p.endOfFirstMonth)!,
    overrunAlert,
    webhookDeliveries: receiver.deliveries.length,
    badSignatures: receiver.deliveries.filter((d) => !d.signed).length,
    ms,
  };
}
