/**
 * One row of a work file → one outcome record. Pure, so that a future receiver of the same
 * rows over HTTP maps them identically.
 * @module
 */
import { recordId } from '../../ledger/ids.js';
import type { DeploymentRecord, IncidentRecord, TaskRecord } from '../../ledger/work.js';
import { fieldValue, type Row, type WorkFileKind } from './fields.js';
import {
  deploymentStatus,
  listOf,
  optionalBool,
  optionalText,
  optionalTime,
  RowError,
  requiredText,
  requiredTime,
  shaList,
} from './values.js';

export type WorkRecord =
  | { kind: 'deployment'; record: DeploymentRecord }
  | { kind: 'incident'; record: IncidentRecord }
  | { kind: 'task'; record: TaskRecord };

export type RowParse = { ok: true; value: WorkRecord } | { ok: false; reason: string };

const PRODUCTION_NAME = /^prod(uction)?$/i;

/** Record id of a deployment named in a file: ids that already carry a prefix are kept as given. */
export function deploymentRef(id: string): string {
  return id.startsWith('deploy:') ? id : recordId('deploy', 'file', id);
}

export function deploymentFromRow(row: Row, origin: string): DeploymentRecord {
  const f = (name: string) => fieldValue(row, 'deployment', name);
  const id = requiredText(f('id'), 'id');
  const service = requiredText(f('service'), 'service');
  const environment = requiredText(f('environment'), 'environment');
  const status = deploymentStatus(f('status'));
  const ts = requiredTime(f('finished_at'), 'finished_at');
  const shas = shaList(f('commits'), 'commits');
  const repo = optionalText(f('repo'), 'repo');
  const production = optionalBool(f('production'), 'production') ?? PRODUCTION_NAME.test(environment);
  const rollbackOf = optionalText(f('rollback_of'), 'rollback_of');
  return {
    id: deploymentRef(id),
    repo,
    service,
    environment,
    production,
    status,
    ts,
    shas,
    rollbackOf: rollbackOf === null ? null : deploymentRef(rollbackOf),
    source: 'work_file',
    origin,
  };
}

export function incidentFromRow(row: Row, origin: string): IncidentRecord {
  const f = (name: string) => fieldValue(row, 'incident', name);
  const id = requiredText(f('id'), 'id');
  const openedAt = requiredTime(f('opened_at'), 'opened_at');
  const resolvedAt = optionalTime(f('resolved_at'), 'resolved_at');
  if (resolvedAt !== null && resolvedAt < openedAt) throw new RowError('resolved_at is before opened_at');
  const cause = optionalText(f('caused_by_deployment'), 'caused_by_deployment');
  return {
    id: id.startsWith('incident:') ? id : recordId('incident', id),
    service: optionalText(f('service'), 'service'),
    openedAt,
    resolvedAt,
    severity: optionalText(f('severity'), 'severity'),
    rootCauseShas: shaList(f('root_cause_commits'), 'root_cause_commits'),
    deploymentId: cause === null ? null : deploymentRef(cause),
    source: 'work_file',
    origin,
  };
}

export function taskFromRow(row: Row, origin: string): TaskRecord {
  const f = (name: string) => fieldValue(row, 'task', name);
  const key = requiredText(f('key'), 'key');
  return {
    id: recordId('task', key),
    key,
    title: optionalText(f('title'), 'title'),
    assignee: optionalText(f('assignee'), 'assignee'),
    doneAt: requiredTime(f('done_at'), 'done_at'),
    refs: listOf(f('refs'), 'refs'),
    source: 'work_file',
    origin,
  };
}

/** Maps a row of a known kind; a bad row gives its reason, prefixed by the kind. */
export function workRecordFromRow(kind: WorkFileKind, row: Row, origin: string): RowParse {
  try {
    switch (kind) {
      case 'deployment':
        return { ok: true, value: { kind, record: deploymentFromRow(row, origin) } };
      case 'incident':
        return { ok: true, value: { kind, record: incidentFromRow(row, origin) } };
      case 'task':
        return { ok: true, value: { kind, record: taskFromRow(row, origin) } };
    }
  } catch (err) {
    if (err instanceof RowError) return { ok: false, reason: `${kind}: ${err.message}` };
    throw err;
  }
}
