/**
 * The demo organisation's people, teams and repositories, and who behaves how.
 *
 * Everything here is a pure function of the options. The `Behaviour` of each engineer is the
 * ground truth the product's analyses are judged against: the leaderboard must rank heavy
 * shippers high, and the integrity signals must find the token burners and PR splitters without
 * flagging the heavy shippers (DESIGN §6–§7).
 * @module
 */

import type { Alias, Membership, Person, Team } from '../../ledger/people/types.js';
import type { Tool } from '../../ledger/records.js';
import { Rng } from '../prng.js';
import { FIRST_NAMES, LAST_NAMES, repoNameFor, TEAM_SLUGS, taskKeyFor, teamDisplayName } from './names.js';

export type Behaviour = 'light' | 'regular' | 'heavy_shipper' | 'token_burner' | 'pr_splitter' | 'reverted';

export const BEHAVIOURS: readonly Behaviour[] = [
  'light',
  'regular',
  'heavy_shipper',
  'token_burner',
  'pr_splitter',
  'reverted',
];

export const ORG = 'acme';
export const EMAIL_DOMAIN = 'acme.example';
const DAY_MS = 86_400_000;

export interface ResolvedOptions {
  seed: number;
  engineers: number;
  teams: number;
  days: number;
  /** Last day of the period, `YYYY-MM-DD` (UTC). */
  end: string;
  gitDir: string | undefined;
  gitTeams: number;
}

export interface DemoRepo {
  index: number;
  team: number;
  name: string;
  /** `acme/<name>`: the key the git source derives from the `origin` remote. */
  key: string;
  service: string;
  /** How PRs land on main: merge commits keep the branch commits, squash makes one commit. */
  style: 'merge' | 'squash';
  /** Built as a real repository with git fast-import (when a git directory is given). */
  git: boolean;
  taskKey: string;
}

/** A stretch of days (indexes into the period, inclusive) in one team. */
export interface Span {
  team: number;
  fromDay: number;
  untilDay: number;
}

export interface DemoMember {
  index: number;
  person: Person;
  name: string;
  email: string;
  login: string;
  /** The address their commits carry: the work e-mail or GitHub's noreply form. */
  gitEmail: string;
  osUser: string;
  behaviour: Behaviour;
  manager: boolean;
  primaryTool: Tool;
  /** A second tool used for a minority of sessions, or null. */
  secondaryTool: Tool | null;
  claudeModel: string;
  codexModel: string;
  geminiModel: string;
  /** Claude Code writes this person's prompt cache with the 1-hour TTL. */
  cache1h: boolean;
  spans: Span[];
  /** Stable identity attached to each tool's records, shared to keep records small. */
  rawIdentity: Record<string, Record<string, string>>;
}

export interface OrgModel {
  options: ResolvedOptions;
  /** Epoch ms of 00:00 UTC on the first day. */
  startMs: number;
  /** Epoch ms of 24:00 UTC on the last day. */
  endMs: number;
  dates: string[];
  members: DemoMember[];
  teams: Team[];
  repos: DemoRepo[];
  /** For each team, everyone who was in it at some point, in member order. */
  everInTeam: DemoMember[][];
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function teamOn(member: DemoMember, day: number): number {
  for (const s of member.spans) if (day >= s.fromDay && day <= s.untilDay) return s.team;
  return member.spans[member.spans.length - 1]!.team;
}

export function membersOn(model: OrgModel, team: number, day: number): DemoMember[] {
  return model.everInTeam[team]!.filter((m) => teamOn(m, day) === team);
}

function uniqueLogin(first: string, last: string, rng: Rng, taken: Set<string>): string {
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const styles = [`${f}${l[0]}`, `${f}-${l}`, `${f[0]}${l}`, `${f}${l}`, `${l}${f[0]}`];
  let login = rng.pick(styles);
  if (rng.chance(0.3)) login += rng.int(1, 99);
  while (taken.has(login)) login += rng.int(0, 9);
  taken.add(login);
  return login;
}

/** Splits `n` people into `teams` groups of uneven size (0.6×–1.4× the mean), each ≥ 1. */
function teamSizes(rng: Rng, n: number, teams: number): number[] {
  const weights = Array.from({ length: teams }, () => 0.6 + 0.8 * rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / total) * n)));
  let assigned = sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; assigned < n; i = (i + 1) % teams, assigned++) sizes[i]!++;
  for (let i = 0; assigned > n; i = (i + 1) % teams) {
    if (sizes[i]! > 1) {
      sizes[i]!--;
      assigned--;
    }
  }
  return sizes;
}

function pickTool(rng: Rng): Tool {
  return rng.weighted<Tool>([
    ['claude-code', 60],
    ['codex', 25],
    ['gemini-cli', 15],
  ]);
}

function claudeModelFor(rng: Rng, behaviour: Behaviour): string {
  if (behaviour === 'heavy_shipper' || behaviour === 'token_burner') {
    return rng.weighted([
      ['claude-opus-4-8', 70],
      ['claude-sonnet-4-6', 30],
    ]);
  }
  return rng.weighted([
    ['claude-sonnet-4-6', 55],
    ['claude-opus-4-8', 30],
    ['claude-sonnet-4-5-20250929', 15],
  ]);
}

/** Assigns behaviours by quota so that every kind exists even in a small organisation. */
function assignBehaviours(
  rng: Rng,
  candidates: number[],
  teamOf: number[],
  gitTeams: number,
): Map<number, Behaviour> {
  const n = candidates.length;
  const quota = (share: number) => (n >= 6 ? Math.max(1, Math.round(n * share)) : 0);
  const out = new Map<number, Behaviour>();
  const pool = [...candidates];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  // One person whose changes get reverted in each git-backed team, so every real repository
  // holds a revert; the rest of that quota goes anywhere.
  const reverted: number[] = [];
  for (let t = 0; t < gitTeams; t++) {
    const k = pool.findIndex((p) => teamOf[p] === t);
    if (k >= 0 && n >= 6) reverted.push(...pool.splice(k, 1));
  }
  const extraReverted = Math.max(0, quota(0.03) - reverted.length);
  reverted.push(...pool.splice(0, extraReverted));
  for (const p of reverted) out.set(p, 'reverted');
  const take = (count: number, behaviour: Behaviour) => {
    for (const p of pool.splice(0, count)) out.set(p, behaviour);
  };
  take(quota(0.04), 'token_burner');
  take(quota(0.04), 'pr_splitter');
  take(quota(0.12), 'heavy_shipper');
  take(quota(0.3), 'light');
  take(pool.length, 'regular');
  return out;
}

export function buildOrg(options: ResolvedOptions): OrgModel {
  const { seed, engineers, days } = options;
  const teamCount = Math.max(1, Math.min(options.teams, TEAM_SLUGS.length, engineers));
  const endDay = Date.parse(`${options.end}T00:00:00Z`);
  if (!Number.isFinite(endDay)) throw new Error(`demo: end must be YYYY-MM-DD, got "${options.end}"`);
  const startMs = endDay - (days - 1) * DAY_MS;
  const dates = Array.from({ length: days }, (_, d) => isoDate(startMs + d * DAY_MS));
  const rng = Rng.derive(seed, 'org');

  const repos: DemoRepo[] = [];
  for (let t = 0; t < teamCount; t++) {
    const slug = TEAM_SLUGS[t]!;
    const name = repoNameFor(slug, t);
    repos.push({
      index: t,
      team: t,
      name,
      key: `${ORG}/${name}`,
      service: name,
      style: t < options.gitTeams ? 'merge' : rng.chance(0.6) ? 'squash' : 'merge',
      git: options.gitDir !== undefined && t < options.gitTeams,
      taskKey: taskKeyFor(slug),
    });
  }

  const sizes = teamSizes(rng, engineers, teamCount);
  const teamOf: number[] = [];
  sizes.forEach((size, t) => {
    for (let i = 0; i < size; i++) teamOf.push(t);
  });
  // Interleave team order with person order so ids do not group by team.
  for (let i = teamOf.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [teamOf[i], teamOf[j]] = [teamOf[j]!, teamOf[i]!];
  }
  const managerOf = new Map<number, number>();
  teamOf.forEach((t, p) => {
    if (!managerOf.has(t)) managerOf.set(t, p);
  });
  const managers = new Set(managerOf.values());
  const candidates = teamOf.map((_, p) => p).filter((p) => !managers.has(p));
  const behaviours = assignBehaviours(rng, candidates, teamOf, options.gitTeams);

  const takenEmails = new Set<string>();
  const takenLogins = new Set<string>();
  const members: DemoMember[] = [];
  for (let p = 0; p < engineers; p++) {
    const prng = Rng.derive(seed, 'person', p);
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    let local = `${first}.${last}`.toLowerCase();
    for (let k = 2; takenEmails.has(local); k++) local = `${first}.${last}${k}`.toLowerCase();
    takenEmails.add(local);
    const email = `${local}@${EMAIL_DOMAIN}`;
    const login = uniqueLogin(first, last, prng, takenLogins);
    const githubId = 1_000_000 + Math.floor(prng.next() * 90_000_000);
    const noreply = prng.chance(0.25);
    const gitEmail = noreply ? `${githubId}+${login}@users.noreply.github.com` : email;
    // The whole login: a truncated one collided between people, which the people file rightly refuses.
    const osUser = login.toLowerCase();
    const behaviour: Behaviour = behaviours.get(p) ?? 'light';
    const primaryTool = pickTool(prng);
    const secondary = prng.chance(0.3) ? pickTool(prng) : null;

    const team = teamOf[p]!;
    const spans: Span[] = [{ team, fromDay: 0, untilDay: days - 1 }];
    // About 2% move team once, in the middle of the period, never a manager.
    if (!managers.has(p) && teamCount > 1 && days >= 10 && prng.chance(0.02)) {
      const moveDay = prng.int(Math.floor(days * 0.3), Math.floor(days * 0.7));
      const to = (team + prng.int(1, teamCount - 1)) % teamCount;
      spans[0]!.untilDay = moveDay - 1;
      spans.push({ team: to, fromDay: moveDay, untilDay: days - 1 });
    }
    const memberships: Membership[] = spans.map((s, i) => ({
      team: TEAM_SLUGS[s.team]!,
      from: i === 0 ? null : dates[s.fromDay]!,
      until: i === spans.length - 1 ? null : dates[s.untilDay]!,
    }));
    const aliases: Alias[] = [
      { kind: 'email', value: email },
      { kind: 'github', value: login },
      { kind: 'os_user', value: osUser },
    ];
    if (gitEmail !== email) aliases.push({ kind: 'git_email', value: gitEmail });
    const name = `${first} ${last}`;
    const person: Person = {
      id: email,
      name,
      email,
      aliases,
      memberships,
      costCentre: `CC-${1000 + team * 10}`,
      boardOptIn: prng.chance(0.3),
    };
    members.push({
      index: p,
      person,
      name,
      email,
      login,
      gitEmail,
      osUser,
      behaviour,
      manager: managers.has(p),
      primaryTool,
      secondaryTool: secondary === primaryTool ? null : secondary,
      claudeModel: claudeModelFor(prng, behaviour),
      codexModel: prng.weighted([
        ['gpt-5.3-codex', 45],
        ['gpt-5.4', 35],
        ['gpt-5.5', 20],
      ]),
      geminiModel: prng.weighted([
        ['gemini-2.5-pro', 50],
        ['gemini-3.1-pro', 30],
        ['gemini-2.5-flash', 20],
      ]),
      cache1h: prng.chance(0.35),
      spans,
      rawIdentity: {
        'claude-code': { 'user.email': email, 'organization.id': `org-${ORG}` },
        codex: { os_user: osUser, host: `${osUser}-laptop`, git_email: gitEmail },
        'gemini-cli': { 'user.email': email },
      },
    });
  }

  const teams: Team[] = repos.map((r) => ({
    id: TEAM_SLUGS[r.team]!,
    name: teamDisplayName(TEAM_SLUGS[r.team]!),
    managers: [members[managerOf.get(r.team)!]!.person.id],
  }));
  const everInTeam: DemoMember[][] = repos.map(() => []);
  for (const m of members) {
    for (const t of new Set(m.spans.map((s) => s.team))) everInTeam[t]!.push(m);
  }
  return { options, startMs, endMs: endDay + DAY_MS, dates, members, teams, repos, everInTeam };
}
