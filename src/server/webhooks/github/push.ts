/**
 * `push` events to the default branch → `CommitRecord`s, with the message read exactly as the
 * git source reads it (subject, PR number, revert, trailers, AI evidence).
 *
 * A push payload is not `git log`: it has no parents, no line counts and a single time per
 * commit. Those records therefore say `additions: 0, deletions: 0`, `parents: []`, and
 * `filesChanged` is the number of paths GitHub lists. Line counts come from the git source, which
 * replaces these records by id when it reads a clone; a commit the git source stored first keeps
 * its record, and the push only marks it as on the default branch.
 * @module
 */
import { z } from 'zod';
import type { Store } from '../../../ledger/store/store.js';
import { type CommitRecord, emptyWorkBatch } from '../../../ledger/work.js';
import { toCommitRecord } from '../../../sources/git/record.js';
import { describeZodError, parseIsoDateTime } from '../../../sources/github/api-schema.js';
import { type EventHandler, ignored, invalid } from './outcome.js';

const DAY = 86_400_000;

const person = z.object({ name: z.string(), email: z.string().nullish() });
const paths = z.array(z.string()).optional();

const pushSchema = z.object({
  ref: z.string().min(1),
  deleted: z.boolean().optional(),
  repository: z.object({
    full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/name"'),
    default_branch: z.string().min(1),
  }),
  commits: z.array(
    z.object({
      id: z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i, 'expected a full commit SHA'),
      message: z.string(),
      timestamp: z.string().refine((s) => parseIsoDateTime(s) !== null, 'not an ISO-8601 date-time'),
      author: person,
      committer: person.optional(),
      added: paths,
      removed: paths,
      modified: paths,
    }),
  ),
});
type PushCommit = z.infer<typeof pushSchema>['commits'][number];

function commitFromPush(c: PushCommit, repo: string, origin: string): CommitRecord {
  const ts = parseIsoDateTime(c.timestamp)!;
  const committer = c.committer ?? c.author;
  const files = new Set([...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])]);
  const record = toCommitRecord(
    {
      sha: c.id.toLowerCase(),
      parents: [],
      authorName: c.author.name,
      authorEmail: c.author.email ?? '',
      authorTs: ts,
      committerName: committer.name,
      committerEmail: committer.email ?? '',
      committerTs: ts,
      message: c.message,
      additions: 0,
      deletions: 0,
      filesChanged: files.size,
    },
    repo,
    origin,
    true,
  );
  return { ...record, source: 'github_webhook' };
}

/**
 * Git-source records of the same commits, which carry what a push cannot. GitHub's commit time is
 * the author date the git source files commits under; a day's margin covers any rounding.
 */
async function keepGitRecords(store: Store, commits: CommitRecord[]): Promise<CommitRecord[]> {
  if (commits.length === 0) return commits;
  const times = commits.map((c) => c.authorTs);
  const { commits: stored } = await store.work({
    kinds: ['commits'],
    since: Math.min(...times) - DAY,
    until: Math.max(...times) + DAY,
  });
  const fromGit = new Map(stored.filter((c) => c.source === 'git').map((c) => [c.id, c]));
  return commits.map((c) => {
    const known = fromGit.get(c.id);
    return known ? { ...known, onDefaultBranch: true } : c;
  });
}

export const pushEvent: EventHandler = async ({ payload, store, origin }) => {
  const parsed = pushSchema.safeParse(payload);
  if (!parsed.success) return invalid(describeZodError('push', parsed.error));
  const push = parsed.data;
  const branch = `refs/heads/${push.repository.default_branch}`;
  if (push.ref !== branch) return ignored(`push to ${push.ref}; only the default branch (${branch}) is read`);
  if (push.deleted) return ignored('the default branch was deleted; no commits to read');
  const repo = push.repository.full_name;
  const batch = emptyWorkBatch();
  batch.commits = await keepGitRecords(
    store,
    push.commits.map((c) => commitFromPush(c, repo, origin)),
  );
  return { kind: 'records', batch, checkpoints: [] };
};
