/**
 * Finding the repositories to read under a few roots (say `~/src`), for reading many at once.
 * A directory holding `.git` (a directory, or a file for worktrees and submodules) is a
 * repository, and so is a bare repository (`HEAD`, `objects/`, `refs/`). The walk does not
 * descend into a repository it found, into `node_modules`, or through symbolic links (which
 * could loop), and unreadable directories are passed over silently.
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface DiscoverOptions {
  /** How many directory levels below each root to look (default 6). */
  maxDepth?: number;
}

const SKIPPED = new Set(['node_modules']);

function isBare(entries: readonly Dirent[]): boolean {
  const has = (name: string, dir: boolean) =>
    entries.some((e) => e.name === name && (dir ? e.isDirectory() : e.isFile()));
  return has('HEAD', false) && has('objects', true) && has('refs', true);
}

/** Absolute paths of the repositories under `roots` (roots themselves included), sorted. */
export async function discoverRepositories(
  roots: readonly string[],
  options: DiscoverOptions = {},
): Promise<string[]> {
  const maxDepth = options.maxDepth ?? 6;
  const found = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === '.git' && (e.isDirectory() || e.isFile())) || isBare(entries)) {
      found.add(dir);
      return;
    }
    if (depth >= maxDepth) return;
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(join(dir, entry.name), depth + 1);
    }
  };
  for (const root of roots) await walk(resolve(root), 0);
  return [...found].sort();
}
