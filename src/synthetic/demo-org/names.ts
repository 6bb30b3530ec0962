/**
 * Word lists for the demo organisation: people's names, team and service names, and the pieces
 * prompts, branch names, PR titles and source lines are assembled from. Everything is ASCII so
 * that byte lengths in the git fast-import stream equal string lengths.
 * @module
 */
import type { Rng } from '../prng.js';

export const FIRST_NAMES = (
  'Ada Alan Alice Amir Ana Andre Anika Arjun Ava Ben Bianca Carlos Chen Chloe Dana Daniel David Diego ' +
  'Elena Eli Emma Erik Farah Felix Fiona Gabriel Grace Hana Hugo Ines Isaac Ivan Jade James Jin Joao ' +
  'Julia Kai Karim Kenji Lara Leo Lena Liam Lina Lucas Maya Mei Mila Nadia Naveen Nina Noah Olga Omar ' +
  'Oscar Paula Priya Rafael Rhea Rosa Ruth Sam Sara Sofia Tariq Tess Theo Uma Victor Wen Yara Yusuf Zoe'
).split(' ');

export const LAST_NAMES = (
  'Abe Adams Ahmed Alvarez Baker Banerjee Berg Brown Campbell Chen Costa Cruz Dahl Diaz Eriksen Evans ' +
  'Fischer Garcia Gupta Haddad Hansen Ito Jensen Johnson Kaur Kim Kowalski Larsen Lee Lopez Martin ' +
  'Meyer Mori Murphy Nakamura Nguyen Novak Okafor Olsen Park Patel Perez Petrov Quinn Rahman Reyes ' +
  'Rossi Sato Schmidt Silva Singh Smith Suzuki Tanaka Torres Walsh Wang Weber Wilson Wong Yamada Zhang'
).split(' ');

/** Team slugs; each team owns one service repository named after it. */
export const TEAM_SLUGS = (
  'payments checkout identity search catalog billing ledger notifications onboarding risk ' +
  'growth platform mobile-api data-pipeline reporting inventory shipping pricing support-tools ' +
  'edge messaging storage observability auth-gateway experiments recommendations media ' +
  'compliance partner-api fulfilment'
).split(' ');

const REPO_SUFFIXES = ['service', 'api', 'web', 'worker', 'core'];

export function repoNameFor(slug: string, index: number): string {
  return `${slug}-${REPO_SUFFIXES[index % REPO_SUFFIXES.length]}`;
}

export function teamDisplayName(slug: string): string {
  return slug
    .split('-')
    .map((w) => (w === 'api' ? 'API' : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** Jira-like project key for a team's tickets. */
export function taskKeyFor(slug: string): string {
  const parts = slug.split('-');
  const key = parts.length > 1 ? parts.map((p) => p.slice(0, 2)).join('') : slug.slice(0, 4);
  return key.toUpperCase();
}

const NOUNS = (
  'order invoice customer account session token payment refund ledger report metric event batch job ' +
  'queue worker plan quota limit cache record entry profile webhook channel message upload export ' +
  'snapshot schema migration config retry cursor page filter index'
).split(' ');

const VERBS = (
  'add fix handle validate parse render cache retry paginate batch dedupe normalize sync migrate ' +
  'expose log trace guard throttle'
).split(' ');

const ADJECTIVES = 'stale missing duplicate empty slow flaky wrong partial expired unbounded'.split(' ');

const SYMBOLS =
  'load save fetch compute resolve apply merge split flush schedule dispatch encode decode'.split(' ');

export function noun(rng: Rng): string {
  return rng.pick(NOUNS);
}

export function verb(rng: Rng): string {
  return rng.pick(VERBS);
}

/** A feature branch name in the styles people actually use. */
export function branchName(rng: Rng, login: string): string {
  const v = verb(rng);
  const n = noun(rng);
  const suffix = rng.int(10, 999);
  const style = rng.int(0, 2);
  if (style === 0) return `${login}/${v}-${n}-${suffix}`;
  if (style === 1) return `feat/${n}-${v}-${suffix}`;
  return `fix/${n}-${suffix}`;
}

export function prTitle(rng: Rng): string {
  const n = noun(rng);
  const forms = [
    () => `Add ${n} ${rng.pick(['pagination', 'caching', 'validation', 'metrics', 'retries'])}`,
    () => `Fix ${rng.pick(ADJECTIVES)} ${n} in ${noun(rng)} handler`,
    () => `Refactor ${n} ${noun(rng)} module`,
    () => `Handle ${rng.pick(ADJECTIVES)} ${n} on ${noun(rng)} sync`,
    () => `Speed up ${n} ${noun(rng)} queries`,
  ];
  return rng.pick(forms)();
}

export function tinyTitle(rng: Rng): string {
  const n = noun(rng);
  return rng.pick([
    `Fix typo in ${n} docs`,
    `Rename ${n} variable`,
    `Bump ${n} timeout`,
    `Tweak ${n} log message`,
    `Remove unused ${n} import`,
    `Update ${n} comment`,
  ]);
}

export function commitSubject(rng: Rng, title: string, index: number): string {
  if (index === 0) return title;
  return rng.pick([
    'Address review comments',
    `Add tests for ${noun(rng)} ${verb(rng)}`,
    `Handle ${rng.pick(ADJECTIVES)} ${noun(rng)}`,
    'Fix lint',
    `Simplify ${noun(rng)} ${verb(rng)}`,
  ]);
}

/** A prompt an engineer might type to an agent; long enough to give its fingerprint shingles. */
export function workPrompt(rng: Rng): string {
  const n = noun(rng);
  const m = noun(rng);
  return rng.pick([
    () =>
      `The ${n} endpoint returns a ${rng.pick(ADJECTIVES)} ${m} when the ${noun(rng)} is retried. ` +
      `Find where we build the response in src/${n}/ and fix it, then add a regression test.`,
    () =>
      `Add ${rng.pick(['pagination', 'caching', 'validation', 'rate limiting'])} to the ${n} ${m} ` +
      `handler. Follow the pattern used by the ${noun(rng)} module and keep the public API unchanged.`,
    () =>
      `Tests in test/${n}.test.ts fail after the ${m} migration. Run them, read the failure and fix ` +
      'the code, not the test, unless the test is wrong.',
    () => `Why does ${verb(rng)}${capital(n)} take ${rng.int(2, 40)} seconds on large ${m} batches?`,
    () => `Looks good. Now commit this with a clear message and open a PR against main.`,
    () => `Rename ${n}Id to ${m}Id everywhere in the ${n} module and update the callers.`,
    () => `Explain how ${noun(rng)} events flow from the ${n} queue to the ${m} worker.`,
  ])();
}

/**
 * The busywork instruction a token burner pastes again and again with small edits; digits and
 * a swapped word keep the fingerprints within a few bits of each other.
 */
export function burnerPrompt(rng: Rng, mantra: number): string {
  const bases = [
    'Keep reviewing the whole codebase for possible improvements and continue until you run out of ideas',
    'Go through every file again and look for anything at all that could be refactored or documented',
    'Analyse the repository in depth one more time and write a detailed report of everything you find',
  ];
  const base = bases[mantra % bases.length]!;
  const tail = rng.pick(['iteration', 'pass', 'round', 'attempt']);
  return `${base}, ${tail} ${rng.int(1, 400)}. ${rng.chance(0.5) ? 'Do not stop.' : 'Be thorough.'}`;
}

export function capital(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** One line of TypeScript-looking source; `serial` makes it unique so diffs are exact. */
export function sourceLine(rng: Rng, serial: number): string {
  const indent = rng.chance(0.7) ? '  ' : '    ';
  const n = noun(rng);
  const s = rng.pick(SYMBOLS);
  return rng.pick([
    () => `${indent}const ${n}${serial} = await ${s}${capital(noun(rng))}(${n});`,
    () => `${indent}if (!${n}${serial}) throw new Error('${rng.pick(ADJECTIVES)} ${n}');`,
    () => `${indent}${s}${capital(n)}(ctx, ${serial});`,
    () => `${indent}// ${n} ${serial}: ${rng.pick(ADJECTIVES)} values are ${s}d first`,
  ])();
}
