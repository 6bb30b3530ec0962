import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvent, type HttpReceiver, startHttpReceiver } from '../../test/support/alert-receivers.js';
import { DeliveryError } from './delivery-error.js';
import { createSlackChannel, slackPayload } from './slack.js';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());

describe('slackPayload', () => {
  it('keeps the message as `text`, the fallback every compatible receiver shows', () => {
    const payload = slackPayload(alertEvent());
    expect(payload.text).toBe(
      ':warning: Payments has used 80 % of its $40,000 April budget; at this rate it runs out on 24 April.',
    );
    expect(JSON.stringify(payload.blocks)).toContain('*Spent*\\n$32,000 of $40,000 (80 %)');
    expect(JSON.stringify(payload.blocks)).toContain('*Period*\\n2026-04-01 to 2026-04-30 (Europe/Berlin)');
  });

  it('escapes the characters mrkdwn treats as markup', () => {
    const payload = slackPayload(alertEvent({ message: 'R&D <all> used 100 %', threshold: 100 }), false);
    expect(payload).toEqual({ text: ':rotating_light: R&amp;D &lt;all&gt; used 100 %' });
  });
});

describe('createSlackChannel', () => {
  it('posts the payload as JSON to the incoming-webhook URL', async () => {
    const channel = createSlackChannel(
      { name: 'chat', type: 'slack', url: `${receiver.url}/services/T/B/X` },
      fetch,
    );
    await channel.send(alertEvent(), { now: Date.now() });
    const request = receiver.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/services/T/B/X' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(slackPayload(alertEvent()));
  });

  it('sends only `text` when blocks are turned off', async () => {
    const channel = createSlackChannel(
      { name: 'chat', type: 'slack', url: `${receiver.url}/mattermost`, blocks: false },
      fetch,
    );
    await channel.send(alertEvent(), { now: Date.now() });
    expect(Object.keys(JSON.parse(receiver.requests.at(-1)!.body))).toEqual(['text']);
  });

  it('reports Slack’s refusal as permanent, with its reason', async () => {
    receiver.script({ status: 404, body: 'no_service' });
    const channel = createSlackChannel({ name: 'chat', type: 'slack', url: `${receiver.url}/gone` }, fetch);
    const error = await channel.send(alertEvent(), { now: Date.now() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: true, message: 'HTTP 404: no_service' });
  });

  it('does not follow a redirect, which would drop the POST', async () => {
    receiver.script({ status: 301, headers: { location: 'https://elsewhere.example/x' } });
    const channel = createSlackChannel({ name: 'chat', type: 'slack', url: `${receiver.url}/moved` }, fetch);
    await expect(channel.send(alertEvent(), { now: Date.now() })).rejects.toMatchObject({
      permanent: true,
      message: 'HTTP 301 (redirected to https://elsewhere.example/x; fix the URL)',
    });
  });
});
