/**
 * The `alerts` section of the config file: a list of named channels (Slack-compatible incoming
 * webhook, signed generic webhook, SMTP e-mail). Secrets, and Slack URLs (which are secrets),
 * may be named by environment variable instead of written into the file; they are read once,
 * when the dispatcher is built, so a missing variable stops the server at start-up, not at the
 * first alert.
 * @module
 */
import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, 'must be an environment variable name');

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
const httpUrl = z.string().refine(isHttpUrl, 'must be an http(s) URL');

const retrySchema = z
  .object({
    /** Attempts in all, the first included (default 8). */
    maxAttempts: z.number().int().min(1).max(50).optional(),
    /** Delay before the second attempt; doubles each time (default 5 s). */
    initialDelayMs: z.number().int().min(0).optional(),
    /** Largest delay between attempts (default 10 min). */
    maxDelayMs: z.number().int().min(0).optional(),
  })
  .strict();

const common = {
  /** Names the channel in the journal and in alert history; unique. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, `_`, `.` or `-`'),
  /** Only alerts of these budget ids go to this channel (default: every budget). */
  budgets: z.array(z.string().min(1)).min(1).optional(),
  retry: retrySchema.optional(),
};

const slackSchema = z
  .object({
    ...common,
    type: z.literal('slack'),
    /** The incoming-webhook URL; it carries the credential, so prefer `urlEnv`. */
    url: httpUrl.optional(),
    urlEnv: envName.optional(),
    /** Send Block Kit blocks beside `text` (default true); false for receivers that reject them. */
    blocks: z.boolean().optional(),
  })
  .strict();

const webhookSchema = z
  .object({
    ...common,
    type: z.literal('webhook'),
    url: httpUrl,
    /** HMAC-SHA256 key; at least 16 characters. Prefer `secretEnv`. */
    secret: z.string().min(16).optional(),
    secretEnv: envName.optional(),
    /** Extra request headers (an API gateway key, say). */
    headers: z.record(z.string().min(1), z.string()).optional(),
  })
  .strict();

const emailSchema = z
  .object({
    ...common,
    type: z.literal('email'),
    host: z.string().min(1),
    /** Default 465 when `secure`, else 587. */
    port: z.number().int().min(1).max(65535).optional(),
    /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().optional(),
    /** Refuse to send unless the connection is upgraded with STARTTLS (default true when not `secure`). */
    requireTLS: z.boolean().optional(),
    /** Accept a self-signed or otherwise unverifiable server certificate (default false). */
    allowSelfSigned: z.boolean().optional(),
    auth: z
      .object({
        user: z.string().min(1),
        pass: z.string().min(1).optional(),
        passEnv: envName.optional(),
      })
      .strict()
      .optional(),
    from: z.string().min(1),
    to: z.array(z.string().min(1)).min(1),
    /** Put before every subject (default `[tokenyield]`). */
    subjectPrefix: z.string().optional(),
  })
  .strict();

const channelSchema = z
  .discriminatedUnion('type', [slackSchema, webhookSchema, emailSchema])
  .superRefine((channel, ctx) => {
    const exactlyOne = (a: unknown, b: unknown, names: string, path: string[]) => {
      if ((a === undefined) === (b === undefined))
        ctx.addIssue({ code: 'custom', message: `give exactly one of ${names}`, path });
    };
    if (channel.type === 'slack') exactlyOne(channel.url, channel.urlEnv, '`url` and `urlEnv`', ['url']);
    if (channel.type === 'webhook')
      exactlyOne(channel.secret, channel.secretEnv, '`secret` and `secretEnv`', ['secret']);
    if (channel.type === 'email' && channel.auth)
      exactlyOne(channel.auth.pass, channel.auth.passEnv, '`pass` and `passEnv`', ['auth', 'pass']);
  });

export const alertsConfigSchema = z.array(channelSchema).superRefine((channels, ctx) => {
  const seen = new Set<string>();
  channels.forEach((channel, index) => {
    if (seen.has(channel.name))
      ctx.addIssue({
        code: 'custom',
        message: `channel name "${channel.name}" is used twice`,
        path: [index, 'name'],
      });
    seen.add(channel.name);
  });
});

/** One channel as written in the config file's `alerts` section. */
export type AlertChannelConfig = z.infer<typeof channelSchema>;
export type SlackChannelConfig = Extract<AlertChannelConfig, { type: 'slack' }>;
export type WebhookChannelConfig = Extract<AlertChannelConfig, { type: 'webhook' }>;
export type EmailChannelConfig = Extract<AlertChannelConfig, { type: 'email' }>;
export type RetryConfig = z.infer<typeof retrySchema>;

export class AlertConfigError extends Error {
  override name = 'AlertConfigError';
}

/** A channel with its secrets read from the environment. */
export type ResolvedChannel =
  | (SlackChannelConfig & { url: string })
  | (WebhookChannelConfig & { secret: string })
  | (EmailChannelConfig & { auth?: { user: string; pass: string } });

/**
 * Validates the channels (they may come from code, not only from the config file) and reads the
 * secrets they name from `env`. Every problem is listed in one error.
 */
export function resolveAlertChannels(
  channels: readonly AlertChannelConfig[],
  env: Record<string, string | undefined>,
): ResolvedChannel[] {
  const parsed = alertsConfigSchema.safeParse(channels);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  alerts.${i.path.join('.')}: ${i.message}`).join('\n');
    throw new AlertConfigError(`Alert channels are invalid:\n${issues}`);
  }
  const problems: string[] = [];
  const fromEnv = (channel: AlertChannelConfig, variable: string): string => {
    const value = env[variable];
    if (!value)
      problems.push(`  alerts channel "${channel.name}": environment variable ${variable} is not set`);
    return value ?? '';
  };
  const resolved = parsed.data.map((channel): ResolvedChannel => {
    switch (channel.type) {
      case 'slack': {
        const url = channel.url ?? fromEnv(channel, channel.urlEnv!);
        if (url && !isHttpUrl(url))
          problems.push(`  alerts channel "${channel.name}": ${channel.urlEnv} is not an http(s) URL`);
        return { ...channel, url };
      }
      case 'webhook': {
        const secret = channel.secret ?? fromEnv(channel, channel.secretEnv!);
        if (secret && secret.length < 16)
          problems.push(
            `  alerts channel "${channel.name}": ${channel.secretEnv} must be at least 16 characters`,
          );
        return { ...channel, secret };
      }
      default: {
        if (!channel.auth) return { ...channel, auth: undefined };
        const pass = channel.auth.pass ?? fromEnv(channel, channel.auth.passEnv!);
        return { ...channel, auth: { user: channel.auth.user, pass } };
      }
    }
  });
  if (problems.length) throw new AlertConfigError(`Alert channels cannot be used:\n${problems.join('\n')}`);
  return resolved;
}
