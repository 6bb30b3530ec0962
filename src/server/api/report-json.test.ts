import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPORT_KINDS, usageReport } from '../../analyses/reports/usage-report.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import type { Store } from '../../ledger/store/store.js';
import { orgUsage } from './fixtures.js';
import { reportFromJson, reportJson } from './report-json.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ty-report-json-'));
  store = await openDuckDbStore({ path: join(dir, 'ledger.duckdb') });
  await store.write({ usage: orgUsage(), activity: [], checkpoints: [] });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('round-trips every kind of report through its wire form, keyed as usageReport keys it', async () => {
  for (const kind of REPORT_KINDS) {
    const report = await usageReport(store, { kind, timeZone: 'UTC', since: '2026-03-01' });
    expect(report.rows.length, kind).toBeGreaterThan(0);
    expect(report.rows[0], kind).toHaveProperty(report.key);
    expect(reportFromJson(JSON.parse(JSON.stringify(reportJson(kind, report)))), kind).toEqual(report);
  }
});
