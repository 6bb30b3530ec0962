import { describe, expect, it } from 'vitest';
import { EMPTY_TOKENS, type UsageRecord } from '../../ledger/records.js';
import type { FileCheckpoint, WriteBatch } from '../../ledger/store/store.js';
import { pushRequestSchema } from '../../server/push/wire.js';
import { pushBodies } from './chunks.js';
import { PushError } from './client.js';
import { RemoteStore } from './remote-store.js';

function usage(n: number): UsageRecord {
  return {
    id: `cc:${n}`,
    ts: n,
    source: 'gemini_cli_chat',
    tool: 'gemini-cli',
    sessionId: 's',
    parentSessionId: null,
    requestId: null,
    messageId: null,
    model: 'gemini-2.5-pro',
    provider: 'google',
    speed: null,
    serviceTier: null,
    inferenceGeo: null,
    tokens: { ...EMPTY_TOKENS, output: n },
    webSearchRequests: 0,
    credits: null,
    reportedCostUsd: null,
    cwd: null,
    gitBranch: null,
    project: null,
    isSubagent: false,
    isSidechain: false,
    granularity: 'request',
    origin: '/chats/a.json',
    personId: 'me',
    rawIdentity: { os_user: 'me' },
    costUsd: 12,
    costBasis: 'computed',
    priceVersion: 'v1',
  };
}

const checkpoint: FileCheckpoint = {
  source: 'gemini_cli_chat',
  path: '/chats/a.json',
  fileId: '1:1',
  size: 1,
  mtimeMs: 1,
  offset: 1,
  headHash: 'h',
  state: { n: 1 },
};

describe('pushBodies', () => {
  const batch: WriteBatch = {
    usage: Array.from({ length: 40 }, (_, i) => usage(i)),
    activity: [],
    checkpoints: [checkpoint],
    replaceOrigins: ['/chats/a.json'],
  };

  it('fits every body under the limit: replaced origins first, checkpoints last, drafts only', () => {
    const bodies = pushBodies(batch, { os_user: 'me' }, 4096);
    expect(bodies.length).toBeGreaterThan(3);
    const parsed = bodies.map((b) => {
      expect(Buffer.byteLength(b)).toBeLessThanOrEqual(4096);
      return pushRequestSchema.parse(JSON.parse(b));
    });
    expect(parsed[0]!.replaceOrigins).toEqual(['/chats/a.json']);
    expect(parsed.slice(1).every((p) => p.replaceOrigins.length === 0)).toBe(true);
    expect(parsed.at(-1)!.checkpoints).toEqual([checkpoint]);
    expect(parsed.slice(0, -1).every((p) => p.checkpoints.length === 0)).toBe(true);
    expect(parsed.flatMap((p) => p.usage.map((u) => u.id))).toEqual(batch.usage.map((u) => u.id));
    expect(JSON.parse(bodies[0]!).usage[0]).not.toHaveProperty('costUsd');
  });

  it('still sends the checkpoints of a batch without records, and refuses an entry that can never fit', () => {
    expect(pushBodies({ usage: [], activity: [], checkpoints: [] }, {}, 4096)).toHaveLength(1);
    expect(() => pushBodies({ ...batch, usage: [usage(1)] }, {}, 300)).toThrow(PushError);
  });
});

describe('RemoteStore', () => {
  const info = { engine: 'duckdb' as const, maxBodyBytes: 4096, attributedTo: null, sources: [] };
  const store = new RemoteStore(
    { server: 'http://x', requests: 0, get: async () => ({}), post: async () => ({}) },
    info,
    {},
  );

  it('has nothing to re-price: the server prices what it receives', async () => {
    expect(await store.getMeta('price_version')).toBeUndefined();
    await store.setMeta('price_version', 'v2');
    expect(await store.getMeta('price_version')).toBeUndefined();
    const pages: unknown[] = [];
    for await (const rows of store.usageForPricing(100)) pages.push(rows);
    expect(pages).toEqual([]);
    await expect(store.updateCosts([])).resolves.toBeUndefined();
  });

  it('refuses reads, which belong to the server', () => {
    expect(() => store.usage()).toThrow(/not available when pushing/);
    expect(() => store.work()).toThrow(PushError);
  });
});
