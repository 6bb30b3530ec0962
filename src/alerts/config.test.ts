import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import {
  type AlertChannelConfig,
  AlertConfigError,
  alertsConfigSchema,
  resolveAlertChannels,
} from './config.js';

const slack = { name: 'finops', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' } as const;
const webhook = {
  name: 'finance-hook',
  type: 'webhook',
  url: 'https://finance.acme.example/hooks/tokenyield',
  secretEnv: 'TOKENYIELD_ALERT_SECRET',
} as const;
const email = {
  name: 'finance-mail',
  type: 'email',
  host: 'smtp.acme.example',
  auth: { user: 'alerts', passEnv: 'SMTP_PASS' },
  from: 'tokenyield <alerts@acme.example>',
  to: ['finance@acme.example'],
} as const;

function issuesOf(value: unknown): string[] {
  const parsed = alertsConfigSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alertsConfigSchema', () => {
  it('accepts the three channel types, and is the config file’s `alerts` section', () => {
    expect(issuesOf([slack, webhook, email])).toEqual([]);
    const config = configSchema.parse({ alerts: [slack, webhook, email] });
    expect(config.alerts?.map((c) => c.type)).toEqual(['slack', 'webhook', 'email']);
  });

  it('names what is wrong', () => {
    expect(issuesOf([{ ...slack, url: 'ftp://x' }])).toEqual(['0.url: must be an http(s) URL']);
    expect(issuesOf([{ name: 'x', type: 'slack' }])).toEqual([
      '0.url: give exactly one of `url` and `urlEnv`',
    ]);
    expect(issuesOf([{ ...slack, urlEnv: 'SLACK_URL' }])).toEqual([
      '0.url: give exactly one of `url` and `urlEnv`',
    ]);
    expect(issuesOf([{ ...webhook, secretEnv: undefined }])).toEqual([
      '0.secret: give exactly one of `secret` and `secretEnv`',
    ]);
    expect(issuesOf([{ ...webhook, secretEnv: undefined, secret: 'short' }])[0]).toMatch(/^0\.secret: /);
    expect(issuesOf([{ ...email, to: [] }])[0]).toMatch(/^0\.to: /);
    expect(issuesOf([{ ...email, auth: { user: 'a' } }])).toEqual([
      '0.auth.pass: give exactly one of `pass` and `passEnv`',
    ]);
    expect(issuesOf([slack, { ...webhook, name: 'finops' }])).toEqual([
      '1.name: channel name "finops" is used twice',
    ]);
    expect(issuesOf([{ ...slack, colour: 'red' }])[0]).toMatch(/colour/);
    expect(issuesOf([{ ...slack, type: 'pager' }])[0]).toMatch(/^0\.type: /);
  });
});

describe('resolveAlertChannels', () => {
  const env = { TOKENYIELD_ALERT_SECRET: 'a-secret-of-32-characters-000000', SMTP_PASS: 'hunter2' };

  it('reads the secrets the channels name from the environment', () => {
    const [, hook, mail] = resolveAlertChannels([slack, webhook, email] as AlertChannelConfig[], env);
    expect(hook).toMatchObject({ secret: env.TOKENYIELD_ALERT_SECRET });
    expect(mail).toMatchObject({ auth: { user: 'alerts', pass: 'hunter2' } });
  });

  it('lists every variable that is missing or unusable, at once', () => {
    const channels = [
      { name: 'chat', type: 'slack', urlEnv: 'SLACK_URL' },
      webhook,
      email,
    ] as AlertChannelConfig[];
    expect(() =>
      resolveAlertChannels(channels, { SLACK_URL: 'not a url', TOKENYIELD_ALERT_SECRET: 'short' }),
    ).toThrow(
      new AlertConfigError(
        [
          'Alert channels cannot be used:',
          '  alerts channel "chat": SLACK_URL is not an http(s) URL',
          '  alerts channel "finance-hook": TOKENYIELD_ALERT_SECRET must be at least 16 characters',
          '  alerts channel "finance-mail": environment variable SMTP_PASS is not set',
        ].join('\n'),
      ),
    );
  });

  it('rejects channels built in code the way it rejects the config file', () => {
    expect(() => resolveAlertChannels([{ ...slack, url: 'nope' }] as AlertChannelConfig[], {})).toThrow(
      /alerts\.0\.url: must be an http\(s\) URL/,
    );
  });
});
