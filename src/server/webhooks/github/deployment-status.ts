/**
 * `deployment_status` events → `DeploymentRecord`, through the same mapper as the export reader,
 * with the one status the event carries.
 *
 * Statuses of one deployment arrive as separate events, not necessarily in order; the stored
 * record is replaced only by a status at least as recent as the one it holds. Commits an export
 * added from a compare response are kept, since the event names only the deployed one.
 * @module
 */
import type { Store } from '../../../ledger/store/store.js';
import { type DeploymentRecord, emptyWorkBatch } from '../../../ledger/work.js';
import { parseIsoDateTime } from '../../../sources/github/api-schema.js';
import { deploymentFromApi } from '../../../sources/github/deployment.js';
import { objectMember, repositoryOf } from './envelope.js';
import { type EventHandler, ignored, invalid } from './outcome.js';

async function storedDeployment(store: Store, record: DeploymentRecord, createdAt: number) {
  // A deployment's time is that of a status, never before its creation.
  const { deployments } = await store.work({ kinds: ['deployments'], since: createdAt });
  return deployments.find((d) => d.id === record.id);
}

function merged(fresh: DeploymentRecord, stored: DeploymentRecord | undefined): DeploymentRecord {
  if (!stored) return fresh;
  const newer = stored.ts > fresh.ts ? stored : fresh;
  return { ...newer, shas: [...new Set([...fresh.shas, ...stored.shas])] };
}

export const deploymentStatusEvent: EventHandler = async ({ payload, store, origin }) => {
  const repo = repositoryOf('deployment_status', payload);
  if (!repo.ok) return invalid(repo.message);
  const deployment = objectMember(payload, 'deployment');
  if (!deployment) return invalid('deployment_status: missing deployment object');
  const status = objectMember(payload, 'deployment_status');
  if (!status) return invalid('deployment_status: missing deployment_status object');
  const parsed = deploymentFromApi(deployment, [status], repo.repo, origin, { source: 'github_webhook' });
  if (!parsed.ok) {
    // `inactive` only says a newer deployment to the environment succeeded; that one reports itself.
    if (/only inactive/.test(parsed.reason)) return ignored('an inactive status reports no result');
    return invalid(parsed.reason);
  }
  const [problem] = parsed.skipped;
  if (problem !== undefined) {
    // A state GitHub adds later must not fail deliveries; it is simply not read.
    if (/unknown state/.test(problem)) return ignored(problem);
    return invalid(problem);
  }
  const createdAt = parseIsoDateTime(String(deployment.created_at))!;
  const batch = emptyWorkBatch();
  batch.deployments.push(merged(parsed.record, await storedDeployment(store, parsed.record, createdAt)));
  return { kind: 'records', batch, checkpoints: [] };
};
