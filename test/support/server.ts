/**
 * A real tokenyield server for tests: a DuckDB ledger in a temporary directory, real HTTP on a
 * free loopback port, and tokens of every role.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPriceBook } from '../../src/ledger/pricing/index.js';
import { openDuckDbStore } from '../../src/ledger/store/duckdb/index.js';
import { generateToken, hashToken, type TokenEntry } from '../../src/server/auth/tokens.js';
import { createPeopleSource } from '../../src/server/people-source.js';
import { type RunningServer, type StartOptions, startServer } from '../../src/server/serve.js';
import type { ServerSettings } from '../../src/server/settings.js';

export const ORG_PEOPLE = join(import.meta.dirname, '..', 'fixtures', 'people', 'org.yaml');

export interface TokenSpec {
  name: string;
  role: TokenEntry['role'];
  person?: string;
  teams?: string[];
}

export interface TestServer {
  url: string;
  server: RunningServer;
  dir: string;
  dbPath: string;
  /** Bearer tokens by name: `admin` and `ingest` always, plus those asked for. */
  tokens: Record<string, string>;
  /** `fetch` against the server with a named token (or none). */
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  people?: string;
  tokens?: TokenSpec[];
  settings?: Partial<ServerSettings>;
  /** Reuse a ledger file (e.g. after a restart); default a fresh one. */
  dbPath?: string;
  /** Budgets as if from the config file, and the clock they are judged by (default: now). */
  budgets?: StartOptions['budgets'];
  now?: () => number;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ty-server-'));
  const dbPath = options.dbPath ?? join(dir, 'ledger.duckdb');
  const specs: TokenSpec[] = [
    { name: 'admin', role: 'admin' },
    { name: 'ingest', role: 'ingest' },
    ...(options.tokens ?? []),
  ];
  const tokens: Record<string, string> = {};
  const entries: TokenEntry[] = specs.map((s) => {
    const secret = generateToken();
    tokens[s.name] = secret;
    return {
      name: s.name,
      role: s.role,
      ...(s.person ? { person: s.person } : {}),
      ...(s.teams ? { teams: s.teams } : {}),
      hash: hashToken(secret),
    };
  });
  const settings: ServerSettings = {
    host: '127.0.0.1',
    port: 0,
    tokens: entries,
    tokensFile: join(dir, 'tokens.json'),
    minGroupSize: 5,
    maxBodyBytes: 16 * 1024 * 1024,
    maxQueuedRecords: 200_000,
    maxStaleSeconds: 60,
    auditLog: join(dir, 'audit.jsonl'),
    githubSecret: 'test-github-secret-0123456789',
    genericSecret: 'test-generic-secret-0123456789',
    ...options.settings,
  };
  // Opened as `tokenyield serve` opens it (serve-run.ts): with the ledger's keys in memory.
  const store = await openDuckDbStore({ path: dbPath, keyFilter: true });
  const server = await startServer({
    store,
    settings,
    directory: createPeopleSource(options.people, (err) => {
      throw err;
    }),
    priceBook: createPriceBook(undefined),
    budgets: options.budgets,
    now: options.now,
  });
  return {
    url: server.url,
    server,
    dir,
    dbPath,
    tokens,
    request(path, init = {}) {
      const { token = 'admin', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${tokens[token] ?? token}`);
      return fetch(`${server.url}${path}`, { ...rest, headers });
    },
    async close() {
      await server.close();
      if (!options.dbPath) rmSync(dir, { recursive: true, force: true });
    },
  };
}
