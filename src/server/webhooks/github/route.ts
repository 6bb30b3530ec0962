/**
 * `POST /webhooks/github`: a repository or organisation webhook (content type
 * `application/json`, a secret, events "Pull requests", "Pushes", "Deployment statuses").
 * See docs/server-webhooks.md.
 * @module
 */
import type { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../../context.js';
import { problem, writeFailure } from '../../http/problem.js';
import { deliveryCheckpoint, seenDelivery } from '../deliveries.js';
import { deliveryId, parseJson, readSignedBody, type WebhookSpec } from '../signed-request.js';
import { deploymentStatusEvent } from './deployment-status.js';
import type { EventHandler } from './outcome.js';
import { pullRequestEvent } from './pull-request.js';
import { pushEvent } from './push.js';

const GITHUB: WebhookSpec = {
  name: 'GitHub',
  secret: (ctx) => ctx.settings.githubSecret,
  secretHint: 'TOKENYIELD_GITHUB_WEBHOOK_SECRET or server.webhooks.githubSecret',
  signatureHeader: 'X-Hub-Signature-256',
  deliveryHeader: 'X-GitHub-Delivery',
};

const HANDLERS: Readonly<Record<string, EventHandler>> = {
  pull_request: pullRequestEvent,
  push: pushEvent,
  deployment_status: deploymentStatusEvent,
};

export function mountGithubWebhook(app: Hono<AppEnv>, ctx: ServerContext): void {
  app.post('/webhooks/github', async (c) => {
    const signed = await readSignedBody(c, ctx, GITHUB);
    if (!signed.ok) return signed.response;
    const event = c.req.header('x-github-event')?.trim() ?? '';
    if (event === 'ping') return c.json({ ok: true, event });
    const handler = HANDLERS[event];
    if (!handler) {
      const reason = event
        ? `"${event}" events are not read; send pull_request, push and deployment_status`
        : 'no X-GitHub-Event header';
      return c.json({ ignored: true, event, reason }, 202);
    }
    const delivery = deliveryId(c, GITHUB);
    if (!delivery.ok) return delivery.response;
    if (await seenDelivery(ctx.store, 'github_webhook', delivery.id))
      return c.json({ duplicate: true, event, delivery: delivery.id });
    const json = parseJson(c, signed.body);
    if (!json.ok) return json.response;

    const outcome = await handler({
      payload: json.value,
      store: ctx.store,
      origin: `github-webhook:${delivery.id}`,
    });
    if (outcome.kind === 'invalid')
      return problem(c, 400, 'invalid_payload', `Not a usable ${event} payload: ${outcome.message}`);
    if (outcome.kind === 'ignored') return c.json({ ignored: true, event, reason: outcome.reason }, 202);
    try {
      const result = await ctx.writer.writeWork(outcome.batch, [
        deliveryCheckpoint('github_webhook', delivery.id, event),
        ...outcome.checkpoints,
      ]);
      const { commits, pullRequests, deployments } = outcome.batch;
      return c.json({
        event,
        delivery: delivery.id,
        stored: {
          commits: commits.length,
          pullRequests: pullRequests.length,
          deployments: deployments.length,
        },
        ...result,
      });
    } catch (err) {
      return writeFailure(c, err);
    }
  });
}
