/**
 * The format-independent form of a people file: what each person and team says, and where in the
 * file it says it. The YAML/JSON and CSV readers produce a draft; `buildDirectory` checks it and
 * turns it into a directory, naming the place of every problem.
 * @module
 */
import {
  createPeopleDirectory,
  type DirectoryProblem,
  foldAlias,
  PeopleDirectoryError,
} from './directory.js';
import type { AliasKind, Membership, PeopleDirectory, Person, Team } from './types.js';

export interface PeopleFileProblem {
  /** Path (`people[2].github`) or CSV position (`line 7, column github`); empty for the whole file. */
  where: string;
  message: string;
}

/** Alias fields of a person, in YAML/JSON keys and CSV columns alike. */
export const ALIAS_FIELDS = {
  emails: 'email',
  git_emails: 'git_email',
  github: 'github',
  claude_account: 'claude_account',
  otel_user_id: 'otel_user_id',
  codex: 'codex',
  copilot: 'copilot',
  cursor: 'cursor',
  gemini: 'gemini',
  api_keys: 'api_key',
  os_users: 'os_user',
} as const satisfies Record<string, AliasKind>;

export type AliasField = keyof typeof ALIAS_FIELDS;

export const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

/** `opt-in`/`opt-out` as documented; yes/no and true/false because spreadsheets write those. */
export function parseBoard(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'opt-in' || v === 'yes' || v === 'true') return true;
  if (v === 'opt-out' || v === 'no' || v === 'false') return false;
  return value;
}

/** A login written as a mention (`@alice`) is still the login. */
export function cleanAlias(kind: AliasKind, value: string): string {
  return (kind === 'github' || kind === 'copilot') && value.startsWith('@') ? value.slice(1) : value;
}

export interface DraftAlias {
  kind: AliasKind;
  value: string;
  where: string;
}

export interface DraftMembership extends Membership {
  where: string;
}

export interface DraftPerson {
  where: string;
  id: string | null;
  email: string | null;
  emailWhere: string;
  name: string | null;
  aliases: DraftAlias[];
  memberships: DraftMembership[];
  /** CSV's way of naming managers: the teams this person manages. */
  manages: Array<{ team: string; where: string }>;
  costCentre: string | null;
  boardOptIn: boolean;
}

export interface DraftTeam {
  where: string;
  id: string;
  name: string | null;
  managers: Array<{ ref: string; where: string }>;
}

export interface Draft {
  /** True when the file lists its teams; then a membership naming another team is an error. */
  teamsListed: boolean;
  teams: DraftTeam[];
  people: DraftPerson[];
}

/** The directory a draft describes, or undefined after adding what is wrong to `problems`. */
export function buildDirectory(draft: Draft, problems: PeopleFileProblem[]): PeopleDirectory | undefined {
  const personWhere = new Map<string, string>();
  const aliasWhere = new Map<string, string>();
  const membershipWhere = new Map<string, string>();
  /** Person id by id and by e-mail, for manager references. */
  const byRef = new Map<string, string>();
  const people: Person[] = [];
  const pending: Array<{ personId: string; team: string; where: string }> = [];

  for (const d of draft.people) {
    const id = d.id ?? d.email?.toLowerCase();
    if (id === undefined) {
      problems.push({ where: d.where, message: 'a person needs an email or an id' });
      continue;
    }
    const previous = personWhere.get(id);
    if (previous !== undefined) {
      problems.push({ where: d.where, message: `person '${id}' is listed twice (also ${previous})` });
      continue;
    }
    personWhere.set(id, d.where);
    byRef.set(id, id);
    if (d.email !== null)
      aliasWhere.set(`${id}\u0000email\u0000${foldAlias('email', d.email)}`, d.emailWhere);
    for (const a of d.aliases) {
      const key = `${id}\u0000${a.kind}\u0000${foldAlias(a.kind, a.value)}`;
      if (!aliasWhere.has(key)) aliasWhere.set(key, a.where);
    }
    for (const m of d.memberships)
      membershipWhere.set(`${id}\u0000${m.team}\u0000${m.from}\u0000${m.until}`, m.where);
    for (const m of d.manages) pending.push({ personId: id, team: m.team, where: m.where });
    people.push({
      id,
      name: d.name ?? d.email ?? id,
      email: d.email,
      aliases: d.aliases.map((a) => ({ kind: a.kind, value: a.value })),
      memberships: d.memberships.map((m) => ({ team: m.team, from: m.from, until: m.until })),
      costCentre: d.costCentre,
      boardOptIn: d.boardOptIn,
    });
  }
  // Managers may be named by any e-mail a person is known by, so register those after every id:
  // an id always wins over somebody else's e-mail.
  for (const p of people) {
    for (const a of p.aliases) {
      if (a.kind === 'email' || a.kind === 'git_email') {
        const folded = foldAlias(a.kind, a.value);
        if (!byRef.has(folded)) byRef.set(folded, p.id);
      }
    }
    if (p.email !== null && !byRef.has(p.email.toLowerCase())) byRef.set(p.email.toLowerCase(), p.id);
  }

  const teams = new Map<string, Team>();
  const teamWhere = new Map<string, string>();
  for (const t of draft.teams) {
    const previous = teamWhere.get(t.id);
    if (previous !== undefined) {
      problems.push({ where: t.where, message: `team '${t.id}' is listed twice (also ${previous})` });
      continue;
    }
    teamWhere.set(t.id, t.where);
    const managers: string[] = [];
    for (const m of t.managers) {
      const personId = byRef.get(m.ref) ?? byRef.get(m.ref.toLowerCase());
      if (personId === undefined) {
        problems.push({
          where: m.where,
          message: `manager '${m.ref}' is not a person in this file (use an id or e-mail)`,
        });
      } else managers.push(personId);
    }
    teams.set(t.id, { id: t.id, name: t.name ?? t.id, managers });
  }
  const known = [...teams.keys()];
  const ensureTeam = (team: string, where: string) => {
    if (teams.has(team)) return teams.get(team)!;
    if (draft.teamsListed) {
      problems.push({
        where,
        message:
          `unknown team '${team}' (teams: ${known.join(', ') || 'none'}); add it under teams:, ` +
          'or remove the teams: list to create teams from memberships',
      });
    }
    // Created even after an error so that the checks below still run on the rest of the file.
    const created: Team = { id: team, name: team, managers: [] };
    teams.set(team, created);
    return created;
  };
  for (const d of draft.people) for (const m of d.memberships) ensureTeam(m.team, m.where);
  for (const m of pending) ensureTeam(m.team, m.where).managers.push(m.personId);

  const before = problems.length;
  try {
    const directory = createPeopleDirectory(people, [...teams.values()]);
    return problems.length > 0 ? undefined : directory;
  } catch (err) {
    if (!(err instanceof PeopleDirectoryError)) throw err;
    const locate = (p: DirectoryProblem): string | undefined => {
      if (p.alias !== undefined && p.personId !== undefined) {
        return (
          aliasWhere.get(`${p.personId}\u0000${p.alias.kind}\u0000${p.alias.value}`) ??
          personWhere.get(p.personId)
        );
      }
      if (p.membership !== undefined && p.personId !== undefined) {
        const m = p.membership;
        return membershipWhere.get(`${p.personId}\u0000${m.team}\u0000${m.from}\u0000${m.until}`);
      }
      return undefined;
    };
    for (const p of err.problems) {
      const where = locate(p);
      // Id, team and manager problems were already reported above with a better location.
      if (where === undefined && before > 0) continue;
      const other = p.conflictsWith === undefined ? '' : ` (${personWhere.get(p.conflictsWith) ?? '?'})`;
      problems.push({
        where: where ?? (p.personId !== undefined ? (personWhere.get(p.personId) ?? '') : ''),
        message: p.message + other,
      });
    }
    return undefined;
  }
}
