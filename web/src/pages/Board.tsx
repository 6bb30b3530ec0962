/**
 * The leaderboard as the API ranks it: a lens, teams or people, percentile bands. The page
 * explains what it hides (small groups, people who did not opt in, held-out people) rather than
 * silently showing fewer rows.
 * @module
 */
import { boardChart, boardMetric } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Filters } from '../components/Filters.js';
import { Link } from '../components/Link.js';
import { Await, Empty } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { readFilters, withParams } from '../filters.js';
import { BAND_LABELS, formatCount, formatDecimal, formatShare, formatUsd } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import { type Board as BoardAnswer, type BoardEntry, LENSES, type Lens } from '../types.js';
import { useApi } from '../use-api.js';

const LENS_NAMES: Record<Lens, string> = {
  value: 'Value',
  efficiency: 'Efficiency',
  agent_work: 'Agent work',
  regularity: 'Regularity',
  spend: 'Spend (cost view)',
};

function boardParams(query: URLSearchParams) {
  const lens = (LENSES as readonly string[]).includes(query.get('lens') ?? '')
    ? (query.get('lens') as Lens)
    : 'value';
  const level = query.get('level') === 'person' ? 'person' : 'team';
  return { lens, level, exact: query.get('exact') === 'true', all: query.get('all') === 'true' } as const;
}

export function Board() {
  const session = useSession();
  const { path, query } = useLocation();
  const f = readFilters(query);
  const p = boardParams(query);
  const isAdmin = session.me.role === 'admin';
  const board = useApi<BoardAnswer>('/api/v1/board', {
    since: f.since,
    until: f.until,
    lens: p.lens,
    level: p.level,
    exact: p.exact ? 'true' : undefined,
    all: p.all && isAdmin ? 'true' : undefined,
  });
  const set = (updates: Record<string, string | undefined>) =>
    navigate(href(path, withParams(query, updates)));

  return (
    <section data-page="board">
      <h1>Leaderboard</h1>
      <Filters
        teams={readableTeams(session)}
        notApplied={{
          team: 'The board ranks every team and opted-in person; it is not cut by team.',
          tool: 'The board ranks outcomes, which are not split by tool.',
        }}
      />
      <fieldset className="controls" aria-label="Board options">
        <label>
          Lens
          <select
            name="lens"
            value={p.lens}
            onChange={(e) => set({ lens: e.target.value === 'value' ? undefined : e.target.value })}
          >
            {LENSES.map((l) => (
              <option key={l} value={l}>
                {LENS_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level
          <select
            name="level"
            value={p.level}
            onChange={(e) => set({ level: e.target.value === 'team' ? undefined : e.target.value })}
          >
            <option value="team">Teams</option>
            <option value="person">People</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={p.exact}
            onChange={(e) => set({ exact: e.target.checked ? 'true' : undefined })}
          />
          Exact ranks
        </label>
        {isAdmin && p.level === 'person' ? (
          <label className="check" title="Admins only; the read is written to the audit log.">
            <input
              type="checkbox"
              checked={p.all}
              onChange={(e) => set({ all: e.target.checked ? 'true' : undefined })}
            />
            Include people who did not opt in
          </label>
        ) : null}
      </fieldset>
      <Await loaded={board} what="the board">
        {(b) => <BoardView board={b} canOpenTeam={(id) => readableTeams(session).some((t) => t.id === id)} />}
      </Await>
    </section>
  );
}

function BoardView({ board, canOpenTeam }: { board: BoardAnswer; canOpenTeam: (id: string) => boolean }) {
  const metric = boardMetric(board.lens, board.entries);
  const columns: Column<BoardEntry>[] = [
    ...(board.entries.some((e) => e.rank !== null)
      ? [
          { key: 'rank', header: 'Rank', numeric: true, value: (e: BoardEntry) => e.rank },
          {
            key: 'score',
            header: 'Score',
            numeric: true,
            value: (e: BoardEntry) => e.score,
            render: (e: BoardEntry) => formatDecimal(e.score),
          },
        ]
      : []),
    {
      key: 'band',
      header: 'Band',
      value: (e) => (e.band ? (BAND_LABELS[e.band] ?? e.band) : null),
      render: (e) =>
        e.band ? <span className={`band ${e.band}`}>{BAND_LABELS[e.band] ?? e.band}</span> : '—',
    },
    {
      key: 'name',
      header: board.level === 'team' ? 'Team' : 'Person',
      value: (e) => e.name,
      render: (e) =>
        e.kind === 'person' ? (
          <Link to={`/people/${encodeURIComponent(e.id)}`}>{e.name}</Link>
        ) : canOpenTeam(e.id) ? (
          <Link to="/" params={{ team: e.id }}>
            {e.name}
          </Link>
        ) : (
          e.name
        ),
    },
    { key: 'id', header: 'Id', value: (e) => e.id },
    ...(board.level === 'team'
      ? [{ key: 'size', header: 'People', numeric: true, value: (e: BoardEntry) => e.size }]
      : []),
    {
      key: 'nd',
      header: 'ND',
      numeric: true,
      value: (e) => e.metrics.nd,
      render: (e) => formatDecimal(e.metrics.nd),
    },
    {
      key: 'awu',
      header: 'AWU',
      numeric: true,
      value: (e) => e.metrics.agentWorkUnits,
      title: 'Agent work units',
    },
    { key: 'durable', header: 'Durable changes', numeric: true, value: (e) => e.metrics.durableChanges },
    {
      key: 'spend',
      header: 'Spend (USD)',
      numeric: true,
      value: (e) => e.metrics.costUsd,
      render: (e) => formatUsd(e.metrics.costUsd),
    },
    {
      key: 'nd-per-usd',
      header: 'ND per $1,000',
      numeric: true,
      value: (e) => (e.metrics.ndPerDollar === null ? null : e.metrics.ndPerDollar * 1000),
      render: (e) => formatDecimal(e.metrics.ndPerDollar === null ? null : e.metrics.ndPerDollar * 1000),
    },
    {
      key: 'regularity',
      header: 'Regularity',
      numeric: true,
      value: (e) => e.metrics.regularity,
      render: (e) => formatShare(e.metrics.regularity),
    },
    {
      key: 'badges',
      header: 'Badges',
      value: (e) => e.badges.map((b) => b.label).join('; '),
      render: (e) =>
        e.badges.map((b) => (
          <span key={b.id} className="badge" title={b.because}>
            {b.label}
          </span>
        )),
    },
  ];
  return (
    <>
      <p className="lens-label">
        {board.label}
        {board.merit ? '' : ' — this is what was spent, not who did best.'}
      </p>
      <p className="muted">
        Bands: {board.settings.bands}. Groups under {board.settings.minGroupSize} people are not shown.
        {board.level === 'person'
          ? ' People appear only if they opted in (and you always see yourself).'
          : ''}
      </p>
      {board.entries.length === 0 ? (
        <Empty>Nobody to show on this board in this range.</Empty>
      ) : (
        <div className="panel">
          <h3>{metric.label}</h3>
          <p className="muted">{metric.note} Bar colours are the bands.</p>
          <Chart
            label={`Board: ${metric.label}`}
            option={boardChart(board.lens, board.entries)}
            height={Math.max(160, board.entries.length * 28 + 48)}
          />
        </div>
      )}
      <Table
        caption={board.level === 'team' ? 'Teams' : 'People'}
        filename={`board-${board.lens}-${board.level}`}
        rows={board.entries}
        columns={columns}
        rowKey={(e) => `${e.kind}:${e.id}`}
        empty="No entries on this board."
      />
      <ul className="hidden-counts">
        {board.suppressed.length > 0 ? (
          <li>
            Suppressed (too small to show): {board.suppressed.map((s) => `${s.id} (${s.reason})`).join(', ')}
          </li>
        ) : null}
        {board.hidden > 0 ? (
          <li>{formatCount(board.hidden)} ranked people did not opt in and are not shown.</li>
        ) : null}
        {board.unranked > 0 ? (
          <li>
            {formatCount(board.unranked)} not ranked on this lens (under ${board.settings.minSpendUsd} spend
            or {board.settings.minWorkingWeeks} working weeks).
          </li>
        ) : null}
        {board.heldOut > 0 ? (
          <li>
            {formatCount(board.heldOut)} held out by open or confirmed integrity flags
            {board.heldOutEntries?.length ? ': ' : '.'}
            {board.heldOutEntries?.map((e, i) => (
              <span key={e.id} data-held-out={e.id}>
                {i > 0 ? '; ' : ''}
                {e.name}
                {e.flagIds.map((id) => (
                  <span key={id}>
                    {' '}
                    <Link to={`/integrity/${encodeURIComponent(id)}`}>{id}</Link>
                  </span>
                ))}
              </span>
            ))}
          </li>
        ) : null}
      </ul>
    </>
  );
}
