/**
 * What `bin/tokenyield.js` changes before anything loads: the command a command line names, and
 * the environment each command runs with. The memory this saves is measured by `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { commandNameIn, tuneProcess } from './process-tuning.js';

const argv = (...args: string[]) => ['node', 'tokenyield', ...args];

describe('commandNameIn', () => {
  it('finds the command past root options and their values', () => {
    expect(commandNameIn(argv('report', 'daily', '--json'))).toBe('report');
    expect(commandNameIn(argv('--db', 'report', 'ingest'))).toBe('ingest');
    expect(commandNameIn(argv('--tz', 'UTC', '--json', 'serve', '--port', '0'))).toBe('serve');
    expect(commandNameIn(argv('reprot'))).toBe('reprot');
  });

  it('is null for the personal report and after --', () => {
    expect(commandNameIn(argv())).toBeNull();
    expect(commandNameIn(argv('--json', '--store', 'x.duckdb'))).toBeNull();
    expect(commandNameIn(argv('--', 'report'))).toBeNull();
  });
});

describe('tuneProcess', () => {
  it('gives commands that ingest local files one pool thread', () => {
    for (const args of [argv(), argv('report', 'daily'), argv('--db', 'x', 'ingest')]) {
      const env: NodeJS.ProcessEnv = {};
      tuneProcess(args, env);
      expect(env.UV_THREADPOOL_SIZE).toBe('1');
    }
  });

  it('leaves the pool to the server, to other commands and to a size the user chose', () => {
    for (const args of [argv('serve'), argv('demo', '--serve'), argv('board')]) {
      const env: NodeJS.ProcessEnv = {};
      tuneProcess(args, env);
      expect(env.UV_THREADPOOL_SIZE).toBeUndefined();
    }
    const env: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '8' };
    tuneProcess(argv('report', 'daily'), env);
    expect(env.UV_THREADPOOL_SIZE).toBe('8');
  });
});
