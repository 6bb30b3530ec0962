/**
 * The directory used when there is no people file: one person, the local user, to whom every
 * identity resolves. Local logs carry no identity of their own (reference/formats.md §10.1), so
 * on a single machine everything seen is, by definition, that user's — and local reports keep
 * working without anyone writing a people file.
 * @module
 */
import { type LocalIdentity, resolveLocalIdentity } from '../identity.js';
import { createPeopleDirectory } from './directory.js';
import type { Alias, PeopleDirectory, Person } from './types.js';

/** The single-person directory for an identity already resolved (see `resolveLocalIdentity`). */
export function localDirectoryFor(identity: LocalIdentity): PeopleDirectory {
  const { personId, raw } = identity;
  const aliases: Alias[] = [];
  if (raw.os_user) aliases.push({ kind: 'os_user', value: raw.os_user });
  if (raw.git_email) aliases.push({ kind: 'git_email', value: raw.git_email });
  // `user@host` is the last-resort id, shaped like an e-mail but not one.
  const fallback = raw.os_user && raw.host ? `${raw.os_user}@${raw.host}`.toLowerCase() : undefined;
  const email = personId.includes('@') && personId !== fallback ? personId : null;
  const person: Person = {
    id: personId,
    name: personId,
    email,
    aliases,
    memberships: [],
    costCentre: null,
    // Individual boards are opt-in (DESIGN §6); having no people file is not opting in.
    boardOptIn: false,
  };
  const base = createPeopleDirectory([person], []);
  const only = base.people[0]!;
  return {
    people: base.people,
    teams: base.teams,
    // Prefixed so a local directory never shares a version with a one-person people file.
    version: `local:${base.version}`,
    person: (id) => base.person(id),
    // Even an empty identity: every record on this machine is the local user's.
    resolve: () => only,
    teamAt: () => undefined,
    membersOf: () => [],
    membershipSpans: () => [],
  };
}

/**
 * The local user's directory: the person from `$TOKENYIELD_PERSON`, else `configured` (the
 * config's `identity.person`), else the global git e-mail, else `user@host`.
 */
export function localDirectory(
  configured?: string,
  env: Record<string, string | undefined> = process.env,
): PeopleDirectory {
  return localDirectoryFor(resolveLocalIdentity(configured, env));
}
