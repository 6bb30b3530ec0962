/**
 * Budgets over the API (docs/budgets.md): list, status with forecast, alert history and what-if
 * caps for the budgets the caller may read; set and remove for admins; and the budget check a
 * gateway or a Claude Code hook calls before a model request, answered from memory.
 *
 * Who reads what: an admin every budget; a manager the budgets of the teams they manage and of
 * their people; an engineer the budgets of themself. Per-person allowances are readable by
 * everyone they cover, each seeing only the people they may read.
 * @module
 */
import type { Context } from 'hono';
import {
  BudgetConflictError,
  type BudgetDefinition,
  BudgetDefinitionError,
  BudgetNotFoundError,
  type BudgetStatus,
} from '../../analyses/budgets/index.js';
import { BUDGET_TOOLS } from '../../analyses/budgets/schema.js';
import { resolvePersonId } from '../../analyses/budgets/scope.js';
import type { PeopleDirectory } from '../../ledger/people/types.js';
import { canReadPerson, canReadTeam, readableTeams } from '../auth/principal.js';
import type { AppEnv, ServerContext } from '../context.js';
import { ApiError, type ApiRoute, badParam, type ParamSpec } from './route.js';
import { audit, readablePerson, spanOfDays, teamSubject, type User, userOf } from './scope.js';

/** How much of a budget the caller sees: all of it, only the allowance rows of people they may read, or none. */
type View = 'full' | 'rows' | null;

const ID_PARAM: ParamSpec = { name: 'id', in: 'path', type: 'string', description: 'The budget id.' };

function viewOf(dir: PeopleDirectory, user: User, status: Pick<BudgetStatus, 'budget'>): View {
  if (user.role === 'admin') return 'full';
  const { scope } = status.budget;
  if (scope.kind === 'team' && canReadTeam(user, scope.id, dir)) return 'full';
  if (scope.kind === 'person') {
    const id = resolvePersonId(dir, scope.id);
    if (id === user.personId || canReadPerson(user, id, dir)) return 'full';
  }
  return status.budget.perPerson ? 'rows' : null;
}

function subjectOf(status: Pick<BudgetStatus, 'budget'>, dir: PeopleDirectory): string | null {
  const { scope } = status.budget;
  if (scope.kind === 'team') return teamSubject(scope.id);
  if (scope.kind === 'person') return resolvePersonId(dir, scope.id);
  return null;
}

function notFound(id: string): ApiError {
  return new ApiError(404, 'not_found', `No budget "${id}" (see /api/v1/budgets).`);
}

/** The status as the caller may see it; allowance rows carry the person's name. */
/**
 * The people whose allowance rows a non-admin sees: themself, and for a manager everyone in a team
 * they manage during the period. Built once per budget, not per row (an allowance may cover
 * thousands of people).
 */
function readablePeople(user: User, dir: PeopleDirectory, status: BudgetStatus): Set<string> {
  const ids = new Set<string>(user.personId ? [user.personId] : []);
  const teams = readableTeams(user, dir);
  const list = teams === 'all' ? dir.teams.map((t) => t.id) : teams;
  for (const team of list)
    for (const p of dir.membersOf(team, status.period.startTs, status.computedAt)) ids.add(p.id);
  return ids;
}

function present(status: BudgetStatus, view: 'full' | 'rows', dir: PeopleDirectory, user: User) {
  const readable = view === 'full' ? null : readablePeople(user, dir, status);
  const allowances = status.allowances && {
    ...status.allowances,
    rows: status.allowances.rows
      .filter((r) => readable === null || readable.has(r.personId))
      .map((r) => ({ ...r, name: dir.person(r.personId)?.name ?? null })),
  };
  if (view === 'full') return { view, ...status, allowances };
  // Only the allowance and the readable people's rows: nothing of the scope's total.
  return {
    view,
    id: status.id,
    name: status.name,
    budget: status.budget,
    source: status.source,
    period: status.period,
    today: status.today,
    allowances: allowances && { amount: allowances.amount, rows: allowances.rows },
    computedAt: status.computedAt,
  };
}

function summary(s: BudgetStatus, view: 'full' | 'rows', dir: PeopleDirectory, user: User) {
  const full = present(s, view, dir, user);
  if (!('forecast' in full)) return full;
  const { days: _days, forecast, allowances, ...rest } = full;
  return {
    ...rest,
    allowances: allowances && { ...allowances, rows: allowances.rows.slice(0, 10) },
    forecast: forecast && {
      method: forecast.method,
      burnRatePerDay: forecast.burnRatePerDay,
      projected: forecast.projected,
      exhaustsOn: forecast.exhaustsOn,
      exhaustsRange: forecast.exhaustsRange,
      exhaustionProbability: forecast.exhaustionProbability,
    },
  };
}

async function visibleStatus(
  ctx: ServerContext,
  c: Context<AppEnv>,
  user: User,
  id: string,
  action: string,
): Promise<{ status: BudgetStatus; view: 'full' | 'rows' }> {
  const status = await ctx.budgets.status(id);
  if (!status) throw notFound(id);
  const dir = ctx.directory();
  const view = viewOf(dir, user, status);
  if (view === null)
    throw new ApiError(
      403,
      'forbidden',
      `You may not read budget "${id}": it covers people you may not read.`,
    );
  const subject = subjectOf(status, dir);
  if (subject !== null && view === 'full') audit(ctx, c, user, action, subject);
  return { status, view };
}

function admin(user: User, what: string): void {
  if (user.role !== 'admin') throw new ApiError(403, 'forbidden', `Only an admin token may ${what}.`);
}

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'bad_body', 'The body must be a JSON budget definition (see docs/budgets.md).');
  }
}

function definitionJson(d: BudgetDefinition) {
  return {
    budget: d.budget,
    source: d.source,
    updatedAt: d.updatedAt ?? null,
    updatedBy: d.updatedBy ?? null,
  };
}

export const budgetRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/budgets',
    tag: 'budgets',
    summary: 'Budgets the caller may read, each with its period, spend, limit, state and forecast',
    description:
      'Spend is recomputed after every ledger commit; forecasts at most every 15 minutes. Per-person ' +
      'allowances show only the people the caller may read (`view: "rows"`). Admins also get `invalid`: stored ' +
      'definitions that no longer parse.',
    params: [],
    response:
      '`{ budgets: [{ view, id, name, budget, source, period, limit, spent, remaining, percent, state, thresholds, forecast, allowances, warnings, computedAt }], invalid? }`.',
    async handler(c, _params, ctx) {
      const user = userOf(c);
      const dir = ctx.directory();
      const budgets = [];
      for (const s of await ctx.budgets.statuses()) {
        const view = viewOf(dir, user, s);
        if (view === null) continue;
        const subject = subjectOf(s, dir);
        if (subject !== null && view === 'full') audit(ctx, c, user, 'budgets', subject);
        budgets.push(summary(s, view, dir, user));
      }
      return c.json({
        budgets,
        ...(user.role === 'admin' ? { invalid: await ctx.budgets.invalidStored() } : {}),
      });
    },
  },
  {
    method: 'get',
    path: '/api/v1/budgets/{id}',
    tag: 'budgets',
    summary:
      'One budget: spend per day, thresholds, forecast (burn rate, adoption, 80 % band) and allowances',
    params: [ID_PARAM],
    response:
      '`{ view, id, name, budget, period, limit, previous, spent, remaining, percent, state, thresholds, days, forecast: { method, burnRatePerDay, trendPerDay, weekdayFactors, projected, exhaustsOn, exhaustsRange, exhaustionProbability, path, adoption, notes }, allowances, warnings, computedAt }`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const { status, view } = await visibleStatus(ctx, c, user, params.path('id'), 'budget');
      return c.json(present(status, view, ctx.directory(), user));
    },
  },
  {
    method: 'put',
    path: '/api/v1/budgets/{id}',
    tag: 'budgets',
    summary: 'Create or replace a budget (admin)',
    description:
      'The body is a budget definition as in the config file (docs/budgets.md); its `id` may be left out and ' +
      'must equal the path’s if given. Kept in the ledger, shared by every server on it. A budget the config ' +
      'file defines cannot be set here (409): the file wins.',
    params: [ID_PARAM],
    body: 'A budget definition: `{ scope, period, amount, unit?, timeZone?, fiscalYearStart?, thresholds?, rollover?, perPerson?, hard?, name? }`.',
    response: '`{ budget, source: "api", updatedAt, updatedBy, status }`.',
    errors: [403, 409],
    async handler(c, params, ctx) {
      const user = userOf(c);
      admin(user, 'set budgets');
      const id = params.path('id');
      const body = await jsonBody(c);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new ApiError(400, 'bad_body', 'The body must be a JSON object: one budget definition.');
      const given = (body as { id?: unknown }).id;
      if (given !== undefined && given !== id)
        throw badParam('id', `the body's id "${String(given)}" differs from the path's "${id}".`);
      try {
        const def = await ctx.budgets.set({ ...body, id }, user.name);
        const status = await ctx.budgets.status(id);
        return c.json({
          ...definitionJson(def),
          status: status ? present(status, 'full', ctx.directory(), user) : null,
        });
      } catch (err) {
        if (err instanceof BudgetDefinitionError) throw new ApiError(400, 'bad_budget', err.message);
        if (err instanceof BudgetConflictError) throw new ApiError(409, 'conflict', err.message);
        throw err;
      }
    },
  },
  {
    method: 'delete',
    path: '/api/v1/budgets/{id}',
    tag: 'budgets',
    summary: 'Remove a budget set through the API (admin)',
    params: [ID_PARAM],
    response: '`{ removed: id }`.',
    errors: [403, 404, 409],
    async handler(c, params, ctx) {
      const user = userOf(c);
      admin(user, 'remove budgets');
      const id = params.path('id');
      try {
        await ctx.budgets.remove(id, user.name);
      } catch (err) {
        if (err instanceof BudgetNotFoundError) throw new ApiError(404, 'not_found', err.message);
        if (err instanceof BudgetConflictError) throw new ApiError(409, 'conflict', err.message);
        throw err;
      }
      return c.json({ removed: id });
    },
  },
  {
    method: 'get',
    path: '/api/v1/budgets/{id}/alerts',
    tag: 'budgets',
    summary: 'Alert history of a budget: each alert with its deliveries per channel, newest first',
    params: [ID_PARAM],
    response:
      '`{ alerts: [{ event, recordedAt, deliveries: [{ channel, status, attempts, lastError?, deliveredAt? }] }] }`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const { view } = await visibleStatus(ctx, c, user, params.path('id'), 'budget alerts');
      if (view !== 'full')
        throw new ApiError(
          403,
          'forbidden',
          'Alerts of an allowance are about its whole scope; ask an admin.',
        );
      return c.json({ alerts: await ctx.budgets.alerts(params.path('id')) });
    },
  },
  {
    method: 'get',
    path: '/api/v1/budgets/{id}/what-if',
    tag: 'budgets',
    summary:
      'What a per-person cap would have saved in this or the last period, and whom it would have stopped',
    params: [
      ID_PARAM,
      {
        name: 'cap',
        in: 'query',
        type: 'string',
        required: true,
        description: 'The cap per person and period, in the budget’s unit (e.g. 500 for $500).',
      },
      {
        name: 'period',
        in: 'query',
        type: 'string',
        enum: ['current', 'previous'],
        description: 'The period to replay (default current: so far).',
      },
    ],
    response:
      '`{ budgetId, cap, unit, period, through, people, spent, saved, savedShare, stopped, rows: [{ personId, name, spent, excess, stoppedOn }], datedPeople }`.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const id = params.path('id');
      const { view } = await visibleStatus(ctx, c, user, id, 'budget what-if');
      if (view !== 'full')
        throw new ApiError(
          403,
          'forbidden',
          `A what-if covers everyone in budget "${id}"; you may not read them all.`,
        );
      const cap = Number(params.string('cap'));
      if (!Number.isFinite(cap) || cap <= 0)
        throw badParam('cap', `must be a positive number (got "${params.string('cap')}").`);
      const result = await ctx.budgets.whatIf(
        id,
        cap,
        (params.string('period') ?? 'current') as 'current' | 'previous',
      );
      const dir = ctx.directory();
      return c.json({
        ...result,
        rows: result.rows.map((r) => ({ ...r, name: dir.person(r.personId)?.name ?? null })),
      });
    },
  },
  {
    method: 'get',
    path: '/api/v1/budget-check',
    tag: 'budgets',
    summary: 'allow / warn / deny for a person’s next model call, with the reason (for gateways and hooks)',
    description:
      'Answered from memory (statuses refreshed after every ledger commit), so it can be called before every ' +
      'model request. `deny` only for a budget marked `hard` that is used up. An ingest token (a gateway) may ' +
      'check anyone and is not audited; an engineer checks themself, a manager their people, an admin anyone.',
    params: [
      {
        name: 'person',
        in: 'query',
        type: 'string',
        description: 'The person (id or any alias: e-mail, GitHub login …). Default: the token’s own person.',
      },
      {
        name: 'tool',
        in: 'query',
        type: 'string',
        enum: BUDGET_TOOLS,
        description: 'The AI tool making the call.',
      },
      { name: 'model', in: 'query', type: 'string', description: 'The model to be called, if known.' },
    ],
    response:
      '`{ decision: "allow"|"warn"|"deny", reason, person, team, tool, model, budgets: [{ id, name, decision, percent, spent, limit, unit, allowance, reason }], stale, statusAt }`.',
    errors: [403],
    async handler(c, params, ctx) {
      const principal = c.get('principal');
      const dir = ctx.directory();
      let person = params.string('person');
      if (principal.kind === 'user') {
        const user = principal;
        if (person === undefined) {
          if (user.personId === null)
            throw badParam('person', 'is required: this token names no person of its own.');
          person = user.personId;
        }
        const id = readablePerson(dir, user, person, spanOfDays(undefined, undefined));
        audit(ctx, c, user, 'budget-check', id);
      } else if (person === undefined) {
        throw badParam('person', 'is required with an ingest token.');
      }
      await ctx.budgets.ready();
      return c.json(
        ctx.budgets.check({ person, tool: params.string('tool'), model: params.string('model') }),
      );
    },
  },
];
