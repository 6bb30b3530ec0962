/**
 * Builds the channel a resolved config entry names: the one place that knows every type.
 * @module
 */
import type { AlertChannel } from './channel.js';
import type { ResolvedChannel } from './config.js';
import { createEmailChannel } from './email.js';
import { createSlackChannel } from './slack.js';
import { createWebhookChannel } from './webhook.js';

export function createChannel(config: ResolvedChannel, fetchFn: typeof fetch): AlertChannel {
  switch (config.type) {
    case 'slack':
      return createSlackChannel(config, fetchFn);
    case 'webhook':
      return createWebhookChannel(config, fetchFn);
    case 'email':
      return createEmailChannel(config);
  }
}
