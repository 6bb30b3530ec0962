import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { EMPTY_TOKENS, type UsageDraft } from '../../ledger/records.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<TestServer> {
  server = await startTestServer({ tokens: [{ name: 'other-laptop', role: 'ingest' }] });
  return server;
}

function draft(n: number, extra: Record<string, unknown> = {}): UsageDraft & Record<string, unknown> {
  return {
    id: `cc:msg_${n}:req_${n}`,
    ts: Date.parse('2026-05-01T10:00:00Z') + n,
    source: 'claude_code_jsonl',
    tool: 'claude-code',
    sessionId: 's-1',
    parentSessionId: null,
    requestId: `req_${n}`,
    messageId: `msg_${n}`,
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    speed: null,
    serviceTier: null,
    inferenceGeo: null,
    tokens: { ...EMPTY_TOKENS, inputUncached: 1000, output: 500 },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: '/home/dev/app',
    gitBranch: 'main',
    project: '/home/dev/app',
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: '/home/dev/.claude/projects/-home-dev-app/s-1.jsonl',
    ...extra,
  };
}

const CHECKPOINT = {
  source: 'claude_code_jsonl',
  path: '/home/dev/.claude/projects/-home-dev-app/s-1.jsonl',
  fileId: '1:2',
  size: 100,
  mtimeMs: 1,
  offset: 100,
  headHash: 'abc',
  state: null,
};

function post(s: TestServer, body: unknown, token = 'ingest') {
  return s.request('/api/v1/push', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(JSON.stringify(body)),
  });
}

const push = (usage: unknown[], checkpoints: unknown[] = [CHECKPOINT]) => ({
  version: 1,
  identity: { os_user: 'dev', host: 'box' },
  usage,
  activity: [],
  checkpoints,
  replaceOrigins: [],
});

async function checkpoints(s: TestServer, token: string) {
  const res = await s.request('/api/v1/push/checkpoints?source=claude_code_jsonl', { token });
  return ((await res.json()) as { checkpoints: Array<{ path: string }> }).checkpoints;
}

const calls = async (s: TestServer) =>
  (await s.server.context.store.usage({ groupBy: 'tool', timeZone: 'UTC' })).reduce((n, r) => n + r.calls, 0);

describe('POST /api/v1/push', () => {
  it('refuses a push with one malformed record with 400 naming the field, and stores none of it', async () => {
    const s = await start();
    const bad = draft(2, { tokens: { ...EMPTY_TOKENS, output: 'lots' } });
    const res = await post(s, push([draft(1), bad]));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /usage\.1\.tokens\.output/,
    );
    expect(await calls(s)).toBe(0);
    expect(await checkpoints(s, 'ingest')).toEqual([]);
  });

  it('prices with the server’s table and ignores cost and person sent by the client', async () => {
    const s = await start();
    const res = await post(
      s,
      push([draft(1, { costUsd: 999, personId: 'mallory', costBasis: 'vendor_bill' })]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      usageInserted: 1,
      usageDuplicates: 0,
      activityInserted: 0,
      activityDuplicates: 0,
    });
    const [row] = await s.server.context.store.usage({ groupBy: 'tool', timeZone: 'UTC' });
    expect(row!.costUsd).toBeGreaterThan(0);
    expect(row!.costUsd).toBeLessThan(1);
    expect((await s.server.context.store.identities())[0]!.personId).toBe('dev');
  });

  it('keeps each token’s checkpoints to itself, under the paths the client sent', async () => {
    const s = await start();
    expect((await post(s, push([draft(1)]))).status).toBe(200);
    expect((await checkpoints(s, 'ingest')).map((c) => c.path)).toEqual([CHECKPOINT.path]);
    expect(await checkpoints(s, 'other-laptop')).toEqual([]);
  });

  it('refuses an unknown source, a wrong version and a missing token', async () => {
    const s = await start();
    expect((await s.request('/api/v1/push/checkpoints?source=demo')).status).toBe(400);
    const wrongVersion = await post(s, { ...push([]), version: 2 });
    expect(wrongVersion.status).toBe(400);
    expect(((await wrongVersion.json()) as { error: { message: string } }).error.message).toMatch(/version/);
    expect((await s.request('/api/v1/push', { token: null })).status).toBe(401);
  });
});
