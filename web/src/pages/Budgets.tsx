/**
 * Budgets: every budget the caller may read with its spend, state and projected exhaustion; one
 * budget's burn-down (spend so far, forecast and its 80 % band, limit, thresholds), its burn rate
 * and adoption, allowances, a what-if cap, and the alerts it raised. Numbers are the API's.
 * @module
 */
import { useState } from 'react';
import { budgetAmount, burnDownChart } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Link } from '../components/Link.js';
import { Await, Empty } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { formatShare, formatTimestamp } from '../format.js';
import type { BudgetAlerts, BudgetList, BudgetStatus, BudgetWhatIf } from '../types.js';
import { useApi } from '../use-api.js';

type Listed = BudgetList['budgets'][number];

const STATE_LABEL: Record<string, string> = {
  ok: 'within budget',
  warning: 'past a threshold',
  exceeded: 'over',
};

function percent(p: number | undefined): string {
  return p === undefined ? '—' : `${p.toFixed(p < 10 ? 1 : 0)} %`;
}

/** Within the period, or not at all ("—"). */
function runsOut(b: Pick<Listed, 'period' | 'forecast'>): string | null {
  const on = b.forecast?.exhaustsOn;
  return on && on < b.period.end ? on : null;
}

const LIST_COLUMNS: Column<Listed>[] = [
  {
    key: 'name',
    header: 'Budget',
    value: (b) => b.name,
    render: (b) => <Link to={`/budgets/${encodeURIComponent(b.id)}`}>{b.name}</Link>,
  },
  {
    key: 'scope',
    header: 'Scope',
    value: (b) => `${b.budget.scope.kind}${b.budget.scope.id ? ` ${b.budget.scope.id}` : ''}`,
  },
  { key: 'period', header: 'Period', value: (b) => b.period.label },
  {
    key: 'spent',
    header: 'Spent',
    numeric: true,
    value: (b) => b.spent ?? null,
    render: (b) => (b.spent === undefined ? '—' : budgetAmount(b.budget.unit, b.spent)),
  },
  {
    key: 'limit',
    header: 'Limit',
    numeric: true,
    value: (b) => (b.budget.perPerson ? b.budget.amount : (b.limit?.total ?? null)),
    render: (b) =>
      b.budget.perPerson
        ? `${budgetAmount(b.budget.unit, b.budget.amount)} each`
        : budgetAmount(b.budget.unit, b.limit?.total ?? b.budget.amount),
  },
  {
    key: 'used',
    header: 'Used',
    numeric: true,
    value: (b) => b.percent ?? null,
    render: (b) => percent(b.percent),
  },
  { key: 'state', header: 'State', value: (b) => (b.state ? STATE_LABEL[b.state]! : '—') },
  {
    key: 'runs-out',
    header: 'Runs out',
    value: (b) => runsOut(b),
    title: 'Central forecast, when within the period',
  },
  {
    key: 'projected',
    header: 'Projected at period end',
    numeric: true,
    value: (b) => b.forecast?.projected.mid ?? null,
    render: (b) => (b.forecast ? budgetAmount(b.budget.unit, b.forecast.projected.mid) : '—'),
  },
];

export function Budgets() {
  const list = useApi<BudgetList>('/api/v1/budgets');
  return (
    <section data-page="budgets">
      <h1>Budgets</h1>
      <Await loaded={list} what="budgets">
        {(answer) =>
          answer.budgets.length === 0 ? (
            <Empty>
              No budget you may read. Budgets are defined in the config file’s <code>budgets</code> or with{' '}
              <code>tokenyield budget set</code> (docs/budgets.md).
            </Empty>
          ) : (
            <Table
              caption="Budgets"
              filename="budgets"
              rows={answer.budgets}
              columns={LIST_COLUMNS}
              rowKey={(b) => b.id}
            />
          )
        }
      </Await>
      <p className="muted">
        Spend is recomputed after every ledger commit; forecasts at most every 15 minutes. Periods begin at
        midnight in each budget’s own time zone. How the forecast works: docs/forecasting.md.
      </p>
    </section>
  );
}

const ALLOWANCE_COLUMNS = (
  unit: string,
): Column<NonNullable<BudgetStatus['allowances']>['rows'][number]>[] => [
  { key: 'person', header: 'Person', value: (r) => r.name ?? r.personId },
  {
    key: 'spent',
    header: 'Spent',
    numeric: true,
    value: (r) => r.spent,
    render: (r) => budgetAmount(unit, r.spent),
  },
  {
    key: 'used',
    header: 'Of allowance',
    numeric: true,
    value: (r) => r.percent,
    render: (r) => percent(r.percent),
  },
];

function Forecast({ status }: { status: BudgetStatus }) {
  const f = status.forecast;
  const unit = status.budget.unit;
  if (!f) return null;
  const out = runsOut(status);
  return (
    <div className="panel" data-forecast={f.method}>
      <h3>Burn rate and forecast</h3>
      <ul>
        <li>
          An average day now costs {budgetAmount(unit, f.burnRatePerDay)} (the last seven days averaged{' '}
          {budgetAmount(unit, f.lastWeekPerDay)} a day), moving by {budgetAmount(unit, f.trendPerDay)} a day
          each day.
        </li>
        <li>
          Weekday pattern, Monday to Sunday:{' '}
          {f.weekdayFactors.map((w) => `${Math.round(w * 100)} %`).join(' · ')} of an average day.
        </li>
        {f.adoption ? (
          <li data-adoption>
            Agentic users: {formatShare(f.adoption.agenticShare)} of {f.adoption.headcount} people
            {f.adoption.agenticShareMonthAgo === null
              ? ''
              : ` (a month ago ${formatShare(f.adoption.agenticShareMonthAgo)})`}
            , changing by {formatShare(f.adoption.agenticGrowthPerMonth)} of the people a month; active AI
            users {formatShare(f.adoption.activeShare)}. The projection lets agentic use grow at that pace up
            to {formatShare(f.adoption.ceilingShare)}.
          </li>
        ) : null}
        <li>
          {out
            ? `At this rate the budget runs out on ${out} (80 %: ${f.exhaustsRange.early ?? 'after the period'} to ${f.exhaustsRange.late ?? 'after the period'}).`
            : `At this rate the budget lasts the period (chance it does not: ${formatShare(f.exhaustionProbability)}).`}
        </li>
        {f.notes.map((n) => (
          <li key={n} className="muted">
            {n}
          </li>
        ))}
      </ul>
      <p className="muted">
        Model: {f.method}, fitted on {f.fitDays} days (docs/forecasting.md).
      </p>
    </div>
  );
}

function WhatIf({ status }: { status: BudgetStatus }) {
  const [cap, setCap] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const result = useApi<BudgetWhatIf>(
    asked === null ? null : `/api/v1/budgets/${encodeURIComponent(status.id)}/what-if`,
    { cap: asked ?? undefined },
  );
  const unit = status.budget.unit;
  return (
    <div className="panel" data-what-if>
      <h3>What if every person had been capped?</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(cap.trim());
        }}
      >
        <label>
          Cap per person this period ({unit === 'usd' ? 'USD' : unit}){' '}
          <input value={cap} onChange={(e) => setCap(e.target.value)} inputMode="decimal" required />
        </label>{' '}
        <button type="submit">Replay</button>
      </form>
      {asked === null ? null : (
        <Await loaded={result} what="the what-if">
          {(r) => (
            <>
              <p data-saved={r.saved}>
                A cap of {budgetAmount(unit, r.cap)} would have stopped {r.stopped} of {r.people} people and
                saved {budgetAmount(unit, r.saved)} of {budgetAmount(unit, r.spent)} (
                {formatShare(r.savedShare)}) in {r.period.label} through {r.through}.
              </p>
              {r.rows.length > 0 ? (
                <Table
                  caption="People the cap would have stopped"
                  filename={`what-if-${status.id}`}
                  rows={r.rows}
                  rowKey={(x) => x.personId}
                  columns={[
                    { key: 'person', header: 'Person', value: (x) => x.name ?? x.personId },
                    {
                      key: 'spent',
                      header: 'Spent',
                      numeric: true,
                      value: (x) => x.spent,
                      render: (x) => budgetAmount(unit, x.spent),
                    },
                    {
                      key: 'saved',
                      header: 'Saved',
                      numeric: true,
                      value: (x) => x.excess,
                      render: (x) => budgetAmount(unit, x.excess),
                    },
                    { key: 'stopped', header: 'Stopped on', value: (x) => x.stoppedOn },
                  ]}
                />
              ) : null}
            </>
          )}
        </Await>
      )}
    </div>
  );
}

function AlertHistory({ id }: { id: string }) {
  const alerts = useApi<BudgetAlerts>(`/api/v1/budgets/${encodeURIComponent(id)}/alerts`);
  return (
    <Await loaded={alerts} what="the alert history">
      {(a) =>
        a.alerts.length === 0 ? (
          <Empty>No alert raised in any period so far.</Empty>
        ) : (
          <Table
            caption="Alerts"
            filename={`alerts-${id}`}
            rows={a.alerts}
            rowKey={(x) => x.event.key}
            columns={[
              {
                key: 'when',
                header: 'Raised',
                value: (x) => x.recordedAt,
                render: (x) => formatTimestamp(x.recordedAt),
              },
              {
                key: 'kind',
                header: 'Kind',
                value: (x) => (x.event.kind === 'threshold' ? `${x.event.threshold} %` : 'projected overrun'),
              },
              { key: 'message', header: 'Message', value: (x) => x.event.message },
              {
                key: 'deliveries',
                header: 'Deliveries',
                value: (x) =>
                  x.deliveries.length === 0
                    ? 'recorded (no channel configured)'
                    : x.deliveries
                        .map(
                          (d) =>
                            `${d.channel}: ${d.status}${d.attempts > 1 ? ` (${d.attempts} attempts)` : ''}`,
                        )
                        .join(', '),
              },
            ]}
          />
        )
      }
    </Await>
  );
}

export function BudgetPage({ id }: { id: string }) {
  const loaded = useApi<BudgetStatus>(`/api/v1/budgets/${encodeURIComponent(id)}`);
  return (
    <section data-page="budget" data-budget={id}>
      <p>
        <Link to="/budgets">All budgets</Link>
      </p>
      <Await loaded={loaded} what={`budget "${id}"`}>
        {(s) => {
          const unit = s.budget.unit;
          const out = runsOut(s);
          return (
            <>
              <h1>{s.name}</h1>
              <p className="muted">
                {s.period.label}: {s.period.start} to {s.period.end} (exclusive), {s.period.timeZone};{' '}
                {s.source === 'config' ? 'defined in the config file' : 'set through the API'}
                {s.budget.hard ? '; a hard limit (the budget check denies past 100 %)' : ''}.
              </p>
              {(s.warnings ?? []).map((w) => (
                <p key={w} className="state empty">
                  {w}
                </p>
              ))}
              {s.view === 'full' && s.limit && s.spent !== undefined ? (
                <>
                  <Tiles>
                    <Tile
                      id="spent"
                      label="Spent"
                      value={budgetAmount(unit, s.spent)}
                      raw={s.spent}
                      note={`${percent(s.percent)} of the limit`}
                    />
                    <Tile
                      id="limit"
                      label="Limit"
                      value={budgetAmount(unit, s.limit.total)}
                      raw={s.limit.total}
                      note={
                        s.limit.carried > 0
                          ? `${budgetAmount(unit, s.limit.carried)} rolled over`
                          : s.period.label
                      }
                    />
                    {s.forecast ? (
                      <Tile
                        id="projected"
                        label="Projected at period end"
                        value={budgetAmount(unit, s.forecast.projected.mid)}
                        raw={s.forecast.projected.mid}
                        note={`80 %: ${budgetAmount(unit, s.forecast.projected.low)} – ${budgetAmount(unit, s.forecast.projected.high)}`}
                      />
                    ) : null}
                    <Tile
                      id="runs-out"
                      label="Runs out"
                      value={out ?? 'not this period'}
                      raw={null}
                      note={s.state ? STATE_LABEL[s.state] : undefined}
                    />
                  </Tiles>
                  <div className="panel">
                    <h3>Burn-down</h3>
                    <Chart label="Budget burn-down" option={burnDownChart(s)} height={340} />
                  </div>
                  <Forecast status={s} />
                </>
              ) : null}
              {s.allowances ? (
                <>
                  <h2>Allowances</h2>
                  <p>
                    {budgetAmount(unit, s.allowances.amount)} per person per period
                    {s.allowances.people === undefined
                      ? ' (you see the people you may read).'
                      : `; ${s.allowances.over} of ${s.allowances.people} people are over it.`}
                  </p>
                  <Table
                    caption="Allowances"
                    filename={`allowances-${s.id}`}
                    rows={s.allowances.rows}
                    rowKey={(r) => r.personId}
                    columns={ALLOWANCE_COLUMNS(unit)}
                    empty={<Empty>Nobody has spent from it this period.</Empty>}
                  />
                </>
              ) : null}
              {s.view === 'full' ? (
                <>
                  <WhatIf status={s} />
                  <h2>Alert history</h2>
                  <AlertHistory id={s.id} />
                </>
              ) : null}
            </>
          );
        }}
      </Await>
    </section>
  );
}
