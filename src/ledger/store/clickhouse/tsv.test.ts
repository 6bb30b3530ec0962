import { afterAll, describe, expect, it } from 'vitest';
import { Connection, parseClickHouseUrl } from './connection.js';
import { identifier, sql } from './sql.js';
import { clickHouseForTests } from './test-server.js';
import { toTsv, tsvField } from './tsv.js';

describe('tsvField', () => {
  it('escapes what would end a field or a row, writes null as \\N', () => {
    expect(tsvField('plain')).toBe('plain');
    expect(tsvField('a\tb\nc\\d\re\u0000')).toBe('a\\tb\\nc\\\\d\\re\\0');
    expect(tsvField('\\N')).toBe('\\\\N');
    expect(tsvField(null)).toBe('\\N');
    expect(tsvField(undefined)).toBe('\\N');
    expect(tsvField(1.5e-7)).toBe('1.5e-7');
    expect(tsvField(18446744073709551615n)).toBe('18446744073709551615');
    expect(tsvField(true)).toBe('1');
    expect(() => tsvField(Number.NaN)).toThrow(/finite/);
    expect(() => tsvField({})).toThrow(/type object/);
  });

  it('lays rows out in the given column order', () => {
    expect(
      toTsv(
        ['b', 'a'],
        [
          { a: 1, b: 'x' },
          { a: null, b: 'y\tz' },
        ],
      ),
    ).toBe('x\t1\ny\\tz\t\\N\n');
    expect(toTsv(['a'], [])).toBe('');
  });
});

const setup = await clickHouseForTests();

describe.skipIf(!setup.ok)('TabSeparated against a real server', () => {
  afterAll(async () => {
    if (setup.ok) await setup.server.stop();
  });

  it('stores every value exactly as given', async () => {
    if (!setup.ok) return;
    const target = parseClickHouseUrl(setup.server.freshUrl());
    const admin = Connection.open(target, false);
    await admin.command(sql`CREATE DATABASE ${identifier(target.database)}`);
    await admin.close();
    const connection = Connection.open(target);
    try {
      await connection.command(
        sql`CREATE TABLE t (n UInt32, s String, ns Nullable(String), f Nullable(Float64), v UInt64) ENGINE = MergeTree ORDER BY n`,
      );
      const values = ['tab\there', 'line\nbreak', 'back\\slash', '\\N', 'nul\u0000', '🚀 ✓', "quote'", ''];
      const rows = values.map((s, n) => ({
        n,
        s,
        ns: n % 2 ? null : s,
        f: n % 3 ? 0.1 * n : null,
        v: 2n ** 63n + BigInt(n),
      }));
      await connection.insert('t', rows, ['n', 's', 'ns', 'f', 'v']);
      const back = await connection.rows<{ s: string; ns: string | null; f: number | null; v: string }>(
        sql`SELECT s, ns, f, toString(v) AS v FROM t ORDER BY n`,
      );
      expect(back).toEqual(rows.map((r) => ({ s: r.s, ns: r.ns, f: r.f, v: r.v.toString() })));
    } finally {
      await connection.close();
    }
  });
});
