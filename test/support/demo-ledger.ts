/**
 * A demo organisation written into a real DuckDB ledger, without git repositories (their commits
 * go in as records), with its people file: the integrity tests need planted behaviours in a
 * ledger, and the full `tokenyield demo` (real git repositories) takes longer than they need.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPeopleDirectory } from '../../src/ledger/people/directory.js';
import { toPeopleFile } from '../../src/ledger/people/serialize.js';
import type { PeopleDirectory } from '../../src/ledger/people/types.js';
import { openDuckDbStore } from '../../src/ledger/store/duckdb/index.js';
import { type DemoOrg, type DemoOrgOptions, generateDemoOrg } from '../../src/synthetic/demo-org/index.js';

export interface DemoLedger {
  dir: string;
  path: string;
  peopleFile: string;
  org: DemoOrg;
  directory: PeopleDirectory;
}

export async function buildDemoLedger(
  options: Omit<DemoOrgOptions, 'gitDir' | 'gitTeams'>,
): Promise<DemoLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'ty-demo-ledger-'));
  const path = join(dir, 'ledger.duckdb');
  const peopleFile = join(dir, 'people.json');
  const org = generateDemoOrg({ ...options, gitTeams: 0 });
  writeFileSync(peopleFile, JSON.stringify(toPeopleFile(org.people, org.teams)));
  const store = await openDuckDbStore({ path });
  try {
    for (const day of org.usageBatches()) await store.write({ ...day, checkpoints: [] });
    await store.writeWork(org.work);
  } finally {
    await store.close();
  }
  return { dir, path, peopleFile, org, directory: createPeopleDirectory(org.people, org.teams) };
}
