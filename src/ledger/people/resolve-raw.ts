/**
 * Resolves a usage or work record's raw identity (`rawIdentity`, e.g. `{ "user.email": …,
 * "os_user": … }`) to a person, trying the keys from the strongest evidence to the weakest, and
 * says which key decided — so a report can show why a record was attributed as it was.
 * @module
 */
import type { AliasKind, PeopleDirectory } from './types.js';

/**
 * Raw identity keys in the order they are trusted, each with the alias kinds its value may be
 * (reference/formats.md §10.1). Vendor-authenticated accounts come first; self-configured values
 * (git e-mail) and machine-local ones (OS user) last, because anyone can set them and they
 * collide across machines. A key with several kinds is tried kind by kind: `user.email` is the
 * work e-mail for Claude Code but may be a personal Google login for Gemini CLI.
 */
export const RAW_IDENTITY_KEYS: ReadonlyArray<{ key: string; kinds: readonly AliasKind[] }> = [
  { key: 'user.account_uuid', kinds: ['claude_account'] },
  { key: 'user.account_id', kinds: ['claude_account', 'codex'] },
  { key: 'user.email', kinds: ['email', 'gemini', 'codex', 'cursor'] },
  { key: 'actor.email_address', kinds: ['email'] },
  // What formats.md §2.3 tells API-key and Bedrock/Vertex users to inject via OTEL_RESOURCE_ATTRIBUTES.
  { key: 'enduser.id', kinds: ['email', 'github'] },
  { key: 'email', kinds: ['email', 'cursor'] },
  { key: 'github', kinds: ['github'] },
  { key: 'user_login', kinds: ['copilot'] },
  { key: 'api_key_id', kinds: ['api_key'] },
  { key: 'api_key_name', kinds: ['api_key'] },
  { key: 'user.id', kinds: ['otel_user_id'] },
  { key: 'installation.id', kinds: ['otel_user_id'] },
  { key: 'git_email', kinds: ['git_email'] },
  { key: 'os_user', kinds: ['os_user'] },
];

/** Who a raw identity resolved to, and the evidence. */
export interface RawIdentityMatch {
  personId: string;
  /** The raw key whose value matched, e.g. `user.email`. */
  key: string;
  /** The alias kind it matched as. */
  kind: AliasKind;
  value: string;
}

/**
 * The person a raw identity belongs to, or undefined when no known key's value resolves. Keys
 * not in `RAW_IDENTITY_KEYS` (e.g. `host`) are ignored: they identify machines, not people.
 */
export function personForRawIdentity(
  directory: PeopleDirectory,
  raw: Readonly<Record<string, string>>,
): RawIdentityMatch | undefined {
  for (const { key, kinds } of RAW_IDENTITY_KEYS) {
    const value = raw[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    for (const kind of kinds) {
      const person = directory.resolve(value, kind);
      if (person !== undefined) return { personId: person.id, key, kind, value };
    }
  }
  return undefined;
}
