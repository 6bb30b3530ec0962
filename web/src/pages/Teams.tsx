/**
 * Teams: the list of teams with their spend and outcomes, and one team's page with its members.
 * Team ids, names and sizes are public to every token; spend, outcomes and members only to those
 * who may read the team. What the API refuses, the page shows as the API's own sentence.
 * @module
 */
import { useMemo } from 'react';
import { dailySpendChart } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Link } from '../components/Link.js';
import { Await, Empty, ErrorState, Loading } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { ValueTiles } from '../components/ValueTiles.js';
import { readFilters } from '../filters.js';
import { formatCount, formatDecimal, formatShare, formatTokens, formatUsd } from '../format.js';
import { useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import type { DailyReport, PersonRow, Team, TeamDetail, ValueAnswer, ValueSummary } from '../types.js';
import { useApi } from '../use-api.js';
import { teamSummaries } from './overview-model.js';

const TOOL_NOTE = 'Outcomes are not split by tool; spend per team comes from the value metrics.';

/** Outcome columns of a value summary, shared by the teams and members tables. */
function outcomeColumns<R>(summary: (r: R) => ValueSummary | undefined): Column<R>[] {
  return [
    {
      key: 'spend',
      header: 'Spend (USD)',
      numeric: true,
      value: (r) => summary(r)?.spend.costUsd ?? null,
      render: (r) => formatUsd(summary(r)?.spend.costUsd),
      title: 'Priced cost of AI sessions started in the range',
    },
    {
      key: 'sessions',
      header: 'Sessions',
      numeric: true,
      value: (r) => summary(r)?.spend.sessions ?? null,
    },
    { key: 'shipped', header: 'Shipped', numeric: true, value: (r) => summary(r)?.shipped.shipped ?? null },
    { key: 'durable', header: 'Durable', numeric: true, value: (r) => summary(r)?.shipped.durable ?? null },
    {
      key: 'nd',
      header: 'ND',
      numeric: true,
      value: (r) => summary(r)?.nd.nd ?? null,
      render: (r) => formatDecimal(summary(r)?.nd.nd),
      title: 'Normalised deployments',
    },
    {
      key: 'awu',
      header: 'Agent work units',
      numeric: true,
      value: (r) => summary(r)?.agentWork.units ?? null,
    },
    {
      key: 'per-nd',
      header: 'USD per ND',
      numeric: true,
      value: (r) => summary(r)?.costPerOutcome.perNd ?? null,
      render: (r) => formatUsd(summary(r)?.costPerOutcome.perNd),
    },
    {
      key: 'per-awu',
      header: 'USD per AWU',
      numeric: true,
      value: (r) => summary(r)?.costPerOutcome.perAgentWorkUnit ?? null,
      render: (r) => formatUsd(summary(r)?.costPerOutcome.perAgentWorkUnit),
    },
    {
      key: 'adoption',
      header: 'Active AI users',
      numeric: true,
      value: (r) => summary(r)?.adoption.meanActiveShare ?? null,
      render: (r) => formatShare(summary(r)?.adoption.meanActiveShare),
      title: 'Mean weekly share of headcount using AI',
    },
  ];
}

interface TeamRow {
  team: Team;
  value: ValueSummary | undefined;
}

export function Teams() {
  const session = useSession();
  const { query } = useLocation();
  const f = readFilters(query);
  const engineer = session.me.role === 'engineer';
  // Team summaries only: the people list is not needed here, whatever the headcount.
  const value = useApi<ValueAnswer>(engineer ? null : '/api/v1/value', {
    since: f.since,
    until: f.until,
    people: 'none',
  });
  const loaded = value.state === 'ok' ? value.data : null;
  const rows = useMemo<TeamRow[]>(() => {
    const byTeam = loaded ? teamSummaries(loaded) : new Map<string, ValueSummary>();
    return session.teams.map((team) => ({ team, value: byTeam.get(team.id) }));
  }, [session.teams, loaded]);

  const columns: Column<TeamRow>[] = [
    {
      key: 'name',
      header: 'Team',
      value: (r) => r.team.name,
      render: (r) => <Link to={`/teams/${encodeURIComponent(r.team.id)}`}>{r.team.name}</Link>,
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
      key: 'readable',
      header: 'You may read',
      value: (r) => (r.team.readable ? 'yes' : 'no'),
    },
    ...outcomeColumns<TeamRow>((r) => r.value),
  ];

  return (
    <section data-page="teams">
      <h1>Teams</h1>
      <Filters
        teams={readableTeams(session)}
        notApplied={{ team: 'This page lists every team; open one for its page.', tool: TOOL_NOTE }}
      />
      {engineer ? (
        <p className="state empty" data-notice="engineer">
          An engineer token reads only its own person: the teams below are names and sizes only. Your own
          numbers are on your page.
        </p>
      ) : null}
      {value.state === 'error' ? <ErrorState error={value.error} what="the teams’ outcomes" /> : null}
      {value.state === 'loading' && !engineer ? <p className="muted">Loading the teams’ outcomes…</p> : null}
      <Table
        caption="Teams"
        filename="teams-list"
        rows={rows}
        columns={columns}
        rowKey={(r) => r.team.id}
        empty="The people directory has no teams."
      />
      <p className="muted">
        Outcome columns are filled for the teams you may read. A team's spend and outcomes count each member
        only while they were in the team.
      </p>
    </section>
  );
}

interface MemberRow {
  person: PersonRow;
  value: ValueSummary | undefined;
}

export function TeamPage({ id }: { id: string }) {
  const session = useSession();
  const { query } = useLocation();
  const f = readFilters(query);
  const path = `/api/v1/teams/${encodeURIComponent(id)}`;
  const team = useApi<TeamDetail>(path, { since: f.since, until: f.until });
  // Usage and outcomes wait until the team is known to be readable: a refusal is said once.
  const readable = team.state === 'ok' && team.data.readable;
  const engineer = session.me.role === 'engineer';
  const daily = useApi<DailyReport>(readable ? '/api/v1/reports/daily' : null, {
    since: f.since,
    until: f.until,
    tz: 'UTC',
    tool: f.tool,
    team: id,
  });
  // The people in a team's answer are its members only: small at any headcount.
  const value = useApi<ValueAnswer>(readable ? '/api/v1/value' : null, {
    since: f.since,
    until: f.until,
    team: id,
  });
  // An engineer's request for a team is refused by the API; ask, so the page shows its reason.
  const refusal = useApi<ValueAnswer>(
    team.state === 'ok' && !team.data.readable && engineer ? '/api/v1/value' : null,
    { team: id },
  );

  if (team.state === 'loading') return <Loading what="the team" />;
  if (team.state === 'error')
    return (
      <section data-page="team">
        <h1>{id}</h1>
        <ErrorState error={team.error} what="this team" />
      </section>
    );
  const t = team.data;
  if (!t.readable)
    return (
      <section data-page="team" data-refused="true">
        <h1>Team {t.name}</h1>
        <p className="muted">
          {t.members === null ? 'Fewer members than the minimum group size.' : `${t.members} members today.`}
        </p>
        {refusal.state === 'error' ? (
          <ErrorState error={refusal.error} what="this team’s usage and outcomes" />
        ) : (
          <div className="state error" role="alert" data-status={403}>
            <strong>You may not view this team’s usage, outcomes or members.</strong>{' '}
            <span>Your token does not read team “{t.id}”.</span>
          </div>
        )}
      </section>
    );

  return (
    <section data-page="team" data-team={t.id}>
      <h1>Team {t.name}</h1>
      <Filters teams={readableTeams(session)} notApplied={{ team: 'This page is one team.' }} />
      <p className="muted">
        {t.members ?? 0} members today; managed by{' '}
        {t.managers && t.managers.length > 0 ? t.managers.map((m) => m.name).join(', ') : 'no one named'}.{' '}
        <Link to="/" params={{ team: t.id }}>
          Overview of this team
        </Link>
      </p>

      <h2>Spend</h2>
      <Await loaded={daily} what="the team’s usage">
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
                  note="USD, each member while in the team"
                />
                <Tile
                  id="tokens"
                  label="Tokens"
                  value={formatTokens(report.totals.total_tokens)}
                  raw={report.totals.total_tokens}
                />
                <Tile
                  id="calls"
                  label="Model calls"
                  value={formatCount(report.totals.calls)}
                  raw={report.totals.calls}
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

      <h2>Outcomes</h2>
      {f.tool ? <p className="muted">{TOOL_NOTE}</p> : null}
      <Await loaded={value} what="the team’s value metrics">
        {(answer) => {
          const s = teamSummaries(answer).get(t.id);
          return s ? <ValueTiles s={s} /> : <Empty>No outcomes for this team in this range.</Empty>;
        }}
      </Await>

      <h2>Members</h2>
      <Members teamId={t.id} people={t.people ?? []} value={value.state === 'ok' ? value.data : null} />
    </section>
  );
}

function Members({
  teamId,
  people,
  value,
}: {
  teamId: string;
  people: readonly PersonRow[];
  value: ValueAnswer | null;
}) {
  const rows = useMemo<MemberRow[]>(() => {
    const byPerson = new Map<string, ValueSummary>();
    for (const s of value?.people ?? []) if (s.scope.kind === 'person') byPerson.set(s.scope.personId, s);
    return people.map((person) => ({ person, value: byPerson.get(person.id) }));
  }, [people, value]);
  const columns: Column<MemberRow>[] = [
    {
      key: 'name',
      header: 'Person',
      value: (r) => r.person.name ?? r.person.id,
      render: (r) => (
        <Link to={`/people/${encodeURIComponent(r.person.id)}`}>{r.person.name ?? r.person.id}</Link>
      ),
    },
    { key: 'email', header: 'E-mail', value: (r) => r.person.email },
    { key: 'team', header: 'Team today', value: (r) => r.person.team },
    ...outcomeColumns<MemberRow>((r) => r.value),
  ];
  return (
    <>
      <Table
        caption="Members in this range"
        filename={`team-${teamId}-members`}
        rows={rows}
        columns={columns}
        rowKey={(r) => r.person.id}
        empty="No one was a member of this team in this range."
      />
      <p className="muted">
        A member's row is all of their numbers in this range, including time in another team; the team's
        totals above count them only while in this team.
      </p>
    </>
  );
}
