/**
 * The user's config file: `--config PATH`, else `$TOKENYIELD_CONFIG`, else
 * `~/.tokenyield/config.json`. A missing default file is fine; a missing file the user named,
 * or one that does not validate, is a clear error naming the file and the field.
 * @module
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/config.js';
import { budgetsConfigSchema } from '../analyses/budgets/schema.js';
import { pricingConfigSchema } from '../ledger/pricing/index.js';
import { serverConfigSchema } from '../server/settings-schema.js';

export const configSchema = z
  .object({
    /** Price overrides, aliases and negotiated discounts (see src/ledger/pricing/README.md). */
    pricing: pricingConfigSchema.optional(),
    identity: z
      .object({
        /** The person local usage is attributed to (default: git e-mail, else user@host). */
        person: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The ledger file (overridden by --db and TOKENYIELD_DB). */
    ledger: z.string().min(1).optional(),
    /**
     * Where the ledger lives when it is not the local file: `clickhouse://host:port/database`
     * (overridden by --store and TOKENYIELD_STORE; docs/clickhouse.md).
     */
    store: z.string().min(1).optional(),
    /** People and teams file (YAML, JSON or CSV; docs/people.md). */
    people: z.string().min(1).optional(),
    /** Where outcomes are read from by `tokenyield ingest` (paths; `~` is the home directory). */
    outcomes: z
      .object({
        /** Git clones, or directories searched for clones. */
        git: z.array(z.string().min(1)).optional(),
        /** GitHub export directories or combined JSON files (docs/sources/github.md). */
        github: z.array(z.string().min(1)).optional(),
        /** Deployment, incident and task files (docs/sources/work-files.md). */
        files: z.array(z.string().min(1)).optional(),
        /** PR labels that mark AI-assisted work, replacing the defaults. */
        aiLabels: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    /** `tokenyield serve`: listen address, tokens, webhook secrets, limits (docs/server.md). */
    server: serverConfigSchema.optional(),
    /** Budgets per org, team, person, tool or model (docs/budgets.md); they win over the API's. */
    budgets: budgetsConfigSchema.optional(),
    /** Budget alert channels: Slack-compatible webhook, signed webhook, SMTP e-mail (docs/alerts.md). */
    alerts: alertsConfigSchema.optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function defaultConfigPath(env: Record<string, string | undefined>, home = homedir()): string {
  return env.TOKENYIELD_CONFIG || join(home, '.tokenyield', 'config.json');
}

export function loadConfig(
  explicitPath: string | undefined,
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): { config: Config; path: string | null } {
  const path = explicitPath ?? defaultConfigPath(env, home);
  const named = explicitPath !== undefined || Boolean(env.TOKENYIELD_CONFIG);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !named) return { config: {}, path: null };
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(`Config file ${path} is invalid:\n${issues}`);
  }
  return { config: parsed.data, path };
}
