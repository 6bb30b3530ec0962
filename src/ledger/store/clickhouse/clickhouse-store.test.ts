import { afterAll, describe, expect, it } from 'vitest';
import { withinRounding } from '../../../../test/support/within-rounding.js';
import type { UsageRecord } from '../../records.js';
import { activityRecord, batch, runStoreContract, usageRecord } from '../store.contract.js';
import { type Store, StoreSchemaError, type UsageQuery } from '../store.js';
import { runWorkStoreContract } from '../work.contract.js';
import { Connection, parseClickHouseUrl } from './connection.js';
import { openClickHouseStore, SCHEMA_VERSION } from './index.js';
import { identifier, sql } from './sql.js';
import { clickHouseForTests } from './test-server.js';

const setup = await clickHouseForTests();

if (!setup.ok) {
  describe('ClickHouse store', () => {
    it.skip(setup.reason, () => {});
  });
} else {
  const server = setup.server;
  afterAll(() => server.stop());
  runStoreContract('clickhouse', () => openClickHouseStore({ url: server.freshUrl() }));
  runStoreContract('clickhouse, raw rows only', () =>
    openClickHouseStore({ url: server.freshUrl(), rollups: false }),
  );
  runWorkStoreContract('clickhouse', () => openClickHouseStore({ url: server.freshUrl() }));
  describeClickHouse(() => server.freshUrl());
}

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const HOUR = 3_600_000;
const START = Date.parse('2024-03-01T00:00:00Z');

/** Calls of a few people over two weeks, with streamed copies, sidechain copies and unpriced calls. */
function history(seed: number, count: number): UsageRecord[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const records: UsageRecord[] = [];
  for (let i = 0; i < count; i++) {
    const ts = START + Math.floor(next() * 14 * 24 * HOUR);
    const person = pick(['ana', 'bo', 'cy', 'di']);
    const messageId = `msg_${seed}_${i}`;
    const base = usageRecord({
      id: `cc:${messageId}:req`,
      ts,
      personId: person,
      sessionId: `s_${person}_${Math.floor((ts - START) / (6 * HOUR))}`,
      messageId,
      model: pick(['claude-sonnet-4-5', 'claude-opus-4-1', null]),
      project: pick(['/p/api', '/p/web', null]),
      tool: pick(['claude-code', 'codex'] as const),
      tokens: { output: 2 + Math.floor(next() * 400), inputUncached: Math.floor(next() * 50) },
      costUsd: next() < 0.1 ? null : Math.round(next() * 1e6) / 1e7,
      credits: next() < 0.2 ? Math.round(next() * 100) / 10 : null,
      origin: `/logs/${person}/${i % 5}.jsonl`,
    });
    records.push(base);
    // A streamed placeholder copy with fewer output tokens, arriving later.
    if (next() < 0.3) records.push({ ...base, tokens: { ...base.tokens, output: 1 }, ts: ts - 1000 });
    // A sidechain copy of the same message.
    if (next() < 0.15) {
      records.push({
        ...base,
        id: `cc:${messageId}:side`,
        isSidechain: true,
        tokens: { ...base.tokens, output: 7 },
      });
    }
  }
  return records;
}

const QUERIES: UsageQuery[] = [
  { groupBy: 'day', timeZone: 'UTC' },
  { groupBy: 'day', timeZone: 'Asia/Kolkata', since: '2024-03-03', until: '2024-03-09' },
  { groupBy: 'week', timeZone: 'America/Los_Angeles' },
  { groupBy: 'month', timeZone: 'Asia/Kathmandu' },
  { groupBy: 'model', timeZone: 'UTC', tools: ['codex'] },
  { groupBy: 'project', timeZone: 'Europe/Berlin', personIds: ['ana', 'cy'] },
  { groupBy: 'tool', timeZone: 'UTC', models: ['claude-opus-4-1'] },
  { groupBy: 'person', timeZone: 'UTC', since: '2024-03-05' },
  { groupBy: 'session', timeZone: 'UTC', personId: 'bo' },
  {
    groupBy: 'day',
    timeZone: 'UTC',
    personSpans: [
      { personId: 'ana', fromTs: START + 2 * 24 * HOUR + 123_456, untilTs: START + 9 * 24 * HOUR + 7 },
      { personId: 'ana', fromTs: START + 5 * 24 * HOUR, untilTs: START + 11 * 24 * HOUR - 1 },
      { personId: 'di', fromTs: Number.NEGATIVE_INFINITY, untilTs: START + 4 * 24 * HOUR + 1 },
    ],
  },
];

/** The answer to every query of QUERIES. */
async function answers(store: Store) {
  const out = [];
  for (const query of QUERIES) out.push(await store.usage(query));
  return out;
}

async function rawTotals(url: string) {
  const store = await openClickHouseStore({ url, rollups: false });
  try {
    return await answers(store);
  } finally {
    await store.close();
  }
}

function describeClickHouse(freshUrl: () => string): void {
  describe('ClickHouse store', () => {
    it('answers from the roll-up exactly what raw rows answer, through copies, deletions and re-pricing', async () => {
      const url = freshUrl();
      const store = await openClickHouseStore({ url });
      try {
        const records = history(7, 400);
        for (let start = 0; start < records.length; start += 90) {
          await store.write(batch({ usage: records.slice(start, start + 90) }));
        }
        const raw = await rawTotals(url);
        expect(withinRounding(await answers(store), raw)).toEqual(raw);
        // The same history again adds nothing.
        const again = await store.write(batch({ usage: records }));
        expect(again.usageInserted).toBe(0);
        // A file read again from the start replaces what it held; then everything is re-priced.
        const origin = '/logs/ana/0.jsonl';
        const reread = records.filter((r) => r.origin === origin && !r.isSidechain).slice(0, 3);
        await store.write(batch({ usage: reread, replaceOrigins: [origin] }));
        for await (const rows of store.usageForPricing(97)) {
          await store.updateCosts(
            rows.map((r) => ({ id: r.id, costUsd: 0.01, costBasis: 'computed', priceVersion: 'p2' })),
          );
        }
        const finalRaw = await rawTotals(url);
        expect(withinRounding(await answers(store), finalRaw)).toEqual(finalRaw);
        const byTool = await store.usage({ groupBy: 'tool', timeZone: 'UTC' });
        const calls = byTool.reduce((n, r) => n + r.calls, 0);
        expect(byTool.reduce((n, r) => n + r.costUsd, 0)).toBeCloseTo(calls * 0.01, 9);
      } finally {
        await store.close();
      }
    });

    it('lets several writers insert copies of the same calls at once and counts each call once', async () => {
      const url = freshUrl();
      const writers = await Promise.all([1, 2, 3].map(() => openClickHouseStore({ url })));
      try {
        const records = history(11, 150);
        // Every writer gets every record (at-least-once delivery to different servers), in its own order.
        await Promise.all(
          writers.map(async (store, w) => {
            const order = w === 1 ? [...records].reverse() : records;
            for (let start = 0; start < order.length; start += 40) {
              await store.write(
                batch({
                  usage: order.slice(start, start + 40),
                  activity: [activityRecord({ id: `act-${start}` })],
                }),
              );
            }
          }),
        );
        const reference = await openClickHouseStore({ url: freshUrl() });
        try {
          await reference.write(batch({ usage: records }));
          const expected = await answers(reference);
          expect(withinRounding(await answers(writers[0]!), expected)).toEqual(expected);
        } finally {
          await reference.close();
        }
        const raw = await rawTotals(url);
        expect(withinRounding(await answers(writers[2]!), raw)).toEqual(raw);
      } finally {
        await Promise.all(writers.map((w) => w.close()));
      }
    });

    it('gives the same answers before and after ClickHouse merges the rows', async () => {
      const url = freshUrl();
      const store = await openClickHouseStore({ url });
      const connection = Connection.open(parseClickHouseUrl(url));
      try {
        const records = history(3, 200);
        for (let start = 0; start < records.length; start += 50) {
          await store.write(batch({ usage: records.slice(start, start + 50) }));
        }
        await store.write(batch({ replaceOrigins: ['/logs/bo/1.jsonl'] }));
        const before = await answers(store);
        const sessionsBefore = await store.sessions({});
        for (const table of ['usage', 'usage_rollup', 'activity', 'meta']) {
          await connection.command(sql`OPTIMIZE TABLE ${identifier(table)} FINAL`);
        }
        const parts = await connection.rows<{ n: string }>(
          sql`SELECT toString(count()) AS n FROM system.parts WHERE database = currentDatabase() AND table = 'usage' AND active`,
        );
        expect(Number(parts[0]!.n)).toBeLessThanOrEqual(2);
        expect(withinRounding(await answers(store), before)).toEqual(before);
        expect(withinRounding(await store.sessions({}), sessionsBefore)).toEqual(sessionsBefore);
      } finally {
        await connection.close();
        await store.close();
      }
    });

    it('ignores roll-up rows of an older recompute that land after a newer one', async () => {
      const url = freshUrl();
      const store = await openClickHouseStore({ url });
      const connection = Connection.open(parseClickHouseUrl(url));
      try {
        await store.write(batch({ usage: [usageRecord({ personId: 'p', tokens: { output: 10 } })] }));
        const before = await store.usage({ groupBy: 'day', timeZone: 'UTC' });
        // A racing writer's recompute that saw fewer parts: same unit, lower watermark, other sums.
        await connection.command(sql`INSERT INTO usage_rollup
          SELECT k_day, k_person, wm - 1, bucket, person_id, tool, model, has_model, project, has_project,
            arrayMap(x -> x * 100, input_uncached), cache_read, cache_write_5m, cache_write_1h, cache_write_other,
            output, reasoning, cost_usd, credits, arrayMap(x -> x + 5, calls), unpriced_calls, first_ts, last_ts
          FROM usage_rollup`);
        expect(await store.usage({ groupBy: 'day', timeZone: 'UTC' })).toEqual(before);
        expect(before[0]?.calls).toBe(1);
      } finally {
        await connection.close();
        await store.close();
      }
    });

    it('creates its database, records its migrations, and refuses a schema from a newer build', async () => {
      const url = freshUrl();
      const store = await openClickHouseStore({ url });
      expect(store.engine).toBe('clickhouse');
      expect(await store.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
      await store.close();
      const connection = Connection.open(parseClickHouseUrl(url));
      try {
        const applied = await connection.rows<{ version: number; name: string }>(
          sql`SELECT version, name FROM schema_migrations ORDER BY version`,
        );
        expect(applied).toEqual([{ version: 1, name: 'initial' }]);
        // Opening again (another server starting) changes nothing.
        await (await openClickHouseStore({ url })).close();
        expect(await connection.rows(sql`SELECT version FROM schema_migrations`)).toHaveLength(1);
        await connection.insert('schema_migrations', [
          { version: SCHEMA_VERSION + 1, name: 'future', applied_at: 0 },
        ]);
        await expect(openClickHouseStore({ url })).rejects.toThrow(StoreSchemaError);
      } finally {
        await connection.close();
      }
    });

    it('opens read-only for queries and refuses writes, and refuses a database that does not exist', async () => {
      const url = freshUrl();
      const writer = await openClickHouseStore({ url });
      await writer.write(batch({ usage: [usageRecord()] }));
      await writer.close();
      const reader = await openClickHouseStore({ url, readOnly: true });
      try {
        expect((await reader.usage({ groupBy: 'tool', timeZone: 'UTC' }))[0]?.calls).toBe(1);
        await expect(reader.write(batch({ usage: [usageRecord()] }))).rejects.toThrow(/read-only/);
        await expect(reader.setMeta('k', 'v')).rejects.toThrow(/read-only/);
      } finally {
        await reader.close();
      }
      await expect(openClickHouseStore({ url: freshUrl(), readOnly: true })).rejects.toThrow(
        /does not exist/,
      );
    });
  });
}
