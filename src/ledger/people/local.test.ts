import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPeopleDirectory } from './directory.js';
import { localDirectory, localDirectoryFor } from './local.js';

describe('local directory', () => {
  const identity = {
    personId: 'dev@acme.example',
    raw: { os_user: 'dev', host: 'box', git_email: 'Dev@Acme.example' },
  };

  it('resolves every identity, of any kind, to the local user', () => {
    const dir = localDirectoryFor(identity);
    for (const [value, kind] of [
      ['dev@acme.example', 'email'],
      ['someone-else@elsewhere.example', 'git_email'],
      ['octocat', 'github'],
      ['apikey_01Zz', 'api_key'],
      ['', undefined],
      ['anything', undefined],
    ] as const) {
      expect(dir.resolve(value, kind)?.id).toBe('dev@acme.example');
    }
    expect(dir.person('dev@acme.example')).toEqual({
      id: 'dev@acme.example',
      name: 'dev@acme.example',
      email: 'dev@acme.example',
      aliases: [
        { kind: 'email', value: 'dev@acme.example' },
        { kind: 'git_email', value: 'dev@acme.example' },
        { kind: 'os_user', value: 'dev' },
      ],
      memberships: [],
      costCentre: null,
      boardOptIn: false,
    });
    expect(dir.people).toHaveLength(1);
    expect(dir.teams).toEqual([]);
  });

  it('has no teams', () => {
    const dir = localDirectoryFor(identity);
    expect(dir.teamAt('dev@acme.example', Date.now())).toBeUndefined();
    expect(dir.membersOf('anything', 0, Date.now())).toEqual([]);
  });

  it('does not take the user@host fallback for an e-mail', () => {
    const dir = localDirectoryFor({ personId: 'dev@box', raw: { os_user: 'dev', host: 'box' } });
    expect(dir.person('dev@box')?.email).toBeNull();
  });

  it('has a version of its own that follows the identity', () => {
    const a = localDirectoryFor(identity);
    const b = localDirectoryFor({ ...identity, personId: 'other@acme.example' });
    const file = createPeopleDirectory(a.people, []);
    expect(a.version).toMatch(/^local:[0-9a-f]{64}$/);
    expect(b.version).not.toBe(a.version);
    expect(localDirectoryFor(identity).version).toBe(a.version);
    expect(file.version).not.toBe(a.version);
  });

  it('takes the person from the environment like local ingestion does', () => {
    // An empty HOME keeps the developer's global git config out of the test.
    const home = mkdtempSync(join(tmpdir(), 'ty-local-'));
    const env = {
      HOME: home,
      XDG_CONFIG_HOME: home,
      PATH: process.env.PATH,
      TOKENYIELD_PERSON: 'Me@Acme.example',
    };
    const dir = localDirectory('configured@acme.example', env);
    expect(dir.people.map((p) => p.id)).toEqual(['me@acme.example']);
    expect(
      localDirectory('Configured@acme.example', { HOME: home, XDG_CONFIG_HOME: home, PATH: process.env.PATH })
        .people[0]?.id,
    ).toBe('configured@acme.example');
  });
});
