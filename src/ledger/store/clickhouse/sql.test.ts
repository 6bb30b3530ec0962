import { afterAll, describe, expect, it } from 'vitest';
import { Connection, parseClickHouseUrl } from './connection.js';
import { identifier, inList, isSql, join, literal, sql, trusted, tuple, tupleList } from './sql.js';
import { clickHouseForTests } from './test-server.js';

describe('literal', () => {
  it('quotes strings, escaping backslash, quote and control characters', () => {
    expect(literal('plain')).toBe("'plain'");
    expect(literal("it's")).toBe("'it\\'s'");
    expect(literal('back\\slash')).toBe("'back\\\\slash'");
    expect(literal('a\nb\tc\u0000d\u007f')).toBe("'a\\x0ab\\x09c\\x00d\\x7f'");
    expect(literal("'; DROP TABLE usage; --")).toBe("'\\'; DROP TABLE usage; --'");
    expect(literal('ünï ✓ 🚀')).toBe("'ünï ✓ 🚀'");
  });

  it('writes numbers exactly and refuses what is not a finite number', () => {
    expect(literal(42)).toBe('42');
    expect(literal(0.1)).toBe('0.1');
    expect(literal(1e-7)).toBe('1e-7');
    expect(literal(-5)).toBe('(-5)');
    expect(literal(-0)).toBe('(0)');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal(-3n)).toBe('(-3)');
    expect(() => literal(Number.NaN)).toThrow(/finite/);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('writes booleans, NULL and arrays of any of these', () => {
    expect(literal(true)).toBe('1');
    expect(literal(false)).toBe('0');
    expect(literal(null)).toBe('NULL');
    expect(literal(['a', 1, null, ["b'c"]])).toBe("['a', 1, NULL, ['b\\'c']]");
    expect(() => literal({} as unknown as string)).toThrow(/type object/);
    expect(() => literal(undefined as unknown as string)).toThrow(/type undefined/);
  });
});

describe('sql', () => {
  it('escapes interpolated values and splices fragments unchanged', () => {
    const where = sql`person_id = ${"o'brien"}`;
    const statement = sql`SELECT ${trusted('count()')} FROM ${identifier('usage')} WHERE ${where} AND x IN ${inList([1, 2])}`;
    expect(isSql(statement)).toBe(true);
    expect(statement.text).toBe("SELECT count() FROM `usage` WHERE person_id = 'o\\'brien' AND x IN (1, 2)");
    expect(isSql(statement.text)).toBe(false);
  });

  it('builds lists, tuples and joins, and refuses an empty IN list', () => {
    expect(tuple(['2024-03-10', 'p']).text).toBe("('2024-03-10', 'p')");
    expect(
      tupleList([
        ['a', 1],
        ['b', 2],
      ]).text,
    ).toBe("(('a', 1), ('b', 2))");
    expect(join([sql`a = ${1}`, sql`b = ${'x'}`], ' AND ').text).toBe("a = 1 AND b = 'x'");
    expect(() => inList([])).toThrow(/empty/);
    expect(() => tupleList([])).toThrow(/empty/);
    expect(identifier('we`ird').text).toBe('`we\\`ird`');
    expect(() => identifier('')).toThrow(/empty/);
  });
});

const setup = await clickHouseForTests();

describe.skipIf(!setup.ok)('literal against a real server', () => {
  afterAll(async () => {
    if (setup.ok) await setup.server.stop();
  });

  it('reads every value back exactly as it was written', async () => {
    if (!setup.ok) return;
    const connection = Connection.open(parseClickHouseUrl(setup.server.freshUrl()), false);
    try {
      const nasty = [
        "it's",
        'back\\slash\\',
        "\\'",
        'line\nbreak\r\ttab',
        'nul\u0000byte',
        '🚀 ünï ✓',
        "'; DROP TABLE usage; --",
        // A template placeholder and a query-parameter placeholder, both plain text here.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the characters themselves are the test.
        '${x} {a:String}',
        '',
      ];
      for (const value of nasty) {
        const rows = await connection.rows<{ v: string; n: string }>(
          sql`SELECT ${value} AS v, toString(length(${value})) AS n`,
        );
        expect(rows[0]?.v).toBe(value);
        expect(Number(rows[0]?.n)).toBe(Buffer.byteLength(value));
      }
      const numbers = [0, 42, -5, 0.1, 1e-7, 123456.789, -2.5e300, 9007199254740991];
      for (const value of numbers) {
        const rows = await connection.rows<{ v: number }>(sql`SELECT toFloat64(${value}) AS v`);
        expect(rows[0]?.v).toBe(value);
      }
      const arrays = await connection.rows<{ v: string[] }>(sql`SELECT ${["a'b", 'c\\d']} AS v`);
      expect(arrays[0]?.v).toEqual(["a'b", 'c\\d']);
      const minus = await connection.rows<{ v: number }>(sql`SELECT 10 - ${-5} AS v`);
      expect(Number(minus[0]?.v)).toBe(15);
    } finally {
      await connection.close();
    }
  });
});
