/**
 * Who may read whom (DESIGN §9 privacy), applied to request parameters. An engineer reads only
 * themself; a manager the people of the teams they manage; an admin everyone. A refused person is
 * refused before the directory is consulted about them, so a 403 never tells a caller whether
 * someone they may not read exists. Every read of another person's data is written to the audit
 * log before it is answered.
 * @module
 */
import type { Context } from 'hono';
import type { PeopleDirectory, Person, PersonSpan, Team } from '../../ledger/people/types.js';
import { canReadPerson, canReadTeam, type Principal, readableTeams } from '../auth/principal.js';
import type { AppEnv, ServerContext } from '../context.js';
import { ApiError, badParam } from './route.js';

export type User = Extract<Principal, { kind: 'user' }>;

const DAY_MS = 86_400_000;

/** The caller, when it is a person's token: ingest tokens only send data. */
export function userOf(c: Context<AppEnv>): User {
  const p = c.get('principal');
  if (p.kind !== 'user')
    throw new ApiError(403, 'forbidden', 'An ingest token may only send data; read with a user token.');
  return p;
}

/** Epoch-ms bounds, both inclusive, in which team membership is judged. */
export interface Span {
  fromTs: number;
  untilTs: number;
}

export function checkOrder(since: string | undefined, until: string | undefined): void {
  if (since && until && since > until) throw badParam('since', `${since} is after until ${until}.`);
}

/** The span of inclusive `YYYY-MM-DD` days (membership dates are UTC days); open ends: all time, now. */
export function spanOfDays(since: string | undefined, until: string | undefined): Span {
  return {
    fromTs: since ? Date.parse(`${since}T00:00:00Z`) : 0,
    untilTs: until ? Date.parse(`${until}T00:00:00Z`) + DAY_MS - 1 : Date.now(),
  };
}

export function lookupPerson(dir: PeopleDirectory, value: string): Person | undefined {
  return dir.person(value) ?? dir.person(value.toLowerCase()) ?? dir.resolve(value);
}

function refusal(user: User, value: string): ApiError {
  const why =
    user.role === 'engineer'
      ? 'an engineer token reads only its own person'
      : `"${value}" is not in a team you manage in this window`;
  return new ApiError(403, 'forbidden', `You may not read "${value}": ${why}.`);
}

/**
 * The person id a parameter names, if the caller may read them (any alias is accepted); 403 when
 * not. An identity the people directory does not know is read as the ledger stores it (lowercased
 * raw e-mail or account id, see `people unresolved`), which only admins may do.
 */
export function readablePerson(dir: PeopleDirectory, user: User, value: string, span: Span): string {
  const found = lookupPerson(dir, value);
  const id = found?.id ?? value.toLowerCase();
  if (user.personId !== null && id === user.personId) return id;
  if (!canReadPerson(user, id, dir, span.fromTs, span.untilTs)) throw refusal(user, value);
  return id;
}

export function findTeam(dir: PeopleDirectory, id: string): Team {
  const team = dir.teams.find((t) => t.id === id);
  if (!team)
    throw new ApiError(404, 'not_found', `No team "${id}" in the people directory (see /api/v1/teams).`);
  return team;
}

/** A team whose person-level data the caller may read. Team ids are public, so 404 comes first. */
export function readableTeam(dir: PeopleDirectory, user: User, id: string): Team {
  const team = findTeam(dir, id);
  if (!canReadTeam(user, team.id, dir))
    throw new ApiError(403, 'forbidden', `You may not read team "${id}": it is not a team you manage.`);
  return team;
}

/** Person ids of everyone in `teams` at some time in the span, deduplicated. */
export function membersOfTeams(dir: PeopleDirectory, teams: readonly string[], span: Span): string[] {
  const ids = new Set<string>();
  for (const t of teams) for (const m of dir.membersOf(t, span.fromTs, span.untilTs)) ids.add(m.id);
  return [...ids].sort();
}

/** The teams a manager's unscoped request covers (an admin's covers the org). */
export function managedTeams(dir: PeopleDirectory, user: User): string[] {
  const teams = readableTeams(user, dir);
  return teams === 'all' ? dir.teams.map((t) => t.id) : teams;
}

/** Audits a read of someone else's data; a read of one's own is not logged. */
export function audit(
  ctx: ServerContext,
  c: Context<AppEnv>,
  user: User,
  action: string,
  subject: string,
): void {
  if (subject === user.personId) return;
  const url = new URL(c.req.url);
  ctx.audit.record(user, action, subject, `${c.req.method} ${url.pathname}${url.search}`);
}

export function teamSubject(id: string): string {
  return `team:${id}`;
}

/** When each person was in one of `teams`, within the span. */
export function spansOfTeams(dir: PeopleDirectory, teams: readonly string[], span: Span): PersonSpan[] {
  return teams.flatMap((t) => dir.membershipSpans(t, span.fromTs, span.untilTs));
}

export interface PeopleScope {
  /** The people covered; undefined for everyone (an admin's unscoped read). */
  personIds: string[] | undefined;
  /**
   * For reads through teams: each person only while they were in one of the teams, so a team's
   * numbers never include what a member did before joining or after leaving. Undefined when
   * `personIds` applies over the whole window.
   */
  personSpans: PersonSpan[] | undefined;
  teams: string[] | undefined;
}

/**
 * The people a person-level read covers, from its `person` and `team` parameters: an engineer
 * always themself; a manager by default the people of their teams, each while a member; an admin
 * by default everyone (`undefined`, which includes identities the directory does not know).
 * Audits as it goes.
 */
export function peopleScope(
  ctx: ServerContext,
  c: Context<AppEnv>,
  dir: PeopleDirectory,
  user: User,
  request: { person?: string; team?: string; span: Span; action: string },
): PeopleScope {
  const { person, team, span, action } = request;
  if (user.role === 'engineer') {
    if (team !== undefined)
      throw new ApiError(403, 'forbidden', 'An engineer token reads only its own person, not a team.');
    if (person !== undefined) readablePerson(dir, user, person, span);
    if (user.personId === null)
      throw new ApiError(403, 'forbidden', 'This token names no person to report on.');
    return { personIds: [user.personId], personSpans: undefined, teams: [] };
  }
  let spans: PersonSpan[] | undefined;
  let personIds: string[] | undefined;
  let teams: string[] | undefined;
  if (team !== undefined) {
    const t = readableTeam(dir, user, team);
    audit(ctx, c, user, action, teamSubject(t.id));
    teams = [t.id];
    spans = spansOfTeams(dir, teams, span);
  } else if (user.role === 'manager') {
    // A manager reads people only through the teams they manage, whether or not a person is named.
    teams = managedTeams(dir, user);
    if (person === undefined) for (const t of teams) audit(ctx, c, user, action, teamSubject(t));
    spans = spansOfTeams(dir, teams, span);
  }
  if (person !== undefined) {
    const id = readablePerson(dir, user, person, span);
    audit(ctx, c, user, action, id);
    if (spans !== undefined && id !== user.personId) spans = spans.filter((s) => s.personId === id);
    else spans = undefined;
    personIds = [id];
    // A read of one person covers no team's aggregates, even when it goes through a team.
    if (team === undefined) teams = [];
  }
  if (spans !== undefined) personIds = [...new Set(spans.map((s) => s.personId))].sort();
  return { personIds, personSpans: spans, teams };
}
