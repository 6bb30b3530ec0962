/**
 * `GET /api/v1/board` and `/board/explain/{person}`: the leaderboard (DESIGN §6) as
 * `tokenyield board` computes it. The board itself applies the privacy rules — groups below the
 * minimum size are suppressed, individuals appear only if they opted in or are the viewer — and the
 * server only chooses its inputs: a minimum that a caller may raise but never lower, and
 * non-opted-in individuals (`all`) for admins alone. People with open or confirmed integrity flags
 * in the periods the window overlaps are held out (analyses/integrity, `serverFlagBook`).
 * @module
 */
import { board, explain, LENSES, type Lens } from '../../analyses/board/index.js';
import type { ServerContext } from '../context.js';
import { serverFlagBook } from './flags.js';
import { WINDOW_PARAMS } from './reports.js';
import { ApiError, type ApiRoute, type ParamSpec, type Params } from './route.js';
import { audit, readablePerson, userOf } from './scope.js';
import { spanOfWindow, utcWindow } from './value.js';

const SHARED: ParamSpec[] = [
  {
    name: 'lens',
    in: 'query',
    type: 'string',
    enum: LENSES,
    description: 'What to rank by (default value; spend is a cost view, not merit).',
  },
  ...WINDOW_PARAMS,
  {
    name: 'exact',
    in: 'query',
    type: 'boolean',
    description: 'Exact ranks and scores instead of percentile bands.',
  },
  {
    name: 'min_group',
    in: 'query',
    type: 'integer',
    minimum: 1,
    description: 'Suppress groups smaller than this; it can only raise the server’s minimum, never lower it.',
  },
];

function boardOptions(params: Params, ctx: ServerContext) {
  return {
    lens: (params.string('lens') ?? 'value') as Lens,
    window: utcWindow(params.string('since'), params.string('until')),
    exactRanks: params.flag('exact'),
    minGroupSize: Math.max(ctx.settings.minGroupSize, params.integer('min_group') ?? 1),
  };
}

export const boardRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/board',
    tag: 'board',
    summary:
      'The leaderboard of outcomes: teams first, percentile bands, groups below the minimum size suppressed',
    params: [
      ...SHARED,
      {
        name: 'level',
        in: 'query',
        type: 'string',
        enum: ['team', 'person'],
        description: 'team (default) or person.',
      },
      {
        name: 'all',
        in: 'query',
        type: 'boolean',
        description: 'Admins only: include people who did not opt in.',
      },
    ],
    response:
      'The board as `tokenyield board --json`: entries, suppressed groups, hidden and held-out counts, settings.',
    errors: [403],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const all = params.flag('all');
      if (all && user.role !== 'admin')
        throw new ApiError(
          403,
          'forbidden',
          'Parameter "all" (people who did not opt in) is for admin tokens only.',
        );
      const options = boardOptions(params, ctx);
      const level = (params.string('level') ?? 'team') as 'team' | 'person';
      if (all && level === 'person') audit(ctx, c, user, 'board.individuals', 'org');
      const model = await ctx.valueModel();
      const { heldOut } = await serverFlagBook(ctx, options.window);
      return c.json(
        board(model, {
          ...options,
          level,
          allowIndividuals: all,
          viewer: user.personId ?? undefined,
          heldOut,
        }),
      );
    },
  },
  {
    method: 'get',
    path: '/api/v1/board/explain/{person}',
    tag: 'board',
    summary: 'Every number and link behind one person’s board position',
    description: 'Allowed for the person themself, a manager of their team, and admins.',
    params: [
      { name: 'person', in: 'path', type: 'string', description: 'Person id or any alias.' },
      ...SHARED,
    ],
    response: 'The explanation as `tokenyield board --explain <person> --json`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const options = boardOptions(params, ctx);
      const id = readablePerson(ctx.directory(), user, params.path('person'), spanOfWindow(options.window));
      audit(ctx, c, user, 'board.explain', id);
      const model = await ctx.valueModel();
      const { heldOut } = await serverFlagBook(ctx, options.window);
      const explanation = explain(model, id, { ...options, level: 'person', viewer: id, heldOut });
      const nothing =
        explanation.position === null &&
        explanation.changes.length === 0 &&
        explanation.sessions.length === 0 &&
        explanation.deployments.length === 0;
      if (nothing && !ctx.directory().person(id))
        throw new ApiError(404, 'not_found', `Nothing is known about "${params.path('person')}".`);
      return c.json(explanation);
    },
  },
];
