/**
 * Integrity flags (DESIGN §7) over the REST API: list, show, explain, review. Flags are
 * recomputed from the ledger (per integrity period, kept per ledger generation in the read
 * cache); only review decisions are stored (analyses/integrity/review.ts). Who sees what follows
 * the other person-level routes: an engineer their own flags and evidence, a manager those of the
 * people who were in their teams during the flag's window, an admin all; reads of another
 * person's flags are audited. Reviews: a manager of the person's team or an admin, never the
 * person flagged.
 * @module
 */
import type { Context } from 'hono';
import {
  explainFlag,
  FLAG_STATUSES,
  type Flag,
  type FlagBook,
  findFlag,
  flagBook,
  flagDetail,
  flagList,
  periodFingerprints,
  periodFlags,
  periodsFor,
  ReviewError,
  readReviews,
  recordReview,
} from '../../analyses/integrity/index.js';
import { ALL_TIME, type Window } from '../../analyses/value/index.js';
import { canReadPerson } from '../auth/principal.js';
import type { AppEnv, ServerContext } from '../context.js';
import { PERSON_PARAM, TEAM_PARAM, WINDOW_PARAMS } from './reports.js';
import { ApiError, type ApiRoute, type ParamSpec } from './route.js';
import { audit, peopleScope, type User, userOf } from './scope.js';
import { spanOfWindow, utcWindow } from './value.js';

/** One period's flags as computed (unreviewed), with its sessions' fingerprints read from the ledger. */
async function computedFlags(ctx: ServerContext, period: Window): Promise<Flag[]> {
  const read = await ctx.readCache.get(`integrity-flags:${period.from}`, async () => {
    const model = await ctx.valueModel();
    return periodFlags(model, period, { fingerprints: await periodFingerprints(ctx.store, period) });
  });
  return read.value;
}

/** The reviewed flags of every period `window` overlaps: what the board and these routes read. */
export async function serverFlagBook(ctx: ServerContext, window: Window): Promise<FlagBook> {
  const model = await ctx.valueModel();
  const periods = periodsFor(model, window);
  const computed: Flag[] = [];
  // One period at a time: each is a pass over the model, and the server shares its cores with ingest.
  for (const p of periods) computed.push(...(await computedFlags(ctx, p)));
  return flagBook(periods, computed, await readReviews(ctx.store));
}

/** The caller may see this flag and its evidence. */
function mayRead(ctx: ServerContext, user: User, flag: Flag): boolean {
  return canReadPerson(user, flag.personId, ctx.directory(), flag.window.from, flag.window.until - 1);
}

/** The caller may decide on this flag: an admin or a manager who may read it, never its subject. */
export function mayReview(ctx: ServerContext, user: User, flag: Flag): boolean {
  if (user.personId !== null && user.personId === flag.personId) return false;
  return (user.role === 'admin' || user.role === 'manager') && mayRead(ctx, user, flag);
}

/** The flag the path names, if the caller may read it; 404 alike for unknown and unreadable ids. */
async function readableFlag(c: Context<AppEnv>, ctx: ServerContext, user: User, id: string): Promise<Flag> {
  const book = await serverFlagBook(ctx, ALL_TIME);
  const readable = book.flags.filter((f) => mayRead(ctx, user, f));
  const found = findFlag(readable, id);
  if (found === 'ambiguous')
    throw new ApiError(
      400,
      'bad_parameter',
      `Parameter "id": "${id}" starts several flags' ids; give more of it.`,
    );
  if (!found) throw new ApiError(404, 'not_found', `No flag "${id}" that you may read.`);
  audit(ctx, c, user, 'flags.get', found.personId);
  return found;
}

const ID_PARAM: ParamSpec = {
  name: 'id',
  in: 'path',
  type: 'string',
  description: 'Flag id (`fl-…`), or a unique prefix of at least 6 characters.',
};

function present(ctx: ServerContext, user: User, flag: Flag) {
  return flagDetail(flag, ctx.directory(), mayReview(ctx, user, flag));
}

export const flagRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/flags',
    tag: 'flags',
    summary: 'Integrity flags of the periods a range overlaps, with severity, signals and wasted $',
    description:
      'Flags are computed for fixed 8-week periods (docs/integrity.md); `since`/`until` select the periods they ' +
      'overlap (default: all). An engineer gets their own flags; a manager those of their teams’ people; an admin all.',
    params: [
      ...WINDOW_PARAMS,
      PERSON_PARAM,
      TEAM_PARAM,
      {
        name: 'status',
        in: 'query',
        type: 'string',
        list: true,
        enum: FLAG_STATUSES,
        description: 'Only flags in these states (open, confirmed, dismissed); default all.',
      },
    ],
    response:
      '`{ periods, flags, heldOut, unreadableReviews }`: each flag with its person, window, status, severity, signals, ' +
      'reasons, wasted and spent $, the decision in force and whether the caller may review it.',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const window = utcWindow(params.string('since'), params.string('until'));
      const dir = ctx.directory();
      const scope = peopleScope(ctx, c, dir, user, {
        person: params.string('person'),
        team: params.string('team'),
        span: spanOfWindow(window),
        action: 'flags.list',
      });
      const people = scope.personIds ? new Set(scope.personIds) : undefined;
      const statuses = params.list('status');
      const book = await serverFlagBook(ctx, window);
      const flags = book.flags.filter(
        (f) =>
          (!people || people.has(f.personId)) &&
          (!statuses || statuses.includes(f.status)) &&
          mayRead(ctx, user, f),
      );
      // Unreadable stored reviews are an operator's problem: only admins are told.
      const list = flagList(book, flags, dir, user.role === 'admin');
      return c.json({
        ...list,
        flags: list.flags.map((f, i) => ({ ...f, canReview: mayReview(ctx, user, flags[i]!) })),
      });
    },
  },
  {
    method: 'get',
    path: '/api/v1/flags/{id}',
    tag: 'flags',
    summary: 'One flag with its findings, evidence and review history',
    params: [ID_PARAM],
    response:
      'The flag: summary fields, `findings` (each with its evidence), `review` (history) and `canReview`.',
    errors: [404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const flag = await readableFlag(c, ctx, user, params.path('id'));
      return c.json(present(ctx, user, flag));
    },
  },
  {
    method: 'get',
    path: '/api/v1/flags/{id}/explain',
    tag: 'flags',
    summary: 'How to reproduce a flag’s evidence from the ledger: sessions, changes, formulas, thresholds',
    params: [ID_PARAM],
    response:
      'As `tokenyield flags show ID --explain --json`: the flag, every session and change its evidence rests on, and per ' +
      'finding each evidence number recomputed from those rows, the checks it passed and the SQL that reads the rows.',
    errors: [404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const flag = await readableFlag(c, ctx, user, params.path('id'));
      const model = await ctx.valueModel();
      const fingerprints = await periodFingerprints(ctx.store, flag.window);
      return c.json({ ...explainFlag(model, flag, { fingerprints }), canReview: mayReview(ctx, user, flag) });
    },
  },
  {
    method: 'post',
    path: '/api/v1/flags/{id}/review',
    tag: 'flags',
    summary: 'Review a flag: confirm or dismiss it, with a note (a re-review is added to its history)',
    description:
      'Allowed for admins and for managers of the flagged person’s team in the flag’s window; nobody reviews their own flag.',
    params: [ID_PARAM],
    body: '`{ "status": "confirmed" | "dismissed", "note": "why" }`.',
    response: 'The flag as reviewed (as `GET /api/v1/flags/{id}`).',
    errors: [403, 404],
    async handler(c, params, ctx) {
      const user = userOf(c);
      const flag = await readableFlag(c, ctx, user, params.path('id'));
      if (!mayReview(ctx, user, flag))
        throw new ApiError(
          403,
          'forbidden',
          user.personId === flag.personId
            ? 'Nobody reviews their own flag: a manager of your team or an admin does.'
            : 'Only an admin or a manager of the person’s team may review this flag.',
        );
      let body: { status?: unknown; note?: unknown };
      try {
        body = (await c.req.json()) as typeof body;
      } catch {
        throw new ApiError(
          400,
          'bad_body',
          'The body must be JSON: { "status": "confirmed" | "dismissed", "note": "…" }.',
        );
      }
      if (typeof body !== 'object' || body === null)
        throw new ApiError(400, 'bad_body', 'The body must be a JSON object with status and note.');
      try {
        const reviewed = await recordReview(ctx.store, flag, {
          status: body.status as 'confirmed',
          note: typeof body.note === 'string' ? body.note : '',
          by: user.personId,
          byName: `token:${user.name}`,
        });
        audit(ctx, c, user, 'flags.review', flag.personId);
        return c.json(present(ctx, user, reviewed));
      } catch (err) {
        if (err instanceof ReviewError) throw new ApiError(400, 'bad_review', err.message);
        throw err;
      }
    },
  },
];
