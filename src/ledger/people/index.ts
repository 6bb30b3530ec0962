/**
 * People and teams: load a people file, or fall back to the local user, and resolve raw
 * identities to people (see `docs/people.md`).
 * @module
 */
export {
  ALIAS_KINDS,
  aliasNamespace,
  createPeopleDirectory,
  type DirectoryProblem,
  directoryProblems,
  foldAlias,
  githubLoginFromNoreply,
  PeopleDirectoryError,
} from './directory.js';
export { PeopleFileError } from './errors.js';
export {
  detectPeopleFormat,
  loadPeopleFile,
  type PeopleFileProblem,
  type PeopleFormat,
  parsePeopleFile,
} from './load.js';
export { localDirectory, localDirectoryFor } from './local.js';
export { personForRawIdentity, RAW_IDENTITY_KEYS, type RawIdentityMatch } from './resolve-raw.js';
export type { Alias, AliasKind, Membership, PeopleDirectory, Person, PersonSpan, Team } from './types.js';
export {
  type IdentityTotals,
  type SeenIdentity,
  type UnresolvedReport,
  unresolvedIdentities,
} from './unresolved.js';
