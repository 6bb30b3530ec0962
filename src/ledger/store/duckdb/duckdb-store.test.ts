import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { activityRecord, batch, runStoreContract, usageRecord } from '../store.contract.js';
import { StoreLockedError, StoreSchemaError } from '../store.js';
import { runWorkStoreContract } from '../work.contract.js';
import { defaultLedgerPath, MIGRATIONS, migrate, openDuckDbStore, SCHEMA_VERSION } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'tokenyield-duckdb-'));
let fileCounter = 0;
const freshPath = () => join(root, `ledger-${++fileCounter}.duckdb`);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

runStoreContract('duckdb', () => openDuckDbStore({ path: freshPath() }));
runWorkStoreContract('duckdb', () => openDuckDbStore({ path: freshPath() }));

/** Runs SQL against a ledger file with no store in between, as another build of the program would. */
async function withRawConnection<T>(
  path: string,
  body: (connection: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await body(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('defaultLedgerPath', () => {
  it('prefers $TOKENYIELD_DB and falls back to ~/.tokenyield/ledger.duckdb', () => {
    expect(defaultLedgerPath({ TOKENYIELD_DB: '/data/ledger.duckdb' }, '/home/dev')).toBe(
      '/data/ledger.duckdb',
    );
    expect(defaultLedgerPath({ TOKENYIELD_DB: '' }, '/home/dev')).toBe('/home/dev/.tokenyield/ledger.duckdb');
    expect(defaultLedgerPath({}, '/home/dev')).toBe('/home/dev/.tokenyield/ledger.duckdb');
  });
});

describe('openDuckDbStore', () => {
  it('creates the parent directory and migrates an empty file once', async () => {
    const path = join(root, 'nested', 'deeper', 'ledger.duckdb');
    const store = await openDuckDbStore({ path });
    await store.write(batch({ usage: [usageRecord()] }));
    await store.close();
    expect(existsSync(path)).toBe(true);

    const reopened = await openDuckDbStore({ path });
    expect(await reopened.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    expect((await reopened.usage({ groupBy: 'tool', timeZone: 'UTC' }))[0]?.calls).toBe(1);
    await reopened.close();

    const applied = await withRawConnection(path, async (c) =>
      (
        await c.runAndReadAll('SELECT version, name FROM schema_migrations ORDER BY version')
      ).getRowObjectsJS(),
    );
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('has the documented columns', async () => {
    const path = freshPath();
    await (await openDuckDbStore({ path })).close();
    const columns = await withRawConnection(path, async (c) => {
      const rows = (
        await c.runAndReadAll(
          "SELECT table_name, list(column_name ORDER BY column_index) AS cols FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' GROUP BY table_name",
        )
      ).getRowObjectsJS();
      return Object.fromEntries(rows.map((r) => [String(r.table_name), r.cols as string[]]));
    });
    expect(Object.keys(columns).sort()).toEqual([
      'activity',
      'commits',
      'deployments',
      'file_checkpoints',
      'incidents',
      'meta',
      'pull_requests',
      'schema_migrations',
      'tasks',
      'usage',
      'work_checkpoints',
    ]);
    expect(columns.usage).toEqual(
      expect.arrayContaining([
        'input_uncached',
        'cache_read',
        'cache_write_5m',
        'cache_write_1h',
        'cache_write_other',
        'output',
        'reasoning',
        'total_tokens',
        'superseded',
        'raw_identity',
        'cost_usd',
      ]),
    );
  });

  it('brings an older file forward and refuses a file from a newer schema', async () => {
    const path = freshPath();
    await (await openDuckDbStore({ path })).close();
    const future = {
      version: SCHEMA_VERSION + 1,
      name: 'future',
      statements: ['CREATE TABLE future_thing (x INTEGER)'],
    };
    const outcome = await withRawConnection(path, (c) => migrate(c, path, [...MIGRATIONS, future]));
    expect(outcome).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1 });

    const error = await openDuckDbStore({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreSchemaError);
    expect(String(error)).toMatch(
      new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this build supports`),
    );
    // The refused open must not keep the file: another open right after works the same way.
    await expect(openDuckDbStore({ path, readOnly: true })).rejects.toBeInstanceOf(StoreSchemaError);
  });

  it('brings a version-2 ledger to version 3 with the keys a write computes, and merges into it', async () => {
    const side = usageRecord({
      id: 'cc:msg_v2_shared:req_side',
      messageId: 'msg_v2_shared',
      isSidechain: true,
      tokens: { output: 70 },
    });
    const stored = usageRecord({
      id: 'cc:msg_v2_kept:req_1',
      messageId: 'msg_v2_kept',
      tokens: { output: 5 },
    });
    const noMessage = usageRecord({ messageId: null, tokens: { output: 1 } });
    const activity = activityRecord({ id: 'cc:act_v2' });

    // The rows are written by this build and copied without their keys into a file that stopped at
    // version 2, which is what an older build would have left.
    const current = freshPath();
    const store = await openDuckDbStore({ path: current });
    await store.write(batch({ usage: [side, stored, noMessage], activity: [activity] }));
    await store.close();
    const legacy = freshPath();
    await withRawConnection(legacy, async (c) => {
      expect(await migrate(c, legacy, MIGRATIONS.slice(0, 2))).toEqual({ from: 0, to: 2 });
      await c.run(`ATTACH '${current}' AS cur (READ_ONLY)`);
      await c.run('INSERT INTO usage SELECT * EXCLUDE (id_hash, message_hash) FROM cur.usage');
      await c.run('INSERT INTO activity SELECT * EXCLUDE (id_hash) FROM cur.activity');
      await c.run('DETACH cur');
    });

    const migrated = await openDuckDbStore({ path: legacy });
    await migrated.close();
    const mismatches = await withRawConnection(legacy, async (c) => {
      await c.run(`ATTACH '${current}' AS cur (READ_ONLY)`);
      const reader = await c.runAndReadAll(`SELECT
        (SELECT count(*) FROM usage u JOIN cur.usage w USING (id)
          WHERE u.id_hash IS DISTINCT FROM w.id_hash OR u.message_hash IS DISTINCT FROM w.message_hash
            OR u.id_hash IS NULL OR (u.message_hash IS NULL) <> (u.message_id IS NULL))::INTEGER,
        (SELECT count(*) FROM activity a JOIN cur.activity w USING (id)
          WHERE a.id_hash IS DISTINCT FROM w.id_hash OR a.id_hash IS NULL)::INTEGER,
        (SELECT count(*) FROM usage)::INTEGER, (SELECT count(*) FROM activity)::INTEGER`);
      return reader.getRows()[0];
    });
    expect(mismatches).toEqual([0, 0, 3, 1]);

    const reopened = await openDuckDbStore({ path: legacy });
    try {
      expect(await reopened.getMeta('schema_version')).toBe('3');
      const result = await reopened.write(
        batch({
          usage: [
            // A better copy of a migrated row replaces it; a main-chain copy supersedes its sidechain copy.
            { ...stored, tokens: { ...stored.tokens, output: 9 } },
            usageRecord({
              id: 'cc:msg_v2_shared:req_main',
              messageId: 'msg_v2_shared',
              tokens: { output: 30 },
            }),
            noMessage,
          ],
          activity: [activity, activityRecord({ id: 'cc:act_v2_new' })],
        }),
      );
      expect(result).toEqual({
        usageInserted: 1,
        usageDuplicates: 2,
        activityInserted: 1,
        activityDuplicates: 1,
      });
      const [total] = await reopened.usage({ groupBy: 'tool', timeZone: 'UTC' });
      expect(total).toMatchObject({ calls: 3, output: 9 + 30 + 1 });
    } finally {
      await reopened.close();
    }
  });

  it('never merges records whose keys collide but whose ids differ', async () => {
    const path = freshPath();
    const sideA = usageRecord({
      id: 'cc:msg_collide_a:req_1',
      messageId: 'msg_collide_a',
      isSidechain: true,
      tokens: { output: 40 },
    });
    const actA = activityRecord({ id: 'cc:act_collide_a' });
    const store = await openDuckDbStore({ path });
    await store.write(batch({ usage: [sideA], activity: [actA] }));
    await store.close();
    // Stored keys rewritten to those of other ids: what a 64-bit collision would look like.
    const key = (value: string) => `CAST(md5_number('${value}') >> 64 AS UBIGINT)`;
    await withRawConnection(path, async (c) => {
      await c.run(`UPDATE usage SET id_hash = ${key('cc:msg_collide_b:req_1')},
        message_hash = ${key('msg_collide_b')}`);
      await c.run(`UPDATE activity SET id_hash = ${key('cc:act_collide_b')}`);
    });

    const reopened = await openDuckDbStore({ path });
    try {
      // More tokens and main-chain: merged on the key alone it would replace or supersede sideA.
      const mainB = usageRecord({
        id: 'cc:msg_collide_b:req_1',
        messageId: 'msg_collide_b',
        tokens: { output: 60 },
      });
      expect(
        await reopened.write(
          batch({ usage: [mainB], activity: [activityRecord({ id: 'cc:act_collide_b' })] }),
        ),
      ).toEqual({ usageInserted: 1, usageDuplicates: 0, activityInserted: 1, activityDuplicates: 0 });
      const [total] = await reopened.usage({ groupBy: 'tool', timeZone: 'UTC' });
      expect(total).toMatchObject({ calls: 2, output: 100 });
    } finally {
      await reopened.close();
    }
  });

  it('rolls back a migration that fails and leaves the file at its previous version', async () => {
    const path = freshPath();
    await (await openDuckDbStore({ path })).close();
    const broken = {
      version: SCHEMA_VERSION + 1,
      name: 'broken',
      statements: ['CREATE TABLE half (x INTEGER)', 'SELEC 1'],
    };
    await expect(withRawConnection(path, (c) => migrate(c, path, [...MIGRATIONS, broken]))).rejects.toThrow(
      new RegExp(`schema version ${SCHEMA_VERSION + 1} \\(broken\\)`),
    );
    const store = await openDuckDbStore({ path });
    expect(await store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    await store.close();
    const halfExists = await withRawConnection(path, async (c) =>
      (
        await c.runAndReadAll("SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name = 'half'")
      ).getRows(),
    );
    expect(halfExists).toEqual([[0]]);
  });

  it('asks for a writable open before reading a file that needs migrating', async () => {
    const path = freshPath();
    await withRawConnection(path, (c) => c.run('CREATE TABLE unrelated (x INTEGER)'));
    await expect(openDuckDbStore({ path, readOnly: true })).rejects.toThrow(/needs migrating/);
    const store = await openDuckDbStore({ path });
    expect(await store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    await store.close();
  });

  it('keeps an in-memory ledger for :memory:', async () => {
    const store = await openDuckDbStore({ path: ':memory:' });
    await store.write(batch({ usage: [usageRecord()] }));
    expect((await store.usage({ groupBy: 'tool', timeZone: 'UTC' }))[0]?.calls).toBe(1);
    await store.close();
  });

  it('settles redelivered ids and supersession in every slice of a large batch', async () => {
    const store = await openDuckDbStore({ path: freshPath() });
    try {
      const stored = Array.from({ length: 1_000 }, (_, i) =>
        usageRecord({ id: `cc:old_${i}:req`, messageId: `old_${i}`, tokens: { output: 1 } }),
      );
      const side = usageRecord({
        id: 'cc:side:req',
        messageId: 'shared',
        isSidechain: true,
        tokens: { output: 1 },
      });
      await store.write(batch({ usage: [...stored, side] }));
      const fresh = Array.from({ length: 59_000 }, (_, i) =>
        usageRecord({ id: `cc:new_${i}:req`, messageId: `new_${i}`, tokens: { output: 1 } }),
      );
      // Behind the first slice: redeliveries, half of them better copies, and the main-chain copy
      // of the message stored only as a sidechain copy.
      const again = stored.map((r, i) => (i % 2 === 0 ? { ...r, tokens: { ...r.tokens, output: 5 } } : r));
      const main = usageRecord({
        id: 'cc:main:req',
        messageId: 'shared',
        isSidechain: false,
        tokens: { output: 1 },
      });
      expect(await store.write(batch({ usage: [...fresh, ...again, main] }))).toEqual({
        usageInserted: 59_001,
        usageDuplicates: 1_000,
        activityInserted: 0,
        activityDuplicates: 0,
      });
      const [total] = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
      // The sidechain copy is superseded; outputs 59,000 × 1 + 500 × 1 + 500 × 5 + 1.
      expect(total).toMatchObject({ calls: 60_001, output: 62_001 });
    } finally {
      await store.close();
    }
  });

  it('writes a large batch within its write memory limit and reads under the other one', async () => {
    const store = await openDuckDbStore({ path: freshPath(), memoryLimit: '96MB', writeMemoryLimit: '64MB' });
    const { connection } = store as unknown as { connection: DuckDBConnection };
    // The engine's own setting, as the store leaves it between calls.
    const limit = async () => {
      const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit')");
      return String(reader.getRows()[0]?.[0]);
    };
    const statements: string[] = [];
    const run = connection.run.bind(connection);
    connection.run = (sql, ...rest) => {
      statements.push(sql);
      return run(sql, ...rest);
    };
    try {
      expect(await limit()).toMatch(/^9[0-9](\.\d+)? MiB$/);
      const usage = Array.from({ length: 60_000 }, (_, i) =>
        usageRecord({ id: `cc:m_${i}:req`, messageId: `m_${i}`, tokens: { output: 1 } }),
      );
      const activity = Array.from({ length: 60_000 }, (_, i) => activityRecord({ id: `cc:a_${i}` }));
      expect(await store.write(batch({ usage, activity }))).toMatchObject({
        usageInserted: 60_000,
        activityInserted: 60_000,
      });
      expect(await limit()).toMatch(/^9[0-9](\.\d+)? MiB$/);
      const settings = statements.filter((sql) => /^SET memory_limit|BEGIN|COMMIT/.test(sql));
      expect(settings[0]).toBe("SET memory_limit = '64MB'");
      expect(settings[1]).toBe('BEGIN TRANSACTION');
      expect(settings.at(-2)).toMatch(/COMMIT$/);
      expect(settings.at(-1)).toBe("SET memory_limit = '96MB'");
      const [total] = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
      expect(total).toMatchObject({ calls: 60_000, output: 60_000 });
    } finally {
      await store.close();
    }
  });

  it('merges and reprices batches larger than a slice, atomically', async () => {
    const store = await openDuckDbStore({ path: freshPath() });
    try {
      const usage = Array.from({ length: 60_000 }, (_, i) =>
        usageRecord({ id: `cc:msg_bulk_${i}:req`, messageId: `msg_bulk_${i}`, tokens: { output: 1 } }),
      );
      const activity = Array.from({ length: 60_000 }, (_, i) => activityRecord({ id: `cc:act_bulk_${i}` }));
      // Broken in the second slice, after the first was merged inside the transaction.
      const broken = [...usage];
      broken[55_000] = { ...usage[55_000]!, personId: null as unknown as string };
      await expect(store.write(batch({ usage: broken, activity }))).rejects.toThrow(/person_id/);
      expect(await store.usage({ groupBy: 'tool', timeZone: 'UTC' })).toEqual([]);

      expect(await store.write(batch({ usage, activity }))).toEqual({
        usageInserted: 60_000,
        usageDuplicates: 0,
        activityInserted: 60_000,
        activityDuplicates: 0,
      });
      expect(
        await store.write(batch({ usage: usage.slice(10_000), activity: activity.slice(0, 55_000) })),
      ).toEqual({
        usageInserted: 0,
        usageDuplicates: 50_000,
        activityInserted: 0,
        activityDuplicates: 55_000,
      });
      const [total] = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
      expect(total).toMatchObject({ calls: 60_000, output: 60_000 });

      await store.updateCosts(
        usage.map((r, i) => ({
          id: r.id,
          costUsd: i < 59_000 ? 0.5 : null,
          costBasis: 'computed',
          priceVersion: 'p2',
        })),
      );
      const [repriced] = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
      expect(repriced).toMatchObject({ costUsd: 29_500, unpricedCalls: 1000 });
    } finally {
      await store.close();
    }
  });

  it('opens read-only for queries and refuses writes', async () => {
    const path = freshPath();
    const writer = await openDuckDbStore({ path });
    await writer.write(batch({ usage: [usageRecord()] }));
    await writer.close();

    const reader = await openDuckDbStore({ path, readOnly: true });
    expect((await reader.usage({ groupBy: 'tool', timeZone: 'UTC' }))[0]?.calls).toBe(1);
    await expect(reader.write(batch({ usage: [usageRecord()] }))).rejects.toThrow(/read-only/);
    await expect(reader.setMeta('k', 'v')).rejects.toThrow(/read-only/);
    await reader.close();
  });

  it('refuses to open a file that is already open in this process', async () => {
    const path = freshPath();
    const first = await openDuckDbStore({ path });
    const error = await openDuckDbStore({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect(String(error)).toMatch(new RegExp(`pid ${process.pid}`));
    await first.close();
    await (await openDuckDbStore({ path })).close();
  });

  describe('with another process holding the file', () => {
    let holder: ChildProcess | undefined;
    afterEach(() => {
      holder?.kill();
      holder = undefined;
    });

    /** Starts a process that opens `path` for writing and reports when it holds the lock. */
    async function holdFile(path: string): Promise<ChildProcess> {
      const script = [
        "import { DuckDBInstance } from '@duckdb/node-api';",
        'const instance = await DuckDBInstance.create(process.argv[1]);',
        'await instance.connect();',
        "process.stdout.write('ready\\n');",
        'setInterval(() => {}, 60_000);',
      ].join('\n');
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      holder = child;
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr?.on('data', (data: Buffer) => {
          stderr += data.toString();
        });
        child.stdout?.on('data', (data: Buffer) => {
          if (data.toString().includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`holder exited with ${code}: ${stderr}`)));
      });
      return child;
    }

    it('throws StoreLockedError naming the holder, and opens once it is gone', async () => {
      const path = freshPath();
      await (await openDuckDbStore({ path })).close();
      const child = await holdFile(path);

      const error = await openDuckDbStore({ path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreLockedError);
      expect((error as StoreLockedError).path).toBe(path);
      expect((error as Error).message).toContain(`pid ${child.pid}`);
      await expect(openDuckDbStore({ path, readOnly: true })).rejects.toBeInstanceOf(StoreLockedError);

      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      const store = await openDuckDbStore({ path });
      expect(await store.usage({ groupBy: 'day', timeZone: 'UTC' })).toEqual([]);
      await store.close();
    });
  });
});
