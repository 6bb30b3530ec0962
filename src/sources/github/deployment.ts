/**
 * Deployment JSON (REST `GET /repos/{o}/{r}/deployments` items, or a webhook's `deployment`)
 * plus its statuses → `DeploymentRecord`.
 *
 * Pure: no I/O, so the export reader and a future webhook receiver share it.
 * @module
 */
import { recordId } from '../../ledger/ids.js';
import type { DeploymentRecord, DeploymentStatus, WorkSourceId } from '../../ledger/work.js';
import {
  type ApiDeploymentStatus,
  compareSchema,
  deploymentSchema,
  deploymentStatusSchema,
  describeZodError,
  parseIsoDateTime,
} from './api-schema.js';

export interface DeploymentOptions {
  /**
   * Response of `GET …/compare/{previous successful sha}...{sha}` for this deployment (one
   * object, or the pages `gh api --paginate` printed). Its commits are added to `shas`.
   */
  compare?: unknown;
  source?: WorkSourceId;
}

export type DeploymentParse =
  | { ok: true; record: DeploymentRecord; skipped: string[] }
  | { ok: false; reason: string };

/**
 * GitHub's status states → ours. `inactive` is absent on purpose: GitHub sets it on an earlier
 * successful deployment when a newer one to the same environment succeeds, so it means
 * "superseded", not a result; the latest other status carries the result.
 */
const STATE_MAP: Readonly<Record<string, DeploymentStatus>> = {
  success: 'success',
  failure: 'failure',
  error: 'error',
  in_progress: 'in_progress',
  queued: 'in_progress',
  pending: 'in_progress',
};

const PRODUCTION_NAME = /^prod(uction)?$/i;

/** `owner/name` from `https://api.github.com/repos/owner/name` (also GHES `/api/v3/repos/…`). */
export function repoFromApiUrl(url: string | undefined): string | null {
  const m = url ? /\/repos\/([^/]+\/[^/]+?)\/?$/.exec(url) : null;
  return m ? m[1]! : null;
}

/** `payload.service` when the deploying workflow set one (the payload may be an object or JSON text). */
function serviceFromPayload(payload: unknown): string | null {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const service = (value as { service?: unknown }).service;
  return typeof service === 'string' && service.trim() !== '' ? service.trim() : null;
}

function compareShas(compare: unknown, skipped: string[]): string[] {
  if (compare === undefined || compare === null) return [];
  const pages = Array.isArray(compare) ? compare : [compare];
  const shas: string[] = [];
  for (const page of pages) {
    const parsed = compareSchema.safeParse(page);
    if (!parsed.success) {
      skipped.push(describeZodError('compare', parsed.error));
      continue;
    }
    for (const c of parsed.data.commits) shas.push(c.sha.toLowerCase());
  }
  return shas;
}

/**
 * Maps one deployment. Its status is the latest status other than `inactive` (by `created_at`,
 * then status id); a deployment with no status yet is `in_progress` as of its creation. One with
 * only `inactive` statuses never reported a result and is skipped. `service` is
 * `payload.service` when present, else the repository.
 */
export function deploymentFromApi(
  deployment: unknown,
  statuses: readonly unknown[],
  repo: string | null,
  origin: string,
  options: DeploymentOptions = {},
): DeploymentParse {
  const parsed = deploymentSchema.safeParse(deployment);
  if (!parsed.success) return { ok: false, reason: describeZodError('deployment', parsed.error) };
  const d = parsed.data;
  const repoName = repo ?? repoFromApiUrl(d.repository_url);
  if (!repoName)
    return { ok: false, reason: 'deployment: repository unknown (no repo given, no repository_url)' };

  const skipped: string[] = [];
  const valid: Array<{ status: ApiDeploymentStatus; at: number; index: number }> = [];
  statuses.forEach((raw, index) => {
    const s = deploymentStatusSchema.safeParse(raw);
    if (!s.success) {
      skipped.push(describeZodError('deployment status', s.error));
      return;
    }
    const state = s.data.state.toLowerCase();
    if (state !== 'inactive' && !(state in STATE_MAP)) {
      skipped.push(`deployment status: unknown state "${s.data.state}"`);
      return;
    }
    valid.push({ status: { ...s.data, state }, at: parseIsoDateTime(s.data.created_at)!, index });
  });
  // The API lists statuses newest first; sort instead of trusting the export's order.
  valid.sort((a, b) => a.at - b.at || (a.status.id ?? 0) - (b.status.id ?? 0) || a.index - b.index);
  const deciding = valid.filter((v) => v.status.state !== 'inactive').at(-1);
  if (!deciding && valid.length > 0) {
    return { ok: false, reason: 'deployment: only inactive statuses, no result reported' };
  }
  const status: DeploymentStatus = deciding ? STATE_MAP[deciding.status.state]! : 'in_progress';
  const ts = deciding ? deciding.at : parseIsoDateTime(d.created_at)!;
  // A status may move the deployment to another environment; the latest one that says so wins.
  const environment = valid.map((v) => v.status.environment).findLast((e) => !!e) ?? d.environment;
  const production = d.production_environment ?? PRODUCTION_NAME.test(environment);

  const shas = [d.sha.toLowerCase()];
  for (const sha of compareShas(options.compare, skipped)) if (!shas.includes(sha)) shas.push(sha);

  const record: DeploymentRecord = {
    id: recordId('deploy', 'gh', repoName, d.id),
    repo: repoName,
    service: serviceFromPayload(d.payload) ?? repoName,
    environment,
    production,
    status,
    ts,
    shas,
    // GitHub has no notion of rollback; a redeploy of an older sha is just another deployment.
    rollbackOf: null,
    source: options.source ?? 'github_export',
    origin,
  };
  return { ok: true, record, skipped };
}
