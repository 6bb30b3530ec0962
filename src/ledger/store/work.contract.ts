/**
 * Behaviour every `Store` engine must share for outcome records, session summaries and identity
 * statistics. Each engine's test file calls `runWorkStoreContract` beside `runStoreContract`.
 * @module
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CommitRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
  TaskRecord,
  WorkBatch,
} from '../work.js';
import { emptyWorkBatch } from '../work.js';
import { activityRecord, usageRecord } from './store.contract.js';
import type { Store, WriteBatch } from './store.js';

const at = (iso: string) => Date.parse(iso);

export function commitRecord(overrides: Partial<CommitRecord> = {}): CommitRecord {
  const sha = overrides.sha ?? 'a'.repeat(40);
  return {
    id: `git:acme/api:${sha}`,
    repo: 'acme/api',
    sha,
    parents: ['b'.repeat(40)],
    authorName: 'Dev',
    authorEmail: 'dev@acme.example',
    authorTs: at('2024-03-10T10:00:00Z'),
    committerName: 'Dev',
    committerEmail: 'dev@acme.example',
    committerTs: at('2024-03-10T10:00:05Z'),
    subject: 'Add limiter',
    additions: 24,
    deletions: 0,
    filesChanged: 1,
    prNumber: null,
    revertsSha: null,
    trailers: [{ key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' }],
    aiEvidence: [
      { kind: 'trailer', tool: 'claude-code', detail: 'Co-Authored-By: Claude <noreply@anthropic.com>' },
    ],
    onDefaultBranch: true,
    source: 'git',
    origin: '/home/dev/acme-api',
    ...overrides,
  };
}

export function pullRequestRecord(overrides: Partial<PullRequestRecord> = {}): PullRequestRecord {
  const number = overrides.number ?? 7;
  return {
    id: `pr:acme/api#${number}`,
    repo: 'acme/api',
    number,
    title: 'Rate limiter',
    author: 'dev',
    authorType: 'User',
    state: 'merged',
    draft: false,
    createdAt: at('2024-03-10T09:00:00Z'),
    mergedAt: at('2024-03-10T12:00:00Z'),
    closedAt: at('2024-03-10T12:00:00Z'),
    mergedBy: 'lead',
    baseRef: 'main',
    headRef: 'feat/limiter',
    headSha: 'a'.repeat(40),
    mergeCommitSha: 'c'.repeat(40),
    additions: 24,
    deletions: 0,
    changedFiles: 1,
    labels: ['ai-assisted'],
    approvers: ['lead'],
    reviewers: ['lead', 'peer'],
    aiEvidence: [{ kind: 'label', tool: 'unknown', detail: 'ai-assisted' }],
    source: 'github_export',
    origin: '/exports/acme-api/pulls.json',
    ...overrides,
  };
}

export function deploymentRecord(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'deploy:file:d1',
    repo: 'acme/api',
    service: 'api',
    environment: 'production',
    production: true,
    status: 'success',
    ts: at('2024-03-11T08:00:00Z'),
    shas: ['c'.repeat(40)],
    rollbackOf: null,
    source: 'work_file',
    origin: '/exports/deployments.csv',
    ...overrides,
  };
}

export function incidentRecord(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: 'incident:INC-1',
    service: 'api',
    openedAt: at('2024-03-12T08:00:00Z'),
    resolvedAt: null,
    severity: 'sev2',
    rootCauseShas: ['c'.repeat(40)],
    deploymentId: 'deploy:file:d1',
    source: 'work_file',
    origin: '/exports/incidents.json',
    ...overrides,
  };
}

export function taskRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: 'task:API-12',
    key: 'API-12',
    title: null,
    assignee: 'dev@acme.example',
    doneAt: at('2024-03-12T17:00:00Z'),
    refs: ['acme/api#7'],
    source: 'work_file',
    origin: '/exports/tasks.csv',
    ...overrides,
  };
}

function work(overrides: Partial<WorkBatch>): WorkBatch {
  return { ...emptyWorkBatch(), ...overrides };
}

function usageBatch(overrides: Partial<WriteBatch>): WriteBatch {
  return { usage: [], activity: [], checkpoints: [], ...overrides };
}

/** `open` must return a new, empty store on every call. */
export function runWorkStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (outcomes): ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores every kind of outcome record and reads it back unchanged', async () => {
      const batch = work({
        commits: [
          commitRecord(),
          commitRecord({ sha: 'd'.repeat(40), prNumber: 7, revertsSha: 'a'.repeat(7) }),
        ],
        pullRequests: [pullRequestRecord(), pullRequestRecord({ number: 8, mergedAt: null, mergedBy: null })],
        deployments: [deploymentRecord()],
        incidents: [incidentRecord()],
        tasks: [taskRecord({ title: 'Limiter ✓' })],
      });
      expect(await store.writeWork(batch)).toEqual({ inserted: 7, replaced: 0 });
      const read = await store.work({});
      const byId = <T extends { id: string }>(rows: T[]) =>
        [...rows].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(read.commits)).toEqual(byId(batch.commits));
      expect(byId(read.pullRequests)).toEqual(byId(batch.pullRequests));
      expect(read.deployments).toEqual(batch.deployments);
      expect(read.incidents).toEqual(batch.incidents);
      expect(read.tasks).toEqual(batch.tasks);
    });

    it('upserts by id: a re-read changes nothing, a newer state replaces the old one', async () => {
      const open = pullRequestRecord({ state: 'open', mergedAt: null, mergedBy: null, closedAt: null });
      await store.writeWork(work({ pullRequests: [open], commits: [commitRecord()] }));
      expect(await store.writeWork(work({ pullRequests: [open], commits: [commitRecord()] }))).toEqual({
        inserted: 0,
        replaced: 2,
      });
      const merged = pullRequestRecord();
      await store.writeWork(work({ pullRequests: [merged, merged] }));
      const read = await store.work({});
      expect(read.pullRequests).toEqual([merged]);
      expect(read.commits).toHaveLength(1);
    });

    it('selects records by their own time, since inclusive and until exclusive', async () => {
      await store.writeWork(
        work({
          commits: [
            commitRecord({ sha: '1'.repeat(40), authorTs: at('2024-03-01T00:00:00Z') }),
            commitRecord({ sha: '2'.repeat(40), authorTs: at('2024-03-02T00:00:00Z') }),
          ],
          deployments: [deploymentRecord({ ts: at('2024-03-02T00:00:00Z') })],
        }),
      );
      const read = await store.work({ since: at('2024-03-01T00:00:00Z'), until: at('2024-03-02T00:00:00Z') });
      expect(read.commits.map((c) => c.sha[0])).toEqual(['1']);
      expect(read.deployments).toEqual([]);
      const onlyCommits = await store.work({ kinds: ['commits'] });
      expect(onlyCommits.commits).toHaveLength(2);
      expect(onlyCommits.deployments).toEqual([]);
    });

    it('saves source checkpoints with the records they cover', async () => {
      expect(await store.workCheckpoint('git', '/repo')).toBeUndefined();
      await store.writeWork(work({ commits: [commitRecord()] }), [
        { source: 'git', key: '/repo', state: { tips: ['a'.repeat(40)] } },
      ]);
      expect(await store.workCheckpoint('git', '/repo')).toEqual({ tips: ['a'.repeat(40)] });
      await store.writeWork(work({}), [{ source: 'git', key: '/repo', state: { tips: [] } }]);
      expect(await store.workCheckpoint('git', '/repo')).toEqual({ tips: [] });
    });

    it('refuses a record missing a required field, and keeps nothing of that batch', async () => {
      const broken = { ...commitRecord(), authorEmail: null } as unknown as CommitRecord;
      await expect(
        store.writeWork(work({ commits: [commitRecord({ sha: 'e'.repeat(40) }), broken] })),
      ).rejects.toThrow(/author_email/);
      expect((await store.work({})).commits).toEqual([]);
    });

    it('summarises sessions with their subagents, prompts, edits and commits', async () => {
      const t0 = at('2024-03-10T09:00:00Z');
      await store.write(
        usageBatch({
          usage: [
            usageRecord({ sessionId: 's1', ts: t0, costUsd: 0.5, gitBranch: 'feat/limiter' }),
            usageRecord({
              sessionId: 'sub',
              parentSessionId: 's1',
              isSubagent: true,
              ts: t0 + 60_000,
              costUsd: 0.25,
            }),
            usageRecord({
              sessionId: 's2',
              ts: t0 + 3_600_000,
              costUsd: null,
              costBasis: 'unpriced',
              personId: 'p2',
            }),
          ],
          activity: [
            activityRecord({ sessionId: 's1', kind: 'prompt', name: null, linesAdded: 0, linesRemoved: 0 }),
            activityRecord({
              sessionId: 's1',
              kind: 'tool_use',
              name: 'Edit',
              linesAdded: 0,
              linesRemoved: 0,
            }),
            activityRecord({
              sessionId: 's1',
              kind: 'tool_use',
              name: 'Bash',
              linesAdded: 0,
              linesRemoved: 0,
            }),
            activityRecord({
              sessionId: 's1',
              kind: 'lines_changed',
              name: 'Edit',
              linesAdded: 24,
              linesRemoved: 2,
            }),
            activityRecord({
              sessionId: 's1',
              kind: 'commit',
              name: null,
              ref: 'ad60d2b',
              linesAdded: 0,
              linesRemoved: 0,
            }),
            activityRecord({
              sessionId: 's2',
              kind: 'prompt',
              name: null,
              promptFingerprint: 'f00dfeedf00dfeed',
              linesAdded: 0,
              linesRemoved: 0,
            }),
          ],
        }),
      );
      const sessions = await store.sessions({});
      expect(sessions).toHaveLength(2);
      const [s1, s2] = sessions;
      expect(s1).toMatchObject({
        sessionId: 's1',
        personId: 'person-1',
        calls: 2,
        costUsd: 0.75,
        prompts: 1,
        toolUses: 2,
        edits: 1,
        linesAdded: 24,
        linesRemoved: 2,
        commitShas: ['ad60d2b'],
        agentic: true,
        firstTs: t0,
        lastTs: t0 + 60_000,
      });
      expect(s2).toMatchObject({
        sessionId: 's2',
        personId: 'p2',
        calls: 1,
        costUsd: 0,
        unpricedCalls: 1,
        agentic: false,
      });
      expect(s2!.promptFingerprints).toBeUndefined();
      expect(await store.sessions({ personId: 'p2', promptFingerprints: true })).toMatchObject([
        { sessionId: 's2', promptFingerprints: ['f00dfeedf00dfeed'] },
      ]);
      expect(
        (await store.sessions({ personId: 'person-1', promptFingerprints: true }))[0]!.promptFingerprints,
      ).toEqual([]);
      expect(await store.sessions({ personId: 'p2' })).toHaveLength(1);
      expect(await store.sessions({ since: t0 + 1_000 })).toMatchObject([
        { sessionId: 's1', calls: 1 },
        { sessionId: 's2' },
      ]);
    });

    it('lists the raw identities on usage with the spend they carry', async () => {
      await store.write(
        usageBatch({
          usage: [
            usageRecord({
              costUsd: 1,
              rawIdentity: { 'user.email': 'a@x.example' },
              personId: 'a@x.example',
            }),
            usageRecord({
              costUsd: 2,
              rawIdentity: { 'user.email': 'a@x.example' },
              personId: 'a@x.example',
            }),
            usageRecord({ costUsd: 5, rawIdentity: { os_user: 'bob', host: 'h' }, personId: 'bob@h' }),
          ],
        }),
      );
      expect(await store.identities()).toEqual([
        { rawIdentity: { os_user: 'bob', host: 'h' }, personId: 'bob@h', costUsd: 5, calls: 1 },
        { rawIdentity: { 'user.email': 'a@x.example' }, personId: 'a@x.example', costUsd: 3, calls: 2 },
      ]);
    });
  });
}
