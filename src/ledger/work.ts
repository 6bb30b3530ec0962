/**
 * Canonical outcome records (DESIGN §4 "work"): what was delivered, as opposed to what AI cost.
 *
 * Outcome sources (git, GitHub exports, deployment/incident/task files, later webhooks) map their
 * input into these shapes and nothing else. Identity is kept raw (e-mails, logins) and resolved to
 * people by the analyses through the people directory, so that editing the people file never
 * requires re-reading the sources. Times are epoch milliseconds UTC.
 * @module
 */
import type { Tool } from './records.js';

/** Where an outcome record came from. */
export type WorkSourceId = 'git' | 'github_export' | 'github_webhook' | 'work_file' | 'demo';

/** A tool that left evidence on a change; `unknown` when the marker names no tool we know. */
export type EvidenceTool = Tool | 'unknown';

/**
 * Why a change counts as AI-assisted (DESIGN §5), strongest first:
 * - `session_commit`: an AI session ran `git commit` and printed this SHA (transcript / OTel).
 * - `trailer`: a commit trailer such as `Co-Authored-By: Claude <noreply@anthropic.com>`.
 * - `pr_body`: a PR body marker such as "Generated with Claude Code".
 * - `label`: a PR label such as `ai-assisted`.
 * - `bot_author`: the author is an agent or bot acting for a person (e.g. `copilot-swe-agent[bot]`).
 * - `session_window`: an AI session of the same person ran in the same repository and branch
 *   within the window before the commit.
 */
export type AiEvidenceKind =
  | 'session_commit'
  | 'trailer'
  | 'pr_body'
  | 'label'
  | 'bot_author'
  | 'session_window';

export interface AiEvidence {
  kind: AiEvidenceKind;
  tool: EvidenceTool;
  /** The exact marker or reference, e.g. the trailer line, the label, the session id. */
  detail: string;
}

/** A commit trailer (`Key: value` in the last paragraph of the message). */
export interface Trailer {
  key: string;
  value: string;
}

export interface CommitRecord {
  /** `git:<repo>:<sha>` */
  id: string;
  /** Repository key (see `repoKey` in sources/git): `owner/name` when a remote says so, else the directory name. */
  repo: string;
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTs: number;
  committerName: string;
  committerEmail: string;
  committerTs: number;
  /** First line of the message. */
  subject: string;
  /** Sum of numstat over text files; binary files count in `filesChanged` only. */
  additions: number;
  deletions: number;
  filesChanged: number;
  /** PR number from a merge ("Merge pull request #12 from …") or squash ("Subject (#12)") message. */
  prNumber: number | null;
  /** SHA named by "This reverts commit <sha>." in the message, when it is a revert. */
  revertsSha: string | null;
  trailers: Trailer[];
  /** AI evidence found in the commit itself (trailers, bot author); links add more later. */
  aiEvidence: AiEvidence[];
  /** Reachable from the repository's default branch when it was read. */
  onDefaultBranch: boolean;
  source: WorkSourceId;
  /** Repository path or file the record was read from. */
  origin: string;
}

export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequestRecord {
  /** `pr:<repo>#<number>` */
  id: string;
  repo: string;
  number: number;
  title: string;
  /** GitHub login of the author. */
  author: string;
  /** GitHub's `user.type`: `User` or `Bot`. */
  authorType: string;
  state: PullRequestState;
  draft: boolean;
  createdAt: number;
  mergedAt: number | null;
  closedAt: number | null;
  mergedBy: string | null;
  baseRef: string;
  headRef: string;
  headSha: string | null;
  mergeCommitSha: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  labels: string[];
  /** Logins of reviewers who approved (latest review state per reviewer). */
  approvers: string[];
  /** Logins of everyone who left a review. */
  reviewers: string[];
  aiEvidence: AiEvidence[];
  source: WorkSourceId;
  origin: string;
}

export type DeploymentStatus = 'success' | 'failure' | 'error' | 'in_progress' | 'rolled_back';

export interface DeploymentRecord {
  /** `deploy:<source-specific id>` */
  id: string;
  repo: string | null;
  service: string;
  environment: string;
  /** True when the environment is production (by name or an explicit flag). */
  production: boolean;
  status: DeploymentStatus;
  /** When the deployment finished (or was last updated). */
  ts: number;
  /** Commits shipped by this deployment (full or abbreviated SHAs). */
  shas: string[];
  /** When this deployment rolls back to an earlier one, that deployment's id. */
  rollbackOf: string | null;
  source: WorkSourceId;
  origin: string;
}

export interface IncidentRecord {
  /** `incident:<id>` */
  id: string;
  service: string | null;
  openedAt: number;
  resolvedAt: number | null;
  severity: string | null;
  /** Commits named as the root cause. */
  rootCauseShas: string[];
  /** Deployment named as the cause, if any (record id). */
  deploymentId: string | null;
  source: WorkSourceId;
  origin: string;
}

export interface TaskRecord {
  /** `task:<key>` */
  id: string;
  key: string;
  title: string | null;
  /** Raw identity of the assignee (e-mail or login). */
  assignee: string | null;
  doneAt: number;
  /** Commits and PRs the ticket names (`<sha>` or `<repo>#<n>`). */
  refs: string[];
  source: WorkSourceId;
  origin: string;
}

/** One batch of outcome records; sources yield these, the store writes them idempotently by id. */
export interface WorkBatch {
  commits: CommitRecord[];
  pullRequests: PullRequestRecord[];
  deployments: DeploymentRecord[];
  incidents: IncidentRecord[];
  tasks: TaskRecord[];
}

export function emptyWorkBatch(): WorkBatch {
  return { commits: [], pullRequests: [], deployments: [], incidents: [], tasks: [] };
}
