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
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
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
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
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

function tooLarge(limit: number, when = ''): BodyError {
  return new BodyError(
    413,
    `The body is larger than ${limit} bytes${when ? ` ${when}` : ''}; send smaller batches.`,
  );
}
