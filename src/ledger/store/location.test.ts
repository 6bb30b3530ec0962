import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { resolveStoreLocation } from '../../cli/context.js';
import { describeStoreLocation, openStoreAt, parseStoreLocation } from './location.js';

describe('parseStoreLocation', () => {
  it('selects ClickHouse for clickhouse:// URLs and DuckDB for paths', () => {
    expect(parseStoreLocation('clickhouse://ch:8123/ledger')).toEqual({
      engine: 'clickhouse',
      url: 'clickhouse://ch:8123/ledger',
    });
    expect(parseStoreLocation('/data/ledger.duckdb')).toEqual({
      engine: 'duckdb',
      path: '/data/ledger.duckdb',
    });
    expect(parseStoreLocation('duckdb:/data/l.duckdb')).toEqual({ engine: 'duckdb', path: '/data/l.duckdb' });
    expect(() => parseStoreLocation('postgres://db/x')).toThrow(/Unsupported store/);
    expect(() => parseStoreLocation('  ')).toThrow(/empty/);
  });

  it('never shows a password', () => {
    expect(
      describeStoreLocation({ engine: 'clickhouse', url: 'clickhouse://me:secret@ch:8123/ledger' }),
    ).toBe('clickhouse://ch:8123/ledger');
  });
});

describe('resolveStoreLocation', () => {
  const dbPath = '/home/dev/.tokenyield/ledger.duckdb';
  const ch = 'clickhouse://ch:8123/ledger';
  it('takes --store, else --db, else the environment, else the config, else the file', () => {
    expect(resolveStoreLocation({ store: ch }, {}, undefined, dbPath)).toMatchObject({
      engine: 'clickhouse',
    });
    expect(resolveStoreLocation({ db: '/x.duckdb' }, { TOKENYIELD_STORE: ch }, ch, '/x.duckdb')).toEqual({
      engine: 'duckdb',
      path: '/x.duckdb',
    });
    expect(resolveStoreLocation({}, { TOKENYIELD_STORE: ch }, undefined, dbPath)).toMatchObject({ url: ch });
    expect(resolveStoreLocation({}, { TOKENYIELD_DB: dbPath }, ch, dbPath)).toEqual({
      engine: 'duckdb',
      path: dbPath,
    });
    expect(resolveStoreLocation({}, {}, ch, dbPath)).toMatchObject({ engine: 'clickhouse' });
    expect(resolveStoreLocation({}, {}, undefined, dbPath)).toEqual({ engine: 'duckdb', path: dbPath });
    expect(() => resolveStoreLocation({ store: ch, db: dbPath }, {}, undefined, dbPath)).toThrow(/not both/);
  });
});

describe('openStoreAt', () => {
  it("gives the DuckDB ledger the memory limit it is asked for, else the CLI's default", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-location-'));
    const limitOf = async (memoryLimit?: string) => {
      const store = await openStoreAt(
        { engine: 'duckdb', path: join(dir, `${memoryLimit ?? 'default'}.duckdb`) },
        { memoryLimit },
      );
      const { connection } = store as unknown as { connection: DuckDBConnection };
      try {
        const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit')");
        return String(reader.getRows()[0]?.[0]);
      } finally {
        await store.close();
      }
    };
    try {
      expect(await limitOf('512MB')).toBe('488.2 MiB');
      expect(await limitOf()).toBe('91.5 MiB');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
