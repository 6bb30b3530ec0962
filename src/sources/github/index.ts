/**
 * GitHub outcome source: pull requests, reviews and deployments as the REST API returns them,
 * read from `gh api` exports (docs/sources/github.md). The per-object mappers are pure so a
 * webhook receiver can reuse them.
 * @module
 */
export {
  AGENT_AUTHORS,
  type AiMarkerOptions,
  DEFAULT_AI_LABELS,
  PR_BODY_MARKERS,
  prAiEvidence,
  toolOfLabel,
} from './ai-markers.js';
export { parseIsoDateTime } from './api-schema.js';
export {
  type DeploymentOptions,
  type DeploymentParse,
  deploymentFromApi,
  repoFromApiUrl,
} from './deployment.js';
export {
  type FileStamp,
  type GithubExportOptions,
  type GithubExportResult,
  type GithubExportState,
  readGithubExport,
} from './export.js';
export { JsonValuesError, parseJsonList, parseJsonValues } from './json-values.js';
export {
  mergePullCopies,
  type PullRequestOptions,
  type PullRequestParse,
  pullRequestFromApi,
  type ReviewSummary,
  summarizeReviews,
} from './pull-request.js';
export { type Parsed, type SkipSummary, SkipTally } from './skips.js';
