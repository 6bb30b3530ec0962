/**
 * People and teams (DESIGN §4): who a raw identity belongs to, and which team a person was in on
 * a given day. Loaded from a people file (YAML, JSON or CSV, see `load.ts`); with no file, every
 * identity resolves to the local user.
 * @module
 */

/** The kinds of identifier a person can be known by in the data (reference/formats.md §10.1). */
export type AliasKind =
  | 'email'
  | 'git_email'
  | 'github'
  | 'claude_account'
  | 'otel_user_id'
  | 'codex'
  | 'copilot'
  | 'cursor'
  | 'gemini'
  | 'api_key'
  | 'os_user';

export interface Alias {
  kind: AliasKind;
  /** Compared case-insensitively for e-mails and logins. */
  value: string;
}

/** Team membership over a date range; `from`/`until` are inclusive `YYYY-MM-DD`, null = open. */
export interface Membership {
  team: string;
  from: string | null;
  until: string | null;
}

export interface Person {
  /** Stable id used in the ledger (`person_id`); defaults to the primary e-mail, lower-cased. */
  id: string;
  name: string;
  email: string | null;
  aliases: Alias[];
  memberships: Membership[];
  costCentre: string | null;
  /** Individual boards are opt-in (DESIGN §6). */
  boardOptIn: boolean;
}

export interface Team {
  id: string;
  name: string;
  /** Person ids of the team's managers (they see the team's person-level data). */
  managers: string[];
}

export interface PeopleDirectory {
  readonly people: readonly Person[];
  readonly teams: readonly Team[];
  /** Content hash of the loaded file(s); a change re-resolves stored identities. */
  readonly version: string;
  person(id: string): Person | undefined;
  /**
   * The person a raw identifier belongs to. `kind` narrows the match when known (a GitHub login is
   * not an e-mail); without it every alias kind is tried. Undefined when nobody matches.
   */
  resolve(value: string, kind?: AliasKind): Person | undefined;
  /** The team a person belonged to at `ts` (epoch ms), by membership dates in UTC. */
  teamAt(personId: string, ts: number): string | undefined;
  /** Every person who was in `team` at any time within [fromTs, untilTs]. */
  membersOf(team: string, fromTs: number, untilTs: number): Person[];
  /**
   * When each person was in `team` within [fromTs, untilTs]: one span per membership, clipped to
   * the window, whole UTC days as membership dates are.
   */
  membershipSpans(team: string, fromTs: number, untilTs: number): PersonSpan[];
}

/** A person and an inclusive range of instants (epoch ms). */
export interface PersonSpan {
  personId: string;
  fromTs: number;
  untilTs: number;
}
