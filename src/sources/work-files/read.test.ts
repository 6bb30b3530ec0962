import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWorkFileText, readWorkFile, readWorkFiles } from './read.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/work-files/', import.meta.url));
const file = (name: string) => join(DIR, name);
const skipCounts = (skipped: { reason: string; count: number }[]) =>
  Object.fromEntries(skipped.map((s) => [s.reason, s.count]));

describe('deployments.csv (BOM, CRLF, quoted fields, synonym headers, bad rows)', () => {
  it('keeps the good rows and maps them', async () => {
    const { batch } = await readWorkFile(file('deployments.csv'));
    expect(batch.deployments.map((d) => d.id)).toEqual([
      'deploy:file:d-1',
      'deploy:file:d-2',
      'deploy:file:d-3',
      'deploy:file:d-7',
    ]);
    expect(batch.deployments[0]).toEqual({
      id: 'deploy:file:d-1',
      repo: 'octo/app',
      service: 'api',
      environment: 'production',
      production: true,
      status: 'success',
      ts: Date.parse('2026-05-02T16:05:00Z'),
      shas: ['f1f1f1f', 'c3c3c3c3', 'd4d4d4d4'],
      rollbackOf: null,
      source: 'work_file',
      origin: file('deployments.csv'),
    });
    expect(batch.deployments[1]).toMatchObject({
      status: 'failure',
      production: false,
      ts: 1778400000000,
      repo: null,
    });
    expect(batch.deployments[2]).toMatchObject({
      status: 'rolled_back',
      production: true,
      rollbackOf: 'deploy:file:d-1',
      ts: Date.parse('2026-05-03T10:00:00Z'),
    });
    expect(batch.deployments[3]).toMatchObject({
      production: true,
      shas: [],
      ts: Date.parse('2026-05-04T10:00:00Z'),
    });
    expect(batch.incidents).toEqual([]);
  });

  it('skips each bad row with its reason and spreadsheet row number', async () => {
    const { skipped } = await readWorkFile(file('deployments.csv'));
    const at = (name: string) => `deployments.csv row ${name}`;
    expect(skipped).toEqual([
      { reason: 'deployment: commits: "zzz" is not a commit SHA', count: 1, examples: [at('8')] },
      {
        reason: 'deployment: finished_at: not an ISO-8601 date or epoch time',
        count: 1,
        examples: [at('6')],
      },
      { reason: 'deployment: missing id', count: 1, examples: [at('7')] },
      { reason: 'deployment: unknown status "exploded"', count: 1, examples: [at('5')] },
    ]);
  });

  it('yields identical records when read again', async () => {
    expect(await readWorkFile(file('deployments.csv'))).toEqual(await readWorkFile(file('deployments.csv')));
  });
});

describe('incidents.json and tasks.ndjson', () => {
  it('maps incidents, resolving deployment references to record ids', async () => {
    const { batch, skipped } = await readWorkFile(file('incidents.json'));
    expect(batch.incidents).toEqual([
      {
        id: 'incident:INC-1',
        service: 'api',
        openedAt: Date.parse('2026-05-08T09:30:00Z'),
        resolvedAt: Date.parse('2026-05-08T11:00:00Z'),
        severity: 'SEV2',
        rootCauseShas: ['d4d4d4d4'],
        deploymentId: 'deploy:file:d-1',
        source: 'work_file',
        origin: file('incidents.json'),
      },
      {
        id: 'incident:2',
        service: null,
        openedAt: 1778576400000,
        resolvedAt: null,
        severity: 'SEV3',
        rootCauseShas: [],
        deploymentId: 'deploy:gh:octo/app:9002',
        source: 'work_file',
        origin: file('incidents.json'),
      },
    ]);
    expect(skipped).toEqual([
      {
        reason: 'incident: opened_at: not an ISO-8601 date or epoch time',
        count: 1,
        examples: ['incidents.json record 4'],
      },
      {
        reason: 'incident: resolved_at is before opened_at',
        count: 1,
        examples: ['incidents.json record 3'],
      },
      { reason: 'not an object', count: 1, examples: ['incidents.json record 5'] },
    ]);
  });

  it('reads NDJSON line by line: a broken line is skipped, a repeated key keeps the later row', async () => {
    const { batch, skipped } = await readWorkFile(file('tasks.ndjson'));
    expect(batch.tasks).toEqual([
      {
        id: 'task:APP-1',
        key: 'APP-1',
        title: 'Rate limiting (reopened)',
        assignee: 'alice@example.com',
        doneAt: Date.parse('2026-05-06T08:00:00Z'),
        refs: ['octo/app#101', 'octo/app#104'],
        source: 'work_file',
        origin: file('tasks.ndjson'),
      },
      {
        id: 'task:APP-2',
        key: 'APP-2',
        title: 'Cache',
        assignee: 'bob',
        doneAt: Date.parse('2026-05-04T11:00:00Z'),
        refs: ['octo/app#102'],
        source: 'work_file',
        origin: file('tasks.ndjson'),
      },
    ]);
    expect(skipCounts(skipped)).toEqual({
      'invalid JSON': 1,
      'task: missing done_at': 1,
      'task: duplicate id, later row kept': 1,
    });
    expect(skipped.find((s) => s.reason === 'invalid JSON')?.examples).toEqual(['tasks.ndjson line 3']);
  });
});

describe('kinds', () => {
  it('takes the kind from a kind column before the file name, and skips an unknown kind', async () => {
    const { batch, skipped } = await readWorkFile(file('mixed.csv'));
    expect(batch.deployments.map((d) => d.id)).toEqual(['deploy:file:m-1']);
    expect(batch.incidents.map((i) => i.id)).toEqual(['incident:m-2']);
    expect(batch.tasks.map((t) => t.id)).toEqual(['task:M-3']);
    expect(skipped).toEqual([{ reason: 'unknown kind "release"', count: 1, examples: ['mixed.csv row 5'] }]);
  });

  it('reads a JSON object with deployments/incidents/tasks arrays, and names a missing kind', () => {
    const text = JSON.stringify({
      deployments: [
        {
          id: 1,
          service: 's',
          env: 'prod',
          state: 'ok',
          deployed_at: '2026-01-01T00:00:00Z',
          sha: 'abcdef1',
        },
      ],
      tasks: [{ key: 'T-1', done: '2026-01-02' }],
    });
    const r = parseWorkFileText(text, 'export.json');
    expect(r.batch.deployments.map((d) => [d.id, d.production, d.shas])).toEqual([
      ['deploy:file:1', true, ['abcdef1']],
    ]);
    expect(r.batch.tasks.map((t) => t.id)).toEqual(['task:T-1']);
    const unnamed = parseWorkFileText('[{"id":"x"}]', 'export.json');
    expect(unnamed.skipped[0]?.reason).toBe(
      'no kind: add a kind column or name the file deployments/incidents/tasks',
    );
  });

  it('accepts prefixed file names and camelCase JSON keys', () => {
    const r = parseWorkFileText(
      '{"id":"i1","openedAt":"2026-01-01T00:00:00Z","rootCauseCommits":"abcdef1"}\n',
      '2026-q1_incidents.jsonl',
    );
    expect(r.batch.incidents.map((i) => i.rootCauseShas)).toEqual([['abcdef1']]);
  });
});

describe('CSV edge cases', () => {
  it('skips a row with more fields than the header and an unterminated quote, keeping rows before them', () => {
    const text = 'key,done_at\nA-1,2026-01-01\nA-2,2026-01-02,extra\nA-3,"2026-01-03\n';
    const r = parseWorkFileText(text, 'tasks.csv');
    expect(r.batch.tasks.map((t) => t.key)).toEqual(['A-1']);
    expect(skipCounts(r.skipped)).toEqual({
      'CSV: row has more fields than the header': 1,
      'CSV: CSV_QUOTE_NOT_CLOSED': 1,
    });
  });

  it('merges several files; a later file wins for a repeated id', async () => {
    const r = await readWorkFiles([file('deployments.csv'), file('mixed.csv'), file('tasks.ndjson')]);
    expect(r.batch.deployments).toHaveLength(5);
    expect(r.batch.tasks.map((t) => t.id)).toEqual(['task:M-3', 'task:APP-1', 'task:APP-2']);
  });
});
