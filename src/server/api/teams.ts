/**
 * `GET /api/v1/teams` and `/teams/{id}`: every caller sees which teams exist and how large they
 * are (a count below the minimum group size is withheld, like any small aggregate); member lists
 * only for those who may read the team.
 * @module
 */

import type { PeopleDirectory, Team } from '../../ledger/people/types.js';
import { canReadTeam } from '../auth/principal.js';
import type { ServerContext } from '../context.js';
import { personRow } from './people.js';
import { WINDOW_PARAMS } from './reports.js';
import type { ApiRoute } from './route.js';
import { audit, checkOrder, findTeam, spanOfDays, teamSubject, type User, userOf } from './scope.js';

function teamRow(ctx: ServerContext, dir: PeopleDirectory, user: User, team: Team, now: number) {
  const readable = canReadTeam(user, team.id, dir);
  const size = dir.membersOf(team.id, now, now).length;
  return {
    id: team.id,
    name: team.name,
    /** Members today; null when below the minimum group size for a caller who may not read the team. */
    members: readable || size >= ctx.settings.minGroupSize ? size : null,
    readable,
  };
}

export const teamRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/teams',
    tag: 'teams',
    summary: 'Every team: id, name, member count (withheld below the minimum group size)',
    params: [],
    response:
      '`{ teams: [{ id, name, members, readable }] }`; `readable` says whether the caller may list its people.',
    errors: [403],
    handler(c, _params, ctx) {
      const user = userOf(c);
      const dir = ctx.directory();
      const now = Date.now();
      return c.json({ teams: dir.teams.map((t) => teamRow(ctx, dir, user, t, now)) });
    },
  },
  {
    method: 'get',
    path: '/api/v1/teams/{id}',
    tag: 'teams',
    summary: 'One team; its managers and members for those who may read it',
    params: [
      { name: 'id', in: 'path', type: 'string', description: 'Team id.' },
      ...WINDOW_PARAMS.map((p) => ({
        ...p,
        description: `${p.description} Members in this window (default: today).`,
      })),
    ],
    response:
      'The team; with `managers` and `people` (everyone who was a member in the window) when readable.',
    errors: [403, 404],
    handler(c, params, ctx) {
      const user = userOf(c);
      const dir = ctx.directory();
      const team = findTeam(dir, params.path('id'));
      const now = Date.now();
      const row = teamRow(ctx, dir, user, team, now);
      if (!row.readable) return c.json(row);
      const since = params.string('since');
      const until = params.string('until');
      checkOrder(since, until);
      const span = since || until ? spanOfDays(since, until) : { fromTs: now, untilTs: now };
      audit(ctx, c, user, 'teams.members', teamSubject(team.id));
      const name = (id: string) => dir.person(id)?.name ?? id;
      return c.json({
        ...row,
        managers: team.managers.map((id) => ({ id, name: name(id) })),
        people: dir.membersOf(team.id, span.fromTs, span.untilTs).map((p) => personRow(dir, p, now)),
      });
    },
  },
];
