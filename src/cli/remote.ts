/**
 * The CLI as a client of a tokenyield server (`--server URL`, or TOKENYIELD_SERVER): the same
 * commands and renderers, with the numbers computed by the server under the caller's token. Every
 * failure is one line saying what to do, never a stack trace.
 * @module
 */
import type { Command } from 'commander';
import { CliError } from './errors.js';

export interface RemoteOptions {
  server?: string;
  token?: string;
}

export interface RemoteTarget {
  /** Origin and base path, without a trailing slash. */
  base: string;
  token: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

const TIMEOUT_MS = 120_000;

/** Adds `--server` and `--token` to a command that can read a server. */
export function withServerOptions(cmd: Command): Command {
  return cmd
    .option(
      '--server <url>',
      'read a tokenyield server instead of the local ledger (default: $TOKENYIELD_SERVER)',
    )
    .option('--token <token>', 'API token for --server (better: $TOKENYIELD_TOKEN, which stays out of `ps`)');
}

/** The server to ask, or undefined to read the local ledger. */
export function remoteTarget(
  opts: RemoteOptions,
  env: NodeJS.ProcessEnv = process.env,
): RemoteTarget | undefined {
  const server = opts.server ?? (env.TOKENYIELD_SERVER || undefined);
  if (server === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`--server must be a URL such as http://127.0.0.1:4318 (got "${server}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`--server must be an http:// or https:// URL (got "${server}")`);
  const token = opts.token ?? (env.TOKENYIELD_TOKEN || undefined);
  if (!token) throw new CliError(`${server} needs a token: set TOKENYIELD_TOKEN or pass --token.`);
  return { base: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, token };
}

function networkFailure(base: string, err: unknown): CliError {
  const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  if ((err as Error).name === 'TimeoutError')
    return new CliError(`${base} did not answer within ${TIMEOUT_MS / 1000} s.`, 1);
  if (code === 'ECONNREFUSED')
    return new CliError(
      `Cannot reach ${base}: connection refused. Is \`tokenyield serve\` running there?`,
      1,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new CliError(`Cannot reach ${base}: the host name does not resolve.`, 1);
  const detail = cause?.message ?? (err as Error).message;
  return new CliError(`Cannot reach ${base}: ${detail}`, 1);
}

function refusal(status: number, message: string | undefined, target: RemoteTarget): CliError {
  const said = message ? `: ${message.replace(/\.?$/, '.')}` : '.';
  if (status === 401)
    return new CliError(`${target.base} refused the token (401)${said} Check TOKENYIELD_TOKEN or --token.`);
  if (status === 403) return new CliError(`Not allowed (403)${said}`);
  if (status >= 500) return new CliError(`${target.base} failed (${status})${said}`, 1);
  return new CliError(`${target.base} refused the request (${status})${said}`);
}

/** GETs `path` (under the server's base) with `query`, and the JSON it answers. */
export function getJson<T>(target: RemoteTarget, path: string, query: Query = {}): Promise<T> {
  return requestJson<T>(target, 'GET', path, { query });
}

/** Sends a request (a JSON `body` for PUT and POST) and returns the JSON the server answers. */
export async function requestJson<T>(
  target: RemoteTarget,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const url = new URL(`${target.base}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {}))
    if (v !== undefined && v !== false) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.token}`,
    accept: 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw networkFailure(target.base, err);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(
      `${target.base} answered ${res.status} with something that is not JSON; is it a tokenyield server?`,
      1,
    );
  }
  if (!res.ok) {
    const message = (body as { error?: { message?: string } }).error?.message;
    throw refusal(res.status, message, target);
  }
  return body as T;
}
