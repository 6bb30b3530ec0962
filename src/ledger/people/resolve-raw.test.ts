import { describe, expect, it } from 'vitest';
import { createPeopleDirectory } from './directory.js';
import { personForRawIdentity } from './resolve-raw.js';
import type { Alias, Person } from './types.js';

function person(id: string, aliases: Alias[]): Person {
  return { id, name: id, email: id, aliases, memberships: [], costCentre: null, boardOptIn: false };
}

const dir = createPeopleDirectory(
  [
    person('alice@acme.example', [
      { kind: 'claude_account', value: '8f3c2a7e-0000-4000-8000-000000000001' },
      { kind: 'github', value: 'alice-ng' },
      { kind: 'gemini', value: 'alice.personal@gmail.example' },
      { kind: 'otel_user_id', value: 'install-a' },
    ]),
    person('bob@acme.example', [
      { kind: 'os_user', value: 'dev' },
      { kind: 'api_key', value: 'apikey_01Bob' },
      { kind: 'copilot', value: 'bob_acme' },
      { kind: 'codex', value: 'user-bobcodex' },
      { kind: 'cursor', value: 'user_bobcursor' },
    ]),
  ],
  [],
);

describe('personForRawIdentity', () => {
  it('prefers the strongest evidence when keys disagree', () => {
    expect(
      personForRawIdentity(dir, {
        'user.account_uuid': '8F3C2A7E-0000-4000-8000-000000000001',
        'user.email': 'bob@acme.example',
        os_user: 'dev',
      }),
    ).toEqual({
      personId: 'alice@acme.example',
      key: 'user.account_uuid',
      kind: 'claude_account',
      value: '8F3C2A7E-0000-4000-8000-000000000001',
    });
    expect(personForRawIdentity(dir, { os_user: 'dev', git_email: 'alice@acme.example' })).toMatchObject({
      personId: 'alice@acme.example',
      key: 'git_email',
    });
  });

  it('falls through keys that resolve to nobody', () => {
    expect(
      personForRawIdentity(dir, { 'user.email': 'stranger@acme.example', host: 'box', os_user: 'dev' }),
    ).toEqual({ personId: 'bob@acme.example', key: 'os_user', kind: 'os_user', value: 'dev' });
  });

  it('tries every kind a key may be', () => {
    expect(personForRawIdentity(dir, { 'user.email': 'alice.personal@gmail.example' })).toMatchObject({
      personId: 'alice@acme.example',
      kind: 'gemini',
    });
    expect(personForRawIdentity(dir, { 'user.account_id': 'user-BobCodex' })).toMatchObject({
      personId: 'bob@acme.example',
      kind: 'codex',
    });
    expect(personForRawIdentity(dir, { email: 'user_bobcursor' })).toMatchObject({ kind: 'cursor' });
    expect(personForRawIdentity(dir, { user_login: 'alice-ng' })).toMatchObject({
      personId: 'alice@acme.example',
      key: 'user_login',
    });
    expect(personForRawIdentity(dir, { github: 'bob_acme' })?.personId).toBe('bob@acme.example');
    expect(personForRawIdentity(dir, { api_key_id: 'apikey_01Bob' })?.personId).toBe('bob@acme.example');
    expect(personForRawIdentity(dir, { 'user.id': 'install-a' })?.personId).toBe('alice@acme.example');
  });

  it('reads GitHub noreply commit e-mails', () => {
    expect(personForRawIdentity(dir, { git_email: '1234+Alice-NG@users.noreply.github.com' })).toEqual({
      personId: 'alice@acme.example',
      key: 'git_email',
      kind: 'git_email',
      value: '1234+Alice-NG@users.noreply.github.com',
    });
  });

  it('returns undefined when nothing matches, and ignores machine keys and blanks', () => {
    expect(personForRawIdentity(dir, {})).toBeUndefined();
    expect(personForRawIdentity(dir, { host: 'dev', 'user.email': '  ' })).toBeUndefined();
    // A key the table does not know is never consulted, even when its value would match.
    expect(personForRawIdentity(dir, { login: 'alice-ng' })).toBeUndefined();
  });
});
