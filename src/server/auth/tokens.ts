/**
 * API tokens. A token is shown once when created and stored only as its SHA-256 hash (tokens are
 * 256 random bits, so a fast hash is enough: there is nothing to brute-force). Tokens live in a
 * JSON file (`server.tokensFile`, default `~/.tokenyield/tokens.json`) and/or the config's
 * `server.tokens`; there is no default token and no default password.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { watchedFile } from '../watched-file.js';
import type { Principal } from './principal.js';
import { TokenFileError } from './token-file-error.js';

export const TOKEN_ROLES = ['ingest', 'admin', 'manager', 'engineer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export const tokenEntrySchema = z
  .object({
    name: z.string().min(1),
    role: z.enum(TOKEN_ROLES),
    /** The person a user token belongs to (required for engineer and manager). */
    person: z.string().min(1).optional(),
    /** For managers: the teams they manage; for ingest tokens: the team they send for (informational). */
    teams: z.array(z.string().min(1)).optional(),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 hex digits'),
  })
  .strict()
  .refine((t) => t.role === 'admin' || t.role === 'ingest' || t.person !== undefined, {
    message: 'engineer and manager tokens need a "person"',
  });

export type TokenEntry = z.infer<typeof tokenEntrySchema>;

export { TokenFileError };

export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

export function generateToken(): string {
  return `ty_${randomBytes(32).toString('base64url')}`;
}

export function readTokenFile(path: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TokenFileError(`Cannot read tokens file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TokenFileError(`Tokens file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = z.object({ tokens: z.array(tokenEntrySchema) }).safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new TokenFileError(`Tokens file ${path} is invalid:\n${issues}`);
  }
  return parsed.data.tokens;
}

/** Adds `entry` to the tokens file (written atomically, readable by its owner only). */
export function appendTokenFile(path: string, entry: TokenEntry): void {
  const tokens = readTokenFile(path);
  if (tokens.some((t) => t.name === entry.name))
    throw new TokenFileError(`A token named "${entry.name}" already exists in ${path}.`);
  writeTokenFile(path, [...tokens, entry]);
}

function writeTokenFile(path: string, tokens: readonly TokenEntry[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Removes the token named `name` from the tokens file; false when there is none by that name. */
export function revokeTokenFile(path: string, name: string): boolean {
  const tokens = readTokenFile(path);
  const kept = tokens.filter((t) => t.name !== name);
  if (kept.length === tokens.length) return false;
  writeTokenFile(path, kept);
  return true;
}

export interface TokenTable {
  readonly size: number;
  /** The principal for a presented bearer token, or undefined when it is unknown. */
  principal(token: string): Principal | undefined;
}

/**
 * The config's inline tokens plus the tokens file, which is re-read when it changes: a token made
 * with `tokenyield token create` works, and one removed with `token revoke` stops working, within
 * a second and without a restart.
 */
export function createTokenSource(
  inline: readonly TokenEntry[],
  file: string,
  onError: (err: Error) => void,
): TokenTable {
  const table = watchedFile(file, () => createTokenTable([...inline, ...readTokenFile(file)]), onError);
  return {
    get size() {
      return table().size;
    },
    principal: (token) => table().principal(token),
  };
}

export function createTokenTable(entries: readonly TokenEntry[]): TokenTable {
  const byHash = new Map<string, TokenEntry>();
  for (const e of entries) byHash.set(e.hash, e);
  return {
    size: byHash.size,
    principal(token) {
      const hash = hashToken(token);
      const entry = byHash.get(hash);
      // The map lookup already matched; the constant-time compare keeps the check explicit.
      if (!entry || !timingSafeEqual(Buffer.from(entry.hash), Buffer.from(hash))) return undefined;
      if (entry.role === 'ingest')
        return { kind: 'ingest', name: entry.name, team: entry.teams?.[0] ?? null };
      return {
        kind: 'user',
        name: entry.name,
        role: entry.role,
        personId: entry.person ?? null,
        teams: entry.teams ?? [],
      };
    },
  };
}
