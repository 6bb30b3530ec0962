import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORG_PEOPLE, startTestServer, type TestServer } from '../../../test/support/server.js';
import type { LocalIdentity } from '../../ledger/identity.js';
import { createPriceBook } from '../../ledger/pricing/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import type { Store } from '../../ledger/store/store.js';
import { ingest } from '../../pipeline/ingest.js';
import { LOCAL_SOURCES } from '../../sources/index.js';
import type { SourceEnv } from '../../sources/source.js';
import { PushError } from './client.js';
import { pushLocalUsage } from './push.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');
const IDENTITY: LocalIdentity = {
  personId: 'tester@example.com',
  raw: { os_user: 'tester', host: 'laptop-7', git_email: 'alice@users.noreply.github.com' },
};

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A laptop's history: Claude Code, Codex and Gemini CLI files, copied so mtimes are the copy's own. */
function laptop(): SourceEnv {
  const home = tempDir('ty-laptop-');
  const copy = (from: string, to: string) => {
    cpSync(join(FIXTURES, from), join(home, to), { recursive: true });
    return join(home, to);
  };
  return {
    homeDir: home,
    env: {
      CLAUDE_CONFIG_DIR: [
        copy('claude-code/capture-2.1.197', 'claude-a'),
        copy('claude-code/dedup', 'claude-b'),
      ].join(','),
      CODEX_HOME: copy('codex/home', 'codex'),
      GEMINI_DATA_DIR: copy('gemini-cli/tmp', 'gemini'),
    },
  };
}

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  cleanup.push(() => s.close());
  return s;
}

function push(s: TestServer, env: SourceEnv, token = 'ingest', extra: { fetch?: typeof fetch } = {}) {
  return pushLocalUsage({
    server: s.url,
    token: s.tokens[token]!,
    sources: LOCAL_SOURCES,
    env,
    identity: IDENTITY,
    priceBook: createPriceBook(undefined),
    ...extra,
  });
}

/** What reports see: usage by tool and sessions (prompts, tools, lines), people left aside. */
async function totals(store: Store) {
  const usage = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
  const sessions = (await store.sessions({})).map(({ personId: _p, ...s }) => s);
  return { usage, sessions };
}

async function localTotals(env: SourceEnv) {
  const store = await openDuckDbStore({ path: join(tempDir('ty-local-'), 'ledger.duckdb') });
  try {
    await ingest({
      store,
      sources: LOCAL_SOURCES,
      env,
      priceBook: createPriceBook(undefined),
      identity: IDENTITY,
    });
    return await totals(store);
  } finally {
    await store.close();
  }
}

describe('tokenyield push', () => {
  it('sends a history once: a second push adds nothing, and the server equals a local ingest', async () => {
    const s = await server({ people: ORG_PEOPLE });
    const env = laptop();
    const first = await push(s, env);
    const found = first.summary.sources.reduce((n, x) => n + x.callsFound, 0);
    expect(found).toBeGreaterThan(0);
    expect(first.summary.sources.every((x) => x.filesSeen > 0)).toBe(true);
    const afterFirst = await totals(s.server.context.store);

    const second = await push(s, env);
    expect(second.summary.sources.reduce((n, x) => n + x.filesRead + x.newCalls, 0)).toBe(0);
    expect(second.summary.sources.every((x) => x.filesUnchanged === x.filesSeen)).toBe(true);
    expect(await totals(s.server.context.store)).toEqual(afterFirst);
    expect(afterFirst).toEqual(await localTotals(env));
    expect(afterFirst.usage.map((r) => r.key).sort()).toEqual(['claude-code', 'codex', 'gemini-cli']);
  });

  it('resolves an ingest token’s records through the people directory', async () => {
    const s = await server({ people: ORG_PEOPLE });
    const outcome = await push(s, laptop());
    expect(outcome.info.attributedTo).toBeNull();
    const people = new Set((await s.server.context.store.identities()).map((i) => i.personId));
    expect([...people]).toEqual(['alice@acme.example']);
  });

  it('attributes everything an engineer token pushes to that engineer', async () => {
    const s = await server({
      people: ORG_PEOPLE,
      tokens: [{ name: 'bob-laptop', role: 'engineer', person: 'BobO' }],
    });
    const outcome = await push(s, laptop(), 'bob-laptop');
    expect(outcome.info.attributedTo).toBe('bob@acme.example');
    const identities = await s.server.context.store.identities();
    expect(new Set(identities.map((i) => i.personId))).toEqual(new Set(['bob@acme.example']));
    // The machine's identity is kept as evidence, not used to attribute.
    expect(identities[0]!.rawIdentity).toEqual(IDENTITY.raw);
  });

  it('splits batches under a small body limit and ends where one big request would', async () => {
    const env = laptop();
    const s = await server({ settings: { maxBodyBytes: 4096 } });
    const outcome = await push(s, env);
    expect(outcome.requests).toBeGreaterThan(10);
    expect(await totals(s.server.context.store)).toEqual(await localTotals(env));
  });

  it('loses nothing and counts nothing twice when a push dies half-way', async () => {
    const env = laptop();
    const s = await server({ settings: { maxBodyBytes: 4096 } });
    let posts = 0;
    const dying: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && ++posts > 4)
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return fetch(input, init);
    };
    await expect(push(s, env, 'ingest', { fetch: dying })).rejects.toThrow(PushError);
    const partial = await s.server.context.store.usage({ groupBy: 'tool', timeZone: 'UTC' });
    expect(partial.reduce((n, r) => n + r.calls, 0)).toBeGreaterThan(0);
    await push(s, env);
    expect(await totals(s.server.context.store)).toEqual(await localTotals(env));
  });

  it('says what is wrong with the token, in one line', async () => {
    const s = await server();
    const refused = pushLocalUsage({
      server: s.url,
      token: 'ty_not-a-token',
      sources: LOCAL_SOURCES,
      env: laptop(),
      identity: IDENTITY,
      priceBook: createPriceBook(undefined),
    });
    await expect(refused).rejects.toThrow(/refused the token: The token is not known/);
  });
});
