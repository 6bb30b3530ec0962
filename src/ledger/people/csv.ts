/**
 * The CSV form of a people file: one row per person, or one row per membership, rows of the same
 * person (same id, else same e-mail) merged. Positions are reported as `line N, column c`.
 * @module
 */
import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { dayNumber } from './directory.js';
import {
  ALIAS_FIELDS,
  type AliasField,
  cleanAlias,
  type Draft,
  type DraftPerson,
  type DraftTeam,
  EMAIL_RE,
  type PeopleFileProblem,
  parseBoard,
} from './draft.js';

const CSV_SINGLE = ['id', 'email', 'name', 'cost_centre', 'cost_center', 'board'] as const;
const CSV_TEAM = ['team', 'team_from', 'team_until', 'team_name', 'manages'] as const;
export const CSV_COLUMNS = new Set<string>([...CSV_SINGLE, ...CSV_TEAM, ...Object.keys(ALIAS_FIELDS)]);

type CsvSingle = (typeof CSV_SINGLE)[number];

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

interface CsvPerson {
  draft: DraftPerson;
  lines: number[];
  /** Line on which each single-valued field was first set, to name both lines in a conflict. */
  setOn: Map<string, { value: string; line: number }>;
  memberships: Set<string>;
}

function splitCell(cell: string): string[] {
  return cell.split(/[;\s]+/).filter((v) => v !== '');
}

export function draftFromCsv(input: string, problems: PeopleFileProblem[]): Draft | undefined {
  let records: CsvRecord[];
  try {
    records = parseCsv(input, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
    problems.push({ where: line ? `line ${line}` : '', message: `not valid CSV: ${(err as Error).message}` });
    return undefined;
  }
  const header = records[0];
  if (header === undefined) {
    problems.push({ where: '', message: 'the file is empty; expected a header row such as email,name,team' });
    return undefined;
  }
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const headerProblems = problems.length;
  columns.forEach((c, i) => {
    if (!CSV_COLUMNS.has(c)) {
      problems.push({ where: `line 1, column ${i + 1}`, message: `unknown column '${c}'` });
    } else if (columns.indexOf(c) !== i) {
      problems.push({ where: `line 1, column ${i + 1}`, message: `column '${c}' appears twice` });
    }
  });
  if (!columns.includes('email') && !columns.includes('id')) {
    problems.push({ where: 'line 1', message: 'the header needs an email or an id column' });
  }
  if (problems.length > headerProblems) return undefined;

  const people = new Map<string, CsvPerson>();
  const teamNames = new Map<string, { name: string; line: number }>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const cell = (c: string): string => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : (record[i] ?? '').trim();
    };
    const at = (c: string) => `line ${line}, column ${c}`;
    const id = cell('id');
    const rowEmail = cell('email');
    if (rowEmail !== '' && !EMAIL_RE.test(rowEmail)) {
      problems.push({ where: at('email'), message: `'${rowEmail}' is not an e-mail address` });
    }
    const key = id || rowEmail.toLowerCase();
    if (key === '') {
      problems.push({ where: `line ${line}`, message: 'a row needs an email or an id' });
      continue;
    }
    let person = people.get(key);
    if (person === undefined) {
      person = {
        draft: {
          where: '',
          id: null,
          email: null,
          emailWhere: '',
          name: null,
          aliases: [],
          memberships: [],
          manages: [],
          costCentre: null,
          boardOptIn: false,
        },
        lines: [],
        setOn: new Map(),
        memberships: new Set(),
      };
      people.set(key, person);
    }
    person.lines.push(line);
    const p = person;
    const setOnce = (column: CsvSingle, value: string, apply: () => void) => {
      if (value === '') return;
      const known = p.setOn.get(column);
      const same =
        column === 'email' ? known?.value.toLowerCase() === value.toLowerCase() : known?.value === value;
      if (known === undefined) {
        p.setOn.set(column, { value, line });
        apply();
      } else if (!same) {
        problems.push({
          where: at(column),
          message: `'${value}' differs from '${known.value}' on line ${known.line}`,
        });
      }
    };
    setOnce('id', id, () => {
      p.draft.id = id;
    });
    setOnce('email', rowEmail, () => {
      p.draft.email = rowEmail;
      p.draft.emailWhere = at('email');
    });
    setOnce('name', cell('name'), () => {
      p.draft.name = cell('name');
    });
    for (const column of ['cost_centre', 'cost_center'] as const) {
      setOnce(column, cell(column), () => {
        if (p.draft.costCentre !== null) {
          problems.push({ where: at(column), message: 'give cost_centre or cost_center, not both' });
        }
        p.draft.costCentre = cell(column);
      });
    }
    const boardCell = cell('board');
    const boardValue = parseBoard(boardCell);
    if (boardCell !== '' && typeof boardValue !== 'boolean') {
      problems.push({ where: at('board'), message: `'${boardCell}' must be opt-in or opt-out` });
    } else {
      setOnce('board', boardCell, () => {
        p.draft.boardOptIn = boardValue === true;
      });
    }

    for (const field of Object.keys(ALIAS_FIELDS) as AliasField[]) {
      const kind = ALIAS_FIELDS[field];
      for (const v of splitCell(cell(field))) {
        if ((kind === 'email' || kind === 'git_email') && !EMAIL_RE.test(v)) {
          problems.push({ where: at(field), message: `'${v}' is not an e-mail address` });
        }
        p.draft.aliases.push({ kind, value: cleanAlias(kind, v), where: at(field) });
      }
    }

    const team = cell('team');
    const from = cell('team_from');
    const until = cell('team_until');
    const teamName = cell('team_name');
    if (team === '') {
      for (const c of ['team_from', 'team_until', 'team_name'] as const) {
        if (cell(c) !== '') problems.push({ where: at(c), message: `${c} is set but team is empty` });
      }
    } else {
      let datesOk = true;
      for (const [c, v] of [
        ['team_from', from],
        ['team_until', until],
      ] as const) {
        if (v !== '' && dayNumber(v) === undefined) {
          problems.push({ where: at(c), message: `'${v}' is not a date (YYYY-MM-DD)` });
          datesOk = false;
        }
      }
      const mKey = `${team}\u0000${from}\u0000${until}`;
      // Rows repeated to add aliases often copy the team columns too; the same stint counts once.
      if (datesOk && !p.memberships.has(mKey)) {
        p.memberships.add(mKey);
        p.draft.memberships.push({ team, from: from || null, until: until || null, where: `line ${line}` });
      }
      if (teamName !== '') {
        const known = teamNames.get(team);
        if (known === undefined) teamNames.set(team, { name: teamName, line });
        else if (known.name !== teamName) {
          problems.push({
            where: at('team_name'),
            message: `team '${team}' is named '${teamName}' here but '${known.name}' on line ${known.line}`,
          });
        }
      }
    }
    for (const t of splitCell(cell('manages'))) p.draft.manages.push({ team: t, where: at('manages') });
  }

  const drafts = [...people.values()].map((p) => {
    p.draft.where = p.lines.length === 1 ? `line ${p.lines[0]}` : `lines ${p.lines.join(', ')}`;
    if (p.draft.emailWhere === '') p.draft.emailWhere = p.draft.where;
    return p.draft;
  });
  const teams = [...teamNames].map(
    ([id, t]): DraftTeam => ({ where: `line ${t.line}, column team_name`, id, name: t.name, managers: [] }),
  );
  return { teamsListed: false, teams, people: drafts };
}
