/**
 * Slack-compatible incoming webhooks: `{ "text": … }`, which Slack, Mattermost, Rocket.Chat and
 * Teams' incoming webhooks all accept, plus Block Kit blocks that Slack renders (the `text` stays
 * as the notification and the fallback).
 * @module
 */
import type { AlertChannel } from './channel.js';
import type { SlackChannelConfig } from './config.js';
import type { AlertEvent } from './event.js';
import { detailLines, headline } from './format.js';
import { postJson } from './http.js';

/** Slack's mrkdwn treats `&`, `<` and `>` as markup; budget names are user input. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackPayload {
  text: string;
  blocks?: unknown[];
}

export function slackPayload(event: AlertEvent, withBlocks = true): SlackPayload {
  const icon =
    event.kind === 'projected_overrun' || event.threshold >= 100 ? ':rotating_light:' : ':warning:';
  const text = `${icon} ${escapeMrkdwn(event.message)}`;
  if (!withBlocks) return { text };
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline(event).slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'section',
        fields: detailLines(event).map(([label, value]) => ({
          type: 'mrkdwn',
          text: `*${label}*\n${escapeMrkdwn(value)}`,
        })),
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `tokenyield alert \`${escapeMrkdwn(event.key)}\`` }],
      },
    ],
  };
}

export function createSlackChannel(
  config: SlackChannelConfig & { url: string },
  fetchFn: typeof fetch,
): AlertChannel {
  return {
    name: config.name,
    type: 'slack',
    budgets: config.budgets,
    async send(event, { now }) {
      await postJson(
        fetchFn,
        config.url,
        JSON.stringify(slackPayload(event, config.blocks ?? true)),
        {},
        now,
      );
      return {};
    },
  };
}
