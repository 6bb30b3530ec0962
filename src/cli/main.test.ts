/**
 * Which command modules a command line loads: only the one it names, none for the personal
 * report, all of them when commander must list or suggest commands. The commands themselves are
 * run end to end by test/cli.
 */
import { describe, expect, it } from 'vitest';
import { commandsFor } from './main.js';

const argv = (...args: string[]) => ['node', 'tokenyield', ...args];

describe('commandsFor', () => {
  it('loads only the command named, wherever root options put it', () => {
    expect(commandsFor(argv('report', 'daily', '--json'))).toEqual(['report']);
    expect(commandsFor(argv('--db', 'report', 'ingest'))).toEqual(['ingest']);
    expect(commandsFor(argv('--tz', 'UTC', '--json', 'serve', '--port', '0'))).toEqual(['serve']);
    expect(commandsFor(argv('report', '--help'))).toEqual(['report']);
  });

  it('loads none for the personal report, and all for help or a name that is not a command', () => {
    expect(commandsFor(argv())).toEqual([]);
    expect(commandsFor(argv('--json', '--db', 'x.duckdb'))).toEqual([]);
    const all = commandsFor(argv('--help'));
    expect(all).toContain('report');
    expect(all.length).toBeGreaterThan(10);
    expect(commandsFor(argv('-h'))).toEqual(all);
    expect(commandsFor(argv('help'))).toEqual(all);
    expect(commandsFor(argv('reprot', 'daily'))).toEqual(all);
  });
});
