import { cp, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGithubExport } from './export.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/github/', import.meta.url));
const APP = join(FIXTURES, 'octo-app');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tokenyield-gh-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const ids = (r: { batch: { pullRequests: { id: string }[]; deployments: { id: string }[] } }) => [
  ...r.batch.pullRequests.map((p) => p.id),
  ...r.batch.deployments.map((d) => d.id),
];

describe('readGithubExport: directory layout', () => {
  it('reads concatenated pages, details, reviews, deployments and statuses', async () => {
    const r = await readGithubExport(APP, null);
    expect(r.batch.pullRequests.map((p) => [p.number, p.state])).toEqual([
      [101, 'merged'],
      [102, 'closed'],
      [103, 'open'],
      [104, 'merged'],
      [105, 'open'],
    ]);
    const [p101, p102, p103, p104, p105] = r.batch.pullRequests;
    // 101 has a single-PR file: sizes and merged_by come from it; 104 has only its list entry.
    expect(p101).toMatchObject({
      mergedBy: 'bob',
      additions: 120,
      approvers: ['bob'],
      origin: join(APP, 'pulls/101.json'),
    });
    expect(p104).toMatchObject({
      mergedBy: null,
      additions: 0,
      approvers: ['alice'],
      origin: join(APP, 'pulls.json'),
    });
    expect(p101!.aiEvidence).toEqual([
      { kind: 'pr_body', tool: 'claude-code', detail: 'Generated with [Claude Code]' },
      { kind: 'label', tool: 'unknown', detail: 'ai-assisted' },
    ]);
    expect(p102!.aiEvidence.map((e) => e.tool)).toEqual(['codex']);
    expect(p103).toMatchObject({ author: 'Copilot', authorType: 'Bot', draft: true });
    expect(p103!.aiEvidence.map((e) => [e.kind, e.tool])).toEqual([
      ['bot_author', 'copilot'],
      ['pr_body', 'copilot'],
    ]);
    expect(p104!.aiEvidence.map((e) => e.tool)).toEqual(['cursor']);
    expect(p105!.aiEvidence.map((e) => e.tool)).toEqual(['gemini-cli']);

    expect(r.batch.deployments.map((d) => [d.id, d.status, d.environment, d.production])).toEqual([
      ['deploy:gh:octo/app:9003', 'failure', 'staging', false],
      ['deploy:gh:octo/app:9002', 'success', 'production', true],
      ['deploy:gh:octo/app:9001', 'success', 'production', true],
      ['deploy:gh:octo/app:9005', 'in_progress', 'Prod', true],
    ]);
    expect(r.batch.deployments[1]!.shas).toEqual(['d4'.repeat(20), 'c3'.repeat(20)]);

    expect(r.skipped).toEqual([
      {
        reason: 'deployment: only inactive statuses, no result reported',
        count: 1,
        examples: [`${join(APP, 'deployments.json')} id 9004`],
      },
      {
        reason: 'pull request: created_at: expected string, received number',
        count: 1,
        examples: [`${join(APP, 'pulls.json')} #106`],
      },
      {
        reason: 'reviews of a pull request not in the export',
        count: 1,
        examples: [join(APP, 'reviews/999.json')],
      },
    ]);
    expect(r.batch.commits).toEqual([]);
    expect(r.changedFiles).toBe(13);
  });

  it('gives the same records and ids when read again from scratch', async () => {
    const a = await readGithubExport(APP, null);
    const b = await readGithubExport(APP, null);
    expect(b.batch).toEqual(a.batch);
    expect(b.state).toEqual(a.state);
  });

  it('emits nothing for an unchanged export when given the previous state', async () => {
    const first = await readGithubExport(APP, null);
    const second = await readGithubExport(APP, JSON.parse(JSON.stringify(first.state)));
    expect(ids(second)).toEqual([]);
    expect(second.skipped).toEqual([]);
    expect(second.changedFiles).toBe(0);
    expect(second.unchangedFiles).toBe(13);
  });

  it('re-emits only the records built from a changed file', async () => {
    const dir = join(tmp, 'changed');
    await cp(APP, dir, { recursive: true });
    const first = await readGithubExport(dir, null);

    // Same content, new mtime: hashed again, found unchanged.
    const later = new Date('2030-01-01T00:00:00Z');
    await utimes(join(dir, 'pulls.json'), later, later);
    const touched = await readGithubExport(dir, first.state);
    expect(ids(touched)).toEqual([]);
    expect(touched.state.files[join(dir, 'pulls.json')]!.mtimeMs).toBe(later.getTime());

    await writeFile(
      join(dir, 'reviews/104.json'),
      JSON.stringify([
        { id: 21, user: { login: 'dave' }, state: 'APPROVED', submitted_at: '2026-05-07T07:30:00Z' },
      ]),
    );
    const statuses = join(dir, 'deployment_statuses/9005.json');
    await writeFile(statuses, '[{"id":11,"state":"success","created_at":"2026-05-11T09:05:00Z"}]');
    const next = await readGithubExport(dir, touched.state);
    expect(ids(next)).toEqual(['pr:octo/app#104', 'deploy:gh:octo/app:9005']);
    expect(next.batch.pullRequests[0]!.approvers).toEqual(['dave']);
    expect(next.batch.deployments[0]!.status).toBe('success');
    expect(next.changedFiles).toBe(2);
  });

  it('re-reads everything when the AI label list changes', async () => {
    const first = await readGithubExport(APP, null);
    const again = await readGithubExport(APP, first.state, { aiLabels: ['backend'] });
    expect(again.batch.pullRequests).toHaveLength(5);
    expect(again.batch.pullRequests[0]!.aiEvidence.find((e) => e.kind === 'label')?.detail).toBe('backend');
  });

  it('counts a file that is not JSON once and does not emit records built from it', async () => {
    const dir = join(tmp, 'broken');
    await cp(APP, dir, { recursive: true });
    await writeFile(join(dir, 'reviews/101.json'), '[{"id": 1, "state": "APPR');
    const r = await readGithubExport(dir, null);
    expect(r.batch.pullRequests.map((p) => p.number)).toEqual([102, 103, 104, 105]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.reason, s.count]));
    expect(reasons['file is not valid JSON']).toBe(1);
    expect(reasons['built from a file that is not valid JSON']).toBe(1);
  });
});

describe('readGithubExport: combined file and nested exports', () => {
  it('reads a combined JSON file, merging a PR list entry with its single-PR copy', async () => {
    const r = await readGithubExport(join(FIXTURES, 'octo-lib.json'), null);
    expect(r.batch.pullRequests).toHaveLength(1);
    expect(r.batch.pullRequests[0]).toMatchObject({
      id: 'pr:octo/lib#7',
      state: 'merged',
      mergedBy: 'zed',
      additions: 3,
      approvers: ['yan'],
      aiEvidence: [{ kind: 'label', tool: 'claude-code', detail: 'Claude' }],
    });
    expect(r.batch.deployments.map((d) => [d.id, d.status])).toEqual([
      ['deploy:gh:octo/lib:7001', 'success'],
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('finds exports in sub-directories and combined files side by side', async () => {
    const r = await readGithubExport(FIXTURES, null);
    expect(r.batch.pullRequests.map((p) => p.id)).toEqual([
      'pr:octo/app#101',
      'pr:octo/app#102',
      'pr:octo/app#103',
      'pr:octo/app#104',
      'pr:octo/app#105',
      'pr:octo/lib#7',
    ]);
  });
});
