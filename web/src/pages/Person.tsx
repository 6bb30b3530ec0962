/**
 * One person: who they are, their AI usage per day, their outcomes, and the links between the
 * two (which sessions produced which changes, with the evidence). Engineers may open only their
 * own page; the API refuses the rest, and the page says so.
 * @module
 */
import { dailySpendChart } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Await, Empty, ErrorState } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { ValueTiles } from '../components/ValueTiles.js';
import { readFilters } from '../filters.js';
import {
  BAND_LABELS,
  formatCount,
  formatDecimal,
  formatTimestamp,
  formatTokens,
  formatUsd,
} from '../format.js';
import { useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import type {
  DailyReport,
  ExplainChange,
  ExplainDeployment,
  ExplainSession,
  Explanation,
  Person as PersonAnswer,
} from '../types.js';
import { useApi } from '../use-api.js';

export function Person({ id }: { id: string }) {
  const session = useSession();
  const { query } = useLocation();
  const f = readFilters(query);
  const path = `/api/v1/people/${encodeURIComponent(id)}`;
  const person = useApi<PersonAnswer>(path);
  // The usage and the explanation wait for the person: a refusal is then said once, not three times.
  const allowed = person.state === 'ok';
  const daily = useApi<DailyReport>(allowed ? '/api/v1/reports/daily' : null, {
    since: f.since,
    until: f.until,
    tz: 'UTC',
    tool: f.tool,
    person: id,
  });
  const explanation = useApi<Explanation>(
    allowed ? `/api/v1/board/explain/${encodeURIComponent(id)}` : null,
    { since: f.since, until: f.until },
  );

  if (person.state === 'error') {
    return (
      <section data-page="person" data-refused={person.error.status === 403 ? 'true' : undefined}>
        <h1>{id}</h1>
        <ErrorState error={person.error} what="this person" />
      </section>
    );
  }

  return (
    <section data-page="person">
      <Await loaded={person} what="this person">
        {(p) => <Identity person={p} />}
      </Await>
      <Filters
        teams={readableTeams(session)}
        notApplied={{
          team: 'This page is about one person.',
          tool: 'Applies to usage; outcomes are not split by tool.',
        }}
      />
      <h2>Usage</h2>
      <Await loaded={daily} what="their usage">
        {(report) =>
          report.rows.length === 0 ? (
            <Empty>No AI usage in this range.</Empty>
          ) : (
            <>
              <Tiles>
                <Tile
                  id="spend"
                  label="Spend"
                  value={formatUsd(report.totals.cost_usd)}
                  raw={report.totals.cost_usd}
                  note="USD"
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
      <Await loaded={explanation} what="their outcomes">
        {(e) => <Outcomes e={e} />}
      </Await>
      <h2>Flags</h2>
      <p className="state empty">
        Integrity flags about this person arrive with issue #6 (see Integrity).
        {explanation.state === 'ok' && explanation.data.heldOut
          ? ' They are held out of the board pending review.'
          : ''}
      </p>
    </section>
  );
}

function Identity({ person }: { person: PersonAnswer }) {
  return (
    <>
      <h1>{person.name ?? person.id}</h1>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>{person.email ?? '—'}</dd>
        <dt>Team today</dt>
        <dd>{person.team ?? '—'}</dd>
        <dt>Cost centre</dt>
        <dd>{person.costCentre ?? '—'}</dd>
        <dt>On the individual board</dt>
        <dd>
          {person.boardOptIn
            ? 'opted in'
            : 'not opted in (only they, their managers and admins see their entry)'}
        </dd>
        <dt>Aliases</dt>
        <dd>{person.aliases.map((a) => `${a.kind}: ${a.value}`).join(', ') || '—'}</dd>
      </dl>
    </>
  );
}

const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

function Outcomes({ e }: { e: Explanation }) {
  const changeColumns: Column<ExplainChange>[] = [
    { key: 'id', header: 'Change', value: (c) => c.id },
    { key: 'title', header: 'Title', value: (c) => c.title },
    {
      key: 'shipped',
      header: 'Shipped',
      value: (c) => c.shippedAt,
      render: (c) => formatTimestamp(c.shippedAt),
    },
    {
      key: 'counts',
      header: 'Counts',
      value: (c) => (c.qualifying ? 'yes' : `no: ${c.excludedBecause.join('; ')}`),
    },
    { key: 'durable', header: 'Durable', value: (c) => (c.durable ? 'yes' : 'no') },
    {
      key: 'ai',
      header: 'AI-assisted',
      value: (c) => (c.aiAssisted ? c.evidence.map((v) => v.kind).join(', ') || 'yes' : 'no'),
      render: (c) =>
        c.aiAssisted ? (
          <span title={c.evidence.map((v) => `${v.kind}: ${v.detail}`).join('\n')}>
            yes ({[...new Set(c.evidence.map((v) => v.kind))].join(', ')})
          </span>
        ) : (
          'no'
        ),
    },
    {
      key: 'sessions',
      header: 'Linked sessions',
      value: (c) => c.sessionIds.join(' '),
      render: (c) => c.sessionIds.map(short).join(', ') || '—',
    },
    {
      key: 'nd',
      header: 'ND share',
      numeric: true,
      value: (c) => c.ndShare,
      render: (c) => formatDecimal(c.ndShare),
    },
  ];
  const sessionColumns: Column<ExplainSession>[] = [
    {
      key: 'id',
      header: 'Session',
      value: (s) => s.sessionId,
      render: (s) => <span title={s.sessionId}>{short(s.sessionId)}</span>,
    },
    { key: 'tool', header: 'Tool', value: (s) => s.tool },
    { key: 'start', header: 'Started', value: (s) => s.firstTs, render: (s) => formatTimestamp(s.firstTs) },
    {
      key: 'cost',
      header: 'Spend (USD)',
      numeric: true,
      value: (s) => s.costUsd,
      render: (s) => formatUsd(s.costUsd),
    },
    { key: 'calls', header: 'Calls', numeric: true, value: (s) => s.calls },
    { key: 'prompts', header: 'Prompts', numeric: true, value: (s) => s.prompts },
    { key: 'edits', header: 'Edits', numeric: true, value: (s) => s.edits },
    { key: 'outcome', header: 'Outcome', value: (s) => s.outcome.replaceAll('_', ' ') },
    {
      key: 'awu',
      header: 'AWU',
      value: (s) => (s.agentWorkUnit ? 'yes' : 'no'),
      title: 'An agent work unit',
    },
    {
      key: 'changes',
      header: 'Linked changes',
      value: (s) => s.changeIds.join(' '),
      render: (s) => s.changeIds.join(', ') || '—',
    },
  ];
  const deploymentColumns: Column<ExplainDeployment>[] = [
    { key: 'id', header: 'Deployment', value: (d) => d.id },
    { key: 'service', header: 'Service', value: (d) => d.service },
    { key: 'at', header: 'At', value: (d) => d.ts, render: (d) => formatTimestamp(d.ts) },
    { key: 'outcome', header: 'Outcome', value: (d) => d.outcome.replaceAll('_', ' ') },
    { key: 'recipients', header: 'Changes credited', numeric: true, value: (d) => d.recipients },
    {
      key: 'nd',
      header: 'Their ND',
      numeric: true,
      value: (d) => d.personTotal,
      render: (d) => formatDecimal(d.personTotal),
    },
  ];
  const pos = e.position;
  return (
    <>
      <h2>Outcomes</h2>
      <p>
        Board position (value lens):{' '}
        {pos ? (
          <strong>{pos.band ? (BAND_LABELS[pos.band] ?? pos.band) : 'not banded'}</strong>
        ) : (
          'not ranked in this range'
        )}
        {pos?.badges.length ? ` — ${pos.badges.map((b) => `${b.label} (${b.because})`).join('; ')}` : ''}
      </p>
      <ValueTiles s={e.totals} />
      <h3>Changes, and the AI sessions linked to them</h3>
      <Table
        caption="Changes"
        filename={`changes-${e.personId}`}
        rows={e.changes}
        columns={changeColumns}
        rowKey={(c) => c.id}
        empty="No changes in this range."
      />
      <h3>AI sessions</h3>
      <Table
        caption="Sessions"
        filename={`sessions-${e.personId}`}
        rows={e.sessions}
        columns={sessionColumns}
        rowKey={(s) => s.sessionId}
        empty="No AI sessions in this range."
      />
      <h3>Deployments that credited them</h3>
      <Table
        caption="Deployments"
        filename={`deployments-${e.personId}`}
        rows={e.deployments}
        columns={deploymentColumns}
        rowKey={(d) => d.id}
        empty="No deployments credited them in this range."
      />
    </>
  );
}
