/**
 * Where Gemini CLI records chats (reference/formats.md §5.4):
 * `~/.gemini/tmp/<project-id>/chats/session-*.jsonl` (legacy `session-*.json`), and sub-agents in
 * `chats/<parentSessionId>/<sessionId>.jsonl`.
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DiscoveredFile, SourceDescription, SourceEnv } from '../source.js';

const MAIN_FILE = /^session-.*\.jsonl?$/;
const SUB_FILE = /\.jsonl$/;

/**
 * `GEMINI_DATA_DIR` (comma-separated, as ccusage reads it) replaces the default
 * `~/.gemini/tmp`, where `~` is Gemini CLI's own `GEMINI_CLI_HOME` override when set.
 */
export function geminiRoots(env: SourceEnv): string[] {
  const raw = env.env.GEMINI_DATA_DIR;
  if (raw !== undefined && raw.trim() !== '') {
    return [
      ...new Set(
        raw
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== ''),
      ),
    ];
  }
  const home = env.env.GEMINI_CLI_HOME?.trim() || env.homeDir;
  return [join(home, '.gemini', 'tmp')];
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    // A root that does not exist (Gemini CLI never ran) is not an error.
    return [];
  }
}

/**
 * The `chats` directories under a root, which may be the `tmp` directory itself (the default), a
 * single project directory, a `chats` directory, or `~/.gemini`: users point GEMINI_DATA_DIR at
 * any of them.
 */
async function chatDirs(root: string, depth = 0): Promise<string[]> {
  if (basename(root) === 'chats') return [root];
  const found: string[] = [];
  for (const e of await entries(root)) {
    if (!e.isDirectory()) continue;
    const dir = join(root, e.name);
    if (e.name === 'chats') found.push(dir);
    else if (e.name === 'tmp' && depth === 0) found.push(...(await chatDirs(dir, depth + 1)));
    else if ((await entries(dir)).some((c) => c.isDirectory() && c.name === 'chats'))
      found.push(join(dir, 'chats'));
  }
  return found;
}

export async function discoverChats(env: SourceEnv): Promise<DiscoveredFile[]> {
  const files: DiscoveredFile[] = [];
  const seen = new Set<string>();
  for (const root of geminiRoots(env)) {
    const paths: string[] = [];
    for (const chats of await chatDirs(root)) {
      for (const e of await entries(chats)) {
        if (e.isFile() && MAIN_FILE.test(e.name)) paths.push(join(chats, e.name));
        else if (e.isDirectory()) {
          for (const sub of await entries(join(chats, e.name))) {
            if (sub.isFile() && SUB_FILE.test(sub.name)) paths.push(join(chats, e.name, sub.name));
          }
        }
      }
    }
    for (const path of paths.sort()) {
      if (seen.has(path)) continue;
      seen.add(path);
      files.push({ path, root });
    }
  }
  return files;
}

export const geminiCliDescription: SourceDescription = {
  id: 'gemini_cli_chat',
  tool: 'gemini-cli',
  mode: 'whole',
  discover: discoverChats,
};
