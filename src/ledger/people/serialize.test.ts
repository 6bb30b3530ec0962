import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPeopleFile, parsePeopleFile } from './load.js';
import { toPeopleFile } from './serialize.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'people');

describe('toPeopleFile', () => {
  it('writes a directory that loads back to the same people, teams and version', () => {
    const original = loadPeopleFile(join(FIXTURES, 'org.yaml'));
    const text = JSON.stringify(toPeopleFile(original.people, original.teams));
    const again = parsePeopleFile(text, 'people.json');
    expect(again.people).toEqual(original.people);
    expect(again.teams).toEqual(original.teams);
    expect(again.version).toBe(original.version);
  });
});
