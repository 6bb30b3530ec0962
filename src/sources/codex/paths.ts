/**
 * Where Codex keeps its rollouts: `${CODEX_HOME:-~/.codex}/sessions/YYYY/MM/DD/rollout-*.jsonl`, and
 * `archived_sessions/` for threads the user archived (reference/formats.md §4.1).
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DiscoveredFile, SourceDescription, SourceEnv } from '../source.js';

const ROLLOUT_NAME = /^rollout-.*\.jsonl$/;
/** `sessions/YYYY/MM/DD/` is three levels deep; a little slack for layouts we have not seen. */
const MAX_DEPTH = 6;

/** `CODEX_HOME` may list several homes separated by commas (as ccusage accepts); default `~/.codex`. */
export function codexHomes(env: SourceEnv): string[] {
  const raw = env.env.CODEX_HOME;
  const homes =
    raw !== undefined && raw.trim() !== ''
      ? raw
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '')
          .map((p) => expandTilde(p, env.homeDir))
      : [join(env.homeDir, '.codex')];
  return [...new Set(homes)];
}

function expandTilde(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return join(homeDir, path.slice(2));
  return path;
}

async function listRollouts(dir: string, depth: number, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    // Absent or unreadable directories are normal (no archive yet, Codex never ran).
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) await listRollouts(path, depth + 1, out);
    } else if (entry.isFile() && ROLLOUT_NAME.test(entry.name)) {
      out.push(path);
    }
  }
}

/**
 * Rollouts under every Codex home. A rollout present in both `sessions/` and `archived_sessions/`
 * is read from `sessions/` only. Archiving moves the file to a flat `archived_sessions/`, so the
 * match is on the file name (which embeds the start time and thread id), not the relative path.
 */
export async function discoverRollouts(env: SourceEnv): Promise<DiscoveredFile[]> {
  const files: DiscoveredFile[] = [];
  for (const home of codexHomes(env)) {
    const active: string[] = [];
    const archived: string[] = [];
    await listRollouts(join(home, 'sessions'), 0, active);
    await listRollouts(join(home, 'archived_sessions'), 0, archived);
    const seen = new Set<string>();
    for (const path of [...active.sort(), ...archived.sort()]) {
      const name = basename(path);
      if (seen.has(name)) continue;
      seen.add(name);
      files.push({ path, root: home });
    }
  }
  return files;
}

export const codexDescription: SourceDescription = {
  id: 'codex_rollout',
  tool: 'codex',
  mode: 'append',
  discover: discoverRollouts,
};
