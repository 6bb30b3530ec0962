/**
 * Column names of work files: normalisation, synonyms and which kind of record a row is.
 *
 * Spreadsheets and tool exports name the same column many ways (`Finished At`, `finishedAt`,
 * `deployed_at`); all are folded to snake case and then looked up in a per-kind synonym list,
 * because the same word means different things per kind (`deployment_id` is a deployment's own
 * id but an incident's cause).
 * @module
 */

export type WorkFileKind = 'deployment' | 'incident' | 'task';

/** `Finished At`, `finished-at`, `finishedAt`, `\uFEFFfinished_at` → `finished_at`. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

/** Canonical field → accepted column names, preferred first. */
export const FIELD_SYNONYMS: Readonly<Record<WorkFileKind, Readonly<Record<string, readonly string[]>>>> = {
  deployment: {
    id: ['id', 'deployment_id', 'deploy_id'],
    service: ['service', 'app', 'application', 'component'],
    environment: ['environment', 'env', 'stage'],
    status: ['status', 'state', 'result', 'outcome'],
    finished_at: [
      'finished_at',
      'finished',
      'deployed_at',
      'completed_at',
      'timestamp',
      'ts',
      'time',
      'date',
    ],
    commits: ['commits', 'commit', 'shas', 'sha', 'commit_shas', 'commit_sha'],
    repo: ['repo', 'repository'],
    production: ['production', 'prod', 'is_production'],
    rollback_of: ['rollback_of', 'rolls_back', 'rollback_for'],
  },
  incident: {
    id: ['id', 'incident_id', 'incident'],
    service: ['service', 'app', 'application', 'component'],
    opened_at: ['opened_at', 'opened', 'started_at', 'created_at', 'detected_at'],
    resolved_at: ['resolved_at', 'resolved', 'closed_at', 'ended_at'],
    severity: ['severity', 'sev', 'priority'],
    root_cause_commits: [
      'root_cause_commits',
      'root_cause_shas',
      'root_cause_commit',
      'root_cause_sha',
      'commits',
      'shas',
    ],
    caused_by_deployment: ['caused_by_deployment', 'caused_by', 'deployment', 'deployment_id'],
  },
  task: {
    key: ['key', 'issue_key', 'ticket', 'issue', 'id'],
    title: ['title', 'summary', 'name'],
    assignee: ['assignee', 'assigned_to', 'owner'],
    done_at: ['done_at', 'done', 'completed_at', 'resolved_at', 'resolved', 'closed_at'],
    refs: ['refs', 'references', 'links', 'commits', 'prs'],
  },
};

const KIND_WORDS: Readonly<Record<string, WorkFileKind>> = {
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  deploys: 'deployment',
  incident: 'incident',
  incidents: 'incident',
  task: 'task',
  tasks: 'task',
  ticket: 'task',
  tickets: 'task',
};

/** Kind named by a `kind` cell or a word such as `deployments`; null when it names none. */
export function kindOf(word: string): WorkFileKind | null {
  return KIND_WORDS[word.trim().toLowerCase()] ?? null;
}

/**
 * Kind named by a file name: its stem, or the stem's last `-`/`_`/`.` part
 * (`deployments.csv`, `2026-q2_incidents.json`, `tasks.ndjson`).
 */
export function kindOfFileName(fileName: string): WorkFileKind | null {
  const stem = fileName.replace(/\.[^.]+$/, '');
  return kindOf(stem) ?? kindOf(stem.split(/[-_.]/).at(-1) ?? '');
}

/** A row with normalised keys; values as the file gave them. */
export type Row = Readonly<Record<string, unknown>>;

export function normalizeRow(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = normalizeHeader(k);
    // A blank duplicate must not hide a filled one (`sha` empty, `commits` filled).
    if (!(key in row) || isBlank(row[key])) row[key] = v;
  }
  return row;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** The value of `field` under the first synonym that is present and not blank. */
export function fieldValue(row: Row, kind: WorkFileKind, field: string): unknown {
  for (const name of FIELD_SYNONYMS[kind][field] ?? [field]) {
    const v = row[name];
    if (!isBlank(v)) return v;
  }
  return undefined;
}
