/**
 * Reads a people file — YAML, JSON or CSV, chosen by extension or sniffed from the content — into
 * a `PeopleDirectory`. The format is described in `docs/people.md`.
 *
 * Every problem in the file is collected and reported at once, each with the file and the place
 * (`people[2].teams[0].from` for YAML/JSON, `line 7, column team_from` for CSV), because a people
 * file is edited by hand and fixing one error per run is tedious.
 * @module
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CSV_COLUMNS, draftFromCsv } from './csv.js';
import { dayNumber } from './directory.js';
import {
  ALIAS_FIELDS,
  type AliasField,
  buildDirectory,
  cleanAlias,
  type Draft,
  type DraftAlias,
  type DraftMembership,
  type DraftPerson,
  type DraftTeam,
  EMAIL_RE,
  type PeopleFileProblem,
  parseBoard,
} from './draft.js';
import { PeopleFileError } from './errors.js';
import type { PeopleDirectory } from './types.js';

export type { PeopleFileProblem } from './draft.js';
export { PeopleFileError };

export type PeopleFormat = 'yaml' | 'json' | 'csv';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}; put it in quotes`;
}

// ---------------------------------------------------------------------------------------------
// The validated shape of a YAML/JSON document.

const text = z
  .string({
    error: (iss) => (iss.input === undefined ? 'is required' : `must be text, not ${describe(iss.input)}`),
  })
  .trim()
  .min(1, 'must not be empty');
const email = text.refine((v) => EMAIL_RE.test(v), 'is not an e-mail address');
// A single scalar stands for a one-element list; wrapping numbers too lets the element's own
// message say what is wrong with it (an unquoted numeric login).
const toList = (v: unknown) => (['string', 'number', 'boolean'].includes(typeof v) ? [v] : v);
const textList = z.preprocess(toList, z.array(text, { error: 'must be text or a list of text' }));
const emailList = z.preprocess(toList, z.array(email, { error: 'must be an e-mail or a list of e-mails' }));
const date = text.refine((v) => dayNumber(v) !== undefined, 'must be a date YYYY-MM-DD');
const board = z.preprocess(parseBoard, z.boolean({ error: 'must be opt-in or opt-out' }));

const membershipSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { team: v } : v),
  z.strictObject(
    { team: text, from: date.nullish(), until: date.nullish() },
    { error: 'must be a team id or { team, from, until }' },
  ),
);

const personSchema = z.strictObject(
  {
    id: text.optional(),
    email: email.optional(),
    name: text.optional(),
    emails: emailList.optional(),
    git_emails: emailList.optional(),
    github: textList.optional(),
    claude_account: textList.optional(),
    otel_user_id: textList.optional(),
    codex: textList.optional(),
    copilot: textList.optional(),
    cursor: textList.optional(),
    gemini: textList.optional(),
    api_keys: textList.optional(),
    os_users: textList.optional(),
    team: text.optional(),
    teams: z.array(membershipSchema, { error: 'must be a list of memberships' }).optional(),
    cost_centre: text.nullish(),
    cost_center: text.nullish(),
    board: board.optional(),
  },
  { error: 'must be a mapping with at least an email or an id' },
);

const teamSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { id: v } : v),
  z.strictObject(
    { id: text, name: text.optional(), managers: textList.optional() },
    { error: 'must be a team id or { id, name, managers }' },
  ),
);

const documentSchema = z.strictObject(
  {
    teams: z.array(teamSchema, { error: 'must be a list of teams' }).optional(),
    people: z.array(personSchema, {
      error: (iss) => (iss.input === undefined ? 'is required' : 'must be a list of people'),
    }),
  },
  { error: 'must be a mapping with people: (and optionally teams:), or a list of people' },
);

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

function draftFromDocument(value: unknown, problems: PeopleFileProblem[]): Draft | undefined {
  if (value === null || value === undefined) {
    problems.push({ where: '', message: 'the file is empty; expected people: [ … ]' });
    return undefined;
  }
  const parsed = documentSchema.safeParse(Array.isArray(value) ? { people: value } : value);
  if (!parsed.success) {
    const prefix = Array.isArray(value) ? ['people'] : [];
    for (const issue of parsed.error.issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.push({ where: issuePath([...path, key]), message: 'unknown field' });
      } else {
        problems.push({ where: issuePath(path), message: issue.message });
      }
    }
    return undefined;
  }
  const doc = parsed.data;
  const people = doc.people.map((p, i): DraftPerson => {
    const where = `people[${i}]`;
    const aliases: DraftAlias[] = [];
    for (const field of Object.keys(ALIAS_FIELDS) as AliasField[]) {
      const kind = ALIAS_FIELDS[field];
      for (const v of p[field] ?? [])
        aliases.push({ kind, value: cleanAlias(kind, v), where: `${where}.${field}` });
    }
    const memberships: DraftMembership[] = [];
    if (p.team !== undefined)
      memberships.push({ team: p.team, from: null, until: null, where: `${where}.team` });
    for (const [j, m] of (p.teams ?? []).entries()) {
      memberships.push({
        team: m.team,
        from: m.from ?? null,
        until: m.until ?? null,
        where: `${where}.teams[${j}]`,
      });
    }
    if (p.cost_centre != null && p.cost_center != null) {
      problems.push({ where: `${where}.cost_center`, message: 'give cost_centre or cost_center, not both' });
    }
    return {
      where,
      id: p.id ?? null,
      email: p.email ?? null,
      emailWhere: `${where}.email`,
      name: p.name ?? null,
      aliases,
      memberships,
      manages: [],
      costCentre: p.cost_centre ?? p.cost_center ?? null,
      boardOptIn: p.board ?? false,
    };
  });
  const teams = (doc.teams ?? []).map(
    (t, i): DraftTeam => ({
      where: `teams[${i}]`,
      id: t.id,
      name: t.name ?? null,
      managers: (t.managers ?? []).map((ref) => ({ ref, where: `teams[${i}].managers` })),
    }),
  );
  return { teamsListed: doc.teams !== undefined, teams, people };
}

// ---------------------------------------------------------------------------------------------
// Entry points.

/** The format by extension (`.yaml`/`.yml`, `.json`, `.csv`), else sniffed from the first bytes. */
export function detectPeopleFormat(file: string, content: string): PeopleFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  const body = content.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || body.startsWith('[')) return 'json';
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? '').toLowerCase();
  const cells = firstLine.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cells.length > 1 && cells.every((c) => CSV_COLUMNS.has(c))) return 'csv';
  return 'yaml';
}

/**
 * Parses the text of a people file. `file` is only used in messages (and to pick the format when
 * `format` is not given). Throws `PeopleFileError` naming every problem.
 */
export function parsePeopleFile(content: string, file: string, format?: PeopleFormat): PeopleDirectory {
  const problems: PeopleFileProblem[] = [];
  const fmt = format ?? detectPeopleFormat(file, content);
  let draft: Draft | undefined;
  if (fmt === 'csv') {
    draft = draftFromCsv(content, problems);
  } else {
    const body = content.replace(/^\uFEFF/, '');
    let value: unknown;
    try {
      value = fmt === 'json' ? JSON.parse(body) : parseYaml(body);
    } catch (err) {
      throw new PeopleFileError(file, [
        { where: '', message: `not valid ${fmt === 'json' ? 'JSON' : 'YAML'}: ${(err as Error).message}` },
      ]);
    }
    draft = draftFromDocument(value, problems);
  }
  const directory = draft === undefined ? undefined : buildDirectory(draft, problems);
  if (directory === undefined || problems.length > 0) throw new PeopleFileError(file, problems);
  return directory;
}

/** Reads and parses a people file (see `parsePeopleFile`). */
export function loadPeopleFile(path: string, format?: PeopleFormat): PeopleDirectory {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PeopleFileError(path, [{ where: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parsePeopleFile(content, path, format);
}
