/**
 * ROI: whether AI is paying off for what the caller may read, from `GET /api/v1/roi`: spend beside
 * outcomes per week or month, cost per outcome and which way it goes, spend with no durable
 * outcome by cause, integrity flags' estimated waste, and spend against the scope's budgets. Only
 * what the ledger records; the page estimates no hours saved and no salaries.
 * @module
 */
import { roiCostChart, roiSpendOutcomesChart, roiWasteChart, WASTE_LABELS } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Link } from '../components/Link.js';
import { Await, Empty } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { readFilters, withParams } from '../filters.js';
import { formatCount, formatDecimal, formatShare, formatUsd } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import {
  type RoiBudget,
  type RoiNumbers,
  type RoiPeriodRow,
  type RoiReport,
  type RoiTrend,
  WASTE_CAUSES,
  type WasteCause,
} from '../types.js';
import { useApi } from '../use-api.js';

const LOW = (r: RoiNumbers, key: RoiNumbers['lowData'][number]) =>
  r.lowData.includes(key) ? ' (few outcomes)' : '';

/** Outcome and cost columns shared by the periods and teams tables. */
function numberColumns<R extends RoiNumbers>(): Column<R>[] {
  return [
    {
      key: 'spend',
      header: 'Spend (USD)',
      numeric: true,
      value: (r) => r.spendUsd,
      render: (r) => formatUsd(r.spendUsd),
      title: 'Priced cost of AI sessions started in the period',
    },
    { key: 'sessions', header: 'Sessions', numeric: true, value: (r) => r.sessions },
    {
      key: 'durable',
      header: 'Durable changes',
      numeric: true,
      value: (r) => r.durableChanges,
      title: 'Qualifying durable changes shipped (docs/metrics.md)',
    },
    {
      key: 'nd',
      header: 'ND',
      numeric: true,
      value: (r) => r.nd,
      render: (r) => formatDecimal(r.nd),
      title: 'Normalised deployments',
    },
    {
      key: 'awu',
      header: 'Agent work units',
      numeric: true,
      value: (r) => r.agentWorkUnits,
    },
    {
      key: 'per-nd',
      header: 'USD per ND',
      numeric: true,
      value: (r) => r.costPerNd,
      render: (r) => `${formatUsd(r.costPerNd)}${LOW(r, 'nd')}`,
    },
    {
      key: 'per-awu',
      header: 'USD per AWU',
      numeric: true,
      value: (r) => r.costPerAgentWorkUnit,
      render: (r) => `${formatUsd(r.costPerAgentWorkUnit)}${LOW(r, 'agentWorkUnits')}`,
    },
    {
      key: 'per-durable',
      header: 'USD per durable change',
      numeric: true,
      value: (r) => r.costPerDurableChange,
      render: (r) => `${formatUsd(r.costPerDurableChange)}${LOW(r, 'durableChanges')}`,
    },
    {
      key: 'waste',
      header: 'No durable outcome (USD)',
      numeric: true,
      value: (r) => r.waste.usd,
      render: (r) => formatUsd(r.waste.usd),
      title: 'Spend in sessions that led to no qualifying durable change (open PRs excluded)',
    },
    {
      key: 'waste-share',
      header: 'Share',
      numeric: true,
      value: (r) => r.waste.share,
      render: (r) => formatShare(r.waste.share),
    },
  ];
}

const PERIOD_COLUMNS: Column<RoiPeriodRow>[] = [
  {
    key: 'period',
    header: 'Period',
    value: (r) => r.start,
    render: (r) => (r.partial ? `${r.start} (partial: ${r.from} – ${r.until})` : r.start),
  },
  ...numberColumns<RoiPeriodRow>(),
];

type TeamRow = RoiReport['teams'][number];
type TeamNumbers = NonNullable<TeamRow['numbers']>;

function teamColumns(): Column<TeamRow>[] {
  const inner = numberColumns<TeamNumbers>();
  return [
    {
      key: 'team',
      header: 'Team',
      value: (r) => r.team ?? '(no team)',
      render: (r) =>
        r.team === null ? '(no team)' : <Link to={`/teams/${encodeURIComponent(r.team)}`}>{r.team}</Link>,
    },
    {
      key: 'contributors',
      header: 'Contributors',
      numeric: true,
      value: (r) => r.numbers?.contributors ?? null,
      render: (r) => (r.suppressed ? 'withheld' : formatCount(r.numbers?.contributors)),
    },
    ...inner.map((c) => ({
      ...c,
      value: (r: TeamRow) => (r.numbers ? c.value(r.numbers) : null),
      render: (r: TeamRow) => (r.numbers ? (c.render ? c.render(r.numbers) : c.value(r.numbers)) : '—'),
    })),
  ];
}

interface WasteRow {
  cause: WasteCause;
  usd: number;
}

const WASTE_COLUMNS: Column<WasteRow>[] = [
  { key: 'cause', header: 'Cause', value: (r) => r.cause, render: (r) => WASTE_LABELS[r.cause] },
  { key: 'usd', header: 'Spend (USD)', numeric: true, value: (r) => r.usd, render: (r) => formatUsd(r.usd) },
];

const BUDGET_COLUMNS: Column<RoiBudget>[] = [
  {
    key: 'budget',
    header: 'Budget',
    value: (b) => b.id,
    render: (b) => <Link to={`/budgets/${encodeURIComponent(b.id)}`}>{b.name}</Link>,
  },
  { key: 'period', header: 'Period', value: (b) => b.period.label },
  {
    key: 'elapsed',
    header: 'Elapsed',
    numeric: true,
    value: (b) => b.elapsed,
    render: (b) => formatShare(b.elapsed),
  },
  { key: 'spent', header: 'Spent', numeric: true, value: (b) => b.spent, render: (b) => amount(b, b.spent) },
  { key: 'limit', header: 'Limit', numeric: true, value: (b) => b.limit, render: (b) => amount(b, b.limit) },
  { key: 'used', header: 'Used', numeric: true, value: (b) => b.used, render: (b) => formatShare(b.used) },
  { key: 'nd', header: 'ND so far', numeric: true, value: (b) => b.outcomes?.nd ?? null },
  {
    key: 'nd-per-spent',
    header: 'ND per $1,000 spent',
    numeric: true,
    value: (b) => b.ndPerThousandSpent,
    render: (b) => formatDecimal(b.ndPerThousandSpent),
  },
  {
    key: 'nd-per-limit',
    header: 'ND per $1,000 of limit',
    numeric: true,
    value: (b) => b.ndPerThousandLimit,
    render: (b) => formatDecimal(b.ndPerThousandLimit),
  },
  {
    key: 'awu-per-spent',
    header: 'AWU per $1,000 spent',
    numeric: true,
    value: (b) => b.agentWorkUnitsPerThousandSpent,
    render: (b) => formatDecimal(b.agentWorkUnitsPerThousandSpent),
  },
  { key: 'note', header: 'Note', value: (b) => b.note ?? '' },
];

function amount(b: RoiBudget, n: number): string {
  return b.unit === 'usd' ? formatUsd(n) : `${formatCount(n)} ${b.unit}`;
}

/** The API's trend in words; the direction is the API's, not worked out here. */
function trendText(label: string, t: RoiTrend, period: string): string {
  if (t.direction === null) return `${label}: no trend (${t.reason}).`;
  const pct = `${Math.abs((t.changePerPeriod ?? 0) * 100).toFixed(1)} %`;
  const way =
    t.direction === 'flat' ? `flat (within ${pct} a ${period})` : `${t.direction} ${pct} a ${period}`;
  return `${label}: ${way}, over ${t.periods} whole ${period}s.`;
}

function scopeText(r: RoiReport): string {
  if (r.scope.kind === 'org') return 'the organisation';
  if (r.scope.kind === 'person') return 'you';
  return r.scope.teams.length === 1 ? `team ${r.scope.teams[0]}` : `your teams (${r.scope.teams.join(', ')})`;
}

function Report({ r }: { r: RoiReport }) {
  const t = r.totals;
  const split = r.tools === null;
  const wasteRows: WasteRow[] = WASTE_CAUSES.map((cause) => ({ cause, usd: t.waste.byCause[cause] }));
  return (
    <>
      <p className="muted" data-roi-scope={r.scope.kind}>
        {scopeText(r)}, {r.from} to {r.until} (exclusive), by {r.period}
        {r.tools ? `, ${r.tools.join(', ')} only` : ''}. Only what the ledger records: no hours saved, no
        salaries.
      </p>
      <Tiles>
        <Tile id="spend" label="Spend" value={formatUsd(t.spendUsd)} raw={t.spendUsd} note="USD" />
        {split ? (
          <Tile id="nd" label="Normalised deployments" value={formatDecimal(t.nd)} raw={t.nd} />
        ) : null}
        {split ? (
          <Tile
            id="per-nd"
            label="USD per ND"
            value={formatUsd(t.costPerNd)}
            raw={t.costPerNd}
            note={t.costPerNd === null ? 'no ND in the range' : LOW(t, 'nd').trim() || undefined}
          />
        ) : null}
        <Tile
          id="awu"
          label="Agent work units"
          value={formatCount(t.agentWorkUnits)}
          raw={t.agentWorkUnits}
        />
        <Tile
          id="per-awu"
          label="USD per AWU"
          value={formatUsd(t.costPerAgentWorkUnit)}
          raw={t.costPerAgentWorkUnit}
          note={t.costPerAgentWorkUnit === null ? 'no agent work unit in the range' : undefined}
        />
        <Tile
          id="waste"
          label="No durable outcome"
          value={formatUsd(t.waste.usd)}
          raw={t.waste.usd}
          note={`${formatShare(t.waste.share)} of spend`}
        />
        {r.flagged ? (
          <Tile
            id="flagged"
            label="Flagged waste"
            value={formatUsd(r.flagged.wastedUsd)}
            raw={r.flagged.wastedUsd}
            note={
              r.flagged.from === null
                ? 'no integrity flags in these periods'
                : `flags' estimate, 8-week periods ${r.flagged.from} – ${r.flagged.until}; not added to the causes`
            }
          />
        ) : null}
      </Tiles>

      <div className="panel">
        <h3>Spend and outcomes per {r.period}</h3>
        <Chart label="Spend and outcomes" option={roiSpendOutcomesChart(r)} />
      </div>
      <div className="panel">
        <h3>Cost per outcome (USD)</h3>
        <Chart label="Cost per outcome" option={roiCostChart(r)} />
        <ul className="roi-trend">
          {split ? <li data-trend="nd">{trendText('USD per ND', r.trend.costPerNd, r.period)}</li> : null}
          <li data-trend="awu">
            {trendText('USD per agent work unit', r.trend.costPerAgentWorkUnit, r.period)}
          </li>
          {split ? (
            <li data-trend="durable">
              {trendText('USD per durable change', r.trend.costPerDurableChange, r.period)}
            </li>
          ) : null}
        </ul>
        <p className="muted">
          A period with no outcome has no cost point; “few outcomes” marks fewer than {r.minOutcomes}. Trends
          use whole periods only. Spend and the outcomes it leads to can fall in different periods (a change
          ships days after its sessions), so one period's cost can be very low or very high; the totals and
          the trend are the numbers to read.
        </p>
      </div>
      <Table
        caption="Per period"
        filename="roi-periods"
        rows={r.periods}
        columns={PERIOD_COLUMNS}
        rowKey={(p) => p.start}
      />

      <h2>Spend with no durable outcome</h2>
      <div className="panel">
        <h3>By cause, per {r.period} (USD)</h3>
        <Chart label="Waste by cause" option={roiWasteChart(r)} height={320} />
      </div>
      <Table
        caption="By cause"
        filename="roi-waste"
        rows={wasteRows}
        columns={WASTE_COLUMNS}
        rowKey={(w) => w.cause}
      />
      <p className="muted">
        Sessions whose PR is still open ({formatUsd(t.waste.pendingUsd)}) are not counted as waste yet.
      </p>
      {r.flagged && r.flagged.from === null ? (
        <p data-flagged>No integrity flags you may read in the 8-week periods this range overlaps.</p>
      ) : r.flagged ? (
        <p data-flagged>
          Integrity flags of the 8-week periods {r.flagged.from ?? '—'} to {r.flagged.until ?? '—'}:{' '}
          {r.flagged.flags.open} open, {r.flagged.flags.confirmed} confirmed, {r.flagged.flags.dismissed}{' '}
          dismissed; estimated waste {formatUsd(r.flagged.wastedUsd)} ({formatUsd(r.flagged.confirmedUsd)}{' '}
          confirmed) of {formatUsd(r.flagged.flaggedSpendUsd)} the flagged people spent. It overlaps the
          causes above (the same sessions are often in both), so it is not added to them.{' '}
          <Link to="/integrity">The flags</Link>
        </p>
      ) : null}

      {r.teams.length > 0 ? (
        <>
          <h2>Teams</h2>
          <Table
            caption="Teams"
            filename="roi-teams"
            rows={r.teams}
            columns={teamColumns()}
            rowKey={(x) => x.team ?? ''}
          />
        </>
      ) : null}

      <h2>Budgets</h2>
      {r.budgets.length === 0 ? (
        <Empty>No budget covers exactly {scopeText(r)}; set one on the budgets page.</Empty>
      ) : (
        <Table
          caption="Budgets"
          filename="roi-budgets"
          rows={r.budgets}
          columns={BUDGET_COLUMNS}
          rowKey={(b) => b.id}
        />
      )}

      {r.notes.length > 0 ? (
        <ul className="muted roi-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export function Roi() {
  const session = useSession();
  const { path, query } = useLocation();
  const f = readFilters(query);
  const period = query.get('period') === 'month' ? 'month' : 'week';
  const roi = useApi<RoiReport>('/api/v1/roi', {
    since: f.since,
    until: f.until,
    team: f.team,
    tool: f.tool,
    period,
  });
  return (
    <section data-page="roi">
      <h1>ROI</h1>
      <Filters teams={readableTeams(session)} />
      <fieldset className="roi-period" aria-label="Period">
        {(['week', 'month'] as const).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={period === p}
            onClick={() => navigate(href(path, withParams(query, { period: p === 'week' ? undefined : p })))}
          >
            {p === 'week' ? 'Weekly' : 'Monthly'}
          </button>
        ))}
      </fieldset>
      <Await loaded={roi} what="the ROI report">
        {(r) =>
          r.periods.length === 0 || (r.totals.sessions === 0 && !r.totals.shipped) ? (
            <Empty>No AI spend or outcomes in this range.</Empty>
          ) : (
            <Report r={r} />
          )
        }
      </Await>
    </section>
  );
}
