/**
 * Who the local records belong to. Local transcripts carry no identity of their own
 * (reference/formats.md §10.1), so the collecting machine attaches it: the configured person,
 * else the git author e-mail, else `user@host`. The raw identifiers are kept on every record so
 * a later alias table can re-resolve them.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';

export interface LocalIdentity {
  personId: string;
  raw: Record<string, string>;
}

function gitEmail(env: Record<string, string | undefined>): string | undefined {
  try {
    const out = execFileSync('git', ['config', '--global', 'user.email'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: env as NodeJS.ProcessEnv,
      timeout: 2000,
    }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

export function resolveLocalIdentity(
  configured: string | undefined,
  env: Record<string, string | undefined> = process.env,
): LocalIdentity {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // Containers without a passwd entry: fall back to the environment below.
    osUser = env.USER ?? env.LOGNAME ?? 'unknown';
  }
  const host = hostname();
  const raw: Record<string, string> = { os_user: osUser, host };
  const email = gitEmail(env);
  if (email) raw.git_email = email;
  const fromEnv = env.TOKENYIELD_PERSON;
  const personId = (fromEnv || configured || email || `${osUser}@${host}`).toLowerCase();
  return { personId, raw };
}
