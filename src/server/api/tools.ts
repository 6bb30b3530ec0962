/**
 * `GET /api/v1/tools`: each AI tool's calls, tokens and spend next to its sessions' outcomes
 * (agent work units, cost per unit), for the people the caller may read. Pre-aggregated on the
 * server so the dashboard's tools page never needs per-person data.
 * @module
 */
import { toolBreakdown } from '../../analyses/tools/breakdown.js';
import type { Tool } from '../../ledger/records.js';
import { PERSON_PARAM, REPORT_TOOLS, TEAM_PARAM, WINDOW_PARAMS } from './reports.js';
import type { ApiRoute } from './route.js';
import { peopleScope, userOf } from './scope.js';
import { spanOfWindow, utcWindow } from './value.js';

export const toolRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/tools',
    tag: 'reports',
    summary: 'Usage and outcomes by AI tool: calls, tokens, spend, agent work units, cost per unit',
    description:
      'One row per tool with the usage totals of `reports/model` (calls, tokens, `cost_usd`, models used) and ' +
      '`outcomes`: the tool’s sessions started in the window, their spend, attempted sessions, agent work units, ' +
      'success rate, cost per agent work unit and sessions by outcome (docs/metrics.md). ND is not split by tool. ' +
      'Scope as for the usage reports; days are UTC.',
    params: [
      ...WINDOW_PARAMS,
      {
        name: 'tool',
        in: 'query',
        type: 'string',
        enum: REPORT_TOOLS,
        list: true,
        description: 'Only these tools.',
      },
      PERSON_PARAM,
      TEAM_PARAM,
    ],
    response:
      '`{ since, until, rows: [{ tool, calls, cost_usd, total_tokens, …, models, outcomes }], totals, unpriced_models }`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const since = params.string('since');
      const until = params.string('until');
      const window = utcWindow(since, until);
      const scope = peopleScope(ctx, c, ctx.directory(), user, {
        person: params.string('person'),
        team: params.string('team'),
        span: spanOfWindow(window),
        action: 'tools',
      });
      const answer = await toolBreakdown(ctx.store, await ctx.valueModel(), {
        since,
        until,
        window,
        tools: params.list('tool') as Tool[] | undefined,
        personIds: scope.personIds,
        personSpans: scope.personSpans,
      });
      return c.json(answer);
    },
  },
];
