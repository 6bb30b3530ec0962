import { describe, expect, it } from 'vitest';
import {
  decodeString,
  findKey,
  findLastKey,
  ObjectCursor,
  readCount,
  readString,
  skipString,
  skipValue,
  WRONG_TYPE,
} from './json-scan.js';

const buf = (s: string) => Buffer.from(s);

describe('skipString', () => {
  it.each([
    ['"abc"', 5],
    ['"a\\"b"', 6],
    ['"a\\\\"', 5],
    ['"a\\\\\\"b"', 8],
    [`"${'x'.repeat(100)}\\"${'y'.repeat(100)}"`, 204],
    [`"${'\\"'.repeat(60)}"`, 122],
  ])('finds the end of %s', (text, end) => {
    expect(skipString(buf(text), 1, text.length)).toBe(end);
  });

  it('does not look past the end it is given', () => {
    const b = buf(`"${'x'.repeat(80)}\n"`);
    expect(skipString(b, 1, 82)).toBe(-1);
    expect(skipString(buf('"abc'), 1, 4)).toBe(-1);
  });
});

describe('skipValue', () => {
  it.each([
    ['{"a":[1,{"b":"}"}],"c":"]"}', 27],
    ['[]', 2],
    ['123,', 3],
    ['true}', 4],
    ['null', 4],
    ['"x"', 3],
  ])('skips %s', (text, end) => {
    expect(skipValue(buf(text), 0, text.length)).toBe(end);
  });

  it('reports an unterminated value', () => {
    expect(skipValue(buf('{"a":[1,2'), 0, 9)).toBe(-1);
    expect(skipValue(buf(''), 0, 0)).toBe(-1);
  });
});

describe('ObjectCursor', () => {
  it('walks members, whitespace included', () => {
    const b = buf('{ "a" : 1 , "b\\"q" :{"x":[2]}, "c":"s" }');
    const c = new ObjectCursor();
    expect(c.reset(b, 0, b.length)).toBe(true);
    const keys: string[] = [];
    while (c.next()) {
      keys.push(b.toString('utf8', c.keyStart, c.keyEnd));
      c.skip();
    }
    expect(keys).toEqual(['a', 'b\\"q', 'c']);
    expect(c.closed).toBe(true);
    expect(c.failed).toBe(false);
    expect(c.position).toBe(b.length);
  });

  it('handles empty and malformed objects', () => {
    const c = new ObjectCursor();
    c.reset(buf('{}'), 0, 2);
    expect(c.next()).toBe(false);
    expect(c.closed).toBe(true);
    for (const bad of ['{"a" 1}', '{"a":1 "b":2}', '{a:1}', '{"a":1']) {
      const b = buf(bad);
      c.reset(b, 0, b.length);
      while (c.next()) if (!c.skip()) break;
      expect([bad, c.failed]).toEqual([bad, true]);
    }
    expect(c.reset(buf('[1]'), 0, 3)).toBe(false);
  });
});

describe('readers', () => {
  const out = { end: 0 };
  it('reads counts strictly', () => {
    const count = (s: string) => readCount(buf(s), 0, s.length, out);
    expect(count('123')).toBe(123);
    expect(count('0,')).toBe(0);
    expect(count('12.0')).toBe(12);
    expect(count('1e3')).toBe(1000);
    expect(count('null')).toBeNull();
    for (const bad of ['-1', '1.5', '"12"', 'true', '1e999', '{}', '99999999999999999'])
      expect([bad, count(bad)]).toEqual([bad, WRONG_TYPE]);
  });

  it('reads and decodes strings', () => {
    const s = '"caf\\u00e9 \\"x\\"\\n"';
    expect(readString(buf(s), 0, s.length, out)).toBe('café "x"\n');
    expect(out.end).toBe(s.length);
    expect(readString(buf('null'), 0, 4, out)).toBeNull();
    expect(readString(buf('12'), 0, 2, out)).toBeUndefined();
    expect(decodeString(buf('"é"'), 0, 4)).toBe('é');
    expect(decodeString(buf('"\\x"'), 0, 4)).toBeNull();
  });
});

describe('findKey', () => {
  const pattern = Buffer.from('"usage":');
  it('finds a member key but never text inside a string', () => {
    const text = '{"t":"say \\"usage\\": no","a":{"usage":{"x":1}},"usage":{"y":2}}';
    const b = buf(text);
    expect(findKey(b, 0, b.length, pattern)).toBe(text.indexOf('{"usage"') + 1);
    expect(findKey(b, text.indexOf('"x"'), b.length, pattern)).toBe(text.lastIndexOf('"usage"'));
    expect(findKey(b, 0, 10, pattern)).toBe(-1);
  });
});

describe('findLastKey', () => {
  const pattern = Buffer.from('"usage":');
  it('finds the last member key in range, at its very start too', () => {
    const text = '{"usage":{"a":{"usage":1}},"x":"\\"usage\\":"}';
    const b = buf(text);
    expect(findLastKey(b, 0, b.length, pattern)).toBe(text.lastIndexOf('"usage":1'));
    expect(findLastKey(b, 1, 12, pattern)).toBe(1);
    expect(findLastKey(b, 2, 12, pattern)).toBe(-1);
    expect(findKey(b, 1, b.length, pattern)).toBe(1);
  });
});
