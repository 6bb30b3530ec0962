import { describe, expect, it } from 'vitest';
import { JsonValuesError, parseJsonList, parseJsonValues } from './json-values.js';

describe('parseJsonValues', () => {
  it('splits pages that gh api --paginate printed back to back', () => {
    expect(parseJsonValues('[{"a":1}][{"a":2},{"a":3}]\n')).toEqual([[{ a: 1 }], [{ a: 2 }, { a: 3 }]]);
    expect(parseJsonValues('{"commits":[]}\n{"commits":[1]}')).toEqual([{ commits: [] }, { commits: [1] }]);
  });

  it('is not fooled by brackets and escaped quotes inside strings', () => {
    const text = '[{"body":"a ] b [ c \\" ]["}]\n[{"body":"}{"}]';
    expect(parseJsonValues(text)).toEqual([[{ body: 'a ] b [ c " ][' }], [{ body: '}{' }]]);
  });

  it('reads NDJSON, scalars and a leading BOM', () => {
    expect(parseJsonValues('\uFEFF{"a":1}\r\n{"a":2}\n42 "x" true null')).toEqual([
      { a: 1 },
      { a: 2 },
      42,
      'x',
      true,
      null,
    ]);
    expect(parseJsonValues('  \n ')).toEqual([]);
  });

  it('names the line of a bad or unterminated value', () => {
    expect(() => parseJsonValues('[1]\n[2,]')).toThrow(/line 2/);
    const err = (() => {
      try {
        parseJsonValues('[1]\n\n{"a": [1, 2}');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JsonValuesError);
    expect((err as JsonValuesError).line).toBe(3);
    expect(() => parseJsonValues('[1][2')).toThrow(/unterminated/);
  });
});

describe('parseJsonList', () => {
  it('flattens plain arrays, concatenated pages and --slurp output alike', () => {
    expect(parseJsonList('[1,2]')).toEqual([1, 2]);
    expect(parseJsonList('[1,2][3]')).toEqual([1, 2, 3]);
    expect(parseJsonList('[[1,2],[3]]')).toEqual([1, 2, 3]);
    expect(parseJsonList('')).toEqual([]);
  });

  it('rejects a file that is not a list', () => {
    expect(() => parseJsonList('{"number":1}')).toThrow(/expected a JSON array/);
  });
});
