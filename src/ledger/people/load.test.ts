import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectPeopleFormat, loadPeopleFile, PeopleFileError, parsePeopleFile } from './load.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/people/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const at = (iso: string) => Date.parse(iso);

/** The message of the PeopleFileError `fn` throws (fails the test if it throws nothing or something else). */
function failure(fn: () => unknown): PeopleFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PeopleFileError);
    return err as PeopleFileError;
  }
  throw new Error('expected a PeopleFileError');
}

const problems = (fn: () => unknown) => failure(fn).problems.map((p) => `${p.where}: ${p.message}`);

describe('the same org in YAML, JSON and CSV', () => {
  const yaml = loadPeopleFile(fixture('org.yaml'));
  const json = loadPeopleFile(fixture('org.json'));
  const csv = loadPeopleFile(fixture('org.csv'));

  it('loads to the same directory', () => {
    expect(json.people).toEqual(yaml.people);
    expect(csv.people).toEqual(yaml.people);
    expect(json.teams).toEqual(yaml.teams);
    expect(csv.teams).toEqual(yaml.teams);
    expect(json.version).toBe(yaml.version);
    expect(csv.version).toBe(yaml.version);
  });

  it('reads every field', () => {
    expect(yaml.people.map((p) => p.id)).toEqual([
      'alice@acme.example',
      'bob@acme.example',
      'carol@acme.example',
      'contractor-dan',
      'erin@acme.example',
    ]);
    expect(yaml.person('alice@acme.example')).toEqual({
      id: 'alice@acme.example',
      name: 'Alice Ng',
      email: 'alice@acme.example',
      aliases: [
        { kind: 'email', value: 'alice@acme.example' },
        { kind: 'git_email', value: 'alice.ng@personal.example' },
        { kind: 'git_email', value: 'alice@users.noreply.github.com' },
        { kind: 'claude_account', value: '8f3c2a7e-1b4d-4c9a-9e2f-5d6b7a8c9d01' },
        { kind: 'github', value: 'alice-ng' },
        { kind: 'otel_user_id', value: '3f9a1c0b7e5d4a2f8c6b1e0d9a7f5c3b2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b' },
        { kind: 'api_key', value: 'apikey_01AbCdEfGhIjKlMn' },
      ],
      memberships: [
        { team: 'platform', from: '2025-06-01', until: '2025-12-31' },
        { team: 'payments', from: '2026-01-01', until: null },
      ],
      costCentre: 'CC-104',
      boardOptIn: true,
    });
    const dan = yaml.person('contractor-dan')!;
    expect(dan.email).toBeNull();
    expect(dan.costCentre).toBe('CC-900');
    expect(dan.aliases).toContainEqual({ kind: 'os_user', value: 'dkowalski' });
    const erin = yaml.person('erin@acme.example')!;
    expect(erin).toMatchObject({ name: 'Erin Walsh', memberships: [], costCentre: null, boardOptIn: false });
    expect(yaml.person('carol@acme.example')?.boardOptIn).toBe(false);
    expect(yaml.teams).toEqual([
      { id: 'data', name: 'Data', managers: [] },
      { id: 'payments', name: 'Payments', managers: ['alice@acme.example'] },
      { id: 'platform', name: 'Platform', managers: ['carol@acme.example'] },
    ]);
  });

  it('resolves and dates like the directory', () => {
    for (const dir of [yaml, json, csv]) {
      expect(dir.resolve('BOB@acme.example', 'email')?.id).toBe('bob@acme.example');
      expect(dir.resolve('42+BobO@users.noreply.github.com', 'git_email')?.id).toBe('bob@acme.example');
      expect(dir.resolve('carol.diaz@gmail.example', 'gemini')?.id).toBe('carol@acme.example');
      expect(dir.resolve('dan', 'os_user')?.id).toBe('contractor-dan');
      expect(dir.teamAt('alice@acme.example', at('2025-12-31T23:59:59Z'))).toBe('platform');
      expect(dir.teamAt('alice@acme.example', at('2026-01-01T00:00:00Z'))).toBe('payments');
      expect(
        dir.membersOf('platform', at('2025-12-01T00:00:00Z'), at('2026-01-31T00:00:00Z')).map((p) => p.id),
      ).toEqual(['alice@acme.example', 'bob@acme.example', 'carol@acme.example']);
    }
  });

  it('sniffs the format when the name has no telling extension', () => {
    for (const [name, format] of [
      ['org.yaml', 'yaml'],
      ['org.json', 'json'],
      ['org.csv', 'csv'],
    ] as const) {
      const content = readFileSync(fixture(name), 'utf8');
      expect(detectPeopleFormat('people', content)).toBe(format);
      expect(detectPeopleFormat('people.txt', content)).toBe(format);
      expect(parsePeopleFile(content, 'people').version).toBe(yaml.version);
    }
    expect(detectPeopleFormat('x.YML', '')).toBe('yaml');
    expect(detectPeopleFormat('x.csv', '{')).toBe('csv');
  });
});

describe('YAML and JSON', () => {
  it('accepts a bare list of people and creates teams from memberships when none are listed', () => {
    const dir = parsePeopleFile(
      '- email: a@x.example\n  team: core\n- id: b\n  teams: [core]\n  board: yes\n',
      'people.yaml',
    );
    expect(dir.teams).toEqual([{ id: 'core', name: 'core', managers: [] }]);
    expect(dir.people.map((p) => [p.id, p.name, p.boardOptIn])).toEqual([
      ['a@x.example', 'a@x.example', false],
      ['b', 'b', true],
    ]);
  });

  it('strips the @ of a login written as a mention, and accepts cost_center', () => {
    const dir = parsePeopleFile(
      JSON.stringify({ people: [{ email: 'a@x.example', github: '@Octo', cost_center: 'CC-1' }] }),
      'p.json',
    );
    expect(dir.resolve('octo', 'github')?.id).toBe('a@x.example');
    expect(dir.person('a@x.example')?.costCentre).toBe('CC-1');
  });

  it('rejects a team the teams list does not have', () => {
    const text = [
      'teams:',
      '  - id: payments',
      'people:',
      '  - email: a@x.example',
      '    teams:',
      '      - { team: paymnts, from: 2026-01-01 }',
    ].join('\n');
    expect(problems(() => parsePeopleFile(text, 'org.yaml'))).toEqual([
      "people[0].teams[0]: unknown team 'paymnts' (teams: payments); add it under teams:, or remove the teams: list to create teams from memberships",
    ]);
  });

  it('names the file and each path that is wrong, all at once', () => {
    const text = [
      'people:',
      '  - email: not-an-email',
      '    githib: x',
      '  - name: No Identity',
      '  - email: c@x.example',
      '    github: 12345',
      '    teams:',
      '      - { team: t, from: 2026-02-30 }',
      '      - { team: t, from: 2026/01/01 }',
      '    board: maybe',
    ].join('\n');
    const err = failure(() => parsePeopleFile(text, 'org.yaml'));
    expect(err.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      'people[0].email: is not an e-mail address',
      'people[0].githib: unknown field',
      'people[2].github[0]: must be text, not number 12345; put it in quotes',
      'people[2].teams[0].from: must be a date YYYY-MM-DD',
      'people[2].teams[1].from: must be a date YYYY-MM-DD',
      'people[2].board: must be opt-in or opt-out',
    ]);
    expect(err.message).toMatch(/^Invalid people file org\.yaml:\n {2}people\[0\]\.email: /);
    // What the user sees is the list, not a stack trace.
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('asks for an email or an id', () => {
    expect(problems(() => parsePeopleFile('people:\n  - name: Nobody\n', 'org.yaml'))).toEqual([
      'people[0]: a person needs an email or an id',
    ]);
  });

  it('rejects an alias claimed by two people, naming both', () => {
    const text = [
      'people:',
      '  - email: alice@x.example',
      '    github: alice',
      '  - email: bob@x.example',
      '    github: ALICE',
      '    git_emails: [Alice@X.example]',
    ].join('\n');
    expect(problems(() => parsePeopleFile(text, 'org.yaml'))).toEqual([
      "people[1].git_emails: git_email 'alice@x.example' is also claimed by alice@x.example (people[0])",
      "people[1].github: github 'alice' is also claimed by alice@x.example (people[0])",
    ]);
  });

  it('rejects overlapping memberships and ranges that end before they start', () => {
    const text = [
      'teams: [a, b]',
      'people:',
      '  - email: p@x.example',
      '    teams:',
      '      - { team: a, from: 2025-01-01, until: 2025-06-30 }',
      '      - { team: b, from: 2025-06-30 }',
      '  - email: q@x.example',
      '    teams:',
      '      - { team: a, from: 2025-06-30, until: 2025-06-01 }',
    ].join('\n');
    expect(problems(() => parsePeopleFile(text, 'org.yaml'))).toEqual([
      'people[0].teams[1]: membership b 2025-06-30..… overlaps a 2025-01-01..2025-06-30; a person is in one team at a time',
      'people[1].teams[0]: membership a 2025-06-30..2025-06-01 ends before it starts',
    ]);
  });

  it('rejects the same person twice, a team listed twice, and a manager nobody is', () => {
    const text = [
      'teams:',
      '  - { id: a, managers: [ghost@x.example, P@X.example] }',
      '  - { id: a }',
      'people:',
      '  - email: p@x.example',
      '  - email: P@x.example',
    ].join('\n');
    expect(problems(() => parsePeopleFile(text, 'org.yaml'))).toEqual([
      "people[1]: person 'p@x.example' is listed twice (also people[0])",
      "teams[0].managers: manager 'ghost@x.example' is not a person in this file (use an id or e-mail)",
      "teams[1]: team 'a' is listed twice (also teams[0])",
    ]);
  });

  it('reports unreadable, malformed and empty files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-people-'));
    expect(failure(() => loadPeopleFile(join(dir, 'missing.yaml'))).message).toMatch(
      /^Invalid people file .*missing\.yaml:\n {2}cannot read: ENOENT/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "people": [');
    expect(problems(() => loadPeopleFile(bad))[0]).toMatch(/^: not valid JSON: /);
    expect(problems(() => parsePeopleFile('people: [a: b: c]\n  - x', 'bad.yaml'))[0]).toMatch(
      /^: not valid YAML: /,
    );
    expect(problems(() => parsePeopleFile('', 'empty.yaml'))).toEqual([
      ': the file is empty; expected people: [ … ]',
    ]);
    expect(problems(() => parsePeopleFile('{"teams": []}', 'p.json'))).toEqual(['people: is required']);
  });
});

describe('CSV', () => {
  const header = 'email,name,team,team_from,team_until,github,git_emails,os_users,board';

  it('merges the rows of one person and counts a repeated membership once', () => {
    const csv = [
      header,
      'a@x.example,Ann,core,2025-01-01,2025-12-31,ann,ann@home.example,,',
      'A@X.example,,infra,2026-01-01,,,ann@laptop.example ann@old.example,ann,opt-in',
      'a@x.example,,core,2025-01-01,2025-12-31,,,,',
      '',
      'b@x.example,Ben,,,,,,,',
    ].join('\n');
    const dir = parsePeopleFile(csv, 'people.csv');
    const ann = dir.person('a@x.example')!;
    expect(ann.name).toBe('Ann');
    expect(ann.boardOptIn).toBe(true);
    expect(ann.memberships).toEqual([
      { team: 'core', from: '2025-01-01', until: '2025-12-31' },
      { team: 'infra', from: '2026-01-01', until: null },
    ]);
    expect(ann.aliases.filter((a) => a.kind === 'git_email').map((a) => a.value)).toEqual([
      'ann@home.example',
      'ann@laptop.example',
      'ann@old.example',
    ]);
    expect(dir.resolve('ann', 'os_user')?.id).toBe('a@x.example');
    expect(dir.teams.map((t) => t.id)).toEqual(['core', 'infra']);
    expect(dir.person('b@x.example')?.memberships).toEqual([]);
  });

  it('accepts columns in any order and case, quoted cells, and a byte-order mark', () => {
    const csv = '\uFEFFName,"EMAIL",Team\n"Ng, Alice",alice@x.example,core\n';
    const dir = parsePeopleFile(csv, 'people.csv');
    expect(dir.person('alice@x.example')).toMatchObject({
      name: 'Ng, Alice',
      memberships: [{ team: 'core' }],
    });
  });

  it('names the line and column of each problem', () => {
    const csv = [
      header,
      'a@x.example,Ann,core,2025-13-01,,ann,,,',
      'a@x.example,Anne,,2025-01-01,,,not-mail,,sometimes',
      ',Nobody,core,,,,,,',
      'b@x.example,Bo,core,,,ANN,,,',
    ].join('\n');
    expect(problems(() => parsePeopleFile(csv, 'people.csv'))).toEqual([
      "line 2, column team_from: '2025-13-01' is not a date (YYYY-MM-DD)",
      "line 3, column name: 'Anne' differs from 'Ann' on line 2",
      "line 3, column board: 'sometimes' must be opt-in or opt-out",
      "line 3, column git_emails: 'not-mail' is not an e-mail address",
      'line 3, column team_from: team_from is set but team is empty',
      'line 4: a row needs an email or an id',
      "line 5, column github: github 'ann' is also claimed by a@x.example (lines 2, 3)",
    ]);
  });

  it('rejects overlapping memberships on different rows', () => {
    const csv = [header, 'a@x.example,Ann,core,2025-01-01,,,,,', 'a@x.example,,infra,2025-06-01,,,,,'].join(
      '\n',
    );
    expect(problems(() => parsePeopleFile(csv, 'people.csv'))).toEqual([
      'line 3: membership infra 2025-06-01..… overlaps core 2025-01-01..…; a person is in one team at a time',
    ]);
  });

  it('rejects unknown and repeated columns, and a header without email or id', () => {
    expect(problems(() => parsePeopleFile('email,githib,email\n', 'p.csv'))).toEqual([
      "line 1, column 2: unknown column 'githib'",
      "line 1, column 3: column 'email' appears twice",
    ]);
    expect(problems(() => parsePeopleFile('name,team\nAnn,core\n', 'p.csv'))).toEqual([
      'line 1: the header needs an email or an id column',
    ]);
    expect(problems(() => parsePeopleFile('email,name\na@x.example,Ann,extra\n', 'p.csv'))[0]).toMatch(
      /^line 2: not valid CSV: /,
    );
  });

  it('takes team names and managers from team_name and manages, and rejects two names for a team', () => {
    const ok = parsePeopleFile(
      'id,email,team,team_name,manages\nann,,core,Core Team,core infra\n,b@x.example,core,,\n',
      'p.csv',
    );
    expect(ok.teams).toEqual([
      { id: 'core', name: 'Core Team', managers: ['ann'] },
      { id: 'infra', name: 'infra', managers: ['ann'] },
    ]);
    expect(
      problems(() =>
        parsePeopleFile('email,team,team_name\na@x.example,core,Core\nb@x.example,core,Kernel\n', 'p.csv'),
      ),
    ).toEqual(["line 3, column team_name: team 'core' is named 'Kernel' here but 'Core' on line 2"]);
  });
});
