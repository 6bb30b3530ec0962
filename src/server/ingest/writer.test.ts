import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import { activityRecord, usageRecord } from '../../ledger/store/store.contract.js';
import type { Store } from '../../ledger/store/store.js';
import { commitRecord } from '../../ledger/store/work.contract.js';
import { createIngestWriter, OverloadedError, ShuttingDownError } from './writer.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ty-writer-'));
  store = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });
});

afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function totalCalls(): Promise<number> {
  const rows = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
  return rows.reduce((n, r) => n + r.calls, 0);
}

describe('ingest writer', () => {
  it('answers only after the records are committed, and groups concurrent writes into one commit', async () => {
    const commits: number[] = [];
    const writer = createIngestWriter(store, {
      maxQueuedRecords: 10_000,
      onCommit: ({ jobs }) => commits.push(jobs),
    });
    const writes = Array.from({ length: 20 }, () =>
      writer
        .write({ usage: [usageRecord()], activity: [activityRecord()], checkpoints: [] })
        .then(async () => {
          // Whatever resolved is already visible to a reader.
          expect(await totalCalls()).toBeGreaterThan(0);
        }),
    );
    await Promise.all(writes);
    expect(await totalCalls()).toBe(20);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(20);
    // The first write commits alone; the rest queued behind it and share commits.
    expect(commits.length).toBeLessThan(20);
    expect(writer.generation).toBe(commits.length);
  });

  it('refuses with OverloadedError past its bound instead of buffering, and stores nothing of the refused write', async () => {
    const writer = createIngestWriter(store, { maxQueuedRecords: 5 });
    const first = writer.write({ usage: [usageRecord()], activity: [], checkpoints: [] });
    const queued = writer.write({
      usage: [usageRecord(), usageRecord(), usageRecord()],
      activity: [],
      checkpoints: [],
    });
    const refused = writer.write({
      usage: [usageRecord(), usageRecord(), usageRecord()],
      activity: [],
      checkpoints: [],
    });
    await expect(refused).rejects.toBeInstanceOf(OverloadedError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    await Promise.all([first, queued]);
    expect(await totalCalls()).toBe(4);
  });

  it('admits a single batch larger than the bound when nothing is queued', async () => {
    const writer = createIngestWriter(store, { maxQueuedRecords: 2 });
    await writer.write({
      usage: [usageRecord(), usageRecord(), usageRecord()],
      activity: [],
      checkpoints: [],
    });
    expect(await totalCalls()).toBe(3);
  });

  it('commits work batches with their checkpoints', async () => {
    const writer = createIngestWriter(store, { maxQueuedRecords: 100 });
    const result = await writer.writeWork(
      { commits: [commitRecord()], pullRequests: [], deployments: [], incidents: [], tasks: [] },
      [{ source: 'github_webhook', key: 'delivery:1', state: { at: 1 } }],
    );
    expect(result.inserted).toBe(1);
    expect(await store.workCheckpoint('github_webhook', 'delivery:1')).toEqual({ at: 1 });
  });

  it('drains accepted writes on shutdown and refuses new ones', async () => {
    const writer = createIngestWriter(store, { maxQueuedRecords: 100 });
    const pending = [1, 2, 3].map(() =>
      writer.write({ usage: [usageRecord()], activity: [], checkpoints: [] }),
    );
    await writer.drain();
    await Promise.all(pending);
    expect(await totalCalls()).toBe(3);
    await expect(
      writer.write({ usage: [usageRecord()], activity: [], checkpoints: [] }),
    ).rejects.toBeInstanceOf(ShuttingDownError);
  });

  it('fails every write of a group whose commit fails, so none of them is acknowledged', async () => {
    const writer = createIngestWriter(store, { maxQueuedRecords: 100 });
    await store.close();
    await expect(writer.write({ usage: [usageRecord()], activity: [], checkpoints: [] })).rejects.toThrow();
  });
});
