import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPeopleDirectory } from '../../ledger/people/index.js';
import { canIngest, canReadPerson, readableTeams } from './principal.js';
import {
  appendTokenFile,
  createTokenSource,
  createTokenTable,
  generateToken,
  hashToken,
  readTokenFile,
  revokeTokenFile,
  TokenFileError,
} from './tokens.js';

describe('tokens', () => {
  it('are stored only as hashes and resolve to their principal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-tokens-'));
    const file = join(dir, 'nested', 'tokens.json');
    const secret = generateToken();
    appendTokenFile(file, {
      name: 'dana',
      role: 'engineer',
      person: 'dana@acme.example',
      hash: hashToken(secret),
    });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(statSync(file).mode & 0o077).toBe(0);
    const table = createTokenTable(readTokenFile(file));
    expect(table.principal(secret)).toEqual({
      kind: 'user',
      name: 'dana',
      role: 'engineer',
      personId: 'dana@acme.example',
      teams: [],
    });
    expect(table.principal(`${secret}x`)).toBeUndefined();
    expect(table.principal('')).toBeUndefined();
  });

  it('refuses duplicate names and invalid files with the field named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-tokens-'));
    const file = join(dir, 'tokens.json');
    appendTokenFile(file, { name: 'ci', role: 'ingest', hash: hashToken('a') });
    expect(() => appendTokenFile(file, { name: 'ci', role: 'ingest', hash: hashToken('b') })).toThrow(
      /already exists/,
    );
    writeFileSync(file, JSON.stringify({ tokens: [{ name: 'x', role: 'engineer', hash: 'plain' }] }));
    expect(() => readTokenFile(file)).toThrow(TokenFileError);
    expect(() => readTokenFile(file)).toThrow(/tokens\.0\.hash/);
    writeFileSync(file, JSON.stringify({ tokens: [{ name: 'x', role: 'engineer', hash: hashToken('c') }] }));
    expect(() => readTokenFile(file)).toThrow(/need a "person"/);
    expect(readTokenFile(join(dir, 'missing.json'))).toEqual([]);
  });
});

describe('principals', () => {
  const directory = createPeopleDirectory(
    [
      {
        id: 'alice@acme.example',
        name: 'Alice',
        email: 'alice@acme.example',
        aliases: [],
        memberships: [{ team: 'payments', from: null, until: null }],
        costCentre: null,
        boardOptIn: false,
      },
      {
        id: 'bob@acme.example',
        name: 'Bob',
        email: 'bob@acme.example',
        aliases: [],
        memberships: [{ team: 'payments', from: null, until: null }],
        costCentre: null,
        boardOptIn: false,
      },
      {
        id: 'carol@acme.example',
        name: 'Carol',
        email: 'carol@acme.example',
        aliases: [],
        memberships: [{ team: 'platform', from: null, until: null }],
        costCentre: null,
        boardOptIn: false,
      },
    ],
    [
      { id: 'payments', name: 'Payments', managers: ['alice@acme.example'] },
      { id: 'platform', name: 'Platform', managers: [] },
    ],
  );
  const user = (role: 'admin' | 'manager' | 'engineer', personId: string | null, teams: string[] = []) =>
    ({ kind: 'user', name: 'x', role, personId, teams }) as const;

  it('engineers read only themselves; managers their teams (from the token or the people file); admins all', () => {
    const eng = user('engineer', 'bob@acme.example');
    expect(canReadPerson(eng, 'bob@acme.example', directory)).toBe(true);
    expect(canReadPerson(eng, 'alice@acme.example', directory)).toBe(false);
    const alice = user('manager', 'alice@acme.example');
    expect(readableTeams(alice, directory)).toEqual(['payments']);
    expect(canReadPerson(alice, 'bob@acme.example', directory)).toBe(true);
    expect(canReadPerson(alice, 'carol@acme.example', directory)).toBe(false);
    expect(
      canReadPerson(user('manager', 'carol@acme.example', ['platform']), 'carol@acme.example', directory),
    ).toBe(true);
    expect(canReadPerson(user('admin', null), 'carol@acme.example', directory)).toBe(true);
  });

  it('ingest tokens send data but read nothing; only admins among users may ingest', () => {
    const ingest = { kind: 'ingest', name: 'ci', team: null } as const;
    expect(canIngest(ingest)).toBe(true);
    expect(canReadPerson(ingest, 'bob@acme.example', directory)).toBe(false);
    expect(canIngest(user('admin', null))).toBe(true);
    expect(canIngest(user('engineer', 'bob@acme.example'))).toBe(false);
  });
});

describe('the server’s tokens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follow the tokens file without a restart: created ones work, revoked ones stop, a broken file changes nothing', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const file = join(mkdtempSync(join(tmpdir(), 'ty-tokens-')), 'tokens.json');
    const inline = generateToken();
    const errors: string[] = [];
    const table = createTokenSource(
      [{ name: 'inline', role: 'admin', hash: hashToken(inline) }],
      file,
      (err) => errors.push(err.message),
    );
    expect(table.principal(inline)).toMatchObject({ kind: 'user', role: 'admin' });

    const laptop = generateToken();
    appendTokenFile(file, { name: 'laptop', role: 'ingest', hash: hashToken(laptop) });
    vi.setSystemTime(Date.now() + 1001);
    expect(table.principal(laptop)).toMatchObject({ kind: 'ingest', name: 'laptop' });

    const readable = readFileSync(file, 'utf8');
    writeFileSync(file, '{"tokens": [{"name": "x"}]}');
    vi.setSystemTime(Date.now() + 1001);
    expect(table.principal(laptop)).toMatchObject({ kind: 'ingest' });
    expect(errors.join('\n')).toMatch(/invalid/);

    writeFileSync(file, readable);
    expect(revokeTokenFile(file, 'laptop')).toBe(true);
    expect(revokeTokenFile(file, 'laptop')).toBe(false);
    vi.setSystemTime(Date.now() + 1001);
    expect(table.principal(laptop)).toBeUndefined();
    expect(table.principal(inline)).toMatchObject({ role: 'admin' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
