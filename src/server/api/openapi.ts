/**
 * The OpenAPI 3.1 description, generated from the same route table that mounts the REST API, plus
 * the server's other routes (OTLP, health, metrics, webhooks) described in `other-routes.ts`.
 * @module
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiRoute, ParamSpec } from './route.js';

/** A route served outside the REST API, documented here so the description covers the whole server. */
export interface OtherRoute {
  method: 'get' | 'post';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** `bearer`: an API token; `none`: open; `signature`: an HMAC of the body, no token. */
  security: 'bearer' | 'none' | 'signature';
  /** Accepted request body media types (POST). */
  requestTypes?: string[];
  /** Headers the caller sends (signatures, event names). */
  headers?: Array<{ name: string; description: string; required?: boolean }>;
  query?: ParamSpec[];
  /** Media type of a successful answer (default application/json). */
  responseType?: string;
  responses: Partial<Record<ContentfulStatusCode, string>>;
}

const PROBLEM = { $ref: '#/components/schemas/Problem' };

const STANDARD_ERRORS: Partial<Record<ContentfulStatusCode, string>> = {
  400: 'A parameter is invalid; the message names it.',
  401: 'No token, or a token this server does not know.',
  403: 'The token may not read this (another person, a team it does not manage, an admin-only view).',
  404: 'No such person or team.',
};

function schemaOf(p: ParamSpec): Record<string, unknown> {
  const item: Record<string, unknown> =
    p.type === 'date'
      ? { type: 'string', format: 'date' }
      : p.type === 'integer'
        ? { type: 'integer', ...(p.minimum !== undefined ? { minimum: p.minimum } : {}) }
        : p.type === 'boolean'
          ? { type: 'boolean' }
          : { type: 'string', ...(p.type === 'timezone' ? { description: 'IANA time zone name' } : {}) };
  if (p.enum) item.enum = [...p.enum];
  return p.list ? { type: 'array', items: item } : item;
}

function parameterOf(p: ParamSpec) {
  return {
    name: p.name,
    in: p.in,
    required: p.in === 'path' || (p.required ?? false),
    description: p.description,
    schema: schemaOf(p),
    ...(p.list ? { style: 'form', explode: true } : {}),
  };
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)/g, (_m, ch: string) => ch.toUpperCase()));
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function errorResponses(
  codes: Iterable<ContentfulStatusCode>,
  texts: Partial<Record<ContentfulStatusCode, string>>,
) {
  const out: Record<string, unknown> = {};
  for (const code of codes)
    out[String(code)] = {
      description: texts[code] ?? STANDARD_ERRORS[code] ?? 'Refused.',
      content: { 'application/json': { schema: PROBLEM } },
    };
  return out;
}

function apiOperation(r: ApiRoute) {
  return {
    operationId: operationId(r.method, r.path),
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    parameters: r.params.map(parameterOf),
    ...(r.body
      ? {
          requestBody: {
            required: true,
            description: r.body,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        }
      : {}),
    responses: {
      200: { description: r.response, content: { 'application/json': { schema: { type: 'object' } } } },
      ...errorResponses([...(r.params.length > 0 ? [400 as const] : []), 401, ...(r.errors ?? [])], {}),
    },
    security: [{ bearer: [] }],
  };
}

function otherOperation(r: OtherRoute) {
  const responses: Record<string, unknown> = {};
  for (const [code, description] of Object.entries(r.responses)) {
    const ok = Number(code) < 300;
    const type = ok ? (r.responseType ?? 'application/json') : 'application/json';
    responses[code] = { description, content: { [type]: ok ? { schema: {} } : { schema: PROBLEM } } };
  }
  return {
    operationId: operationId(r.method, r.path),
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    parameters: [
      ...(r.query ?? []).map(parameterOf),
      ...(r.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: h.required ?? false,
        description: h.description,
        schema: { type: 'string' },
      })),
    ],
    ...(r.requestTypes
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(r.requestTypes.map((t) => [t, { schema: {} }])),
          },
        }
      : {}),
    responses,
    security: r.security === 'bearer' ? [{ bearer: [] }] : [],
  };
}

export function openApiDocument(api: readonly ApiRoute[], other: readonly OtherRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, op: unknown) => {
    paths[path] ??= {};
    paths[path][method] = op;
  };
  add('/api/v1/openapi.json', 'get', {
    operationId: 'getOpenApi',
    summary: 'This document',
    tags: ['meta'],
    responses: { 200: { description: 'The OpenAPI 3.1 description of the server.' } },
    security: [],
  });
  for (const r of api) add(r.path, r.method, apiOperation(r));
  for (const r of other) add(r.path, r.method, otherOperation(r));
  const tags = [...new Set([...api, ...other].map((r) => r.tag)), 'meta'];
  return {
    openapi: '3.1.0',
    info: {
      title: 'tokenyield server',
      version: '1',
      description:
        'AI coding-assistant spend joined to shipped work. Person-level data follows the roles: an engineer ' +
        'reads only themself, a manager the people of the teams they manage, an admin everyone; every read of ' +
        'another person is written to the audit log. Errors are `{ error: { status, code, message } }`.',
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `tokenyield token create`.' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['status', 'code', 'message'],
              properties: {
                status: { type: 'integer' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
}
