/**
 * Routes the server serves outside this module's table, described for the OpenAPI document:
 * OTLP ingestion, health and metrics, webhooks and push. Whoever changes one of those routes
 * updates its entry here; `openapi.test.ts` fails when a mounted /api/v1 route is missing.
 * @module
 */
import { PUSHABLE_SOURCES } from '../push/wire.js';
import type { OtherRoute } from './openapi.js';

const OTLP_RESPONSES: OtherRoute['responses'] = {
  200: 'Committed. A partial-success body names records that were rejected (do not retry those).',
  400: 'Not an OTLP export request (permanent: do not retry).',
  401: 'No token, or an unknown one.',
  403: 'The token may not send data (use an ingest or admin token).',
  413: 'The body is larger than the server accepts, compressed or not.',
  415: 'Neither application/json nor application/x-protobuf, or an unsupported Content-Encoding.',
  429: 'Too many records waiting to be committed; retry after Retry-After seconds.',
  503: 'Shutting down or the ledger cannot commit; nothing was stored; retry after Retry-After seconds.',
};

const otlp = (signal: 'logs' | 'metrics'): OtherRoute => ({
  method: 'post',
  path: `/v1/${signal}`,
  tag: 'otlp',
  summary: `OTLP/HTTP ${signal} receiver (Claude Code, Codex, Gemini CLI telemetry)`,
  description:
    'Point an exporter here with OTEL_EXPORTER_OTLP_ENDPOINT and ' +
    'OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <token>". Bodies may be gzip-compressed. ' +
    'Answers 200 only after the records are durable.',
  security: 'bearer',
  requestTypes: ['application/json', 'application/x-protobuf'],
  headers: [{ name: 'Content-Encoding', description: 'gzip, or absent.' }],
  responses: OTLP_RESPONSES,
});

const WEBHOOK_RESPONSES: OtherRoute['responses'] = {
  200: 'Committed (a redelivery of a stored delivery id is acknowledged without storing it again).',
  400: 'Not an event this route understands, or no delivery id; nothing was stored.',
  401: 'Missing or wrong signature.',
  413: 'The body is larger than the server accepts.',
  503: 'No secret is configured, or the ledger cannot commit now; retry.',
};

const signature = (header: string, secret: string) => ({
  name: header,
  description: `"sha256=" and the hex HMAC-SHA256 of the body under ${secret}.`,
  required: true,
});

const PUSH_ERRORS: OtherRoute['responses'] = {
  401: 'No token, or an unknown one.',
  403: 'The token may not push (use an ingest token or your own engineer token).',
};

export const OTHER_ROUTES: OtherRoute[] = [
  otlp('logs'),
  otlp('metrics'),
  {
    method: 'get',
    path: '/healthz',
    tag: 'health',
    summary: 'Liveness: the process answers',
    security: 'none',
    responses: { 200: '`{ status: "ok" }`.' },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'health',
    summary: 'Readiness: accepting data and the commit queue is below its bound',
    security: 'none',
    responses: {
      200: '`{ status: "ready", queuedRecords, maxQueuedRecords }`.',
      503: 'Not ready (shutting down or overloaded); Retry-After says when to ask again.',
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'The server’s own Prometheus metrics (requests, commits, records); nobody’s usage',
    security: 'none',
    responseType: 'text/plain',
    responses: { 200: 'Prometheus text exposition format.' },
  },
  {
    method: 'post',
    path: '/webhooks/github',
    tag: 'webhooks',
    summary: 'GitHub webhook: pull requests, pushes and deployments as outcomes',
    description: 'Signed with the GitHub webhook secret (TOKENYIELD_GITHUB_WEBHOOK_SECRET); no bearer token.',
    security: 'signature',
    requestTypes: ['application/json'],
    headers: [
      { name: 'X-GitHub-Event', description: 'The event name.', required: true },
      signature('X-Hub-Signature-256', 'the GitHub webhook secret'),
      {
        name: 'X-GitHub-Delivery',
        description: 'Delivery id (redeliveries are idempotent).',
        required: true,
      },
    ],
    responses: {
      ...WEBHOOK_RESPONSES,
      202: 'An event or action that carries no outcome: acknowledged, ignored.',
    },
  },
  {
    method: 'post',
    path: '/webhooks/deployments',
    tag: 'webhooks',
    summary: 'Generic deployment and incident webhook for CD systems and incident tools',
    description: 'Signed with the generic webhook secret (TOKENYIELD_WEBHOOK_SECRET); no bearer token.',
    security: 'signature',
    requestTypes: ['application/json'],
    headers: [
      signature('X-Tokenyield-Signature', 'the generic webhook secret'),
      {
        name: 'X-Tokenyield-Delivery',
        description: 'A unique id per delivery, so a retry is stored once.',
        required: true,
      },
    ],
    responses: WEBHOOK_RESPONSES,
  },
  {
    method: 'get',
    path: '/api/v1/push',
    tag: 'push',
    summary:
      'What `tokenyield push` needs first: body limit, sources, whom the token’s pushes are attributed to',
    security: 'bearer',
    responses: { 200: '`{ engine, maxBodyBytes, attributedTo, sources }`.', ...PUSH_ERRORS },
  },
  {
    method: 'get',
    path: '/api/v1/push/checkpoints',
    tag: 'push',
    summary: 'Where this token’s pushes stopped, per file, for one source',
    security: 'bearer',
    query: [
      {
        name: 'source',
        in: 'query',
        type: 'string',
        enum: PUSHABLE_SOURCES,
        required: true,
        description: 'The local source.',
      },
    ],
    responses: { 200: '`{ source, checkpoints }`.', 400: 'Unknown or missing source.', ...PUSH_ERRORS },
  },
  {
    method: 'post',
    path: '/api/v1/push',
    tag: 'push',
    summary: 'Usage and activity read on a laptop, with the checkpoints they complete, in one transaction',
    security: 'bearer',
    requestTypes: ['application/json'],
    responses: {
      200: 'Committed: the write counts of this push.',
      400: 'Not a push request; nothing was stored.',
      ...PUSH_ERRORS,
      413: 'The body is larger than the server accepts.',
      429: 'Too many records waiting to be committed; retry after Retry-After seconds.',
      503: 'Shutting down or the ledger cannot commit; nothing was stored; retry.',
    },
  },
];
