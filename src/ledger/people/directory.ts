/**
 * The in-memory people directory: one `Map` per alias namespace, so resolving an identity is a
 * hash lookup whatever the size of the org (the ledger resolves every record at ingest).
 *
 * Everything passed in is normalised first — e-mails and logins lower-cased, aliases deduplicated
 * and sorted, people and teams sorted by id — so two files that say the same thing in a different
 * order or format build equal directories with equal versions.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Alias, AliasKind, Membership, PeopleDirectory, Person, PersonSpan, Team } from './types.js';

/**
 * Every alias kind, strongest evidence first. The order decides which person wins when a value
 * is resolved without a kind and two people own it under different kinds (e.g. one person's OS
 * user name is another's GitHub login): a vendor-authenticated identity beats a self-configured one.
 */
export const ALIAS_KINDS: readonly AliasKind[] = [
  'email',
  'git_email',
  'claude_account',
  'github',
  'copilot',
  'codex',
  'cursor',
  'gemini',
  'otel_user_id',
  'api_key',
  'os_user',
];

const KIND_RANK = new Map<AliasKind, number>(ALIAS_KINDS.map((k, i) => [k, i]));

/**
 * Kinds that name the same thing share a namespace: an e-mail is one mailbox whether it was seen
 * as a login or a commit author, and a Copilot seat is a GitHub account. Within a namespace a
 * value belongs to at most one person.
 */
const NAMESPACE: Record<AliasKind, string> = {
  email: 'email',
  git_email: 'email',
  github: 'github',
  copilot: 'github',
  claude_account: 'claude_account',
  otel_user_id: 'otel_user_id',
  codex: 'codex',
  cursor: 'cursor',
  gemini: 'gemini',
  api_key: 'api_key',
  os_user: 'os_user',
};

/** The namespace an alias kind's values live in (`git_email` shares `email`'s, `copilot` `github`'s). */
export function aliasNamespace(kind: AliasKind): string {
  return NAMESPACE[kind];
}

/**
 * The form an alias value is compared in. API key ids are opaque tokens whose case is part of
 * the id; every other kind is an e-mail, a login, or a UUID / hex id, where case means nothing.
 */
export function foldAlias(kind: AliasKind | undefined, value: string): string {
  const v = value.trim();
  return kind === 'api_key' ? v : v.toLowerCase();
}

const NOREPLY_SUFFIX = '@users.noreply.github.com';

/**
 * The GitHub login inside a noreply commit e-mail: `12345+login@users.noreply.github.com` (accounts
 * since 2017) or `login@users.noreply.github.com` (older ones). Expects a folded value.
 */
export function githubLoginFromNoreply(folded: string): string | undefined {
  if (!folded.endsWith(NOREPLY_SUFFIX)) return undefined;
  const local = folded.slice(0, -NOREPLY_SUFFIX.length);
  const plus = local.indexOf('+');
  if (plus < 0) return local || undefined;
  const id = local.slice(0, plus);
  const login = local.slice(plus + 1);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return id && login ? login : undefined;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a `YYYY-MM-DD` date, or undefined when it is not a calendar date. */
export function dayNumber(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches dates that do not exist.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / DAY_MS;
}

/** The UTC day (days since 1970-01-01) an epoch-ms instant falls on. */
export function utcDay(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/** Something wrong with the people or teams handed to `createPeopleDirectory`. */
export interface DirectoryProblem {
  message: string;
  personId?: string;
  teamId?: string;
  /** The alias in conflict, as written on `personId`. */
  alias?: Alias;
  /** The other person claiming the same alias. */
  conflictsWith?: string;
  /** The membership at fault, as written on `personId`. */
  membership?: Membership;
}

export class PeopleDirectoryError extends Error {
  readonly problems: readonly DirectoryProblem[];
  constructor(problems: DirectoryProblem[]) {
    const lines = problems.map((p) => `  ${p.personId ?? p.teamId ?? '(directory)'}: ${p.message}`);
    super(`Invalid people directory:\n${lines.join('\n')}`);
    this.name = 'PeopleDirectoryError';
    this.problems = problems;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function span(m: Membership): string {
  return `${m.team} ${m.from ?? '…'}..${m.until ?? '…'}`;
}

function normalisePerson(p: Person): Person {
  const email = p.email === null ? null : foldAlias('email', p.email);
  const seen = new Set<string>();
  const aliases: Alias[] = [];
  const all = email === null ? p.aliases : [{ kind: 'email' as const, value: email }, ...p.aliases];
  for (const a of all) {
    const value = foldAlias(a.kind, a.value);
    const key = `${a.kind}\u0000${value}`;
    if (value === '' || seen.has(key)) continue;
    seen.add(key);
    aliases.push({ kind: a.kind, value });
  }
  aliases.sort(
    (a, b) => (KIND_RANK.get(a.kind) ?? 0) - (KIND_RANK.get(b.kind) ?? 0) || compare(a.value, b.value),
  );
  const memberships = p.memberships
    .map((m) => ({ team: m.team, from: m.from, until: m.until }))
    .sort((a, b) => compare(a.from ?? '', b.from ?? '') || compare(a.team, b.team));
  return {
    id: p.id,
    name: p.name,
    email,
    aliases,
    memberships,
    costCentre: p.costCentre,
    boardOptIn: p.boardOptIn,
  };
}

function normaliseTeam(t: Team): Team {
  return { id: t.id, name: t.name, managers: [...new Set(t.managers)].sort(compare) };
}

/**
 * Checks the invariants a directory relies on: unique person and team ids, every alias owned by
 * one person, memberships with real dates that do not overlap and name known teams, managers
 * that are people. Expects normalised input (see `createPeopleDirectory`).
 */
export function directoryProblems(people: readonly Person[], teams: readonly Team[]): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const personIds = new Set<string>();
  for (const p of people) {
    if (p.id.trim() === '') problems.push({ personId: p.id, message: 'person id is empty' });
    else if (personIds.has(p.id))
      problems.push({ personId: p.id, message: `person id '${p.id}' is used twice` });
    personIds.add(p.id);
  }
  const teamIds = new Set<string>();
  for (const t of teams) {
    if (t.id.trim() === '') problems.push({ teamId: t.id, message: 'team id is empty' });
    else if (teamIds.has(t.id)) problems.push({ teamId: t.id, message: `team id '${t.id}' is used twice` });
    teamIds.add(t.id);
    for (const m of t.managers) {
      if (!personIds.has(m)) problems.push({ teamId: t.id, message: `manager '${m}' is not a person` });
    }
  }

  const owners = new Map<string, Person>();
  for (const p of people) {
    for (const a of p.aliases) {
      const key = `${NAMESPACE[a.kind]}\u0000${foldAlias(a.kind, a.value)}`;
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, p);
      else if (owner.id !== p.id) {
        problems.push({
          personId: p.id,
          alias: a,
          conflictsWith: owner.id,
          message: `${a.kind} '${a.value}' is also claimed by ${owner.id}`,
        });
      }
    }

    let previous: { m: Membership; until: number } | undefined;
    for (const m of p.memberships) {
      const from = m.from === null ? Number.NEGATIVE_INFINITY : dayNumber(m.from);
      const until = m.until === null ? Number.POSITIVE_INFINITY : dayNumber(m.until);
      const bad = (message: string) => problems.push({ personId: p.id, membership: m, message });
      if (!teamIds.has(m.team)) bad(`team '${m.team}' is not defined`);
      if (from === undefined) bad(`membership ${span(m)}: from '${m.from}' is not a date (YYYY-MM-DD)`);
      if (until === undefined) bad(`membership ${span(m)}: until '${m.until}' is not a date (YYYY-MM-DD)`);
      if (from === undefined || until === undefined) continue;
      if (until < from) {
        bad(`membership ${span(m)} ends before it starts`);
        continue;
      }
      // Memberships are sorted by start, so each can only overlap the one before it (or, when
      // that one is open-ended, everything after it — reported once per later membership).
      if (previous !== undefined && from <= previous.until) {
        bad(`membership ${span(m)} overlaps ${span(previous.m)}; a person is in one team at a time`);
      }
      if (previous === undefined || until > previous.until) previous = { m, until };
    }
  }
  return problems;
}

interface Stint {
  person: Person;
  team: string;
  from: number;
  until: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The content hash of a directory: sha256 of the normalised people and teams as JSON. The
 * normalised objects are built with a fixed key order, so plain `JSON.stringify` is canonical.
 */
export function directoryVersion(people: readonly Person[], teams: readonly Team[]): string {
  return sha256(JSON.stringify({ people, teams }));
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}

/**
 * Builds a directory from people and teams (e.g. from `loadPeopleFile`, or a test). Input is
 * normalised; a directory that breaks an invariant (see `directoryProblems`) throws
 * `PeopleDirectoryError` listing every problem.
 */
export function createPeopleDirectory(people: readonly Person[], teams: readonly Team[]): PeopleDirectory {
  const normPeople = people.map(normalisePerson).sort((a, b) => compare(a.id, b.id));
  const normTeams = teams.map(normaliseTeam).sort((a, b) => compare(a.id, b.id));
  const problems = directoryProblems(normPeople, normTeams);
  if (problems.length > 0) throw new PeopleDirectoryError(problems);
  deepFreeze(normPeople);
  deepFreeze(normTeams);
  return new MapDirectory(normPeople, normTeams, directoryVersion(normPeople, normTeams));
}

const SLOW_ANSWERS_MAX = 65_536;

class MapDirectory implements PeopleDirectory {
  private readonly byId = new Map<string, Person>();
  /** Folded value → person, one map per kind; kinds sharing a namespace share the map. */
  private readonly byKind = new Map<AliasKind, Map<string, Person>>();
  /** Folded value → person over every kind except `api_key`, strongest kind first. */
  private readonly anyKind = new Map<string, Person>();
  private readonly apiKeys: Map<string, Person>;
  private readonly github: Map<string, Person>;
  private readonly emails: Map<string, Person>;
  private readonly stintsByPerson = new Map<string, Stint[]>();
  private readonly stintsByTeam = new Map<string, Stint[]>();
  private readonly order = new Map<string, number>();
  /**
   * Answers of the slow path (values that needed folding or a noreply parse, and misses), per
   * kind. The ledger repeats a few thousand identities across millions of records, so nearly
   * every lookup after the first is one map hit. Bounded: cleared when full.
   */
  private readonly slowAnswers = new Map<AliasKind | undefined, Map<string, Person | null>>();

  constructor(
    readonly people: readonly Person[],
    readonly teams: readonly Team[],
    readonly version: string,
  ) {
    const byNamespace = new Map<string, Map<string, Person>>();
    for (const kind of ALIAS_KINDS) {
      const ns = NAMESPACE[kind];
      const map = byNamespace.get(ns) ?? new Map<string, Person>();
      byNamespace.set(ns, map);
      this.byKind.set(kind, map);
    }
    for (const kind of [undefined, ...ALIAS_KINDS]) this.slowAnswers.set(kind, new Map());
    this.apiKeys = this.byKind.get('api_key')!;
    this.github = this.byKind.get('github')!;
    this.emails = this.byKind.get('email')!;
    const byRank: Array<Array<[string, Person]>> = ALIAS_KINDS.map(() => []);
    people.forEach((p, i) => {
      this.byId.set(p.id, p);
      this.order.set(p.id, i);
      for (const a of p.aliases) {
        this.byKind.get(a.kind)!.set(a.value, p);
        if (a.kind !== 'api_key') byRank[KIND_RANK.get(a.kind)!]!.push([a.value, p]);
      }
      const stints = p.memberships.map((m) => ({
        person: p,
        team: m.team,
        from: m.from === null ? Number.NEGATIVE_INFINITY : dayNumber(m.from)!,
        until: m.until === null ? Number.POSITIVE_INFINITY : dayNumber(m.until)!,
      }));
      this.stintsByPerson.set(p.id, stints);
      for (const s of stints) {
        const list = this.stintsByTeam.get(s.team);
        if (list === undefined) this.stintsByTeam.set(s.team, [s]);
        else list.push(s);
      }
    });
    for (const entries of byRank) {
      for (const [value, p] of entries) if (!this.anyKind.has(value)) this.anyKind.set(value, p);
    }
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }

  resolve(value: string, kind?: AliasKind): Person | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    // Most values arrive already folded (lower-case e-mails and logins). Looking the raw string up
    // first reuses the hash V8 caches on it; folding makes a new string that must be hashed again,
    // which is most of the cost of a lookup. Map keys are folded, so an exact hit is a true hit.
    const exact =
      kind === undefined
        ? (this.anyKind.get(value) ?? this.apiKeys.get(value))
        : this.byKind.get(kind)?.get(value);
    if (exact !== undefined) return exact;
    const answers = this.slowAnswers.get(kind);
    if (answers === undefined) return undefined; // not an alias kind (an untyped caller)
    const known = answers.get(value);
    if (known !== undefined) return known ?? undefined;
    const found = this.resolveFolded(value, kind);
    if (answers.size >= SLOW_ANSWERS_MAX) answers.clear();
    answers.set(value, found ?? null);
    return found;
  }

  private resolveFolded(value: string, kind?: AliasKind): Person | undefined {
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    // Only control, space and non-ASCII characters can be white space that `trim` removes.
    const edgy = first <= 32 || last <= 32 || first >= 0x80 || last >= 0x80;
    const trimmed = edgy ? value.trim() : value;
    if (trimmed === '') return undefined;
    if (kind === 'api_key') return trimmed === value ? undefined : this.apiKeys.get(trimmed);
    const folded = trimmed.toLowerCase();
    if (kind === undefined) {
      return (
        (folded === value ? undefined : this.anyKind.get(folded)) ??
        (trimmed === value ? undefined : this.apiKeys.get(trimmed)) ??
        this.noreply(folded)
      );
    }
    const map = this.byKind.get(kind);
    if (map === undefined) return undefined;
    const hit = folded === value ? undefined : map.get(folded);
    if (hit !== undefined || map !== this.emails) return hit;
    return this.noreply(folded);
  }

  private noreply(folded: string): Person | undefined {
    if (!folded.endsWith(NOREPLY_SUFFIX)) return undefined;
    const login = githubLoginFromNoreply(folded);
    return login === undefined ? undefined : this.github.get(login);
  }

  teamAt(personId: string, ts: number): string | undefined {
    const stints = this.stintsByPerson.get(personId);
    if (stints === undefined || !Number.isFinite(ts)) return undefined;
    const day = utcDay(ts);
    for (const s of stints) if (s.from <= day && day <= s.until) return s.team;
    return undefined;
  }

  membersOf(team: string, fromTs: number, untilTs: number): Person[] {
    const stints = this.stintsByTeam.get(team);
    if (stints === undefined || Number.isNaN(fromTs) || Number.isNaN(untilTs)) return [];
    const from = utcDay(fromTs);
    const until = utcDay(untilTs);
    const members = new Set<Person>();
    for (const s of stints) if (s.from <= until && from <= s.until) members.add(s.person);
    return [...members].sort((a, b) => this.order.get(a.id)! - this.order.get(b.id)!);
  }

  membershipSpans(team: string, fromTs: number, untilTs: number): PersonSpan[] {
    const stints = this.stintsByTeam.get(team);
    if (stints === undefined || Number.isNaN(fromTs) || Number.isNaN(untilTs)) return [];
    const from = utcDay(fromTs);
    const until = utcDay(untilTs);
    const spans: PersonSpan[] = [];
    for (const s of stints) {
      if (s.from > until || from > s.until) continue;
      spans.push({
        personId: s.person.id,
        fromTs: Math.max(fromTs, s.from * DAY_MS),
        untilTs: Math.min(untilTs, (s.until + 1) * DAY_MS - 1),
      });
    }
    return spans;
  }
}
