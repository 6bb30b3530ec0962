import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentFromApi, repoFromApiUrl } from './deployment.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/github/octo-app/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(DIR + name, 'utf8'));
const deployments = read('deployments.json') as Array<Record<string, unknown>>;
const byId = (id: number) => deployments.find((d) => d.id === id)!;
const statuses = (id: number) => read(`deployment_statuses/${id}.json`) as unknown[];

function ok(result: ReturnType<typeof deploymentFromApi>) {
  if (!result.ok) throw new Error(`expected a record, got: ${result.reason}`);
  return result.record;
}

describe('deploymentFromApi', () => {
  it('takes the result from the last status; a later inactive (superseded) does not undo a success', () => {
    const d = ok(deploymentFromApi(byId(9001), statuses(9001), 'octo/app', 'deployments.json'));
    expect(d).toEqual({
      id: 'deploy:gh:octo/app:9001',
      repo: 'octo/app',
      service: 'octo/app',
      environment: 'production',
      production: true,
      status: 'success',
      ts: Date.parse('2026-05-02T16:05:00Z'),
      shas: ['f1'.repeat(20)],
      rollbackOf: null,
      source: 'github_export',
      origin: 'deployments.json',
    });
  });

  it('maps a failed staging deployment, with the service from a JSON-text payload', () => {
    const d = ok(deploymentFromApi(byId(9003), statuses(9003), 'octo/app', 'x'));
    expect(d).toMatchObject({ status: 'failure', environment: 'staging', production: false, service: 'api' });
    expect(d.ts).toBe(Date.parse('2026-05-09T09:04:00Z'));
  });

  it('skips a deployment that only ever became inactive', () => {
    expect(deploymentFromApi(byId(9004), statuses(9004), 'octo/app', 'x')).toEqual({
      ok: false,
      reason: 'deployment: only inactive statuses, no result reported',
    });
  });

  it('is in progress as of its creation while it has no status, production by name when unflagged', () => {
    const d = ok(deploymentFromApi(byId(9005), [], 'octo/app', 'x'));
    expect(d).toMatchObject({ status: 'in_progress', environment: 'Prod', production: true });
    expect(d.ts).toBe(Date.parse('2026-05-11T09:00:00Z'));
    const queued = [{ state: 'queued', created_at: '2026-05-11T09:00:05Z' }];
    expect(ok(deploymentFromApi(byId(9005), queued, 'octo/app', 'x')).status).toBe('in_progress');
    const err = [{ state: 'error', created_at: '2026-05-11T09:00:05Z' }];
    expect(ok(deploymentFromApi(byId(9005), err, 'octo/app', 'x')).status).toBe('error');
  });

  it('respects an explicit production_environment flag over the name', () => {
    const d = ok(deploymentFromApi({ ...byId(9001), production_environment: false }, [], 'octo/app', 'x'));
    expect(d.production).toBe(false);
  });

  it('adds the compare range commits after the deployed sha, once each', () => {
    const d = ok(
      deploymentFromApi(byId(9002), statuses(9002), 'octo/app', 'x', { compare: read('compare/9002.json') }),
    );
    expect(d.shas).toEqual(['d4'.repeat(20), 'c3'.repeat(20)]);
    expect(d.service).toBe('api');
    // gh api --paginate prints one compare object per page.
    const pages = [{ commits: [{ sha: 'AA'.repeat(20) }] }, { commits: [{ sha: 'bb'.repeat(20) }] }];
    const paged = ok(deploymentFromApi(byId(9002), [], 'octo/app', 'x', { compare: pages }));
    expect(paged.shas).toEqual(['d4'.repeat(20), 'aa'.repeat(20), 'bb'.repeat(20)]);
  });

  it('orders statuses by time, not by their position in the file', () => {
    const s = [
      { id: 1, state: 'in_progress', created_at: '2026-05-02T16:01:00Z' },
      { id: 3, state: 'failure', created_at: '2026-05-02T16:09:00Z' },
      { id: 2, state: 'success', created_at: '2026-05-02T16:05:00Z' },
    ];
    expect(ok(deploymentFromApi(byId(9001), s, 'o/r', 'x')).status).toBe('failure');
  });

  it('skips a deployment with missing or mistyped fields, and reports bad statuses without losing the deployment', () => {
    const { sha: _sha, ...noSha } = byId(9001);
    expect(deploymentFromApi(noSha, [], 'o/r', 'x')).toEqual({
      ok: false,
      reason: 'deployment: missing sha',
    });
    expect(deploymentFromApi({ ...byId(9001), id: '9001' }, [], 'o/r', 'x')).toEqual({
      ok: false,
      reason: 'deployment: id: expected number, received string',
    });
    const r = deploymentFromApi(
      byId(9001),
      [{ state: 'exploded', created_at: '2026-05-02T16:05:00Z' }, { state: 'success' }, ...statuses(9001)],
      'o/r',
      'x',
    );
    expect(r.ok && r.skipped).toEqual([
      'deployment status: unknown state "exploded"',
      'deployment status: missing created_at',
    ]);
    expect(r.ok && r.record.status).toBe('success');
  });

  it('takes the repository from repository_url when none is given', () => {
    expect(ok(deploymentFromApi(byId(9001), [], null, 'x')).id).toBe('deploy:gh:octo/app:9001');
    expect(repoFromApiUrl('https://ghe.example.com/api/v3/repos/team/svc')).toBe('team/svc');
    expect(repoFromApiUrl(undefined)).toBeNull();
  });
});
