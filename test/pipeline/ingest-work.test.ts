/**
 * Outcome ingestion end to end on real inputs: a git repository built with real git commands, the
 * GitHub export fixture and the work-file fixtures, into a real DuckDB ledger; a second run adds
 * nothing, and new commits are read on the next one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/ledger/store/duckdb/index.js';
import { ingestWork } from '../../src/pipeline/ingest-work.js';
import { GitSandbox } from '../fixtures/git/sandbox.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

describe('ingestWork', () => {
  let sandbox: GitSandbox;
  let repo: string;
  beforeAll(() => {
    sandbox = new GitSandbox();
    sandbox.pinProcessEnv();
    repo = sandbox.init('api');
    sandbox.write(repo, 'a.txt', 'one\ntwo\n');
    sandbox.commit(repo, 'Initial commit');
    sandbox.write(repo, 'b.txt', 'three\n');
    sandbox.commit(repo, 'Add b\n\nCo-Authored-By: Claude <noreply@anthropic.com>');
  });
  afterAll(() => sandbox.cleanup());

  it('reads every kind of source once, and a re-run adds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-work-'));
    const store = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });
    try {
      const options = {
        store,
        git: [repo, join(dir, 'no-repo-here')],
        github: [join(FIXTURES, 'github', 'octo-app')],
        files: [join(FIXTURES, 'work-files', 'deployments.csv'), join(FIXTURES, 'work-files', 'missing.csv')],
      };
      const first = await ingestWork(options);
      const byTarget = Object.fromEntries(first.targets.map((t) => [t.target.split('/').pop(), t]));
      expect(byTarget.api).toMatchObject({ source: 'git', status: 'read', inserted: 2, replaced: 0 });
      expect(byTarget['no-repo-here']).toMatchObject({ status: 'skipped', message: /no git repository/ });
      expect(byTarget['missing.csv']).toMatchObject({ status: 'skipped', message: /ENOENT|no such file/i });
      expect(byTarget['octo-app']?.inserted).toBeGreaterThan(0);
      expect(byTarget['deployments.csv']?.inserted).toBeGreaterThan(0);
      expect(byTarget['deployments.csv']?.skipped.length).toBeGreaterThan(0);

      const stored = await store.work({});
      const ai = stored.commits.filter((c) => c.aiEvidence.some((e) => e.tool === 'claude-code'));
      expect(ai.map((c) => c.subject)).toEqual(['Add b']);
      const totals = (w: typeof stored) => [
        w.commits.length,
        w.pullRequests.length,
        w.deployments.length,
        w.incidents.length,
        w.tasks.length,
      ];

      const again = await ingestWork(options);
      expect(again.targets.filter((t) => t.status === 'read')).toEqual([]);
      expect(totals(await store.work({}))).toEqual(totals(stored));

      sandbox.write(repo, 'c.txt', 'four\n');
      sandbox.commit(repo, 'Add c');
      const third = await ingestWork({ store, git: [repo] });
      expect(third.targets).toMatchObject([{ status: 'read', inserted: 1, replaced: 0 }]);
    } finally {
      await store.close();
    }
  });
});
