/**
 * Request bodies with limits: the compressed size is checked as it streams in (chunked bodies
 * have no Content-Length), and gzip is inflated with a cap on the output, so neither a huge
 * upload nor a small zip bomb can exhaust memory.
 * @module
 */
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the whole body of `request`, refusing more than `limit` bytes before or after inflation. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const length = request.headers.get('content-length');
  const declared = Number(length);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  // A declared length within the limit bounds the body already (Node's parser ends a body at its
  // Content-Length), and arrayBuffer() lets @hono/node-server hand over Node's own buffers instead
  // of building a web Request and stream for each export (~6 % of the loaded server's main thread).
  const raw =
    length !== null && Number.isInteger(declared) && declared >= 0
      ? new Uint8Array(await request.arrayBuffer())
      : await readStream(request, limit);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'deflate')
    throw new BodyError(415, `Content-Encoding "${encoding}" is not supported; send gzip or no encoding.`);
  try {
    const inflateFn = encoding === 'gzip' ? gunzipAsync : inflateAsync;
    return await inflateFn(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(limit, 'after decompression');
    throw new BodyError(400, `The body is not valid ${encoding} data: ${(err as Error).message}`);
  }
}

/** A body of undeclared length (chunked), counted as it streams in. */
async function readStream(request: Request, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function tooLarge(limit: number, when = ''): BodyError {
  return new BodyError(
    413,
    `The body is larger than ${limit} bytes${when ? ` ${when}` : ''}; send smaller batches.`,
  );
}
