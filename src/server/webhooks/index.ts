/**
 * Webhooks: outcomes pushed by GitHub and by CD / incident tools. They authenticate by an HMAC
 * signature over the body, not by bearer tokens, and are mounted before bearer auth applies.
 * @module
 */
import type { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { mountDeploymentWebhook } from './deployments.js';
import { mountGithubWebhook } from './github/route.js';

export { signBody } from './signature.js';

export function mountWebhooks(app: Hono<AppEnv>, ctx: ServerContext): void {
  mountGithubWebhook(app, ctx);
  mountDeploymentWebhook(app, ctx);
}
