/**
 * The column layout of the outcome tables, shared by every engine: one list per record kind says
 * how a field is stored and read back, so that engines differ only in SQL, never in mapping.
 * Lists and nested values are stored as JSON text, which every engine (including ClickHouse
 * 18.16) can hold and which the analyses read back whole.
 * @module
 */
import type {
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
  TaskRecord,
  WorkBatch,
} from '../work.js';

/** How a value is stored: `ts` is epoch ms in a timestamp column; `json` is JSON text. */
export type WorkColumnType = 'text' | 'int' | 'bool' | 'ts' | 'json';

export interface WorkColumn<R> {
  name: string;
  type: WorkColumnType;
  nullable: boolean;
  /** The record field this column holds. */
  field: keyof R & string;
}

export interface WorkTable<R> {
  kind: keyof WorkBatch;
  table: string;
  /** Column whose time places the record in a query window. */
  timeColumn: string;
  columns: readonly WorkColumn<R>[];
}

const col = <R>(
  field: keyof R & string,
  name: string,
  type: WorkColumnType,
  nullable = false,
): WorkColumn<R> => ({
  field,
  name,
  type,
  nullable,
});

export const COMMITS: WorkTable<CommitRecord> = {
  kind: 'commits',
  table: 'commits',
  timeColumn: 'author_ts',
  columns: [
    col('id', 'id', 'text'),
    col('repo', 'repo', 'text'),
    col('sha', 'sha', 'text'),
    col('parents', 'parents', 'json'),
    col('authorName', 'author_name', 'text'),
    col('authorEmail', 'author_email', 'text'),
    col('authorTs', 'author_ts', 'ts'),
    col('committerName', 'committer_name', 'text'),
    col('committerEmail', 'committer_email', 'text'),
    col('committerTs', 'committer_ts', 'ts'),
    col('subject', 'subject', 'text'),
    col('additions', 'additions', 'int'),
    col('deletions', 'deletions', 'int'),
    col('filesChanged', 'files_changed', 'int'),
    col('prNumber', 'pr_number', 'int', true),
    col('revertsSha', 'reverts_sha', 'text', true),
    col('trailers', 'trailers', 'json'),
    col('aiEvidence', 'ai_evidence', 'json'),
    col('onDefaultBranch', 'on_default_branch', 'bool'),
    col('source', 'source', 'text'),
    col('origin', 'origin', 'text'),
  ],
};

export const PULL_REQUESTS: WorkTable<PullRequestRecord> = {
  kind: 'pullRequests',
  table: 'pull_requests',
  timeColumn: 'created_at',
  columns: [
    col('id', 'id', 'text'),
    col('repo', 'repo', 'text'),
    col('number', 'number', 'int'),
    col('title', 'title', 'text'),
    col('author', 'author', 'text'),
    col('authorType', 'author_type', 'text'),
    col('state', 'state', 'text'),
    col('draft', 'draft', 'bool'),
    col('createdAt', 'created_at', 'ts'),
    col('mergedAt', 'merged_at', 'ts', true),
    col('closedAt', 'closed_at', 'ts', true),
    col('mergedBy', 'merged_by', 'text', true),
    col('baseRef', 'base_ref', 'text'),
    col('headRef', 'head_ref', 'text'),
    col('headSha', 'head_sha', 'text', true),
    col('mergeCommitSha', 'merge_commit_sha', 'text', true),
    col('additions', 'additions', 'int'),
    col('deletions', 'deletions', 'int'),
    col('changedFiles', 'changed_files', 'int'),
    col('labels', 'labels', 'json'),
    col('approvers', 'approvers', 'json'),
    col('reviewers', 'reviewers', 'json'),
    col('aiEvidence', 'ai_evidence', 'json'),
    col('source', 'source', 'text'),
    col('origin', 'origin', 'text'),
  ],
};

export const DEPLOYMENTS: WorkTable<DeploymentRecord> = {
  kind: 'deployments',
  table: 'deployments',
  timeColumn: 'ts',
  columns: [
    col('id', 'id', 'text'),
    col('repo', 'repo', 'text', true),
    col('service', 'service', 'text'),
    col('environment', 'environment', 'text'),
    col('production', 'production', 'bool'),
    col('status', 'status', 'text'),
    col('ts', 'ts', 'ts'),
    col('shas', 'shas', 'json'),
    col('rollbackOf', 'rollback_of', 'text', true),
    col('source', 'source', 'text'),
    col('origin', 'origin', 'text'),
  ],
};

export const INCIDENTS: WorkTable<IncidentRecord> = {
  kind: 'incidents',
  table: 'incidents',
  timeColumn: 'opened_at',
  columns: [
    col('id', 'id', 'text'),
    col('service', 'service', 'text', true),
    col('openedAt', 'opened_at', 'ts'),
    col('resolvedAt', 'resolved_at', 'ts', true),
    col('severity', 'severity', 'text', true),
    col('rootCauseShas', 'root_cause_shas', 'json'),
    col('deploymentId', 'deployment_id', 'text', true),
    col('source', 'source', 'text'),
    col('origin', 'origin', 'text'),
  ],
};

export const TASKS: WorkTable<TaskRecord> = {
  kind: 'tasks',
  table: 'tasks',
  timeColumn: 'done_at',
  columns: [
    col('id', 'id', 'text'),
    col('key', 'key', 'text'),
    col('title', 'title', 'text', true),
    col('assignee', 'assignee', 'text', true),
    col('doneAt', 'done_at', 'ts'),
    col('refs', 'refs', 'json'),
    col('source', 'source', 'text'),
    col('origin', 'origin', 'text'),
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: the list mixes record types; each table is typed where it is declared.
export const WORK_TABLES: readonly WorkTable<any>[] = [COMMITS, PULL_REQUESTS, DEPLOYMENTS, INCIDENTS, TASKS];

/** A stored cell back into the record field's value. */
export function fromCell(type: WorkColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'int':
    case 'ts':
      return Number(value);
    case 'bool':
      return Boolean(value);
    case 'json':
      return JSON.parse(String(value));
    default:
      return String(value);
  }
}
