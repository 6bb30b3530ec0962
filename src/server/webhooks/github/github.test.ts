import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../test/support/server.js';
import type { CommitRecord } from '../../../ledger/work.js';
import { signBody } from '../signature.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures', 'github', 'octo-app');
const SECRET = 'test-github-secret-0123456789';
const REPOSITORY = { full_name: 'octo/app', default_branch: 'main' };

const fixture = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(settings = {}): Promise<TestServer> {
  server = await startTestServer({ settings });
  return server;
}

interface Delivery {
  event: string;
  payload: unknown;
  id?: string;
  secret?: string | null;
  body?: string;
}

let deliveries = 0;
function deliver(s: TestServer, d: Delivery): Promise<Response> {
  const body = d.body ?? JSON.stringify(d.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': d.event,
    'x-github-delivery': d.id ?? `delivery-${++deliveries}`,
  };
  if (d.secret !== null) headers['x-hub-signature-256'] = signBody(body, d.secret ?? SECRET);
  return fetch(`${s.url}/webhooks/github`, { method: 'POST', headers, body });
}

const work = (s: TestServer) => s.server.context.store.work({});

function pullRequestPayload(overrides: Record<string, unknown> = {}) {
  return {
    action: 'closed',
    pull_request: { ...fixture('pulls/101.json'), ...overrides },
    repository: REPOSITORY,
  };
}

describe('POST /webhooks/github: signatures', () => {
  it('stores a correctly signed pull_request as the export reader maps it', async () => {
    const s = await start();
    const res = await deliver(s, { event: 'pull_request', payload: pullRequestPayload() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      event: 'pull_request',
      stored: { pullRequests: 1 },
      inserted: 1,
    });
    const { pullRequests } = await work(s);
    expect(pullRequests).toHaveLength(1);
    expect(pullRequests[0]).toMatchObject({
      id: 'pr:octo/app#101',
      state: 'merged',
      author: 'alice',
      source: 'github_webhook',
      labels: expect.arrayContaining(['ai-assisted']),
    });
    expect(pullRequests[0]!.aiEvidence.map((e) => e.kind)).toContain('pr_body');
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const s = await start();
    for (const secret of ['not-the-secret-0123456789', null]) {
      const res = await deliver(s, { event: 'pull_request', payload: pullRequestPayload(), secret });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
    }
    // A signature over other bytes than those sent.
    const body = JSON.stringify(pullRequestPayload());
    const res = await fetch(`${s.url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': 'pull_request',
        'x-github-delivery': 'x',
        'x-hub-signature-256': signBody(`${body} `, SECRET),
      },
      body,
    });
    expect(res.status).toBe(401);
    expect((await work(s)).pullRequests).toEqual([]);
  });

  it('answers 503 with the setting to use when no secret is configured', async () => {
    const s = await start({ githubSecret: null });
    const res = await deliver(s, { event: 'ping', payload: {} });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /TOKENYIELD_GITHUB_WEBHOOK_SECRET/,
    );
  });

  it('answers ping, and 202 naming an event it does not read', async () => {
    const s = await start();
    expect((await deliver(s, { event: 'ping', payload: { zen: 'Keep it simple.' } })).status).toBe(200);
    const res = await deliver(s, { event: 'issues', payload: {} });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ ignored: true, event: 'issues' });
  });

  it('refuses a body over the limit with 413', async () => {
    const s = await start({ maxBodyBytes: 2048 });
    const res = await deliver(s, { event: 'pull_request', payload: { padding: 'x'.repeat(4096) } });
    expect(res.status).toBe(413);
  });
});

describe('POST /webhooks/github: replays and bad payloads', () => {
  it('answers a replayed delivery as a duplicate and writes nothing', async () => {
    const s = await start();
    const first = await deliver(s, { event: 'pull_request', payload: pullRequestPayload(), id: 'guid-1' });
    expect(first.status).toBe(200);
    const commits = s.server.context.writer.commits;
    const again = await deliver(s, { event: 'pull_request', payload: pullRequestPayload(), id: 'guid-1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(s.server.context.writer.commits).toBe(commits);
    expect((await work(s)).pullRequests).toHaveLength(1);
  });

  it('refuses malformed JSON and wrong types with 400 naming the field, storing nothing', async () => {
    const s = await start();
    const broken = await deliver(s, { event: 'pull_request', payload: null, body: '{"pull_request": ' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('malformed_json');
    const wrong = await deliver(s, { event: 'pull_request', payload: pullRequestPayload({ number: 'one' }) });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/number/);
    const noRepo = await deliver(s, { event: 'push', payload: { ref: 'refs/heads/main', commits: [] } });
    expect(noRepo.status).toBe(400);
    expect(((await noRepo.json()) as { error: { message: string } }).error.message).toMatch(/repository/);
    expect(await work(s)).toMatchObject({ pullRequests: [], commits: [] });
  });

  it('keeps the newer state when an older pull_request event arrives late', async () => {
    const s = await start();
    await deliver(s, { event: 'pull_request', payload: pullRequestPayload() });
    const opened = pullRequestPayload({
      state: 'open',
      merged_at: null,
      closed_at: null,
      updated_at: '2026-05-01T09:00:00Z',
    });
    expect((await deliver(s, { event: 'pull_request', payload: opened })).status).toBe(200);
    expect((await work(s)).pullRequests[0]!.state).toBe('merged');
  });
});

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);

function pushPayload(ref = 'refs/heads/main') {
  const author = { name: 'Alice Ng', email: 'alice@acme.example', username: 'alice-ng' };
  return {
    ref,
    before: '0'.repeat(40),
    after: SHA_B,
    repository: REPOSITORY,
    commits: [
      {
        id: SHA_A,
        message: 'Add limiter (#101)\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
        timestamp: '2026-05-02T14:00:00+02:00',
        author,
        committer: author,
        added: ['src/limiter.ts'],
        removed: [],
        modified: ['src/app.ts', 'src/limiter.ts'],
      },
      {
        id: SHA_B,
        message: `Revert "Add limiter"\n\nThis reverts commit ${SHA_A}.`,
        timestamp: '2026-05-02T15:00:00Z',
        author,
        committer: author,
        added: [],
        removed: ['src/limiter.ts'],
        modified: ['src/app.ts'],
      },
    ],
  };
}

describe('POST /webhooks/github: push', () => {
  it('stores default-branch commits with what the message says and no line counts', async () => {
    const s = await start();
    const res = await deliver(s, { event: 'push', payload: pushPayload() });
    expect(res.status).toBe(200);
    const { commits } = await work(s);
    expect(commits.map((c) => c.id)).toEqual([`git:octo/app:${SHA_A}`, `git:octo/app:${SHA_B}`]);
    expect(commits[0]).toMatchObject({
      authorEmail: 'alice@acme.example',
      authorTs: Date.parse('2026-05-02T12:00:00Z'),
      subject: 'Add limiter (#101)',
      prNumber: 101,
      additions: 0,
      deletions: 0,
      filesChanged: 2,
      parents: [],
      onDefaultBranch: true,
      source: 'github_webhook',
    });
    expect(commits[0]!.aiEvidence).toEqual([
      expect.objectContaining({ kind: 'trailer', tool: 'claude-code' }),
    ]);
    expect(commits[1]!.revertsSha).toBe(SHA_A);
  });

  it('ignores pushes to other branches', async () => {
    const s = await start();
    const res = await deliver(s, { event: 'push', payload: pushPayload('refs/heads/feature') });
    expect(res.status).toBe(202);
    expect((await res.json()) as { reason: string }).toMatchObject({
      reason: expect.stringMatching(/feature/),
    });
    expect((await work(s)).commits).toEqual([]);
  });

  it('keeps the line counts of a commit the git source stored first', async () => {
    const s = await start();
    const fromGit: CommitRecord = {
      id: `git:octo/app:${SHA_A}`,
      repo: 'octo/app',
      sha: SHA_A,
      parents: ['c'.repeat(40)],
      authorName: 'Alice Ng',
      authorEmail: 'alice@acme.example',
      authorTs: Date.parse('2026-05-02T12:00:00Z'),
      committerName: 'Alice Ng',
      committerEmail: 'alice@acme.example',
      committerTs: Date.parse('2026-05-02T12:05:00Z'),
      subject: 'Add limiter (#101)',
      additions: 40,
      deletions: 2,
      filesChanged: 2,
      prNumber: 101,
      revertsSha: null,
      trailers: [],
      aiEvidence: [],
      onDefaultBranch: false,
      source: 'git',
      origin: '/src/octo-app',
    };
    await s.server.context.writer.writeWork({
      commits: [fromGit],
      pullRequests: [],
      deployments: [],
      incidents: [],
      tasks: [],
    });
    await deliver(s, { event: 'push', payload: pushPayload() });
    const stored = (await work(s)).commits.find((c) => c.sha === SHA_A);
    expect(stored).toEqual({ ...fromGit, onDefaultBranch: true });
  });
});

function statusPayload(state: string, createdAt: string) {
  const [deployment] = (fixture('deployments.json') as Array<{ id: number }>).filter((d) => d.id === 9002);
  return {
    action: 'created',
    deployment,
    deployment_status: { id: Date.parse(createdAt), state, environment: 'production', created_at: createdAt },
    repository: REPOSITORY,
  };
}

describe('POST /webhooks/github: deployment_status', () => {
  it('stores the deployment with its latest status, whatever order statuses arrive in', async () => {
    const s = await start();
    const success = await deliver(s, {
      event: 'deployment_status',
      payload: statusPayload('success', '2026-05-08T09:10:00Z'),
    });
    expect(success.status).toBe(200);
    const late = statusPayload('in_progress', '2026-05-08T09:01:00Z');
    expect((await deliver(s, { event: 'deployment_status', payload: late })).status).toBe(200);
    const { deployments } = await work(s);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      id: 'deploy:gh:octo/app:9002',
      status: 'success',
      production: true,
      ts: Date.parse('2026-05-08T09:10:00Z'),
      source: 'github_webhook',
    });
  });

  it('ignores inactive statuses', async () => {
    const s = await start();
    const res = await deliver(s, {
      event: 'deployment_status',
      payload: statusPayload('inactive', '2026-05-09T00:00:00Z'),
    });
    expect(res.status).toBe(202);
    expect((await work(s)).deployments).toEqual([]);
  });
});
