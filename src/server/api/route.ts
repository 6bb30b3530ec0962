/**
 * One table drives both the routes and their OpenAPI description: each route declares its
 * parameters, and the same declaration validates the request. A parameter the route does not
 * declare is refused, so a misspelt `?sinse=` fails loudly instead of silently reporting all time.
 * @module
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isValidTimeZone, parseDateArg } from '../../analyses/reports/dates.js';
import type { AppEnv, ServerContext } from '../context.js';

export type ParamType = 'string' | 'date' | 'timezone' | 'integer' | 'boolean';

export interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  enum?: readonly string[];
  /** May be repeated or comma-separated (`?tool=codex&tool=gemini-cli`, `?tool=codex,gemini-cli`). */
  list?: boolean;
  /** Smallest value of an integer. */
  minimum?: number;
  /** Query parameters are optional unless this is set (path parameters always required). */
  required?: boolean;
}

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form, `{name}` for path parameters. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params: ParamSpec[];
  /** What a 200 carries. */
  response: string;
  /** A JSON request body (POST, PUT): what it holds. */
  body?: string;
  /** Answers the caller can expect besides 200, 400 and 401 (e.g. 403, 404). */
  errors?: ContentfulStatusCode[];
  handler: (c: Context<AppEnv>, params: Params, ctx: ServerContext) => Promise<Response> | Response;
}

/** A refusal a route raises from any depth; the route wrapper turns it into a problem answer. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function badParam(name: string, message: string): ApiError {
  return new ApiError(400, 'bad_parameter', `Parameter "${name}": ${message}`);
}

const BOOLEAN: Record<string, boolean> = { '': true, true: true, '1': true, false: false, '0': false };

type Value = string | string[] | number | boolean;

/** Validated parameters of one request, read back by name. */
export class Params {
  constructor(private readonly values: ReadonlyMap<string, Value>) {}

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : undefined;
  }

  integer(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** A path parameter, which is always present. */
  path(name: string): string {
    return this.string(name)!;
  }
}

function parseOne(spec: ParamSpec, raw: string): Value {
  const { name } = spec;
  switch (spec.type) {
    case 'date':
      try {
        return parseDateArg(raw, name);
      } catch {
        throw badParam(name, `must be a date as YYYY-MM-DD (got "${raw}").`);
      }
    case 'timezone':
      if (!isValidTimeZone(raw) || raw.trim() === '')
        throw badParam(name, `must be an IANA time zone such as Europe/Berlin or UTC (got "${raw}").`);
      return raw;
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(n))
        throw badParam(name, `must be a whole number (got "${raw}").`);
      if (spec.minimum !== undefined && n < spec.minimum)
        throw badParam(name, `must be at least ${spec.minimum} (got ${n}).`);
      return n;
    }
    case 'boolean': {
      const b = BOOLEAN[raw.toLowerCase()];
      if (b === undefined) throw badParam(name, `must be true or false (got "${raw}").`);
      return b;
    }
    default:
      if (raw.trim() === '') throw badParam(name, 'must not be empty.');
      if (spec.enum && !spec.enum.includes(raw))
        throw badParam(name, `must be one of ${spec.enum.join(', ')} (got "${raw}").`);
      return raw;
  }
}

/** Validates a request's path and query against the route's declaration. */
export function parseParams(c: Context<AppEnv>, specs: readonly ParamSpec[]): Params {
  const values = new Map<string, Value>();
  const query = c.req.queries();
  const declared = new Set(specs.filter((s) => s.in === 'query').map((s) => s.name));
  const unknown = Object.keys(query).filter((k) => !declared.has(k));
  if (unknown.length > 0) {
    const accepted = declared.size > 0 ? `accepted: ${[...declared].join(', ')}` : 'this route takes none';
    throw badParam(unknown.join('", "'), `not a parameter of this route (${accepted}).`);
  }
  for (const spec of specs) {
    if (spec.in === 'path') {
      values.set(spec.name, parseOne(spec, c.req.param(spec.name) ?? ''));
      continue;
    }
    const given = query[spec.name];
    if (given === undefined) {
      if (spec.required) throw badParam(spec.name, 'is required.');
      continue;
    }
    if (spec.list) {
      const items = given.flatMap((g) => g.split(',')).map((s) => s.trim());
      values.set(
        spec.name,
        items.map((item) => parseOne(spec, item) as string),
      );
    } else {
      if (given.length > 1) throw badParam(spec.name, 'give it once.');
      values.set(spec.name, parseOne(spec, given[0]!));
    }
  }
  return new Params(values);
}
