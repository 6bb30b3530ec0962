/**
 * The real capture end to end: Claude Code 2.1.197's transcripts and the repository it committed
 * to (reference/captures), read by `tokenyield ingest`, then explained by `board --explain`. Each
 * AI commit must be found by its trailer and linked to the session that wrote it, and nothing else.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, REPO_ROOT, runCli, tempDir } from './run-cli.js';

const CAPTURE = join(REPO_ROOT, 'test/fixtures/claude-code/capture-2.1.197');
const BUNDLE = join(REPO_ROOT, 'test/fixtures/git/acme-api.bundle');

interface Explained {
  changes: Array<{
    id: string;
    qualifying: boolean;
    aiAssisted: boolean;
    evidence: Array<{ kind: string; tool: string }>;
    sessionIds: string[];
  }>;
  totals: { shipped: { shipped: number; qualifying: number }; spend: { sessions: number } };
}

describe('the Claude Code capture joined to its repository', () => {
  it('finds both AI commits by trailer and links each to the session that made it', async () => {
    const dir = tempDir('ty-capture-');
    const clone = join(dir, 'acme-api');
    execFileSync('git', ['clone', '-q', BUNDLE, clone]);
    const env = isolatedEnv({ CLAUDE_CONFIG_DIR: CAPTURE, TOKENYIELD_PERSON: 'dev@acme.example' });
    const db = join(dir, 'ledger.duckdb');
    const ingest = await runCli(['ingest', '--db', db, '--git', clone], env);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/acme-api: 3 new/);

    const res = await runCli(['board', '--db', db, '--explain', 'dev@acme.example', '--json'], env);
    expect(res.stderr).toBe('');
    const x = JSON.parse(res.stdout) as Explained;
    expect(x.totals.spend.sessions).toBe(3);
    expect(x.totals.shipped).toMatchObject({ shipped: 3, qualifying: 2 });
    const byCommit = Object.fromEntries(x.changes.map((c) => [c.id.split(':').pop()!.slice(0, 7), c]));
    // The initial commit has no AI marker and no lines: trivial, not AI-assisted.
    expect(byCommit.d08c9da).toMatchObject({ aiAssisted: false, qualifying: false });
    for (const sha of ['ca09f3e', 'ad60d2b']) {
      expect(byCommit[sha]?.evidence).toContainEqual(
        expect.objectContaining({ kind: 'trailer', tool: 'claude-code' }),
      );
    }
    // Git times are whole seconds: ca09f3e (23:38:56) was made by the session whose calls span
    // 23:38:56.280–.519, which is only "before" the commit once the truncated second is allowed for.
    expect(byCommit.ca09f3e?.sessionIds).toEqual(['2b7bd622-44f4-4526-bf9d-bfbc5a02ca44']);
    expect(byCommit.ad60d2b?.sessionIds).toContain('0c7ebfa9-82c8-4b17-afd2-ed30ddd63299');
  });
});
