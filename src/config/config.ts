/**
 * The user's config file: `--config PATH`, else `$TOKENYIELD_CONFIG`, else
 * `~/.tokenyield/config.json`. A missing default file is fine; a missing file the user named,
 * or one that does not validate, is a clear error naming the file and the field.
 * @module
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { configSchema } from './schema.js';

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function defaultConfigPath(env: Record<string, string | undefined>, home = homedir()): string {
  return env.TOKENYIELD_CONFIG || join(home, '.tokenyield', 'config.json');
}

export async function loadConfig(
  explicitPath: string | undefined,
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): Promise<{ config: Config; path: string | null }> {
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
  const { configSchema } = await import('./schema.js');
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(`Config file ${path} is invalid:\n${issues}`);
  }
  return { config: parsed.data, path };
}
