import { describe, expect, it } from 'vitest';
import {
  createPeopleDirectory,
  dayNumber,
  githubLoginFromNoreply,
  PeopleDirectoryError,
} from './directory.js';
import type { Alias, Membership, Person, Team } from './types.js';

function person(
  id: string,
  aliases: Alias[],
  memberships: Membership[] = [],
  email: string | null = id,
): Person {
  return { id, name: id, email, aliases, memberships, costCentre: null, boardOptIn: false };
}

const TEAMS: Team[] = [
  { id: 'payments', name: 'Payments', managers: ['alice@acme.example'] },
  { id: 'platform', name: 'Platform', managers: [] },
  { id: 'data', name: 'Data', managers: [] },
];

function org() {
  return createPeopleDirectory(
    [
      person(
        'alice@acme.example',
        [
          { kind: 'git_email', value: 'alice@users.noreply.github.com' },
          { kind: 'github', value: 'Alice-Ng' },
          { kind: 'claude_account', value: '8F3C2A7E-1B4D-4C9A-9E2F-5D6B7A8C9D01' },
          { kind: 'otel_user_id', value: 'abc123' },
          { kind: 'api_key', value: 'apikey_01AbCd' },
        ],
        [
          { team: 'payments', from: '2026-01-01', until: null },
          { team: 'platform', from: '2025-06-01', until: '2025-12-31' },
        ],
      ),
      person(
        'bob@acme.example',
        [
          { kind: 'copilot', value: 'bob-acme_emu' },
          { kind: 'os_user', value: 'shared' },
          { kind: 'codex', value: 'user-Codex1' },
          { kind: 'cursor', value: 'user_Cur1' },
          { kind: 'gemini', value: 'bob.personal@gmail.example' },
        ],
        [{ team: 'platform', from: null, until: null }],
      ),
      person(
        'contractor-dan',
        [
          { kind: 'github', value: 'shared' },
          { kind: 'git_email', value: 'Dan@Contractor.example' },
        ],
        [{ team: 'data', from: '2026-02-01', until: '2026-03-31' }],
        null,
      ),
    ],
    TEAMS,
  );
}

const at = (iso: string) => Date.parse(iso);

describe('resolve', () => {
  const dir = org();

  it('finds a person by every alias kind', () => {
    const cases: Array<[string, Alias['kind'], string]> = [
      ['alice@acme.example', 'email', 'alice@acme.example'],
      ['alice@users.noreply.github.com', 'git_email', 'alice@acme.example'],
      ['alice-ng', 'github', 'alice@acme.example'],
      ['8f3c2a7e-1b4d-4c9a-9e2f-5d6b7a8c9d01', 'claude_account', 'alice@acme.example'],
      ['abc123', 'otel_user_id', 'alice@acme.example'],
      ['apikey_01AbCd', 'api_key', 'alice@acme.example'],
      ['bob-acme_emu', 'copilot', 'bob@acme.example'],
      ['shared', 'os_user', 'bob@acme.example'],
      ['user-codex1', 'codex', 'bob@acme.example'],
      ['USER_CUR1', 'cursor', 'bob@acme.example'],
      ['bob.personal@gmail.example', 'gemini', 'bob@acme.example'],
      ['shared', 'github', 'contractor-dan'],
      ['dan@contractor.example', 'git_email', 'contractor-dan'],
    ];
    for (const [value, kind, id] of cases) {
      expect({ value, kind, id: dir.resolve(value, kind)?.id }).toEqual({ value, kind, id });
      expect({ value, id: dir.resolve(value)?.id }).toEqual({
        value,
        // Without a kind, 'shared' goes to the GitHub login, which outranks an OS user name.
        id: value === 'shared' ? 'contractor-dan' : id,
      });
    }
  });

  it('ignores case and surrounding space for e-mails and logins, not for API key ids', () => {
    expect(dir.resolve('  ALICE@Acme.Example ', 'email')?.id).toBe('alice@acme.example');
    expect(dir.resolve('ALICE-NG', 'github')?.id).toBe('alice@acme.example');
    expect(dir.resolve('apikey_01abcd', 'api_key')).toBeUndefined();
    expect(dir.resolve('apikey_01abcd')).toBeUndefined();
    expect(dir.resolve('apikey_01AbCd')?.id).toBe('alice@acme.example');
  });

  it('narrows to the kind asked for', () => {
    expect(dir.resolve('alice-ng', 'os_user')).toBeUndefined();
    expect(dir.resolve('abc123', 'claude_account')).toBeUndefined();
    expect(dir.resolve('bob.personal@gmail.example', 'email')).toBeUndefined();
  });

  it('treats an e-mail as one mailbox whether seen as a login or a commit author', () => {
    expect(dir.resolve('alice@acme.example', 'git_email')?.id).toBe('alice@acme.example');
    expect(dir.resolve('dan@contractor.example', 'email')?.id).toBe('contractor-dan');
  });

  it('treats Copilot and GitHub logins as one namespace', () => {
    expect(dir.resolve('bob-acme_emu', 'github')?.id).toBe('bob@acme.example');
    expect(dir.resolve('alice-ng', 'copilot')?.id).toBe('alice@acme.example');
  });

  it('maps GitHub noreply e-mails to the github alias', () => {
    expect(dir.resolve('12345+alice-ng@users.noreply.github.com', 'git_email')?.id).toBe(
      'alice@acme.example',
    );
    expect(dir.resolve('12345+Alice-NG@users.noreply.github.com', 'email')?.id).toBe('alice@acme.example');
    expect(dir.resolve('12345+alice-ng@users.noreply.github.com')?.id).toBe('alice@acme.example');
    expect(dir.resolve('shared@users.noreply.github.com', 'git_email')?.id).toBe('contractor-dan');
    expect(dir.resolve('987+bob-acme_emu@users.noreply.github.com', 'git_email')?.id).toBe(
      'bob@acme.example',
    );
    // Not an e-mail kind, and not the noreply shapes GitHub issues.
    expect(dir.resolve('12345+alice-ng@users.noreply.github.com', 'github')).toBeUndefined();
    expect(dir.resolve('x+alice-ng@users.noreply.github.com', 'git_email')).toBeUndefined();
    expect(dir.resolve('alice-ng@users.noreply.example.com', 'git_email')).toBeUndefined();
  });

  it('returns undefined for unknown and empty values', () => {
    expect(dir.resolve('mallory@acme.example')).toBeUndefined();
    expect(dir.resolve('mallory@acme.example', 'email')).toBeUndefined();
    expect(dir.resolve('')).toBeUndefined();
    expect(dir.resolve('   ', 'github')).toBeUndefined();
  });

  it('looks people up by id', () => {
    expect(dir.person('contractor-dan')?.name).toBe('contractor-dan');
    expect(dir.person('nobody')).toBeUndefined();
  });
});

describe('githubLoginFromNoreply', () => {
  it('reads both noreply shapes', () => {
    expect(githubLoginFromNoreply('1+octo@users.noreply.github.com')).toBe('octo');
    expect(githubLoginFromNoreply('octo@users.noreply.github.com')).toBe('octo');
    expect(githubLoginFromNoreply('@users.noreply.github.com')).toBeUndefined();
    expect(githubLoginFromNoreply('1+@users.noreply.github.com')).toBeUndefined();
    expect(githubLoginFromNoreply('octo@github.com')).toBeUndefined();
  });
});

describe('teamAt', () => {
  const dir = org();
  const alice = 'alice@acme.example';

  it('counts from and until as whole UTC days, inclusive', () => {
    expect(dir.teamAt(alice, at('2025-05-31T23:59:59.999Z'))).toBeUndefined();
    expect(dir.teamAt(alice, at('2025-06-01T00:00:00.000Z'))).toBe('platform');
    expect(dir.teamAt(alice, at('2025-12-31T23:59:59.999Z'))).toBe('platform');
    expect(dir.teamAt(alice, at('2026-01-01T00:00:00.000Z'))).toBe('payments');
    expect(dir.teamAt(alice, at('2031-07-01T12:00:00Z'))).toBe('payments');
  });

  it('uses the UTC date, not the local one', () => {
    // New Year in Tokyo is still 31 December in UTC.
    expect(dir.teamAt(alice, at('2026-01-01T05:00:00+09:00'))).toBe('platform');
    // 31 December in New York evening is already 1 January in UTC.
    expect(dir.teamAt(alice, at('2025-12-31T20:00:00-05:00'))).toBe('payments');
  });

  it('handles open memberships, closed ones, unknown people and bad times', () => {
    expect(dir.teamAt('bob@acme.example', at('1999-01-01T00:00:00Z'))).toBe('platform');
    expect(dir.teamAt('contractor-dan', at('2026-03-31T23:59:59Z'))).toBe('data');
    expect(dir.teamAt('contractor-dan', at('2026-04-01T00:00:00Z'))).toBeUndefined();
    expect(dir.teamAt('nobody', at('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(dir.teamAt(alice, Number.NaN)).toBeUndefined();
  });
});

describe('membersOf', () => {
  const dir = org();
  const ids = (team: string, from: string, until: string) =>
    dir.membersOf(team, at(from), at(until)).map((p) => p.id);

  it('follows people as they move between teams', () => {
    expect(ids('payments', '2025-12-01T00:00:00Z', '2025-12-31T23:59:59Z')).toEqual([]);
    expect(ids('payments', '2025-12-31T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual(['alice@acme.example']);
    expect(ids('platform', '2025-07-01T00:00:00Z', '2025-07-31T00:00:00Z')).toEqual([
      'alice@acme.example',
      'bob@acme.example',
    ]);
    expect(ids('platform', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual(['bob@acme.example']);
  });

  it('includes both boundary days', () => {
    expect(ids('data', '2026-03-31T23:59:59Z', '2026-05-01T00:00:00Z')).toEqual(['contractor-dan']);
    expect(ids('data', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual(['contractor-dan']);
    expect(ids('data', '2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([]);
    expect(ids('data', '2026-01-01T00:00:00Z', '2026-01-31T23:59:59Z')).toEqual([]);
  });

  it('lists someone with two stints in a team once, and nobody for unknown teams or reversed ranges', () => {
    const dir2 = createPeopleDirectory(
      [
        person(
          'x@acme.example',
          [],
          [
            { team: 'data', from: '2025-01-01', until: '2025-01-31' },
            { team: 'platform', from: '2025-02-01', until: '2025-02-28' },
            { team: 'data', from: '2025-03-01', until: null },
          ],
        ),
      ],
      TEAMS.map((t) => ({ ...t, managers: [] })),
    );
    expect(
      dir2.membersOf('data', at('2025-01-01T00:00:00Z'), at('2025-12-01T00:00:00Z')).map((p) => p.id),
    ).toEqual(['x@acme.example']);
    expect(dir2.membersOf('nope', 0, Date.now())).toEqual([]);
    expect(dir2.membersOf('data', at('2025-12-01T00:00:00Z'), at('2025-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('normalisation and version', () => {
  it('gives equal content in any order or case the same people, teams and version', () => {
    const a = createPeopleDirectory(
      [
        person('b@x.example', [{ kind: 'github', value: 'B' }]),
        person('a@x.example', [
          { kind: 'os_user', value: 'a' },
          { kind: 'github', value: 'A' },
          { kind: 'github', value: 'a' },
        ]),
      ],
      [{ id: 't', name: 'T', managers: ['b@x.example', 'a@x.example'] }],
    );
    const b = createPeopleDirectory(
      [
        {
          ...person('a@x.example', [
            { kind: 'github', value: 'a' },
            { kind: 'os_user', value: 'A' },
          ]),
          email: 'A@X.example',
        },
        person('b@x.example', [{ kind: 'github', value: 'b' }]),
      ],
      [{ id: 't', name: 'T', managers: ['a@x.example', 'b@x.example', 'a@x.example'] }],
    );
    expect(b.people).toEqual(a.people);
    expect(b.teams).toEqual(a.teams);
    expect(b.version).toBe(a.version);
    expect(a.version).toMatch(/^[0-9a-f]{64}$/);
    expect(a.people[0]?.aliases).toEqual([
      { kind: 'email', value: 'a@x.example' },
      { kind: 'github', value: 'a' },
      { kind: 'os_user', value: 'a' },
    ]);
  });

  it('changes the version when anything that matters changes', () => {
    const base = [person('a@x.example', [{ kind: 'github', value: 'a' }])];
    const v = createPeopleDirectory(base, []).version;
    expect(createPeopleDirectory([{ ...base[0]!, name: 'Ann' }], []).version).not.toBe(v);
    expect(createPeopleDirectory([{ ...base[0]!, boardOptIn: true }], []).version).not.toBe(v);
    expect(
      createPeopleDirectory([person('a@x.example', [{ kind: 'github', value: 'b' }])], []).version,
    ).not.toBe(v);
    expect(createPeopleDirectory(base, [{ id: 't', name: 't', managers: [] }]).version).not.toBe(v);
  });

  it('does not let callers mutate the directory', () => {
    const dir = org();
    expect(Object.isFrozen(dir.people)).toBe(true);
    expect(Object.isFrozen(dir.people[0]!.aliases)).toBe(true);
    expect(() => {
      (dir.people[0]!.aliases as Alias[]).push({ kind: 'github', value: 'evil' });
    }).toThrow(TypeError);
  });
});

describe('invariants', () => {
  function problems(people: Person[], teams: Team[] = TEAMS.map((t) => ({ ...t, managers: [] }))): string[] {
    try {
      createPeopleDirectory(people, teams);
    } catch (err) {
      expect(err).toBeInstanceOf(PeopleDirectoryError);
      return (err as PeopleDirectoryError).problems.map((p) => `${p.personId ?? p.teamId}: ${p.message}`);
    }
    return [];
  }

  it('rejects an alias claimed by two people, across kinds of one namespace', () => {
    expect(
      problems([
        person('a@x.example', [{ kind: 'git_email', value: 'shared@x.example' }]),
        person('b@x.example', [{ kind: 'email', value: 'Shared@X.example' }]),
        person('c@x.example', [{ kind: 'copilot', value: 'cc' }]),
        person('d@x.example', [{ kind: 'github', value: 'CC' }]),
      ]),
    ).toEqual([
      "b@x.example: email 'shared@x.example' is also claimed by a@x.example",
      "d@x.example: github 'cc' is also claimed by c@x.example",
    ]);
  });

  it('allows one person to repeat an alias, and different people the same value under unrelated kinds', () => {
    expect(
      problems([
        person('a@x.example', [
          { kind: 'git_email', value: 'a@x.example' },
          { kind: 'github', value: 'same' },
        ]),
        person('b@x.example', [{ kind: 'os_user', value: 'same' }]),
      ]),
    ).toEqual([]);
  });

  it('rejects overlapping memberships, reversed ranges, bad dates and unknown teams', () => {
    expect(
      problems([
        person(
          'a@x.example',
          [],
          [
            { team: 'data', from: '2025-01-01', until: '2025-06-30' },
            { team: 'platform', from: '2025-06-30', until: null },
          ],
        ),
        person(
          'b@x.example',
          [],
          [
            { team: 'data', from: null, until: null },
            { team: 'platform', from: '2020-01-01', until: '2020-01-02' },
          ],
        ),
        person('c@x.example', [], [{ team: 'data', from: '2025-02-01', until: '2025-01-31' }]),
        person('d@x.example', [], [{ team: 'data', from: '2025-02-30', until: null }]),
        person('e@x.example', [], [{ team: 'nope', from: null, until: null }]),
      ]),
    ).toEqual([
      'a@x.example: membership platform 2025-06-30..… overlaps data 2025-01-01..2025-06-30; a person is in one team at a time',
      'b@x.example: membership platform 2020-01-01..2020-01-02 overlaps data …..…; a person is in one team at a time',
      'c@x.example: membership data 2025-02-01..2025-01-31 ends before it starts',
      "d@x.example: membership data 2025-02-30..…: from '2025-02-30' is not a date (YYYY-MM-DD)",
      "e@x.example: team 'nope' is not defined",
    ]);
  });

  it('accepts back-to-back memberships (a move)', () => {
    expect(
      problems([
        person(
          'a@x.example',
          [],
          [
            { team: 'data', from: '2025-01-01', until: '2025-06-29' },
            { team: 'platform', from: '2025-06-30', until: null },
          ],
        ),
      ]),
    ).toEqual([]);
  });

  it('rejects duplicate ids and managers who are not people', () => {
    expect(
      problems(
        [person('a@x.example', []), { ...person('a@x.example', []), email: 'other@x.example' }],
        [
          { id: 't', name: 't', managers: ['ghost'] },
          { id: 't', name: 'again', managers: [] },
        ],
      ),
    ).toEqual([
      "a@x.example: person id 'a@x.example' is used twice",
      "t: manager 'ghost' is not a person",
      "t: team id 't' is used twice",
    ]);
  });
});

describe('dayNumber', () => {
  it('accepts calendar dates only', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('2024-02-29')).toBe(19782);
    expect(dayNumber('2025-02-29')).toBeUndefined();
    expect(dayNumber('2025-13-01')).toBeUndefined();
    expect(dayNumber('2025-1-01')).toBeUndefined();
    expect(dayNumber('2025-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('at scale', () => {
  it('resolves a million identities correctly', () => {
    // Enough distinct values that need folding to overflow and clear the slow-path memo.
    const n = 40_000;
    const people: Person[] = [];
    for (let i = 0; i < n; i++) {
      people.push(
        person(
          `p${i}@corp.example`,
          [
            { kind: 'github', value: `gh-${i}` },
            { kind: 'git_email', value: `p${i}@laptop.example` },
            { kind: 'api_key', value: `apikey_${i}X` },
          ],
          [{ team: `t${i % 50}`, from: null, until: null }],
        ),
      );
    }
    const teams = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, name: `T${i}`, managers: [] }));
    const dir = createPeopleDirectory(people, teams);

    let hits = 0;
    let wrong = 0;
    let misses = 0;
    for (let j = 0; j < 1_000_000; j++) {
      const i = (j * 7919) % (n + 2000); // some indexes past the end: nobody
      const shape = j % 5;
      const value =
        shape === 0
          ? `P${i}@CORP.example`
          : shape === 1
            ? `gh-${i}`
            : shape === 2
              ? `${i}+gh-${i}@users.noreply.github.com`
              : shape === 3
                ? `apikey_${i}X`
                : `p${i}@laptop.example`;
      const kind = shape === 1 ? 'github' : shape === 3 ? 'api_key' : shape === 4 ? undefined : 'email';
      const found = dir.resolve(value, kind);
      if (i >= n) {
        if (found === undefined) misses++;
        else wrong++;
      } else if (found?.id === `p${i}@corp.example`) hits++;
      else wrong++;
    }
    expect(wrong).toBe(0);
    expect(hits + misses).toBe(1_000_000);
    expect(misses).toBeGreaterThan(0);
    expect(dir.teamAt('p123@corp.example', Date.now())).toBe('t23');
  });
});
