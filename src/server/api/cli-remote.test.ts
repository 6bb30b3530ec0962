import { type AddressInfo, createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import { main } from '../../cli/main.js';
import { BOB, ORG_TOKENS, orgUsage } from './fixtures.js';
import type { ReportJson } from './report-json.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ people: ORG_PEOPLE, tokens: ORG_TOKENS });
  await server.server.context.writer.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(() => server?.close());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Runs `tokenyield …` in this process, as the binary would, and captures what it prints. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'tokenyield', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A loopback port nothing listens on (just released by the OS). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function api(path: string, token: string): Promise<unknown> {
  const res = await server.request(path, { token });
  expect(res.status).toBe(200);
  return res.json();
}

describe('tokenyield report --server', () => {
  it('prints exactly what the API answers, with the same options', async () => {
    const out = await cli(
      'report',
      'daily',
      '--server',
      server.url,
      '--token',
      server.tokens.admin!,
      '--json',
      '--tz',
      'UTC',
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as ReportJson;
    expect(printed).toEqual(await api('/api/v1/reports/daily?tz=UTC', 'admin'));
    expect(printed.totals.cost_usd).toBe(62.75);

    const narrowed = await cli(
      'report',
      'model',
      '--server',
      server.url,
      '--token',
      server.tokens.admin!,
      '--json',
      '--tz',
      'UTC',
      '--since',
      '20260303',
      '--until',
      '2026-03-04',
      '--tool',
      'codex',
      '--tool',
      'gemini-cli',
    );
    expect(JSON.parse(narrowed.stdout)).toEqual(
      await api(
        '/api/v1/reports/model?tz=UTC&since=2026-03-03&until=2026-03-04&tool=codex,gemini-cli',
        'admin',
      ),
    );
  });

  it('takes the server and token from the environment, and scopes by --team and --person', async () => {
    vi.stubEnv('TOKENYIELD_SERVER', `${server.url}/`);
    vi.stubEnv('TOKENYIELD_TOKEN', server.tokens.carol!);
    const team = await cli(
      'report',
      'daily',
      '--json',
      '--tz',
      'UTC',
      '--team',
      'platform',
      '--since',
      '2026-01-01',
    );
    expect(JSON.parse(team.stdout).totals.cost_usd).toBe(4.75);
    const person = await cli('report', 'daily', '--json', '--tz', 'UTC', '--person', 'BobO');
    expect(JSON.parse(person.stdout).totals.cost_usd).toBe(0.75);
  });

  it('renders the server’s rows with the local table and CSV renderers', async () => {
    const args = ['report', 'daily', '--server', server.url, '--token', server.tokens.bob!, '--tz', 'UTC'];
    const table = await cli(...args);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Date[\s\S]*2026-03-02[\s\S]*2026-03-03/);
    expect(table.stdout).toContain('$0.75');
    const csv = await cli(...args, '--csv');
    expect(csv.stdout.split(/\r?\n/)[0]).toBe(
      'date,input_tokens,output_tokens,cache_write_tokens,cache_read_tokens,total_tokens,cost_usd,calls,unpriced_calls,models',
    );
    expect(csv.stdout.split(/\r?\n/).filter(Boolean)).toHaveLength(3);
  });

  it('says in one line why the server refused, or could not be reached', async () => {
    const forbidden = await cli(
      'report',
      'daily',
      '--server',
      server.url,
      '--token',
      server.tokens.bob!,
      '--person',
      'carold',
    );
    expect(forbidden.code).toBe(2);
    expect(forbidden.stdout).toBe('');
    expect(forbidden.stderr).toMatch(/^tokenyield: Not allowed \(403\): You may not read "carold"[^\n]*\n$/);

    const unknown = await cli('report', 'daily', '--server', server.url, '--token', 'ty_wrong');
    expect(unknown.stderr).toMatch(
      /^tokenyield: .* refused the token \(401\).*TOKENYIELD_TOKEN or --token\.\n$/,
    );

    const noToken = await cli('report', 'daily', '--server', server.url);
    expect(noToken.stderr).toBe(
      `tokenyield: ${server.url} needs a token: set TOKENYIELD_TOKEN or pass --token.\n`,
    );

    const port = await closedPort();
    const refused = await cli('report', 'daily', '--server', `http://127.0.0.1:${port}`, '--token', 't');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `tokenyield: Cannot reach http://127.0.0.1:${port}: connection refused. Is \`tokenyield serve\` running there?\n`,
    );

    const local = await cli('report', 'daily', '--person', BOB);
    expect(local.stderr).toMatch(/--person and --team read a server/);
  });
});

describe('tokenyield board --server and value --server', () => {
  it('print the server’s board, explanation and value summaries for the token’s holder', async () => {
    const token = server.tokens.bob!;
    const board = await cli(
      'board',
      '--server',
      server.url,
      '--token',
      token,
      '--lens',
      'spend',
      '--level',
      'person',
      '--json',
    );
    expect(board.code).toBe(0);
    expect(JSON.parse(board.stdout)).toEqual(await api('/api/v1/board?lens=spend&level=person', 'bob'));

    const explained = await cli('board', '--server', server.url, '--token', token, '--explain', 'BobO');
    expect(explained.stdout).toContain(`Bob Okafor (${BOB})`);

    const value = await cli('value', '--server', server.url, '--token', token, '--json');
    expect(JSON.parse(value.stdout)).toEqual(await api('/api/v1/value', 'bob'));
    const table = await cli('value', '--server', server.url, '--token', token);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(BOB);
  });
});
