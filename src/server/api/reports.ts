/**
 * `GET /api/v1/reports/{kind}`: the usage reports of `tokenyield report`, scoped to what the
 * caller may read. Days are cut in `tz` (default UTC: the server's own zone means nothing to a
 * remote caller; the CLI always sends the user's).
 * @module
 */
import { REPORT_KINDS, type ReportKind, usageReport } from '../../analyses/reports/usage-report.js';
import type { Tool } from '../../ledger/records.js';
import { reportJson } from './report-json.js';
import { ApiError, type ApiRoute, badParam, type ParamSpec } from './route.js';
import { checkOrder, peopleScope, spanOfDays, userOf } from './scope.js';

/** The tools whose local logs the CLI reads; telemetry-only tools are reported but not filterable yet. */
export const REPORT_TOOLS: readonly Tool[] = ['claude-code', 'codex', 'gemini-cli'];

export const WINDOW_PARAMS: ParamSpec[] = [
  { name: 'since', in: 'query', type: 'date', description: 'First day to include (YYYY-MM-DD, inclusive).' },
  { name: 'until', in: 'query', type: 'date', description: 'Last day to include (YYYY-MM-DD, inclusive).' },
];

export const PERSON_PARAM: ParamSpec = {
  name: 'person',
  in: 'query',
  type: 'string',
  description:
    'Only this person (id or any alias). Engineers: only themself; managers: people of their teams; admins: anyone.',
};

export const TEAM_PARAM: ParamSpec = {
  name: 'team',
  in: 'query',
  type: 'string',
  description:
    'Only the people who were members of this team in the window (managers: their teams; admins: any).',
};

/** The time of the ledger state an answer was computed from. */
export const AS_OF_HEADER = 'X-Tokenyield-As-Of';

export const reportRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/reports/{kind}',
    tag: 'reports',
    summary: 'Usage report by day, week, month, session, model or project',
    description:
      'The JSON of `tokenyield report <kind> --json`. Scope: an engineer always gets their own usage; a manager ' +
      'by default the people of the teams they manage; an admin by default the whole org (including identities the people file does not know).',
    params: [
      { name: 'kind', in: 'path', type: 'string', enum: REPORT_KINDS, description: 'How rows are grouped.' },
      ...WINDOW_PARAMS,
      {
        name: 'tz',
        in: 'query',
        type: 'timezone',
        description: 'IANA time zone that cuts days (default UTC).',
      },
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
    response: 'The report: `rows`, `totals`, `kind`, `time_zone`, `since`, `until`, `unpriced_models`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const kind = params.path('kind') as ReportKind;
      const since = params.string('since');
      const until = params.string('until');
      checkOrder(since, until);
      const dir = ctx.directory();
      const scope = peopleScope(ctx, c, dir, user, {
        person: params.string('person'),
        team: params.string('team'),
        span: spanOfDays(since, until),
        action: `report.${kind}`,
      });
      const timeZone = params.string('tz') ?? 'UTC';
      const query = {
        kind,
        timeZone,
        since,
        until,
        tools: params.list('tool') as Tool[] | undefined,
        personIds: scope.personIds,
        personSpans: scope.personSpans,
      };
      try {
        const answer = await ctx.readCache.get(`report:${JSON.stringify(query)}`, async () =>
          reportJson(kind, await usageReport(ctx.store, query)),
        );
        // What the answer reflects: a slow report may come from before the latest writes (read-cache.ts).
        c.header(AS_OF_HEADER, new Date(answer.asOf).toISOString());
        return c.json(answer.value);
      } catch (err) {
        // Intl and the ledger's engine each keep a zone list; one may know a name the other does not.
        if (err instanceof Error && /time zone/i.test(err.message) && !(err instanceof ApiError))
          throw badParam('tz', err.message);
        throw err;
      }
    },
  },
];
