/**
 * The repository key that joins commits to pull requests, deployments and AI sessions:
 * `owner/name` from the `origin` remote when it names a hosted repository (the same key a GitHub
 * export uses), else the directory's name. Two clones of one repository thus share a key, and
 * commit ids (`git:<repo>:<sha>`) dedupe across them.
 * @module
 */
import { basename } from 'node:path';
import { type GitRunOptions, gitOutput } from './git-exec.js';

// ssh://, git://, http(s)://, git+ssh://… with optional user info and port.
const URL_FORM = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?(\/.*)$/i;
// scp-like `user@host:path` or `host:path`: a colon before any slash, and not a drive letter.
const SCP_FORM = /^(?:[^@/]+@)?([^:/]{2,}):(?!\/\/)(.+)$/;

/** `owner/name` (more segments for nested groups, e.g. GitLab) from a remote URL, or null for local paths. */
export function repoKeyFromUrl(url: string): string | null {
  const trimmed = url.trim();
  if (/^file:/i.test(trimmed)) return null;
  const match = URL_FORM.exec(trimmed) ?? SCP_FORM.exec(trimmed);
  if (!match) return null;
  const segments = match[2]!
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .split('/')
    .filter((s) => s.length > 0);
  return segments.length >= 2 ? segments.join('/') : null;
}

/** The key for a repository whose `origin` URL is `url` (null when none) and whose directory is `directory`. */
export function repoKey(url: string | null, directory: string): string {
  const fromUrl = url ? repoKeyFromUrl(url) : null;
  if (fromUrl) return fromUrl;
  // A bare repository's directory is conventionally `name.git`.
  return basename(directory).replace(/\.git$/i, '') || directory;
}

/** Reads the `origin` URL of the repository at `directory` and returns its key. */
export async function readRepoKey(directory: string, options: GitRunOptions = {}): Promise<string> {
  const out = await gitOutput(directory, ['config', '--get', 'remote.origin.url'], options);
  return repoKey(out.code === 0 ? out.stdout.trim() : null, directory);
}
