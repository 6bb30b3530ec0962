/**
 * Who is calling. Ingest tokens (per team or machine) may only send data; user tokens carry a
 * role: an admin sees everything, a manager the people of the teams they manage, an engineer
 * only themself (DESIGN §9 privacy).
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';

export type Role = 'admin' | 'manager' | 'engineer';

export type Principal =
  | { kind: 'ingest'; name: string; team: string | null }
  | {
      kind: 'user';
      name: string;
      role: Role;
      /** The person the token belongs to (required for engineers and managers). */
      personId: string | null;
      /** Teams a manager manages, from the token and from the people file's `managers`. */
      teams: string[];
    };

/** True when the principal may send usage, telemetry and outcomes. */
export function canIngest(p: Principal): boolean {
  return p.kind === 'ingest' || p.role === 'admin';
}

/** Teams whose person-level data the principal may read: `all`, or a list (possibly empty). */
export function readableTeams(p: Principal, directory: PeopleDirectory): 'all' | string[] {
  if (p.kind !== 'user') return [];
  if (p.role === 'admin') return 'all';
  if (p.role === 'engineer') return [];
  const managed = new Set(p.teams);
  if (p.personId) for (const t of directory.teams) if (t.managers.includes(p.personId)) managed.add(t.id);
  return [...managed].sort();
}

/**
 * Whether the principal may read one person's data: themself always; a manager anyone who was in
 * one of their teams at some time in [fromTs, untilTs]; an admin anyone.
 */
export function canReadPerson(
  p: Principal,
  personId: string,
  directory: PeopleDirectory,
  fromTs = 0,
  untilTs = Date.now(),
): boolean {
  if (p.kind !== 'user') return false;
  if (p.personId !== null && p.personId === personId) return true;
  const teams = readableTeams(p, directory);
  if (teams === 'all') return true;
  return teams.some((team) => directory.membersOf(team, fromTs, untilTs).some((m) => m.id === personId));
}

/** Whether the principal may read one team's person-level data. */
export function canReadTeam(p: Principal, team: string, directory: PeopleDirectory): boolean {
  const teams = readableTeams(p, directory);
  return teams === 'all' || teams.includes(team);
}
