/**
 * Budgets in a running server: the definitions (config file and API), every budget's status kept
 * in memory and recomputed after ledger commits, the alerts those statuses raise handed to the
 * dispatcher, and the budget check answered from memory. Forecasts, which read sessions for the
 * adoption trend, are recomputed at most every `forecastMaxAgeMs` (and when a day or a definition
 * changes); spend is recomputed on every refresh.
 * @module
 */
import type { AlertDispatcher, AlertRecord } from '../../alerts/index.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { SessionSummary } from '../../ledger/sessions.js';
import type { SessionQuery, Store } from '../../ledger/store/store.js';
import { localDate } from '../reports/dates.js';
import { periodAt, previousPeriod } from './calendar.js';
import { type CheckAnswer, type CheckEntry, checkBudgets } from './check.js';
import {
  BudgetNotFoundError,
  mergeDefinitions,
  readStoredBudgets,
  removeBudget,
  type StoredBudgets,
  saveBudget,
} from './definitions.js';
import { budgetEvents, projectsOverrun } from './events.js';
import type { Forecast } from './forecast.js';
import type { Budget, BudgetDefinition } from './schema.js';
import { resolvePersonId } from './scope.js';
import { type BudgetStatus, budgetStatus } from './status.js';
import { type WhatIfResult, whatIfCap } from './what-if.js';

export interface BudgetServiceOptions {
  store: Store;
  directory: () => PeopleDirectory;
  /** Budgets from the config file (they win over the API for the same id). */
  config: readonly Budget[];
  /** Where alerts go; without one, statuses are kept but nothing is raised. */
  dispatcher?: Pick<AlertDispatcher, 'fire' | 'history'>;
  now?: () => number;
  /** How old a forecast may get before it is recomputed (default 15 minutes). */
  forecastMaxAgeMs?: number;
  /**
   * Least time between two refreshes that commits trigger (default 2 s); never less than twice
   * the last refresh took, so that budgets use at most a third of the ledger's time under ingest.
   */
  minRefreshIntervalMs?: number;
  /** Refresh this often without commits too, so periods roll over on time (default 60 s; 0: never). */
  tickMs?: number;
  /** Simulations per forecast (default 400). */
  draws?: number;
  onError?: (err: Error) => void;
}

export interface CheckRequestInput {
  person?: string;
  tool?: string;
  model?: string;
}

export interface BudgetCheckResult extends CheckAnswer {
  person: string | null;
  team: string | null;
  tool: string | null;
  model: string | null;
  /** When the statuses the answer comes from were computed (epoch ms). */
  statusAt: number;
}

export interface BudgetService {
  definitions(): Promise<BudgetDefinition[]>;
  /** Stored definitions that no longer parse (kept, listed, unused). */
  invalidStored(): Promise<StoredBudgets['invalid']>;
  set(input: unknown, by: string): Promise<BudgetDefinition>;
  remove(id: string, by: string): Promise<void>;
  /** Every budget's status as of the last refresh (after the first refresh has finished). */
  statuses(): Promise<BudgetStatus[]>;
  status(id: string): Promise<BudgetStatus | undefined>;
  whatIf(id: string, cap: number, which: 'current' | 'previous'): Promise<WhatIfResult>;
  alerts(id: string): Promise<AlertRecord[]>;
  /** Answers from memory; the first refresh must have finished (`ready`). */
  check(req: CheckRequestInput): BudgetCheckResult;
  /** Resolves once the first statuses exist. */
  ready(): Promise<void>;
  /** Recomputes now (after any refresh in flight) and resolves when done. */
  refresh(): Promise<void>;
  /** Asks for a refresh soon (after a commit); refreshes are coalesced. */
  invalidate(): void;
  /** Resolves when no refresh is pending or running. */
  settled(): Promise<void>;
  /** Stops refreshing; a refresh in flight ends after the budget it is computing, and is dropped. */
  close(): Promise<void>;
}

interface Snapshot {
  at: number;
  statuses: Map<string, BudgetStatus>;
  entries: CheckEntry[];
}

/** One sessions read per refresh, shared by every budget's adoption series. */
function sharingSessions(store: Store): Store {
  const memo = new Map<string, Promise<SessionSummary[]>>();
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'sessions')
        return (query: SessionQuery) => {
          const key = JSON.stringify(query);
          let hit = memo.get(key);
          if (!hit) {
            hit = target.sessions(query);
            memo.set(key, hit);
          }
          return hit;
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function checkEntry(status: BudgetStatus, directory: PeopleDirectory): CheckEntry {
  const { budget } = status;
  const scope =
    budget.scope.kind === 'person'
      ? { kind: 'person' as const, id: resolvePersonId(directory, budget.scope.id) }
      : budget.scope;
  return {
    id: status.id,
    name: status.name,
    scope,
    unit: budget.unit,
    hard: budget.hard,
    thresholds: budget.thresholds,
    periodLabel: status.period.label,
    periodStartTs: status.period.startTs,
    periodEndTs: status.period.endTs,
    spent: status.spent,
    limit: budget.perPerson ? budget.amount : status.limit.total,
    perPerson: status.allowances ? new Map(status.allowances.rows.map((r) => [r.personId, r.spent])) : null,
    projectedExhaustion: projectsOverrun(status) ? status.forecast!.exhaustsOn : null,
  };
}

export function createBudgetService(options: BudgetServiceOptions): BudgetService {
  const { store, directory, config, dispatcher } = options;
  const now = options.now ?? Date.now;
  const forecastMaxAge = options.forecastMaxAgeMs ?? 15 * 60_000;
  const minInterval = options.minRefreshIntervalMs ?? 2_000;
  const onError =
    options.onError ?? ((err: Error) => process.stderr.write(`tokenyield budgets: ${err.message}\n`));

  let snapshot: Snapshot | undefined;
  let firstReady: Promise<void> | undefined;
  const forecasts = new Map<string, { key: string; at: number; today: string; forecast: Forecast | null }>();
  const fired = new Set<string>();
  let dirty = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastRun = 0;
  let lastDuration = 0;
  let closed = false;

  async function definitions(): Promise<BudgetDefinition[]> {
    return mergeDefinitions(config, (await readStoredBudgets(store)).definitions);
  }

  async function refreshOnce(): Promise<void> {
    const at = now();
    lastRun = at;
    const dir = directory();
    const reading = sharingSessions(store);
    const statuses = new Map<string, BudgetStatus>();
    const entries: CheckEntry[] = [];
    for (const def of await definitions()) {
      // A first refresh of a large organisation takes tens of seconds; a server told to stop does
      // not wait for it. Nothing is kept or fired from a refresh cut short: the next run redoes it.
      if (closed) return;
      const { budget } = def;
      try {
        const key = JSON.stringify(budget);
        const cached = forecasts.get(budget.id);
        const reuse =
          cached !== undefined &&
          cached.key === key &&
          at - cached.at < forecastMaxAge &&
          cached.today === localDate(at, budget.timeZone);
        const status = await budgetStatus(reading, dir, def, at, { forecast: !reuse, draws: options.draws });
        if (reuse) status.forecast = cached.forecast;
        else forecasts.set(budget.id, { key, at, today: status.today, forecast: status.forecast });
        statuses.set(budget.id, status);
        entries.push(checkEntry(status, dir));
      } catch (err) {
        onError(new Error(`budget "${budget.id}" not refreshed: ${(err as Error).message}`));
        const previous = snapshot?.statuses.get(budget.id);
        if (previous) {
          statuses.set(budget.id, previous);
          entries.push(checkEntry(previous, dir));
        }
      }
    }
    if (closed) return;
    snapshot = { at, statuses, entries };
    lastDuration = now() - at;
    if (!dispatcher) return;
    const events = [...statuses.values()]
      .flatMap((s) => budgetEvents(s, at))
      .filter((e) => !fired.has(e.key));
    if (events.length === 0) return;
    const result = await dispatcher.fire(events);
    for (const k of [...result.fired, ...result.skipped]) fired.add(k);
  }

  function pump(): Promise<void> {
    running ??= (async () => {
      try {
        while (dirty && !closed) {
          dirty = false;
          await refreshOnce();
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function refresh(): Promise<void> {
    dirty = true;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    // A refresh in flight may have read the ledger before the change: run once more after it.
    return (running ?? Promise.resolve()).then(() => pump());
  }

  function invalidate(): void {
    if (closed) return;
    dirty = true;
    if (timer) return;
    const wait = Math.max(0, lastRun + Math.max(minInterval, 2 * lastDuration) - now());
    timer = setTimeout(() => {
      timer = null;
      pump().catch((err: Error) => onError(err));
    }, wait);
    timer.unref();
  }

  function ready(): Promise<void> {
    if (snapshot) return Promise.resolve();
    firstReady ??= refresh().catch((err: Error) => {
      firstReady = undefined;
      throw err;
    });
    return firstReady;
  }

  const tick = (options.tickMs ?? 60_000) > 0 ? setInterval(invalidate, options.tickMs ?? 60_000) : null;
  tick?.unref();

  async function find(id: string): Promise<BudgetDefinition> {
    const def = (await definitions()).find((d) => d.budget.id === id);
    if (!def) throw new BudgetNotFoundError(`No budget "${id}".`);
    return def;
  }

  return {
    definitions,
    async invalidStored() {
      return (await readStoredBudgets(store)).invalid;
    },
    async set(input, by) {
      const def = await saveBudget(store, config, input, by, now());
      await refresh();
      return def;
    },
    async remove(id, by) {
      await removeBudget(store, config, id, by, now());
      forecasts.delete(id);
      await refresh();
    },
    async statuses() {
      await ready();
      return [...snapshot!.statuses.values()];
    },
    async status(id) {
      await ready();
      return snapshot!.statuses.get(id);
    },
    async whatIf(id, cap, which) {
      const { budget } = await find(id);
      const current = periodAt(budget.period, now(), budget.timeZone, budget.fiscalYearStart);
      const period = which === 'previous' ? previousPeriod(current, budget.fiscalYearStart) : current;
      return whatIfCap(store, directory(), budget, cap, period, now());
    },
    async alerts(id) {
      return dispatcher ? dispatcher.history({ budgetId: id }) : [];
    },
    check(req) {
      if (!snapshot) throw new Error('Budget statuses are not computed yet; await ready() first.');
      const at = now();
      const dir = directory();
      const personId = req.person ? resolvePersonId(dir, req.person) : null;
      const team = personId ? dir.teamAt(personId, at) : undefined;
      const answer = checkBudgets(snapshot.entries, {
        personId,
        team,
        tool: req.tool,
        model: req.model,
        now: at,
      });
      if (answer.stale) invalidate();
      return {
        ...answer,
        person: personId,
        team: team ?? null,
        tool: req.tool ?? null,
        model: req.model ?? null,
        statusAt: snapshot.at,
      };
    },
    ready,
    refresh,
    invalidate,
    async settled() {
      while (!closed && (timer || running || dirty)) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
        }
        await pump();
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (tick) clearInterval(tick);
      timer = null;
      await running;
    },
  };
}
