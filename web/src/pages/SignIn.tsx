/**
 * Sign-in with a token from `tokenyield token create`. The token is checked against
 * `/api/v1/me` before it is kept, so a typo is told at once rather than on every page.
 * @module
 */
import { type FormEvent, useState } from 'react';
import { ApiError, apiGet, storeToken } from '../api.js';
import type { Me, UserMe } from '../types.js';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (me: UserMe) => void; notice?: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const given = token.trim();
    if (!given) return;
    setBusy(true);
    setError(null);
    try {
      const me = await apiGet<Me>('/api/v1/me', {}, { token: given });
      if (me.kind !== 'user') {
        setError(
          'This is an ingest token: it only sends data. Sign in with a user token (admin, manager or engineer).',
        );
        return;
      }
      storeToken(given);
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <h1>tokenyield</h1>
      <p>AI spend, joined to the work that shipped.</p>
      <form onSubmit={submit}>
        <label htmlFor="token">Your token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          placeholder="ty_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {notice ? <p className="state">{notice}</p> : null}
      {error ? (
        <p className="state error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="muted">
        An administrator makes tokens with <code>tokenyield token create --role engineer --person you@…</code>
        . The token stays in this browser tab only and is forgotten when the tab closes.
      </p>
    </main>
  );
}
