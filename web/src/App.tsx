/**
 * The dashboard shell: sign-in, the header (who you are, what you may read), navigation that
 * keeps the filters, and the page for the current path.
 * @module
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, apiGet, clearToken, setUnauthorisedHandler, storedToken } from './api.js';
import { Link } from './components/Link.js';
import { ErrorState, Loading } from './components/States.js';
import { Board } from './pages/Board.js';
import { BudgetPage, Budgets } from './pages/Budgets.js';
import { FlagPage, Integrity } from './pages/Integrity.js';
import { NotFound } from './pages/NotFound.js';
import { Overview } from './pages/Overview.js';
import { Person } from './pages/Person.js';
import { Roi } from './pages/Roi.js';
import { SignIn } from './pages/SignIn.js';
import { TeamPage, Teams } from './pages/Teams.js';
import { Tools } from './pages/Tools.js';
import { useLocation } from './router.js';
import { describeScope, type Session, SessionContext } from './session.js';
import type { Me, Team, UserMe } from './types.js';

type Start =
  | { state: 'signed-out'; notice: string | null }
  | { state: 'loading' }
  | { state: 'error'; error: ApiError }
  | { state: 'ready'; me: UserMe; teams: Team[] };

async function loadSession(me?: UserMe): Promise<{ me: UserMe; teams: Team[] }> {
  const [who, teams] = await Promise.all([
    me ? Promise.resolve<Me>(me) : apiGet<Me>('/api/v1/me'),
    apiGet<{ teams: Team[] }>('/api/v1/teams'),
  ]);
  if (who.kind !== 'user') throw new ApiError(403, 'forbidden', 'An ingest token cannot read the dashboard.');
  return { me: who, teams: teams.teams };
}

export function App() {
  const [start, setStart] = useState<Start>(() =>
    storedToken() ? { state: 'loading' } : { state: 'signed-out', notice: null },
  );

  const signOut = useCallback((notice: string | null = null) => {
    clearToken();
    setStart({ state: 'signed-out', notice });
  }, []);

  const begin = useCallback(
    (me?: UserMe) => {
      setStart({ state: 'loading' });
      loadSession(me).then(
        (s) => setStart({ state: 'ready', ...s }),
        (err: unknown) => {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) signOut(err.message);
          else
            setStart({
              state: 'error',
              error: err instanceof ApiError ? err : new ApiError(0, 'client', String(err)),
            });
        },
      );
    },
    [signOut],
  );

  useEffect(() => {
    setUnauthorisedHandler(() => signOut('The server no longer accepts this token; sign in again.'));
    if (storedToken()) begin();
  }, [begin, signOut]);

  const session = useMemo<Session | null>(
    () => (start.state === 'ready' ? { me: start.me, teams: start.teams, signOut: () => signOut() } : null),
    [start, signOut],
  );

  if (start.state === 'signed-out') return <SignIn onSignedIn={begin} notice={start.notice} />;
  if (start.state === 'loading' || !session) {
    return start.state === 'error' ? (
      <ErrorState error={start.error} what="the dashboard" />
    ) : (
      <Loading what="your session" />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} />
    </SessionContext.Provider>
  );
}

function Shell({ session }: { session: Session }) {
  const { path } = useLocation();
  const { me } = session;
  const own = me.person?.id;
  const nav: { to: string; label: string }[] = [
    { to: '/', label: 'Overview' },
    { to: '/board', label: 'Board' },
    { to: '/teams', label: 'Teams' },
    { to: '/tools', label: 'Tools' },
    { to: '/budgets', label: 'Budgets' },
    { to: '/integrity', label: 'Integrity' },
    ...(own ? [{ to: `/people/${encodeURIComponent(own)}`, label: 'My page' }] : []),
    { to: '/roi', label: 'ROI' },
  ];
  return (
    <>
      <header className="top">
        <span className="brand">tokenyield</span>
        <nav aria-label="Pages">
          {nav.map((n) => (
            <Link
              key={n.to}
              to={n.to}
              className={
                path === n.to || (n.to !== '/' && path.startsWith(`${n.to}/`)) ? 'active' : undefined
              }
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="who" data-role={me.role}>
          <span title={`token "${me.name}"`}>{me.person?.name ?? me.person?.id ?? me.name}</span>
          <span className="role">{me.role}</span>
          <span className="scope">{describeScope(me)}</span>
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/index.html') return <Overview />;
  if (path === '/board') return <Board />;
  if (path === '/teams') return <Teams />;
  if (path === '/tools') return <Tools />;
  if (path === '/budgets') return <Budgets />;
  if (path === '/integrity') return <Integrity />;
  if (path === '/roi') return <Roi />;
  const flag = /^\/integrity\/([^/]+)$/.exec(path);
  if (flag) return <FlagPage id={decodeURIComponent(flag[1]!)} />;
  const budget = /^\/budgets\/([^/]+)$/.exec(path);
  if (budget) return <BudgetPage id={decodeURIComponent(budget[1]!)} />;
  const team = /^\/teams\/([^/]+)$/.exec(path);
  if (team) return <TeamPage id={decodeURIComponent(team[1]!)} />;
  const person = /^\/people\/([^/]+)$/.exec(path);
  if (person) return <Person id={decodeURIComponent(person[1]!)} />;
  return <NotFound />;
}
