/** Where the ingest journal goes, from the config file's `server.journal` and the ledger path. */
import { describe, expect, it } from 'vitest';
import { resolveServerSettings } from './settings.js';
import type { ServerConfig } from './settings-schema.js';
import { serverConfigSchema } from './settings-schema.js';

const journalOf = (config: ServerConfig | undefined, dbPath = '/data/ledger.duckdb') =>
  resolveServerSettings({
    config,
    env: {},
    home: '/home/dev',
    dbPath,
    flags: {},
    expand: (p) => p.replace(/^~/, '/home/dev'),
  }).journalDir;

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
