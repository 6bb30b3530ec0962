import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LineReaderOptions, type LineReadResult, readLines } from './line-reader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'line-reader-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Seen {
  lines: Array<{ text: string; offset: number }>;
  tails: string[];
  result: LineReadResult;
}

async function read(
  content: string | Buffer,
  options: LineReaderOptions = {},
  start = 0,
  acceptTail = false,
): Promise<Seen> {
  const path = join(dir, 'f.jsonl');
  await writeFile(path, content);
  return readFrom(path, options, start, acceptTail);
}

async function readFrom(
  path: string,
  options: LineReaderOptions,
  start: number,
  acceptTail: boolean,
): Promise<Seen> {
  const lines: Seen['lines'] = [];
  const tails: string[] = [];
  const result = await readLines(
    path,
    start,
    (buf, s, e, offset) => lines.push({ text: buf.toString('utf8', s, e), offset }),
    (buf, s, e) => {
      tails.push(buf.toString('utf8', s, e));
      return acceptTail;
    },
    options,
  );
  return { lines, tails, result };
}

describe('readLines', () => {
  const text = 'alpha\nbeta gamma\n\ndelta-delta-delta\nε unicode é\n';
  const expected = ['alpha', 'beta gamma', '', 'delta-delta-delta', 'ε unicode é'];

  it.each([1, 2, 3, 5, 7, 64, 4096])('splits the same lines at chunk size %i', async (chunkBytes) => {
    const { lines, result } = await read(text, { chunkBytes });
    expect(lines.map((l) => l.text)).toEqual(expected);
    expect(result).toEqual({
      offset: Buffer.byteLength(text),
      bytesRead: Buffer.byteLength(text),
      lines: 5,
      oversizedLines: 0,
      pendingTail: false,
    });
  });

  it('reports the file offset of every line', async () => {
    const { lines } = await read(text, { chunkBytes: 3 });
    const buf = Buffer.from(text);
    for (const { text: line, offset } of lines) {
      expect(buf.toString('utf8', offset, offset + Buffer.byteLength(line))).toBe(line);
    }
    expect(lines.map((l) => l.offset)).toEqual([0, 6, 17, 18, 36]);
  });

  it('strips a CR before the newline but keeps other CRs', async () => {
    const { lines } = await read('a\r\nb\rc\r\n\r\nd\n', { chunkBytes: 2 });
    expect(lines.map((l) => l.text)).toEqual(['a', 'b\rc', '', 'd']);
  });

  it('skips and counts lines longer than maxLineBytes, smaller or larger than a chunk', async () => {
    const long = 'x'.repeat(50);
    const content = `ok1\n${long}\nok2\n${'y'.repeat(11)}\nok3\n`;
    for (const chunkBytes of [4, 16, 1024]) {
      const { lines, result } = await read(content, { chunkBytes, maxLineBytes: 10 });
      expect(lines.map((l) => l.text)).toEqual(['ok1', 'ok2', 'ok3']);
      expect(result.oversizedLines).toBe(2);
      expect(result.offset).toBe(Buffer.byteLength(content));
      expect(result.pendingTail).toBe(false);
    }
  });

  it('keeps a line of exactly maxLineBytes', async () => {
    const { lines, result } = await read(`${'z'.repeat(10)}\nx\n`, { chunkBytes: 4, maxLineBytes: 10 });
    expect(lines.map((l) => l.text)).toEqual(['z'.repeat(10), 'x']);
    expect(result.oversizedLines).toBe(0);
  });

  it('leaves an unterminated last line for the next run, then reads it once complete', async () => {
    const path = join(dir, 'growing.jsonl');
    await writeFile(path, '{"a":1}\n{"b":');
    const first = await readFrom(path, { chunkBytes: 3 }, 0, false);
    expect(first.lines.map((l) => l.text)).toEqual(['{"a":1}']);
    expect(first.tails).toEqual(['{"b":']);
    expect(first.result).toMatchObject({ offset: 8, pendingTail: true, lines: 1 });

    await appendFile(path, '2}\n{"c":3}\n');
    const second = await readFrom(path, { chunkBytes: 3 }, first.result.offset, false);
    expect(second.lines.map((l) => l.text)).toEqual(['{"b":2}', '{"c":3}']);
    expect(second.lines[0]!.offset).toBe(8);
    expect(second.result).toMatchObject({ offset: 24, pendingTail: false, lines: 2, bytesRead: 16 });
  });

  it('consumes an unterminated last line the caller accepts', async () => {
    const { tails, result } = await read('{"a":1}\n{"b":2}', {}, 0, true);
    expect(tails).toEqual(['{"b":2}']);
    expect(result).toMatchObject({ offset: 15, pendingTail: false, lines: 2 });
  });

  it('leaves an oversized unterminated line pending without counting it yet', async () => {
    const { result, tails } = await read(`ok\n${'q'.repeat(40)}`, { chunkBytes: 4, maxLineBytes: 8 });
    expect(tails).toEqual([]);
    expect(result).toMatchObject({ offset: 3, pendingTail: true, oversizedLines: 0 });
  });

  it('stops at endOffset, treating what follows as not yet written', async () => {
    const content = 'one\ntwo\nthree\n';
    const { lines, result } = await read(content, { endOffset: 10, chunkBytes: 2 });
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(result).toMatchObject({ offset: 8, bytesRead: 10, pendingTail: true });
  });

  it('reads nothing from an empty file or from its end', async () => {
    expect((await read('')).result).toEqual({
      offset: 0,
      bytesRead: 0,
      lines: 0,
      oversizedLines: 0,
      pendingTail: false,
    });
    const { lines, result } = await read('a\n', {}, 2);
    expect(lines).toEqual([]);
    expect(result.offset).toBe(2);
  });

  it('keeps concurrent reads apart (pooled buffers are never shared)', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const big = (ch: string) => Array.from({ length: 2000 }, (_, i) => `${ch}${i}`).join('\n');
    await writeFile(a, `${big('a')}\n`);
    await writeFile(b, `${big('b')}\n`);
    const [ra, rb] = await Promise.all([
      readFrom(a, { chunkBytes: 64 }, 0, false),
      readFrom(b, { chunkBytes: 64 }, 0, false),
    ]);
    expect(ra.lines.map((l) => l.text).join('\n')).toBe(big('a'));
    expect(rb.lines.map((l) => l.text).join('\n')).toBe(big('b'));
  });

  it('fails for a missing file', async () => {
    await expect(readLines(join(dir, 'missing.jsonl'), 0, () => {})).rejects.toThrow(/ENOENT/);
  });
});
