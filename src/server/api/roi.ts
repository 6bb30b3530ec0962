/**
 * `GET /api/v1/roi`: whether AI is paying off for the scope the caller may read (src/analyses/roi):
 * spend beside outcomes per week or month, cost per outcome and its trend, waste by cause, what
 * integrity flags estimate was wasted, and spend against the scope's budgets. Who sees what is the
 * value route's rule: an engineer themself, a manager their teams, an admin the org or any team.
 * @module
 */
import { ROI_PERIODS, type RoiPeriodKind, type RoiScope, roiReport } from '../../analyses/roi/index.js';
import type { Tool } from '../../ledger/records.js';
import { canReadPerson } from '../auth/principal.js';
import { serverFlagBook } from './flags.js';
import { REPORT_TOOLS, TEAM_PARAM, WINDOW_PARAMS } from './reports.js';
import type { ApiRoute } from './route.js';
import { peopleScope, userOf } from './scope.js';
import { spanOfWindow, utcWindow } from './value.js';

export const roiRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/roi',
    tag: 'value',
    summary: 'ROI: spend vs outcomes per period, cost per outcome and its trend, waste by cause, budgets',
    description:
      'For the org (admins), a team (`team`; managers: their teams) or, for an engineer, themself. Per week or ' +
      'month: spend, qualifying durable changes, ND, agent work units, cost of each (null with no outcome; ' +
      '`lowData` under `minOutcomes`), spend with no durable outcome by cause; the trend of each cost over whole ' +
      'periods; integrity flags’ estimated waste; teams (withheld below the minimum group size); the budgets of ' +
      'exactly this scope with outcomes per budget dollar. With `tool`, only those tools’ sessions count and ND, ' +
      'changes and flags are left out (they are not split by tool). Days are UTC.',
    params: [
      ...WINDOW_PARAMS,
      TEAM_PARAM,
      {
        name: 'tool',
        in: 'query',
        type: 'string',
        enum: REPORT_TOOLS,
        list: true,
        description: 'Only these tools’ sessions.',
      },
      {
        name: 'period',
        in: 'query',
        type: 'string',
        enum: ROI_PERIODS,
        description: '`week` (ISO weeks, the default) or `month` (UTC calendar months).',
      },
    ],
    response:
      '`{ from, until, period, scope, tools, ndBasis, minOutcomes, minGroupSize, totals, periods, trend, flagged, ' +
      'teams, budgets, notes }` (docs/dashboard.md).',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const window = utcWindow(params.string('since'), params.string('until'));
      const dir = ctx.directory();
      const access = peopleScope(ctx, c, dir, user, {
        team: params.string('team'),
        span: spanOfWindow(window),
        action: 'roi',
      });
      const scope: RoiScope =
        user.role === 'engineer'
          ? { kind: 'person', personId: user.personId! }
          : access.teams === undefined
            ? { kind: 'org' }
            : { kind: 'teams', teams: access.teams };
      const tools = params.list('tool') as Tool[] | undefined;
      const period = (params.string('period') ?? 'week') as RoiPeriodKind;
      const key = JSON.stringify(['roi', window, period, scope, tools, user.role, user.personId]);
      const { value } = await ctx.readCache.get(key, async () => {
        const people = access.personIds ? new Set(access.personIds) : undefined;
        const book = await serverFlagBook(ctx, window);
        const flags = book.flags.filter(
          (f) =>
            (!people || people.has(f.personId)) &&
            canReadPerson(user, f.personId, dir, f.window.from, f.window.until - 1),
        );
        return roiReport(await ctx.valueModel(), {
          window,
          period,
          scope,
          tools,
          flags,
          // Only budgets of exactly the report's scope are used, and those the caller may read.
          budgets: await ctx.budgets.statuses(),
          minGroupSize: ctx.settings.minGroupSize,
        });
      });
      return c.json(value);
    },
  },
];
