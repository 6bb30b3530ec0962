import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyError, readBody } from './body.js';

function request(
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
  return new Request('http://x/v1/logs', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

function chunked(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

describe('request bodies', () => {
  it('reads plain, chunked and gzip bodies', async () => {
    const text = new TextEncoder().encode('{"resourceLogs":[]}');
    expect(await readBody(request(text), 1024)).toEqual(text);
    expect(Buffer.from(await readBody(request(chunked([text.slice(0, 5), text.slice(5)])), 1024))).toEqual(
      Buffer.from(text),
    );
    expect(
      Buffer.from(await readBody(request(gzipSync(text), { 'content-encoding': 'gzip' }), 1024)),
    ).toEqual(Buffer.from(text));
  });

  it('refuses bodies over the limit, declared or streamed, and gzip bombs', async () => {
    const big = new Uint8Array(2048);
    await expect(readBody(request(big), 1024)).rejects.toMatchObject({ status: 413 });
    await expect(
      readBody(request(chunked([big.slice(0, 1000), big.slice(1000)])), 1024),
    ).rejects.toMatchObject({
      status: 413,
    });
    const bomb = gzipSync(new Uint8Array(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 64);
    await expect(readBody(request(bomb, { 'content-encoding': 'gzip' }), 1024 * 1024)).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/after decompression/),
    });
  });

  it('says what is wrong with a bad encoding', async () => {
    await expect(
      readBody(request(new TextEncoder().encode('not gzip'), { 'content-encoding': 'gzip' }), 1024),
    ).rejects.toBeInstanceOf(BodyError);
    await expect(
      readBody(request(new Uint8Array(1), { 'content-encoding': 'br' }), 1024),
    ).rejects.toMatchObject({
      status: 415,
    });
  });
});
