/**
 * `GET /api/v1/me`: who the server takes the caller to be, and what they may read.
 * @module
 */
import { readableTeams } from '../auth/principal.js';
import { personRow } from './people.js';
import type { ApiRoute } from './route.js';

export const meRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    tag: 'me',
    summary: 'The caller: token kind, role, person and the teams whose people they may read',
    params: [],
    response:
      '`{ kind, name, role, person, readableTeams }`; `person` is null for tokens of no person, ' +
      '`readableTeams` is "all" for admins. Ingest tokens: `{ kind, name, team }`.',
    handler(c, _params, ctx) {
      const p = c.get('principal');
      if (p.kind === 'ingest') return c.json({ kind: p.kind, name: p.name, team: p.team });
      const dir = ctx.directory();
      const known = p.personId ? dir.person(p.personId) : undefined;
      const person = known
        ? personRow(dir, known)
        : p.personId
          ? { id: p.personId, name: null, email: null, team: null, boardOptIn: false }
          : null;
      return c.json({
        kind: p.kind,
        name: p.name,
        role: p.role,
        person,
        readableTeams: readableTeams(p, dir),
      });
    },
  },
];
