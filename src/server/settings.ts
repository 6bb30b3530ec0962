/**
 * Resolved server settings: command-line flags over environment over config file over defaults.
 * @module
 */
import { join } from 'node:path';
import type { TokenEntry } from './auth/tokens.js';
import type { ServerConfig } from './settings-schema.js';

export const DEFAULT_PORT = 4318;

/*
 * The server owns the ledger and commits every ~16k calls. Each commit looks the batch's ids and
 * message keys up in the whole ledger: 8-byte columns, ~30 bytes per stored call with its activity.
 * Under the CLI's 96MB they stop fitting at about 2M calls and are read from the file again at
 * every commit: at 2M calls the two lookups took 124–190 ms per 16k-row write under 96MB and
 * 57 ms under 512MB (bench/store-write-profile.mjs --prefill 2000000). 512MB keeps the keys of
 * ~10M calls resident; memory is taken only as the ledger grows.
 */
export const DEFAULT_LEDGER_MEMORY = '512MB';

/** Worker threads decoding OTLP bodies (see ingest/otlp-mapper.ts). */
export const DEFAULT_DECODE_WORKERS = 1;

export interface ServerSettings {
  host: string;
  port: number;
  /** Tokens written inline in the config; the tokens file is read (and re-read) by the server. */
  tokens: TokenEntry[];
  tokensFile: string;
  minGroupSize: number;
  maxBodyBytes: number;
  maxQueuedRecords: number;
  maxStaleSeconds: number;
  /**
   * Directory of the OTLP ingest journal; absent or null: exports are committed to the ledger
   * before they are answered (see ingest/journaled.ts).
   */
  journalDir?: string | null;
  /** Worker threads decoding OTLP bodies (absent: DEFAULT_DECODE_WORKERS; 0: on the thread that answers). */
  decodeWorkers?: number;
  /** The embedded ledger's DuckDB `memory_limit` for `serve` (ignored for ClickHouse). */
  ledgerMemory?: string;
  auditLog: string | null;
  githubSecret: string | null;
  genericSecret: string | null;
}

export interface SettingsInput {
  config: ServerConfig | undefined;
  env: Record<string, string | undefined>;
  home: string;
  dbPath: string;
  flags: { host?: string; port?: number };
  expand: (p: string) => string;
}

export function defaultTokensFile(env: Record<string, string | undefined>, home: string): string {
  return env.TOKENYIELD_TOKENS || join(home, '.tokenyield', 'tokens.json');
}

export function resolveServerSettings(input: SettingsInput): ServerSettings {
  const { config = {}, env, home, dbPath, flags, expand } = input;
  const tokensFile = config.tokensFile ? expand(config.tokensFile) : defaultTokensFile(env, home);
  const envPort = env.TOKENYIELD_PORT ? Number(env.TOKENYIELD_PORT) : undefined;
  return {
    host: flags.host ?? env.TOKENYIELD_HOST ?? config.host ?? '127.0.0.1',
    port: flags.port ?? (Number.isInteger(envPort) ? envPort : undefined) ?? config.port ?? DEFAULT_PORT,
    tokens: config.tokens ?? [],
    tokensFile,
    minGroupSize: config.minGroupSize ?? 5,
    maxBodyBytes: config.maxBodyBytes ?? 16 * 1024 * 1024,
    maxQueuedRecords: config.maxQueuedRecords ?? 200_000,
    maxStaleSeconds: config.maxStaleSeconds ?? 60,
    journalDir: journalDirOf(config.journal, dbPath, expand),
    decodeWorkers: config.decodeWorkers ?? DEFAULT_DECODE_WORKERS,
    ledgerMemory: config.ledgerMemory ?? DEFAULT_LEDGER_MEMORY,
    auditLog: config.auditLog ? expand(config.auditLog) : `${dbPath.replace(/\.duckdb$/, '')}.audit.jsonl`,
    githubSecret: env.TOKENYIELD_GITHUB_WEBHOOK_SECRET || config.webhooks?.githubSecret || null,
    genericSecret: env.TOKENYIELD_WEBHOOK_SECRET || config.webhooks?.genericSecret || null,
  };
}

function journalDirOf(
  configured: string | false | undefined,
  dbPath: string,
  expand: (p: string) => string,
): string | null {
  if (configured === false) return null;
  if (configured) return expand(configured);
  return dbPath === ':memory:' ? null : `${dbPath.replace(/\.duckdb$/, '')}.journal`;
}
