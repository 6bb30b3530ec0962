/**
 * Line survival from a real repository read into a real ledger: an AI-assisted commit half of
 * whose lines are rewritten within the horizon, and a human commit left alone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/ledger/store/duckdb/index.js';
import { ingestWork } from '../../src/pipeline/ingest-work.js';
import { measureLineSurvival } from '../../src/pipeline/line-survival.js';
import { GitSandbox } from '../fixtures/git/sandbox.js';

const DAY = 86_400;

describe('measureLineSurvival', () => {
  const sandbox = new GitSandbox();
  afterAll(() => sandbox.cleanup());

  it('splits surviving lines by AI assistance and leaves young commits unmeasured', async () => {
    sandbox.pinProcessEnv();
    const repo = sandbox.init('svc');
    const t0 = sandbox.tick();
    sandbox.write(repo, 'ai.ts', 'a1\na2\na3\na4\n');
    sandbox.commit(repo, 'AI lines\n\nCo-Authored-By: Claude <noreply@anthropic.com>', { seconds: t0 });
    sandbox.write(repo, 'human.ts', 'h1\nh2\n');
    sandbox.commit(repo, 'Human lines', { seconds: t0 + 60 });
    // Two of the four AI lines are rewritten five days later, inside a 30-day horizon.
    sandbox.write(repo, 'ai.ts', 'a1\nb2\na3\nb4\n');
    sandbox.commit(repo, 'Rewrite two lines', { seconds: t0 + 5 * DAY });

    const store = await openDuckDbStore({ path: join(mkdtempSync(join(tmpdir(), 'ty-surv-')), 'l.duckdb') });
    try {
      await ingestWork({ store, git: [repo] });
      const now = (t0 + 31 * DAY) * 1000;
      const report = await measureLineSurvival(store, { horizonDays: 30, maxCommits: 10, now });
      expect(report.aiAssisted).toEqual({ commits: 1, added: 4, surviving: 2, rate: 0.5 });
      // The rewrite itself (2 lines, 26 days before `now`) has not reached the horizon yet.
      expect(report.other).toEqual({ commits: 1, added: 2, surviving: 2, rate: 1 });
      expect(report.tooRecent).toBe(1);
      const capped = await measureLineSurvival(store, { horizonDays: 30, maxCommits: 1, now });
      expect(capped.all.commits).toBe(1);
      expect(capped.notSampled).toBe(1);
    } finally {
      await store.close();
    }
  });
});
