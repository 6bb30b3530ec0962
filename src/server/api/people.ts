/**
 * `GET /api/v1/people`, `/people/{id}` and `/people/unresolved`: the people directory as far as
 * the caller may read it, and (admins) the identities in the ledger that map to no one.
 * @module
 */
import { seenIdentities } from '../../analyses/people/seen-identities.js';
import type { PeopleDirectory, Person } from '../../ledger/people/types.js';
import { unresolvedIdentities } from '../../ledger/people/unresolved.js';
import { ApiError, type ApiRoute } from './route.js';
import { audit, managedTeams, membersOfTeams, readablePerson, teamSubject, userOf } from './scope.js';

export interface PersonRow {
  id: string;
  name: string;
  email: string | null;
  /** The team today, or null. */
  team: string | null;
  boardOptIn: boolean;
}

export function personRow(dir: PeopleDirectory, p: Person, now = Date.now()): PersonRow {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    team: dir.teamAt(p.id, now) ?? null,
    boardOptIn: p.boardOptIn,
  };
}

export const peopleRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/people',
    tag: 'people',
    summary: 'People the caller may read',
    description:
      'Admins: everyone; managers: everyone who has been in a team they manage, and themself; engineers: themself.',
    params: [],
    response: '`{ people: [{ id, name, email, team, boardOptIn }] }`.',
    errors: [403],
    handler(c, _params, ctx) {
      const user = userOf(c);
      const dir = ctx.directory();
      let people: readonly Person[];
      if (user.role === 'admin') {
        audit(ctx, c, user, 'people.list', 'org');
        people = dir.people;
      } else {
        const ids = new Set(user.personId ? [user.personId] : []);
        if (user.role === 'manager') {
          const teams = managedTeams(dir, user);
          for (const t of teams) audit(ctx, c, user, 'people.list', teamSubject(t));
          for (const id of membersOfTeams(dir, teams, { fromTs: 0, untilTs: Date.now() })) ids.add(id);
        }
        people = dir.people.filter((p) => ids.has(p.id));
      }
      return c.json({ people: people.map((p) => personRow(dir, p)) });
    },
  },
  {
    method: 'get',
    path: '/api/v1/people/unresolved',
    tag: 'people',
    summary: 'Identities in the ledger that map to no one, with the spend and work they carry (admins)',
    params: [],
    response: 'As `tokenyield people unresolved --json`: `identities`, `unresolved` and `seen` totals.',
    errors: [403],
    async handler(c, _params, ctx) {
      const user = userOf(c);
      if (user.role !== 'admin')
        throw new ApiError(403, 'forbidden', 'Unresolved identities are for admin tokens only.');
      const dir = ctx.directory();
      audit(ctx, c, user, 'people.unresolved', 'org');
      const [usage, work] = await Promise.all([
        ctx.store.identities(),
        ctx.store.work({ kinds: ['commits', 'pullRequests'] }),
      ]);
      return c.json(unresolvedIdentities(dir, seenIdentities(dir, usage, work)));
    },
  },
  {
    method: 'get',
    path: '/api/v1/people/{id}',
    tag: 'people',
    summary: 'One person: aliases, team memberships, cost centre',
    description:
      'Any alias finds the person. Allowed for themself, a manager of a team they have been in, admins.',
    params: [{ name: 'id', in: 'path', type: 'string', description: 'Person id or any alias.' }],
    response: 'The person with `aliases`, `memberships`, `costCentre` and the team today.',
    errors: [403, 404],
    handler(c, params, ctx) {
      const user = userOf(c);
      const dir = ctx.directory();
      const id = readablePerson(dir, user, params.path('id'), { fromTs: 0, untilTs: Date.now() });
      audit(ctx, c, user, 'people.get', id);
      const person = dir.person(id);
      // A caller's own token may name someone the people file does not (yet) know.
      if (!person) throw new ApiError(404, 'not_found', `"${id}" is not in the people directory.`);
      return c.json({
        ...personRow(dir, person),
        aliases: person.aliases,
        memberships: person.memberships,
        costCentre: person.costCentre,
      });
    },
  },
];
