/**
 * OTLP ingest through the journal, on a real server and a real DuckDB ledger: a 2xx means the
 * export is durable, a read after it sees it, what a crash left journaled but unapplied (or
 * applied but not yet released) is in the ledger exactly once after restart, and an applier that
 * falls behind turns into 429 with Retry-After rather than an unbounded journal.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequestsBody, jsonBody, logsRequest } from '../../../test/fixtures/otel/payloads.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { createPriceBook } from '../../ledger/pricing/index.js';
import { openDuckDbStore } from '../../ledger/store/duckdb/index.js';
import type { ReportJson } from '../api/report-json.js';
import { openJournal } from '../journal/journal.js';
import { createPeopleSource } from '../people-source.js';
import { journaledWriter } from './journaled.js';
import { encodeOtlpEntry, type OtlpExport, otlpRecords } from './otlp-records.js';
import { createIngestWriter } from './writer.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function workDir(): { dbPath: string; journalDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ty-journaled-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dbPath: join(dir, 'ledger.duckdb'), journalDir: join(dir, 'ledger.journal') };
}

async function serve(dbPath: string, journalDir: string, maxQueuedRecords = 200_000): Promise<TestServer> {
  const server = await startTestServer({ dbPath, settings: { journalDir, maxQueuedRecords } });
  cleanup.push(() => server.close());
  return server;
}

/** An OTLP/JSON export of `calls` Claude Code api_request events, request ids `${prefix}-${i}`. */
function exportOf(prefix: string, calls: number): OtlpExport {
  return { signal: 'logs', encoding: 'json', body: apiRequestsBody(prefix, calls) };
}

/** An OTLP/JSON export of `calls` Claude Code tool_result events: activity records, no usage. */
function toolResultsOf(prefix: string, calls: number): OtlpExport {
  const records = Array.from({ length: calls }, (_, i) => ({
    eventName: 'claude_code.tool_result',
    timeUnixNano: `${Date.parse('2026-11-20T10:00:00Z') + i}000000`,
    attrs: {
      'event.name': 'tool_result',
      'session.id': `s-${prefix}`,
      tool_name: 'Edit',
      tool_use_id: `${prefix}-tool-${i}`,
      success: 'true',
    },
  }));
  const body = jsonBody(
    logsRequest({ 'service.name': 'claude-code', 'user.email': 'dev@acme.example' }, records),
  );
  return { signal: 'logs', encoding: 'json', body };
}

function post(s: TestServer, req: OtlpExport) {
  return s.request('/v1/logs', {
    method: 'POST',
    token: 'ingest',
    headers: { 'content-type': 'application/json' },
    body: req.body,
  });
}

async function reportedCalls(s: TestServer): Promise<number> {
  const res = await s.request('/api/v1/reports/daily?tz=UTC');
  expect(res.status).toBe(200);
  return ((await res.json()) as ReportJson).totals.calls;
}

async function storedCalls(dbPath: string): Promise<number> {
  const store = await openDuckDbStore({ path: dbPath, readOnly: true });
  try {
    const rows = await store.usage({ groupBy: 'day', timeZone: 'UTC' });
    return rows.reduce((n, r) => n + r.calls, 0);
  } finally {
    await store.close();
  }
}

describe('OTLP ingest through the journal', () => {
  it('answers once journaled, and a read right after an answer sees the export', async () => {
    const { dbPath, journalDir } = workDir();
    const s = await serve(dbPath, journalDir);
    let sent = 0;
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(
        Array.from({ length: 3 }, (_, n) => post(s, exportOf(`r${round}-${n}`, 40 + n))),
      );
      for (const a of answers) expect(a.status).toBe(200);
      sent += 40 + 41 + 42;
      // No waiting: the report is asked for the moment the last answer arrived.
      expect(await reportedCalls(s)).toBe(sent);
    }
    expect(readdirSync(journalDir).some((f) => f.endsWith('.log'))).toBe(true);
    await s.server.close();
    expect(await storedCalls(dbPath)).toBe(sent);
  });

  it('after a crash, applies what was journaled exactly once, whether or not it had reached the ledger', async () => {
    const { dbPath, journalDir } = workDir();
    const directory = createPeopleSource(undefined, (err) => {
      throw err;
    });
    const priceBook = createPriceBook(undefined);
    // The state a kill -9 leaves: a and b synced to the journal (so acknowledged) but not applied;
    // c synced and applied to the ledger, but its journal segment not yet released.
    const { journal } = await openJournal(journalDir);
    for (const req of [exportOf('a', 30), exportOf('b', 20), exportOf('c', 10)])
      await journal.append(encodeOtlpEntry(req));
    await journal.close();
    const store = await openDuckDbStore({ path: dbPath });
    await store.write(otlpRecords(exportOf('c', 10), directory(), priceBook).batch);
    await store.close();

    const s = await serve(dbPath, journalDir);
    expect(await reportedCalls(s)).toBe(60);
    // The exporter of an unanswered request sends it again: still once.
    expect((await post(s, exportOf('b', 20))).status).toBe(200);
    expect(await reportedCalls(s)).toBe(60);
    await s.server.close();
    // Applied and released: a second restart has nothing to replay and counts the same.
    expect(readdirSync(journalDir).filter((f) => f.endsWith('.log'))).toEqual([]);
    expect(await storedCalls(dbPath)).toBe(60);
  });

  it('answers 429 with Retry-After once the ledger lags the journal by more than the bound', async () => {
    const { dbPath, journalDir } = workDir();
    const s = await serve(dbPath, journalDir, 150);
    const answers = await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        const res = await post(s, exportOf(`q${n}`, 100));
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
      }),
    );
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(ok.length + refused.length).toBe(12);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(r.body)).toMatchObject({
        code: 8,
        message: expect.stringMatching(/waiting to reach the ledger/),
      });
    }
    expect(await reportedCalls(s)).toBe(ok.length * 100);
  });

  it('gathers acknowledged exports into few ledger writes; a read or shutdown does not wait for the delay', async () => {
    const { dbPath, journalDir } = workDir();
    const directory = createPeopleSource(undefined, (err) => {
      throw err;
    });
    const priceBook = createPriceBook(undefined);
    const store = await openDuckDbStore({ path: dbPath });
    cleanup.push(() => store.close());
    const ledger = createIngestWriter(store, { maxQueuedRecords: 200_000 });
    const { journal } = await openJournal(journalDir);
    const writer = journaledWriter(ledger, journal, {
      maxLagRecords: 200_000,
      applyRows: 100,
      applyDelayMs: 60_000,
    });
    const accept = (req: OtlpExport) => writer.accept(otlpRecords(req, directory(), priceBook).batch, req);

    // Below the row threshold and long before the delay: acknowledged, not yet applied.
    for (let i = 0; i < 4; i++) await accept(exportOf(`g${i}`, 20));
    expect(writer.lagRecords).toBe(80);
    expect(ledger.commits).toBe(0);
    // A read applies what it waits for at once, in one write.
    await writer.caughtUp();
    expect([ledger.commits, writer.lagRecords]).toEqual([1, 0]);

    // Reaching the threshold applies without a read: 3 × 40 usage rows, applied once 100 are waiting.
    for (let i = 0; i < 3; i++) await accept(exportOf(`t${i}`, 40));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([ledger.commits, writer.lagRecords]).toEqual([2, 0]);

    // Every table written must reach it: 120 usage rows wait while activity has only 50 of 100.
    await accept(toolResultsOf('a', 50));
    await accept(exportOf('u', 120));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([ledger.commits, writer.lagRecords]).toEqual([2, 170]);
    await accept(toolResultsOf('b', 60));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([ledger.commits, writer.lagRecords]).toEqual([3, 0]);

    // Four times the threshold in all applies whatever the mix: 399 usage rows wait, 1 more is 400.
    await accept(toolResultsOf('c', 1));
    await accept(exportOf('v', 398));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([ledger.commits, writer.lagRecords]).toEqual([3, 399]);
    await accept(exportOf('w', 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([ledger.commits, writer.lagRecords]).toEqual([4, 0]);

    // Shutdown applies what is gathered rather than leaving it to the next start's replay.
    await accept(exportOf('last', 5));
    expect(writer.lagRecords).toBe(5);
    await writer.drain();
    expect([ledger.commits, writer.lagRecords]).toEqual([5, 0]);
    expect(readdirSync(journalDir).filter((f) => f.endsWith('.log'))).toEqual([]);
    await store.close();
    expect(await storedCalls(dbPath)).toBe(80 + 120 + 120 + 399 + 5);
  });
});
