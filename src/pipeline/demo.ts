/**
 * Builds the demo organisation into a directory of its own: a fresh ledger, the people file, real
 * git repositories for a few teams, and a config that points at all of them, so that every command
 * runs on the demo with `--config <dir>/config.json`.
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createPeopleDirectory } from '../ledger/people/directory.js';
import { toPeopleFile } from '../ledger/people/serialize.js';
import type { ActivityRecord, UsageRecord } from '../ledger/records.js';
import { openDuckDbStore } from '../ledger/store/duckdb/index.js';
import { appendTokenFile, generateToken, hashToken, readTokenFile } from '../server/auth/tokens.js';
import { demoBudgets } from '../synthetic/demo-org/budgets.js';
import { DEFAULT_END, type DemoOrgOptions, generateDemoOrg } from '../synthetic/demo-org/index.js';
import { ingestWork } from './ingest-work.js';

const DEMO_WRITE_RECORDS = 100_000;

/** Marks a directory as the demo's own, so a rebuild may clear it and nothing else is ever cleared. */
const MARKER = '.tokenyield-demo';
/** Written last: a directory without it holds a build that did not finish. */
const BUILT = 'demo.json';
/** The name of the admin token `demo --serve` creates. */
export const DEMO_ADMIN_TOKEN = 'demo-admin';

export interface DemoBuild {
  dir: string;
  config: string;
  ledger: string;
  peopleFile: string;
  /** The demo's own tokens file (the config's `server.tokensFile`), never ~/.tokenyield's. */
  tokensFile: string;
  /** What it was built with. */
  options: Omit<DemoOrgOptions, 'gitDir'>;
  people: number;
  teams: number;
  usageRecords: number;
  activityRecords: number;
  outcomeRecords: number;
  gitRepositories: string[];
  seconds: number;
}

export class DemoDirectoryError extends Error {
  override name = 'DemoDirectoryError';
}

function prepare(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new DemoDirectoryError(
        `${dir} is not empty and was not made by \`tokenyield demo\`; choose another --dir.`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Built by `tokenyield demo`; rebuilding clears this directory.\n');
}

export async function buildDemo(
  dirGiven: string,
  options: Omit<DemoOrgOptions, 'gitDir'>,
  onProgress?: (step: string) => void,
): Promise<DemoBuild> {
  const started = performance.now();
  const dir = resolve(dirGiven);
  prepare(dir);
  const gitDir = join(dir, 'git');
  const ledger = join(dir, 'ledger.duckdb');
  const peoplePath = join(dir, 'people.json');
  const configPath = join(dir, 'config.json');
  const tokensFile = join(dir, 'tokens.json');

  onProgress?.('generating the organisation and its git repositories');
  const org = generateDemoOrg({ ...options, gitDir });
  writeFileSync(peoplePath, `${JSON.stringify(toPeopleFile(org.people, org.teams), null, 2)}\n`);
  const config = { ledger, people: peoplePath, outcomes: { git: [gitDir] }, server: { tokensFile } };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);

  const store = await openDuckDbStore({ path: ledger });
  let usageRecords = 0;
  let activityRecords = 0;
  let outcomeRecords = 0;
  try {
    onProgress?.('writing AI usage');
    // Days are gathered into writes of ~100k records: each write is a transaction and a commit,
    // and the commit, not the rows, was most of a day-sized write's time.
    let usage: UsageRecord[] = [];
    let activity: ActivityRecord[] = [];
    const flush = async () => {
      await store.write({ usage, activity, checkpoints: [] });
      usageRecords += usage.length;
      activityRecords += activity.length;
      usage = [];
      activity = [];
    };
    for (const day of org.usageBatches()) {
      for (const r of day.usage) usage.push(r);
      for (const r of day.activity) activity.push(r);
      if (usage.length + activity.length >= DEMO_WRITE_RECORDS) await flush();
    }
    if (usage.length + activity.length > 0) await flush();
    onProgress?.('writing pull requests, deployments, incidents and tasks');
    outcomeRecords += (await store.writeWork(org.work)).inserted;
    onProgress?.('reading the git repositories');
    const read = await ingestWork({ store, git: [gitDir] });
    for (const t of read.targets) {
      if (t.status === 'skipped') throw new Error(`demo repository ${t.target}: ${t.message}`);
      outcomeRecords += t.inserted;
    }
    onProgress?.('sizing budgets from the spend');
    const budgets = await demoBudgets(store, createPeopleDirectory(org.people, org.teams), demoEnd(options));
    writeFileSync(configPath, `${JSON.stringify({ ...config, budgets }, null, 2)}\n`);
  } finally {
    await store.close();
  }
  const build: DemoBuild = {
    dir,
    config: configPath,
    ledger,
    peopleFile: peoplePath,
    tokensFile,
    options,
    people: org.people.length,
    teams: org.teams.length,
    usageRecords,
    activityRecords,
    outcomeRecords,
    gitRepositories: org.gitRepos.map((r) => r.repo),
    seconds: (performance.now() - started) / 1000,
  };
  writeFileSync(join(dir, BUILT), `${JSON.stringify(build, null, 2)}\n`);
  return build;
}

/** The demo's last day (UTC). */
export function demoEnd(options: Pick<DemoOrgOptions, 'end'>): string {
  return options.end ?? DEFAULT_END;
}

/**
 * The clock the demo's budgets are judged by: late afternoon of its last day. Its calendar is
 * fixed, so on today's date every budget period would be one the demo holds no spend for.
 */
export function demoBudgetClock(options: Pick<DemoOrgOptions, 'end'>): number {
  return Date.parse(`${demoEnd(options)}T18:00:00Z`);
}

/** The demo already built in `dirGiven`, or null when there is none or its build did not finish. */
export function existingDemo(dirGiven: string): DemoBuild | null {
  const dir = resolve(dirGiven);
  if (!existsSync(join(dir, MARKER)) || !existsSync(join(dir, BUILT))) return null;
  try {
    const build = JSON.parse(readFileSync(join(dir, BUILT), 'utf8')) as DemoBuild;
    return existsSync(build.ledger) && existsSync(build.config) ? build : null;
  } catch {
    return null;
  }
}

/**
 * Gives the demo an admin token when its tokens file has none, and returns it (it is stored
 * hashed, so this is the only time it can be shown); null when one already exists.
 */
export function ensureDemoAdminToken(tokensFile: string): string | null {
  if (readTokenFile(tokensFile).some((t) => t.role === 'admin')) return null;
  const secret = generateToken();
  appendTokenFile(tokensFile, { name: DEMO_ADMIN_TOKEN, role: 'admin', hash: hashToken(secret) });
  return secret;
}
