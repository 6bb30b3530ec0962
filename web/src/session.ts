/**
 * Who is signed in, shared with every page: the answer of `/api/v1/me` and the teams list.
 * @module
 */
import { createContext, useContext } from 'react';
import type { Team, UserMe } from './types.js';

export interface Session {
  me: UserMe;
  /** Every team (ids and names are public); `readable` says whose people the caller may see. */
  teams: Team[];
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in session');
  return s;
}

export function readableTeams(session: Session): Team[] {
  return session.teams.filter((t) => t.readable);
}

/** The teams line of the header: what this token may read. */
export function describeScope(me: UserMe): string {
  if (me.readableTeams === 'all') return 'reads everyone';
  if (me.readableTeams.length === 0) return 'reads only themself';
  return `reads teams ${me.readableTeams.join(', ')}`;
}
