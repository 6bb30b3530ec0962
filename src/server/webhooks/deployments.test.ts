import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { signBody } from './signature.js';

const SECRET = 'test-generic-secret-0123456789';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<TestServer> {
  server = await startTestServer();
  return server;
}

function send(s: TestServer, payload: unknown, opts: { id?: string; secret?: string } = {}) {
  const body = JSON.stringify(payload);
  return fetch(`${s.url}/webhooks/deployments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tokenyield-delivery': opts.id ?? 'cd-1',
      'x-tokenyield-signature': signBody(body, opts.secret ?? SECRET),
    },
    body,
  });
}

const DEPLOY = {
  kind: 'deployment',
  id: 'rel-42',
  service: 'api',
  environment: 'production',
  status: 'succeeded',
  finishedAt: '2026-05-02T16:05:00Z',
  commits: ['F1F1F1F', 'c3c3c3c3'],
  repo: 'octo/app',
};
const INCIDENT = {
  kind: 'incident',
  id: 'INC-7',
  opened_at: '2026-05-03T09:30:00Z',
  severity: 'SEV2',
  caused_by: 'rel-42',
};

const work = (s: TestServer) => s.server.context.store.work({ kinds: ['deployments', 'incidents'] });

describe('POST /webhooks/deployments', () => {
  it('stores one event, or an array, in the work-file vocabulary', async () => {
    const s = await start();
    const one = await send(s, DEPLOY, { id: 'a' });
    expect(one.status).toBe(200);
    const many = await send(
      s,
      [INCIDENT, { ...DEPLOY, id: 'rel-43', status: 'rolled back', rollback_of: 'rel-42' }],
      {
        id: 'b',
      },
    );
    expect(many.status).toBe(200);
    expect(await many.json()).toMatchObject({ stored: { deployments: 1, incidents: 1 } });
    const { deployments, incidents } = await work(s);
    expect(deployments[0]).toEqual({
      id: 'deploy:file:rel-42',
      repo: 'octo/app',
      service: 'api',
      environment: 'production',
      production: true,
      status: 'success',
      ts: Date.parse('2026-05-02T16:05:00Z'),
      shas: ['f1f1f1f', 'c3c3c3c3'],
      rollbackOf: null,
      source: 'work_file',
      origin: 'webhook:a',
    });
    expect(deployments[1]).toMatchObject({ status: 'rolled_back', rollbackOf: 'deploy:file:rel-42' });
    expect(incidents).toEqual([
      expect.objectContaining({ id: 'incident:INC-7', deploymentId: 'deploy:file:rel-42' }),
    ]);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const s = await start();
    const res = await send(s, DEPLOY, { secret: 'wrong-secret-0123456789' });
    expect(res.status).toBe(401);
    expect((await work(s)).deployments).toEqual([]);
  });

  it('answers a replayed delivery as a duplicate without writing', async () => {
    const s = await start();
    await send(s, DEPLOY, { id: 'same' });
    const commits = s.server.context.writer.commits;
    const again = await send(s, { ...DEPLOY, status: 'failed' }, { id: 'same' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(s.server.context.writer.commits).toBe(commits);
    expect((await work(s)).deployments.map((d) => d.status)).toEqual(['success']);
  });

  it('refuses the whole request when one event is bad, naming the event and field', async () => {
    const s = await start();
    const res = await send(s, [DEPLOY, { ...INCIDENT, opened_at: 'yesterday' }]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /event 2: incident: opened_at: not an ISO-8601/,
    );
    const noKind = await send(s, { id: 'x' });
    expect(((await noKind.json()) as { error: { message: string } }).error.message).toMatch(/kind: missing/);
    const task = await send(s, { kind: 'task', key: 'T-1', done_at: '2026-05-01' });
    expect(task.status).toBe(400);
    expect(await work(s)).toMatchObject({ deployments: [], incidents: [] });
  });

  it('needs a delivery id', async () => {
    const s = await start();
    const body = JSON.stringify(DEPLOY);
    const res = await fetch(`${s.url}/webhooks/deployments`, {
      method: 'POST',
      headers: { 'x-tokenyield-signature': signBody(body, SECRET) },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /X-Tokenyield-Delivery/i,
    );
  });
});
