/**
 * The config file's schema. Kept apart from config.ts so that a run without a config file never
 * loads zod (~90 ms of start-up): config.ts imports this only when there is a file to check.
 * @module
 */
import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/config.js';
import { budgetsConfigSchema } from '../analyses/budgets/schema.js';
import { pricingConfigSchema } from '../ledger/pricing/config.js';
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
