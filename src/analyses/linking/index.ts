/**
 * Linking AI sessions to the changes they produced, with evidence.
 * @module
 */
export {
  buildLinkIndex,
  type Change,
  type ChangeKind,
  type ChangeLinks,
  DEFAULT_SESSION_WINDOW_MS,
  type LinkIndex,
  type LinkInput,
  type LinkOptions,
  type LinkResult,
  type LinkStats,
  linkSessions,
  type SessionLinks,
  toLinkResult,
} from './link.js';
export { createPersonResolver, isBotIdentity, type PersonResolver } from './people.js';
export {
  DEFAULT_PR_COMMIT_OPTIONS,
  indexPullRequestCommits,
  linkPullRequestsToCommits,
  type PrCommitIndex,
  type PrCommitLinks,
} from './pr-commits.js';
export { createRepoResolver, type RepoResolver, repoName } from './repo-paths.js';
export {
  MIN_SHA_LENGTH,
  normaliseSha,
  SHA_AMBIGUOUS,
  SHA_MISSING,
  ShaIndex,
  type ShaLookup,
} from './sha-index.js';
