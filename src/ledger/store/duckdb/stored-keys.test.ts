import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../synthetic/prng.js';
import type { ActivityRecord, UsageRecord } from '../../records.js';
import { activityRecord, batch, runStoreContract, usageRecord } from '../store.contract.js';
import type { Store, WriteBatch } from '../store.js';
import { openDuckDbStore } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'tokenyield-stored-keys-'));
let fileCounter = 0;
const freshPath = () => join(root, `ledger-${++fileCounter}.duckdb`);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

runStoreContract('duckdb, keys in memory', () => openDuckDbStore({ path: freshPath(), keyFilter: true }));
// Sets that overflow on their second key: every commit falls back to the scans, mid-test.
runStoreContract('duckdb, keys in memory past their limit', () =>
  openDuckDbStore({ path: freshPath(), keyFilter: true, keyFilterMaxKeys: 1 }),
);

/** Every stored row that decides a total, in a stable order. */
async function contents(path: string): Promise<{ usage: unknown[]; activity: unknown[] }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
    return {
      usage: await read(`SELECT id, message_id, is_sidechain, superseded, total_tokens, speed, origin
        FROM usage ORDER BY id`),
      activity: await read('SELECT id, origin FROM activity ORDER BY id'),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/*
 * Batches that exercise every path the keys decide: ids seen before (redeliveries, better and
 * worse copies), sidechain and main-chain copies of one message in either order and in one
 * batch, sidechain rows without a message, replaced origins (which revive superseded copies),
 * and activity redelivered.
 */
function randomBatches(seed: number, count: number): WriteBatch[] {
  const pick = new Rng(seed);
  const below = (n: number) => pick.int(0, n - 1);
  const origins = ['/logs/a.jsonl', '/logs/b.jsonl', '/logs/c.jsonl', '/logs/d.jsonl'];
  const batches: WriteBatch[] = [];
  for (let b = 0; b < count; b++) {
    const usage: UsageRecord[] = [];
    const activity: ActivityRecord[] = [];
    const size = 1 + below(60);
    for (let i = 0; i < size; i++) {
      const n = below(400);
      const message = n % 7 === 0 ? null : `msg_${n % 89}`;
      usage.push(
        usageRecord({
          id: `cc:call_${n}`,
          messageId: message,
          requestId: `req_${n}`,
          isSidechain: n % 3 === 0,
          speed: pick.chance(0.2) ? 'fast' : null,
          tokens: { output: 10 + below(4) * 10 },
          origin: origins[n % origins.length],
        }),
      );
    }
    for (let i = 0; i < below(20); i++) {
      const n = below(300);
      activity.push(activityRecord({ origin: origins[n % origins.length] }, n));
    }
    const replaceOrigins = pick.chance(0.1) ? [origins[below(origins.length)] as string] : undefined;
    batches.push(batch({ usage, activity, ...(replaceOrigins ? { replaceOrigins } : {}) }));
  }
  return batches;
}

describe('a DuckDB ledger with its keys in memory', () => {
  it('ends exactly as one without, write for write, across a reopen', async () => {
    const plainPath = freshPath();
    const keyedPath = freshPath();
    const plain = await openDuckDbStore({ path: plainPath });
    let keyed: Store = await openDuckDbStore({ path: keyedPath, keyFilter: true });
    const batches = randomBatches(20261207, 120);
    for (const [i, b] of batches.entries()) {
      // Reopened halfway, so that the second half runs on keys loaded from the file.
      if (i === 60) {
        await keyed.close();
        keyed = await openDuckDbStore({ path: keyedPath, keyFilter: true });
      }
      expect(await keyed.write(b), `write ${i}`).toEqual(await plain.write(b));
      // Totals after each write, not just at the end: a later write recomputes whole messages, so a
      // supersession missed now could be repaired by the time the files are compared.
      const totals = { groupBy: 'tool', timeZone: 'UTC' } as const;
      expect(await keyed.usage(totals), `totals after write ${i}`).toEqual(await plain.usage(totals));
    }
    await plain.close();
    await keyed.close();
    const expected = await contents(plainPath);
    // Not a vacuous comparison: redeliveries, supersession and revived copies all happened.
    expect(expected.usage.length).toBeGreaterThan(200);
    expect(expected.usage.some((r) => (r as { superseded: boolean }).superseded)).toBe(true);
    expect(await contents(keyedPath)).toEqual(expected);
  });

  it('knows the keys written before it opened, by a store without them', async () => {
    const path = freshPath();
    const side = usageRecord({ messageId: 'msg_loaded', isSidechain: true, tokens: { output: 70 } });
    const call = usageRecord({ tokens: { output: 5 } });
    const act = activityRecord();
    const plain = await openDuckDbStore({ path });
    await plain.write(batch({ usage: [side, call], activity: [act] }));
    await plain.close();

    const keyed = await openDuckDbStore({ path, keyFilter: true });
    expect(await keyed.write(batch({ usage: [call], activity: [act] }))).toEqual({
      usageInserted: 0,
      usageDuplicates: 1,
      activityInserted: 0,
      activityDuplicates: 1,
    });
    // The stored sidechain copy, not written again since, is superseded by a main-chain copy.
    const main = usageRecord({ messageId: 'msg_loaded', isSidechain: false, tokens: { output: 30 } });
    await keyed.write(batch({ usage: [main] }));
    const [total] = await keyed.usage({ groupBy: 'tool', timeZone: 'UTC' });
    expect(total).toMatchObject({ calls: 2, output: 35 });
    await keyed.close();
  });
});
