/** Settings resolved from the config file's `server` section: the ingest journal, the ledger's memory. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEDGER_MEMORY, resolveServerSettings } from './settings.js';
import type { ServerConfig } from './settings-schema.js';
import { serverConfigSchema } from './settings-schema.js';

const settingsOf = (config: ServerConfig | undefined, dbPath = '/data/ledger.duckdb') =>
  resolveServerSettings({
    config,
    env: {},
    home: '/home/dev',
    dbPath,
    flags: {},
    expand: (p) => p.replace(/^~/, '/home/dev'),
  });
const journalOf = (config: ServerConfig | undefined, dbPath?: string) =>
  settingsOf(config, dbPath).journalDir;

describe('server.journal', () => {
  it('defaults to a directory beside a DuckDB ledger file', () => {
    expect(journalOf(undefined)).toBe('/data/ledger.journal');
    expect(journalOf({}, '/data/org')).toBe('/data/org.journal');
  });

  it('is off for an in-memory ledger and when configured false', () => {
    expect(journalOf({}, ':memory:')).toBeNull();
    expect(journalOf({ journal: false })).toBeNull();
  });

  it('takes a configured directory, expanded like other paths', () => {
    expect(journalOf({ journal: '~/fast-disk/journal' })).toBe('/home/dev/fast-disk/journal');
  });

  it('refuses anything but a path or false in the config file', () => {
    expect(serverConfigSchema.safeParse({ journal: true }).success).toBe(false);
    expect(serverConfigSchema.safeParse({ journal: '' }).success).toBe(false);
  });
});

describe('server.ledgerMemory', () => {
  it('defaults to 512MB and takes a configured size', () => {
    expect(DEFAULT_LEDGER_MEMORY).toBe('512MB');
    expect(settingsOf(undefined).ledgerMemory).toBe('512MB');
    expect(settingsOf({ ledgerMemory: '2GB' }).ledgerMemory).toBe('2GB');
  });

  it('refuses what is not a size, before DuckDB sees it', () => {
    for (const ok of ['96MB', '1.5GB', '512 MiB', '4gb'])
      expect(serverConfigSchema.safeParse({ ledgerMemory: ok }).success).toBe(true);
    for (const bad of ['', '512', 'lots', '-1GB', "1GB'; DROP TABLE usage; --", 512])
      expect(serverConfigSchema.safeParse({ ledgerMemory: bad }).success).toBe(false);
  });
});

describe('server.decodeWorkers', () => {
  it('defaults to one thread; 0 decodes on the main thread', () => {
    expect(settingsOf(undefined).decodeWorkers).toBe(1);
    expect(settingsOf({ decodeWorkers: 0 }).decodeWorkers).toBe(0);
    expect(serverConfigSchema.safeParse({ decodeWorkers: 2 }).success).toBe(true);
    for (const bad of [-1, 1.5, '2', 1000])
      expect(serverConfigSchema.safeParse({ decodeWorkers: bad }).success).toBe(false);
  });
});
