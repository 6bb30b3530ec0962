/**
 * The journal on a real directory: what was appended comes back after reopening, in order and
 * byte for byte; a torn or damaged last entry is cut off without losing the ones before it;
 * damage that a crash cannot produce stops the open; released segments are deleted.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES } from './frame.js';
import { JournalDamagedError, openJournal } from './journal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ty-journal-'));
  dirs.push(dir);
  return dir;
}

const entry = (n: number, size = 40) => Buffer.from(`entry ${n} `.padEnd(size, String(n % 10)));
const flip = (data: Buffer, at: number) => data.writeUInt8(data.readUInt8(at) ^ 0xff, at);
const texts = (entries: { payload: Buffer }[]) => entries.map((e) => e.payload.toString());

/** Appends `n` entries (two parts each, as the server writes them) and closes. */
async function written(dir: string, n: number, segmentBytes?: number): Promise<void> {
  const { journal } = await openJournal(dir, { segmentBytes });
  for (let i = 1; i <= n; i++) await journal.append([Buffer.from('#'), entry(i)]);
  await journal.close();
}

describe('the ingest journal', () => {
  it('numbers concurrent appends in order and gives them back whole after reopening', async () => {
    const dir = tempDir();
    const { journal, entries } = await openJournal(dir);
    expect(entries).toEqual([]);
    const seqs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => journal.append([Buffer.from('#'), entry(i + 1)])),
    );
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(journal.durableSeq).toBe(50);
    // Fifty appends arriving together share far fewer syncs than one each.
    expect(journal.syncs).toBeLessThan(50);
    await journal.close();

    const again = await openJournal(dir);
    expect(again.tornBytes).toBe(0);
    expect(again.entries.map((e) => e.seq)).toEqual(seqs);
    expect(texts(again.entries)).toEqual(seqs.map((n) => `#${entry(n)}`));
    expect(await again.journal.append([entry(51)])).toBe(51);
    await again.journal.close();
  });

  it('flushes an append made by code that the previous flush resumed', async () => {
    // The server appends the next export from code resumed by the last one's acknowledgement; an
    // append in that window once waited for a flush that never came.
    const { journal } = await openJournal(tempDir());
    const acknowledged = async (n: number) => journal.append([entry(n)]);
    for (let i = 1; i <= 5; i++) expect(await acknowledged(i)).toBe(i);
    await journal.close();
  }, 10_000);

  it('cuts off a torn last entry and keeps every entry before it', async () => {
    const dir = tempDir();
    await written(dir, 3);
    const [segment] = readdirSync(dir);
    const path = join(dir, segment!);
    const whole = readFileSync(path).byteLength;
    // The process died inside a write: a header promising 100 bytes, and 10 of them.
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    header.writeUInt32LE(100, 0);
    appendFileSync(path, Buffer.concat([header, Buffer.alloc(10, 7)]));

    const { journal, entries, tornBytes } = await openJournal(dir);
    expect(tornBytes).toBe(FRAME_HEADER_BYTES + 10);
    expect(texts(entries)).toEqual([1, 2, 3].map((n) => `#${entry(n)}`));
    expect(readFileSync(path).byteLength).toBe(whole);
    // Appending goes on after the cut, and the new entry is readable too.
    expect(await journal.append([entry(4)])).toBe(4);
    await journal.close();
    const again = await openJournal(dir);
    expect(again.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await again.journal.close();
  });

  it('drops a last entry whose bytes do not match its checksum', async () => {
    const dir = tempDir();
    await written(dir, 3);
    const path = join(dir, readdirSync(dir)[0]!);
    const data = readFileSync(path);
    flip(data, data.byteLength - 1);
    writeFileSync(path, data);
    const { journal, entries, tornBytes } = await openJournal(dir);
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(tornBytes).toBe(FRAME_HEADER_BYTES + 1 + entry(3).byteLength);
    await journal.close();
  });

  it('refuses to open a journal damaged before its last segment', async () => {
    const dir = tempDir();
    await written(dir, 6, 100);
    const segments = readdirSync(dir).sort();
    expect(segments.length).toBeGreaterThan(1);
    const first = join(dir, segments[0]!);
    const data = readFileSync(first);
    flip(data, FRAME_HEADER_BYTES + 2);
    writeFileSync(first, data);
    await expect(openJournal(dir)).rejects.toThrow(JournalDamagedError);
    await expect(openJournal(dir)).rejects.toThrow(/is damaged at byte 0 .* not the last one/);
  });

  it('rolls segments and deletes those released, so it holds only what is not yet applied', async () => {
    const dir = tempDir();
    const { journal } = await openJournal(dir, { segmentBytes: 200 });
    for (let i = 1; i <= 20; i++) await journal.append([entry(i)]);
    const before = readdirSync(dir).length;
    expect(before).toBeGreaterThan(3);
    await journal.release(15);
    const left = readdirSync(dir).sort();
    expect(left.length).toBeLessThan(before);
    // The oldest segment kept holds entry 16 or starts before it; nothing after 15 is gone.
    expect(Number(left[0]!.slice(0, 16))).toBeLessThanOrEqual(16);
    await journal.close();
    const again = await openJournal(dir);
    const seqs = again.entries.map((e) => e.seq);
    expect(seqs.at(-1)).toBe(20);
    expect(seqs[0]).toBeLessThanOrEqual(16);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    // Replayed and applied: releasing everything leaves an empty directory.
    await again.journal.release(20);
    expect(readdirSync(dir)).toEqual([]);
    await again.journal.close();
  });
});
