/**
 * Who may push, whose records a push holds, and where its checkpoints live.
 *
 * Ingest and admin tokens push for a machine: each push names the machine's raw identity and the
 * people directory resolves it. Engineer and manager tokens push their own usage: everything is
 * attributed to the token's person, whatever the identity says.
 *
 * Checkpoints and origins are namespaced by token name, so two laptops with the same file paths
 * (`/home/dev/…`) neither share read positions nor replace each other's whole-file records.
 * A new token for the same laptop starts from zero again; its first push re-sends everything,
 * which upserts by id and counts nothing twice.
 * @module
 */
import type { PeopleDirectory } from '../../ledger/people/types.js';
import type { Principal } from '../auth/principal.js';
import { createPersonResolver, type PersonResolver } from '../ingest/normalize.js';

export interface PushScope {
  /** The person every record goes to, or null when the raw identity decides. */
  attributedTo: string | null;
  /** Prefix of this token's checkpoint paths and record origins in the server's ledger. */
  prefix: string;
  resolver(directory: PeopleDirectory): PersonResolver;
}

/** The scope of a push by `principal`, or undefined when it may not push. */
export function pushScope(principal: Principal): PushScope | undefined {
  const prefix = `push:${encodeURIComponent(principal.name)}:`;
  if (principal.kind === 'ingest' || principal.role === 'admin')
    return { attributedTo: null, prefix, resolver: (d) => createPersonResolver(d) };
  const person = principal.personId;
  if (!person) return undefined;
  return { attributedTo: person, prefix, resolver: (d) => createPersonResolver(d, person) };
}
