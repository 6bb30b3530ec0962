/**
 * Integrity flags (DESIGN §7): the list the caller may read (an engineer their own, a manager
 * their teams', an admin all) with severity, signals and estimated waste, and each flag's page
 * with its evidence, the rows it rests on and the review history. The review buttons appear only
 * when the server says the caller may review (`canReview`: an admin or the person's manager,
 * never the person flagged); the server checks again on every review.
 * @module
 */
import { useState } from 'react';
import { ApiError, apiPost } from '../api.js';
import { Filters } from '../components/Filters.js';
import { Link } from '../components/Link.js';
import { Await, Empty, ErrorState } from '../components/States.js';
import { type Column, Table } from '../components/Table.js';
import { Tile, Tiles } from '../components/Tiles.js';
import { readFilters, withParams } from '../filters.js';
import { formatCount, formatDay, formatTimestamp, formatUsd } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { readableTeams, useSession } from '../session.js';
import type {
  FlagDetail,
  FlagExplanationAnswer,
  FlagListAnswer,
  FlagStatus,
  FlagSummary,
  ReviewDecision,
} from '../types.js';
import { useApi } from '../use-api.js';

const STATUSES: readonly FlagStatus[] = ['open', 'confirmed', 'dismissed'];

const SIGNAL_NAMES: Record<string, string> = {
  spend_without_outcomes: 'Spend without outcomes',
  cost_per_outcome: 'Cost per outcome',
  unattended_loops: 'Unattended loops',
  repeated_prompts: 'Repeated prompts',
  cache_padding: 'Cache padding',
  deadline_spikes: 'Spikes before a close',
  no_edit_sessions: 'Costly sessions with no edits',
  churn: 'Churn',
  tiny_prs: 'Tiny self-merged PRs',
};

const signalName = (s: string) => SIGNAL_NAMES[s] ?? s;

const COLUMNS: Column<FlagSummary>[] = [
  {
    key: 'flag',
    header: 'Flag',
    value: (f) => f.id,
    render: (f) => <Link to={`/integrity/${encodeURIComponent(f.id)}`}>{f.id}</Link>,
  },
  {
    key: 'person',
    header: 'Person',
    value: (f) => f.personId,
    render: (f) => <Link to={`/people/${encodeURIComponent(f.personId)}`}>{f.name}</Link>,
  },
  { key: 'team', header: 'Team', value: (f) => f.team },
  { key: 'from', header: 'Period from', value: (f) => formatDay(f.window.from) },
  { key: 'until', header: 'Period until', value: (f) => formatDay(f.window.until - 86_400_000) },
  {
    key: 'status',
    header: 'Status',
    value: (f) => f.status,
    render: (f) => <span className={`flag-status ${f.status}`}>{f.status}</span>,
  },
  { key: 'severity', header: 'Severity', value: (f) => f.severity },
  { key: 'signals', header: 'Signals', value: (f) => f.signals.map(signalName).join('; ') },
  {
    key: 'wasted',
    header: 'Wasted (USD, est.)',
    numeric: true,
    value: (f) => f.wastedUsd,
    render: (f) => formatUsd(f.wastedUsd),
  },
  {
    key: 'spend',
    header: 'Spend (USD)',
    numeric: true,
    value: (f) => f.spendUsd,
    render: (f) => formatUsd(f.spendUsd),
  },
  { key: 'decided-by', header: 'Decided by', value: (f) => f.decision?.by ?? null },
  { key: 'note', header: 'Note', value: (f) => f.decision?.note ?? null },
];

function statusOf(query: URLSearchParams): FlagStatus | undefined {
  const s = query.get('status');
  return (STATUSES as readonly string[]).includes(s ?? '') ? (s as FlagStatus) : undefined;
}

export function Integrity() {
  const session = useSession();
  const { path, query } = useLocation();
  const f = readFilters(query);
  const status = statusOf(query);
  const flags = useApi<FlagListAnswer>('/api/v1/flags', {
    since: f.since,
    until: f.until,
    team: f.team,
    status,
  });
  return (
    <section data-page="integrity">
      <h1>Integrity flags</h1>
      <p className="muted">
        Signs of tokenmaxxing, each with its evidence and the money it likely wasted. Flags are computed for
        fixed 8-week periods; an open or confirmed flag holds the person out of the board, a dismissed one
        puts them back.
      </p>
      <Filters
        teams={readableTeams(session)}
        notApplied={{ tool: 'A flag is about a person’s work with every tool.' }}
      />
      <fieldset className="controls" aria-label="Flag options">
        <label>
          Status
          <select
            name="status"
            value={status ?? ''}
            onChange={(e) => navigate(href(path, withParams(query, { status: e.target.value || undefined })))}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <Await loaded={flags} what="integrity flags">
        {(answer) => <FlagList answer={answer} />}
      </Await>
    </section>
  );
}

function FlagList({ answer }: { answer: FlagListAnswer }) {
  const t = answer.totals;
  return (
    <>
      <Tiles>
        <Tile id="open" label="Open" value={formatCount(t.open)} raw={t.open} note="awaiting review" />
        <Tile id="confirmed" label="Confirmed" value={formatCount(t.confirmed)} raw={t.confirmed} />
        <Tile id="dismissed" label="Dismissed" value={formatCount(t.dismissed)} raw={t.dismissed} />
        <Tile
          id="wasted"
          label="Estimated waste"
          value={formatUsd(t.heldOutWastedUsd)}
          raw={t.heldOutWastedUsd}
          note="open and confirmed flags"
        />
      </Tiles>
      <p className="muted">
        Periods:{' '}
        {answer.periods.length ? answer.periods.map((p) => p.label).join(', ') : 'no data in this range'}
      </p>
      <Table
        caption="Flags"
        rows={answer.flags}
        columns={COLUMNS}
        rowKey={(f) => f.id}
        filename="integrity-flags"
        empty="No flags you may read in this range."
      />
      {answer.unreadableReviews.length > 0 ? (
        <div className="state error" role="alert">
          Stored reviews that could not be read (left as they are):{' '}
          {answer.unreadableReviews.map((u) => `${u.key}: ${u.reason}`).join('; ')}
        </div>
      ) : null}
    </>
  );
}

function History({ history }: { history: readonly ReviewDecision[] }) {
  return (
    <ol className="review-history">
      {history.map((d) => (
        <li key={`${d.at}-${d.by}`} data-status={d.status}>
          {formatTimestamp(d.at)}: <strong>{d.status}</strong> by {d.by} — {d.note}
        </li>
      ))}
    </ol>
  );
}

function ReviewForm({ flag, onReviewed }: { flag: FlagDetail; onReviewed: (f: FlagDetail) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const decide = (status: 'confirmed' | 'dismissed') => {
    setBusy(true);
    setError(null);
    apiPost<FlagDetail>(`/api/v1/flags/${encodeURIComponent(flag.id)}/review`, { status, note }).then(
      (reviewed) => {
        setBusy(false);
        setNote('');
        onReviewed(reviewed);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
      },
    );
  };
  return (
    <form className="review-form panel" aria-label="Review" onSubmit={(e) => e.preventDefault()}>
      <label>
        Note (why)
        <textarea name="note" value={note} rows={3} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div>
        <button type="button" disabled={busy || note.trim() === ''} onClick={() => decide('confirmed')}>
          Confirm
        </button>{' '}
        <button type="button" disabled={busy || note.trim() === ''} onClick={() => decide('dismissed')}>
          Dismiss
        </button>
      </div>
      {error ? <ErrorState error={error} what="this review" /> : null}
    </form>
  );
}

export function FlagPage({ id }: { id: string }) {
  const path = `/api/v1/flags/${encodeURIComponent(id)}`;
  const loaded = useApi<FlagDetail>(path);
  const explanation = useApi<FlagExplanationAnswer>(loaded.state === 'ok' ? `${path}/explain` : null);
  const [reviewed, setReviewed] = useState<FlagDetail | null>(null);
  if (loaded.state === 'error')
    return (
      <section data-page="flag">
        <h1>{id}</h1>
        <ErrorState error={loaded.error} what="this flag" />
      </section>
    );
  return (
    <section data-page="flag">
      <Await loaded={loaded} what="the flag">
        {(answer) => {
          const flag = reviewed ?? answer;
          return (
            <>
              <h1>
                Flag {flag.id}: <Link to={`/people/${encodeURIComponent(flag.personId)}`}>{flag.name}</Link>
              </h1>
              <Tiles>
                <Tile
                  id="status"
                  label="Status"
                  value={flag.status}
                  raw={null}
                  note={`period ${flag.period}`}
                />
                <Tile id="severity" label="Severity" value={flag.severity} raw={null} />
                <Tile
                  id="wasted"
                  label="Estimated waste"
                  value={formatUsd(flag.wastedUsd)}
                  raw={flag.wastedUsd}
                  note={`of ${formatUsd(flag.spendUsd)} spent in the period`}
                />
              </Tiles>
              <h2>Findings</h2>
              {flag.findings.map((x) => (
                <div className="panel finding" key={x.signal} data-signal={x.signal}>
                  <h3>
                    {signalName(x.signal)}{' '}
                    <span className="muted">
                      ({x.severity}, compared with {x.peerGroup})
                    </span>
                  </h3>
                  <p>{x.reason}</p>
                  <table className="evidence">
                    <tbody>
                      {Object.entries(x.evidence.numbers).map(([k, v]) => (
                        <tr key={k}>
                          <th scope="row">{k}</th>
                          <td className="num">{v === null ? '—' : String(v)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p className="muted">
                    {formatCount(x.evidence.sessionIds.length)} sessions,{' '}
                    {formatCount(x.evidence.changeIds.length)} changes named; wasted {formatUsd(x.wastedUsd)}.
                  </p>
                </div>
              ))}
              <h2>Review</h2>
              {flag.review ? <History history={flag.review.history} /> : <Empty>Not reviewed yet.</Empty>}
              {flag.canReview ? (
                <ReviewForm flag={flag} onReviewed={setReviewed} />
              ) : (
                <p className="muted" data-review="not-allowed">
                  Reviews are made by an admin or a manager of the person’s team, never by the person flagged.
                </p>
              )}
            </>
          );
        }}
      </Await>
      <h2>Evidence rows</h2>
      <Await loaded={explanation} what="the evidence">
        {(x) => <Evidence x={x} />}
      </Await>
    </section>
  );
}

type EvidenceSession = FlagExplanationAnswer['sessions'][number];

const SESSION_COLUMNS: Column<EvidenceSession>[] = [
  { key: 'session', header: 'Session', value: (s) => s.sessionId },
  { key: 'named', header: 'Named by', value: (s) => s.namedBy.map(signalName).join('; ') },
  { key: 'tool', header: 'Tool', value: (s) => s.tool },
  { key: 'start', header: 'Start (UTC)', value: (s) => formatTimestamp(s.firstTs) },
  {
    key: 'hours',
    header: 'Hours',
    numeric: true,
    value: (s) => Math.round((s.lastTs - s.firstTs) / 36_000) / 100,
  },
  { key: 'calls', header: 'Calls', numeric: true, value: (s) => s.calls },
  { key: 'prompts', header: 'Prompts', numeric: true, value: (s) => s.prompts },
  {
    key: 'cost',
    header: 'Cost (USD)',
    numeric: true,
    value: (s) => s.costUsd,
    render: (s) => formatUsd(s.costUsd),
  },
  { key: 'output', header: 'Output tokens', numeric: true, value: (s) => s.outputTokens },
  { key: 'cache-read', header: 'Cache read', numeric: true, value: (s) => s.cacheReadTokens },
  { key: 'edits', header: 'Edits', numeric: true, value: (s) => s.edits },
  { key: 'outcome', header: 'Outcome', value: (s) => `${s.outcome}${s.waste ? ' (waste)' : ''}` },
];

function Evidence({ x }: { x: FlagExplanationAnswer }) {
  return (
    <>
      {x.findings.map((f) => (
        <div className="panel" key={f.signal} data-derivations={f.signal}>
          <h3>{signalName(f.signal)}</h3>
          <p className="muted">{f.rule}</p>
          <ul>
            {f.derivations.map((d) => (
              <li key={d.key} data-matches={d.matches}>
                {d.key} = {d.recomputed} — {d.how}{' '}
                {d.matches ? '(matches the flag)' : `(flag says ${d.evidence})`}
              </li>
            ))}
            {f.checks
              .filter((c) => !c.what.includes(': '))
              .map((c) => (
                <li key={c.what}>
                  {c.met ? '✓' : '✗'} {c.what}: {c.value ?? '—'} {c.op} {c.threshold}
                </li>
              ))}
          </ul>
          <p className="muted">Wasted: {f.wasteHow}.</p>
        </div>
      ))}
      <Table
        caption="Sessions behind the evidence"
        rows={x.sessions.filter((s) => s.namedBy.length > 0)}
        columns={SESSION_COLUMNS}
        rowKey={(s) => s.sessionId}
        filename="flag-sessions"
        empty="No session is named by these findings (they rest on changes)."
      />
      <details>
        <summary>Reproduce from the DuckDB ledger</summary>
        <pre className="sql">
          {[x.reproduce.sessions, x.reproduce.activity, x.reproduce.changes].join(';\n\n')}
        </pre>
      </details>
    </>
  );
}
