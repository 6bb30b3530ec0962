/**
 * The dashboard's only way to the server: requests to the REST API with the signed-in token
 * (GETs, and the POST of a flag review). Everything the pages show comes from here, already
 * aggregated by the server.
 * @module
 */

const TOKEN_KEY = 'tokenyield.token';

/** A failed request, with the server's own sentence when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// sessionStorage, not localStorage: the token leaves with the tab, so a shared screen does not keep it.
export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

type Unauthorised = () => void;
let onUnauthorised: Unauthorised = () => {};

/** Called when the server stops accepting the stored token (revoked, or a restart with new tokens). */
export function setUnauthorisedHandler(handler: Unauthorised): void {
  onUnauthorised = handler;
}

export type Query = Record<string, string | undefined>;

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function problemOf(res: Response): Promise<ApiError> {
  let code = 'http_error';
  let message = `The server answered ${res.status} ${res.statusText}.`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not the API's JSON (a proxy's page, say): the status line is all there is to say.
  }
  return new ApiError(res.status, code, message);
}

/** GET `path` with `query`; a token other than the stored one may be given (sign-in checks it first). */
export async function apiGet<T>(
  path: string,
  query: Query = {},
  options: { signal?: AbortSignal; token?: string } = {},
): Promise<T> {
  const token = options.token ?? storedToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, query), { headers, signal: options.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Could not reach the tokenyield server. Is `tokenyield serve` running?');
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && options.token === undefined) onUnauthorised();
    throw problem;
  }
  return (await res.json()) as T;
}

/** POST a JSON `body` to `path` (a review, say) and return the JSON answer. */
export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const token = storedToken();
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the tokenyield server. Is `tokenyield serve` running?');
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401) onUnauthorised();
    throw problem;
  }
  return (await res.json()) as T;
}
