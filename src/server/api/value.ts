/**
 * `GET /api/v1/value`: the value metrics of `tokenyield value` (DESIGN §5) for the org, teams and
 * people the caller may read, from the server's cached value model.
 * @module
 */
import { ALL_TIME, type ValueSummary, valueSummaries, type Window } from '../../analyses/value/index.js';
import { PERSON_PARAM, TEAM_PARAM, WINDOW_PARAMS } from './reports.js';
import type { ApiRoute } from './route.js';
import { checkOrder, peopleScope, type Span, userOf } from './scope.js';

const DAY_MS = 86_400_000;

/** Whether `GET /value` lists people: `all` (the default, as before) or `none`. */
export const VALUE_PEOPLE = ['all', 'none'] as const;

/** Inclusive UTC days as the half-open window the value analyses take (as `tokenyield value` does). */
export function utcWindow(since: string | undefined, until: string | undefined): Window {
  checkOrder(since, until);
  return {
    from: since ? Date.parse(`${since}T00:00:00Z`) : ALL_TIME.from,
    until: until ? Date.parse(`${until}T00:00:00Z`) + DAY_MS : ALL_TIME.until,
  };
}

export function spanOfWindow(w: Window): Span {
  return {
    fromTs: Number.isFinite(w.from) ? w.from : 0,
    untilTs: Number.isFinite(w.until) ? w.until - 1 : Date.now(),
  };
}

export interface ValueAnswer {
  /** The org as a whole: only for an unscoped admin request. */
  org: ValueSummary | null;
  teams: ValueSummary[];
  people: ValueSummary[];
}

export const valueRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/value',
    tag: 'value',
    summary: 'Value metrics: shipped and durable changes, ND, agent work, cost per outcome',
    description:
      'Summaries as `tokenyield value --json`. An engineer gets their own; a manager their teams and their ' +
      'people; an admin the org, every team and every person. Days are UTC.',
    params: [
      ...WINDOW_PARAMS,
      TEAM_PARAM,
      PERSON_PARAM,
      {
        name: 'people',
        in: 'query',
        type: 'string',
        enum: VALUE_PEOPLE,
        description:
          '`all` (default): a summary for every person in scope; `none`: `people` is empty, only the org and ' +
          'team summaries are sent. An unscoped admin request lists everyone (megabytes at thousands of ' +
          'people): dashboards ask for `none`.',
      },
    ],
    response:
      '`{ org, teams, people }`: value summaries (org is null unless an admin asked for everything; people is empty with `people=none`).',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const window = utcWindow(params.string('since'), params.string('until'));
      const dir = ctx.directory();
      const scope = peopleScope(ctx, c, dir, user, {
        person: params.string('person'),
        team: params.string('team'),
        span: spanOfWindow(window),
        action: 'value',
      });
      const withPeople = params.string('people') !== 'none';
      const all = valueSummaries(await ctx.valueModel(), window, { people: withPeople });
      const people = scope.personIds ? new Set(scope.personIds) : undefined;
      const teams = scope.teams ? new Set(scope.teams) : undefined;
      const answer: ValueAnswer = {
        org: people === undefined ? all.org : null,
        teams: all.teams.filter((s) => s.scope.kind === 'team' && (!teams || teams.has(s.scope.team))),
        people: all.people.filter(
          (s) => s.scope.kind === 'person' && (!people || people.has(s.scope.personId)),
        ),
      };
      return c.json(answer);
    },
  },
];
