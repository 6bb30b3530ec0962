/**
 * HTTP to a tokenyield server for `tokenyield push`: bearer token, gzip bodies, and patience when
 * the server says so. 429 and 503 with `Retry-After` mean nothing of the request was stored, so
 * it is sent again after the wait the server asked for; anything else ends the push with the
 * server's own one-line reason.
 * @module
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const MAX_ATTEMPTS = 6;
const MAX_WAIT_SECONDS = 60;

export class PushError extends Error {
  override name = 'PushError';
}

export interface PushClientOptions {
  server: string;
  token: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface PushClient {
  readonly server: string;
  /** Requests answered so far (retries included). */
  readonly requests: number;
  get(path: string, what: string): Promise<unknown>;
  /** POSTs `json` gzip-compressed. */
  post(path: string, json: string, what: string): Promise<unknown>;
}

/** The server's base URL without a trailing slash; refuses anything but http(s). */
export function serverUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PushError(`"${raw}" is not a URL; give the server as http(s)://host:port.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PushError(`"${raw}" is not an http(s) URL.`);
  return url.href.replace(/\/+$/, '');
}

function reasonOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not a tokenyield answer (a proxy's error page): say so below.
  }
  return text.trim() === '' ? 'no reason given' : `${text.trim().slice(0, 200)}`;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

export function createPushClient(options: PushClientOptions): PushClient {
  const server = serverUrl(options.server);
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let requests = 0;

  async function send(path: string, init: RequestInit, what: string): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetchFn(`${server}${path}`, init);
      } catch (err) {
        throw new PushError(`${what}: cannot reach ${server} (${causeOf(err)}).`);
      }
      requests++;
      const retryAfter = Number(res.headers.get('retry-after'));
      if (
        (res.status === 429 || res.status === 503) &&
        Number.isFinite(retryAfter) &&
        attempt < MAX_ATTEMPTS
      ) {
        await res.body?.cancel();
        await sleep(Math.min(MAX_WAIT_SECONDS, Math.max(1, retryAfter)) * 1000);
        continue;
      }
      const text = await res.text();
      if (res.status === 401) throw new PushError(`${what}: the server refused the token: ${reasonOf(text)}`);
      if (!res.ok) throw new PushError(`${what}: the server answered ${res.status}: ${reasonOf(text)}`);
      try {
        return JSON.parse(text);
      } catch {
        throw new PushError(`${what}: the answer is not JSON; is ${server} a tokenyield server?`);
      }
    }
  }

  const auth = { authorization: `Bearer ${options.token}` };
  return {
    server,
    get requests() {
      return requests;
    },
    get: (path, what) => send(path, { headers: auth }, what),
    async post(path, json, what) {
      const body = await gzipAsync(Buffer.from(json, 'utf8'));
      return send(
        path,
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body,
        },
        what,
      );
    },
  };
}
