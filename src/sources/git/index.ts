/**
 * The git outcome source: local clones in, `CommitRecord`s out (see source.ts for the
 * incremental read, ai-markers.ts for what counts as AI evidence).
 * @module
 */
export { AUTHOR_MARKERS, commitAiEvidence, parseIdentity, TRAILER_MARKERS } from './ai-markers.js';
export { type DefaultBranch, resolveDefaultBranch } from './default-branch.js';
export { type DiscoverOptions, discoverRepositories } from './discover.js';
export { GitError, type GitErrorCode } from './git-exec.js';
export { type GitSkip, type GitSkipReason, inspectRepository, type RepositoryInfo } from './inspect.js';
export { type LineSurvival, lineSurvival } from './line-survival.js';
export { pullRequestNumber, revertedSha, subjectOf } from './message.js';
export { commitId, toCommitRecord } from './record.js';
export { readRepoKey, repoKey, repoKeyFromUrl } from './repo-key.js';
export {
  type GitReadOptions,
  type GitReadStats,
  type GitRepositoryRead,
  readGitRepository,
} from './source.js';
export { GIT_STATE_VERSION, type GitRepoState, parseGitRepoState } from './state.js';
export { parseTrailers } from './trailers.js';
