/**
 * `pull_request` events → `PullRequestRecord`, through the same mapper as the export reader.
 *
 * GitHub does not promise delivery order, and a merge fires several events within milliseconds
 * (closed, labeled, …). Each PR's `updated_at` is therefore kept as a checkpoint, and an event
 * older than the one already stored changes nothing. The event carries no reviews, so reviewers
 * and approvers that an export stored for the PR are kept.
 * @module
 */
import type { Store } from '../../../ledger/store/store.js';
import type { PullRequestRecord } from '../../../ledger/work.js';
import { emptyWorkBatch } from '../../../ledger/work.js';
import { pullRequestFromApi, pullUpdatedAt } from '../../../sources/github/pull-request.js';
import { objectMember, repositoryOf } from './envelope.js';
import { type EventHandler, invalid } from './outcome.js';

interface SeenState {
  updatedAt: number;
}

async function storedPull(store: Store, record: PullRequestRecord): Promise<PullRequestRecord | undefined> {
  // createdAt never changes, so a one-millisecond window finds the stored copy without a scan.
  const { pullRequests } = await store.work({
    kinds: ['pullRequests'],
    since: record.createdAt,
    until: record.createdAt + 1,
  });
  return pullRequests.find((p) => p.id === record.id);
}

export const pullRequestEvent: EventHandler = async ({ payload, store, origin }) => {
  const repo = repositoryOf('pull_request', payload);
  if (!repo.ok) return invalid(repo.message);
  const pull = objectMember(payload, 'pull_request');
  if (!pull) return invalid('pull_request: missing pull_request object');
  const parsed = pullRequestFromApi(pull, repo.repo, origin, { source: 'github_webhook' });
  if (!parsed.ok) return invalid(parsed.reason);
  const record = parsed.record;
  const batch = emptyWorkBatch();
  const updatedAt = pullUpdatedAt(pull);
  const stateKey = `updated:${record.id}`;
  const seen = (await store.workCheckpoint('github_webhook', stateKey)) as SeenState | undefined;
  if (seen !== undefined && updatedAt < seen.updatedAt) return { kind: 'records', batch, checkpoints: [] };

  const stored = await storedPull(store, record);
  if (stored && record.reviewers.length === 0) {
    record.reviewers = stored.reviewers;
    record.approvers = stored.approvers;
  }
  batch.pullRequests.push(record);
  const checkpoints = Number.isFinite(updatedAt)
    ? [{ source: 'github_webhook' as const, key: stateKey, state: { updatedAt } satisfies SeenState }]
    : [];
  return { kind: 'records', batch, checkpoints };
};
