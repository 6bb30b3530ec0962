import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openContext } from './context.js';
import { serveUntilStopped } from './serve-run.js';

const dir = mkdtempSync(join(tmpdir(), 'ty-serve-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serveUntilStopped', () => {
  it('can be stopped the moment it announces itself, and then stops cleanly', async () => {
    writeFileSync(join(dir, 'config.json'), '{}');
    const ctx = await openContext({ db: join(dir, 'ledger.duckdb'), config: join(dir, 'config.json') });
    const before = process.listenerCount('SIGTERM');
    let listening = -1;
    let healthy = 0;
    await serveUntilStopped(
      ctx,
      { port: 0, host: '127.0.0.1', tokensFile: join(dir, 'tokens.json') },
      (server) => {
        listening = process.listenerCount('SIGTERM');
        void fetch(`${server.url}/healthz`).then((r) => {
          healthy = r.status;
          // What a supervisor does once it has read the address: a real signal, not an emitted event.
          process.kill(process.pid, 'SIGTERM');
        });
      },
    );
    expect(healthy).toBe(200);
    expect(listening).toBe(before + 1);
    // The SIGTERM handler was used once and removed (SIGINT's stays until the process exits).
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
