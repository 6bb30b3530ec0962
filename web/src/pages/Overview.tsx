/**
 * The organisation (or one team, with the team filter): spend per day and by model from the
 * usage reports, outcomes and cost per outcome from the value metrics, and the teams.
 * @module
 */
import { useMemo } from 'react';
import {
  adoptionChart,
  dailySpendChart,
  modelSpendChart,
  toolLegend,
  weeklyOutcomesChart,
} from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Link } from '../components/Link.js';
import { Await, Empty } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { ValueTiles } from '../components/ValueTiles.js';
import { readFilters } from '../filters.js';
import { formatCount, formatDecimal, formatTokens, formatUsd } from '../format.js';
import { useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import type { DailyReport, ModelReport, Team, ValueAnswer, ValueSummary } from '../types.js';
import { useApi } from '../use-api.js';
import { headlineSummary, teamSummaries, viewTitle } from './overview-model.js';

export function Overview() {
  const session = useSession();
  const { query } = useLocation();
  const f = readFilters(query);
  const usageQuery = { since: f.since, until: f.until, tz: 'UTC', team: f.team, tool: f.tool };
  const daily = useApi<DailyReport>('/api/v1/reports/daily', usageQuery);
  const models = useApi<ModelReport>('/api/v1/reports/model', usageQuery);
  // The overview shows the org and its teams, never a list of people: `people=none` keeps the
  // answer small at any headcount. An engineer's answer is their own summary, which is the headline.
  const value = useApi<ValueAnswer>('/api/v1/value', {
    since: f.since,
    until: f.until,
    team: f.team,
    people: session.me.role === 'engineer' ? undefined : 'none',
  });

  return (
    <section data-page="overview">
      <h1>{viewTitle(session.me, session.teams, f.team)}</h1>
      <Filters teams={readableTeams(session)} />

      <h2>Spend</h2>
      <Await loaded={daily} what="the usage report">
        {(report) =>
          report.rows.length === 0 ? (
            <Empty>No AI usage in this range{f.tool ? ` for ${f.tool}` : ''}.</Empty>
          ) : (
            <>
              <Tiles>
                <Tile
                  id="spend"
                  label="Spend"
                  value={formatUsd(report.totals.cost_usd)}
                  raw={report.totals.cost_usd}
                  note={
                    report.totals.unpriced_calls > 0
                      ? `USD; plus ${formatCount(report.totals.unpriced_calls)} calls of unpriced models (${report.unpriced_models.join(', ')})`
                      : 'USD, at list prices after discounts'
                  }
                />
                <Tile
                  id="tokens"
                  label="Tokens"
                  value={formatTokens(report.totals.total_tokens)}
                  raw={report.totals.total_tokens}
                  note={`input, output and cache; ${formatTokens(report.totals.cache_read_tokens)} read from cache`}
                />
                <Tile
                  id="calls"
                  label="Model calls"
                  value={formatCount(report.totals.calls)}
                  raw={report.totals.calls}
                />
                <Tile
                  id="days"
                  label="Days with usage"
                  value={formatCount(report.rows.length)}
                  raw={report.rows.length}
                />
              </Tiles>
              <div className="panel">
                <h3>Spend per day (USD, UTC days)</h3>
                <Chart label="Spend per day" option={dailySpendChart(report)} />
              </div>
            </>
          )
        }
      </Await>

      <div className="panel">
        <h3>Spend by model</h3>
        <Await loaded={models} what="spend by model">
          {(report) =>
            report.rows.length === 0 ? (
              <Empty>No model calls in this range.</Empty>
            ) : (
              <>
                <ToolKey />
                <Chart
                  label="Spend by model"
                  option={modelSpendChart(report)}
                  height={Math.max(160, report.rows.length * 28 + 48)}
                />
              </>
            )
          }
        </Await>
      </div>

      <h2>Outcomes</h2>
      {f.tool ? (
        <p className="muted">Outcomes are not split by tool: the tool filter applies to spend only.</p>
      ) : null}
      <Await loaded={value} what="the value metrics">
        {(answer) => <Outcomes answer={answer} team={f.team} />}
      </Await>

      <h2>Teams</h2>
      <TeamsTable teams={session.teams} value={value.state === 'ok' ? value.data : null} />
    </section>
  );
}

function ToolKey() {
  return (
    <div className="legend">
      {toolLegend().map((t) => (
        <span key={t.tool}>
          <i style={{ background: t.colour }} /> {t.tool}
        </span>
      ))}
      <span>
        <i style={{ background: '#8a8f98' }} /> several tools
      </span>
    </div>
  );
}

function Outcomes({ answer, team }: { answer: ValueAnswer; team: string | undefined }) {
  const s = headlineSummary(answer, team);
  if (!s)
    return (
      <Empty>
        Outcomes are summarised per team in the table below; choose a team in the filters for its headline
        numbers.
      </Empty>
    );
  return (
    <>
      <ValueTiles s={s} />
      <div className="panels">
        <div className="panel">
          <h3>Normalised deployments per week</h3>
          {s.nd.weekly.length === 0 ? (
            <Empty>No deployment shipped this scope’s changes in this range.</Empty>
          ) : (
            <Chart label="Normalised deployments per week" option={weeklyOutcomesChart(s)} height={240} />
          )}
        </div>
        <div className="panel">
          <h3>Adoption: share of headcount using AI, per week</h3>
          {s.adoption.weeks.length === 0 ? (
            <Empty>No weeks with headcount in this range.</Empty>
          ) : (
            <Chart label="Adoption per week" option={adoptionChart(s)} height={240} />
          )}
        </div>
      </div>
    </>
  );
}

interface TeamRow {
  team: Team;
  value: ValueSummary | undefined;
}

function TeamsTable({ teams, value }: { teams: readonly Team[]; value: ValueAnswer | null }) {
  const rows = useMemo<TeamRow[]>(() => {
    const byTeam = value ? teamSummaries(value) : new Map<string, ValueSummary>();
    return teams.map((team) => ({ team, value: byTeam.get(team.id) }));
  }, [teams, value]);
  const columns: Column<TeamRow>[] = [
    {
      key: 'name',
      header: 'Team',
      value: (r) => r.team.name,
      render: (r) =>
        r.team.readable ? (
          <Link to="/" params={{ team: r.team.id }}>
            {r.team.name}
          </Link>
        ) : (
          r.team.name
        ),
    },
    { key: 'id', header: 'Id', value: (r) => r.team.id },
    {
      key: 'members',
      header: 'Members',
      numeric: true,
      value: (r) => r.team.members,
      title: 'Members today; withheld below the minimum group size',
    },
    {
      key: 'spend',
      header: 'Spend (USD)',
      numeric: true,
      value: (r) => r.value?.spend.costUsd ?? null,
      render: (r) => formatUsd(r.value?.spend.costUsd),
    },
    { key: 'shipped', header: 'Shipped', numeric: true, value: (r) => r.value?.shipped.shipped ?? null },
    { key: 'durable', header: 'Durable', numeric: true, value: (r) => r.value?.shipped.durable ?? null },
    {
      key: 'nd',
      header: 'ND',
      numeric: true,
      value: (r) => r.value?.nd.nd ?? null,
      render: (r) => formatDecimal(r.value?.nd.nd),
      title: 'Normalised deployments',
    },
    {
      key: 'per-nd',
      header: 'USD per ND',
      numeric: true,
      value: (r) => r.value?.costPerOutcome.perNd ?? null,
      render: (r) => formatUsd(r.value?.costPerOutcome.perNd),
    },
  ];
  return (
    <>
      <Table
        caption="Teams"
        filename="teams"
        rows={rows}
        columns={columns}
        rowKey={(r) => r.team.id}
        empty="The people directory has no teams."
      />
      <p className="muted">Outcome columns are filled for the teams you may read that are in this view.</p>
    </>
  );
}
