/**
 * Where Claude Code keeps its transcripts, and what a transcript's path says about its session
 * (reference/formats.md §1.1, §1.8 rule 8; ccusage `adapter/claude/paths.rs`).
 * @module
 */
import { type Dirent, readdirSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { DiscoveredFile, SourceDescription, SourceEnv } from '../source.js';

function expandHome(raw: string, homeDir: string): string {
  if (raw === '~') return homeDir;
  if (raw.startsWith('~/')) return join(homeDir, raw.slice(2));
  return raw;
}

/**
 * Candidate config roots in priority order. `CLAUDE_CONFIG_DIR` (comma-separated, as ccusage
 * accepts it) replaces the defaults entirely; an entry may also name the `projects/` dir itself.
 */
export function candidateRoots(source: SourceEnv): string[] {
  const { env, homeDir } = source;
  const configured = env.CLAUDE_CONFIG_DIR;
  if (configured !== undefined && configured.trim() !== '') {
    return configured
      .split(',')
      .map((raw) => raw.trim())
      .filter((raw) => raw !== '')
      .map((raw) => {
        const path = expandHome(raw, homeDir);
        return basename(path) === 'projects' ? dirname(path) : path;
      });
  }
  const xdg = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return [join(xdg, 'claude'), join(homeDir, '.claude')];
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Roots that exist and have a `projects/` dir, each once even when reached through a symlink. */
export async function resolveRoots(source: SourceEnv): Promise<string[]> {
  const roots: string[] = [];
  const seen = new Set<string>();
  for (const root of candidateRoots(source)) {
    if (!(await isDir(join(root, 'projects')))) continue;
    let real: string;
    try {
      real = await realpath(root);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    roots.push(root);
  }
  return roots;
}

/**
 * Synchronous on purpose: a history is thousands of small directories, and a promise per
 * `readdir` made listing slower than reading the files it found.
 */
function collectJsonl(dir: string, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    // Vanished or unreadable while walking (retention sweep, permissions): not an error.
    return;
  }
  // `dir` is already normal, so a separator is all `join` would add: on a warm run's 8,000 files
  // its normalising was ~20 ms.
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.isDirectory()) collectJsonl(path, out);
    else if (entry.isFile() && entry.name.endsWith('.jsonl')) out.push(path);
  }
}

/** Every `*.jsonl` under each root's `projects/`, recursively (catches both subagent layouts). */
export async function discoverTranscripts(source: SourceEnv): Promise<DiscoveredFile[]> {
  const files: DiscoveredFile[] = [];
  for (const root of await resolveRoots(source)) {
    const paths: string[] = [];
    collectJsonl(join(root, 'projects'), paths);
    paths.sort();
    for (const path of paths) files.push({ path, root });
  }
  return files;
}

/** What a transcript's location says about the session its lines belong to. */
export interface TranscriptLayout {
  /** Session id from the path; null for a flat `agent-*.jsonl`, whose lines name their parent. */
  sessionId: string | null;
  /** Written by a subagent (either layout): its calls belong to the parent session. */
  isSubagentFile: boolean;
}

/**
 * `projects/<p>/<id>.jsonl` → `<id>`; `…/<id>/subagents/<f>.jsonl` → `<id>` (the parent);
 * `projects/<p>/agent-<a>.jsonl` (older flat subagent layout) → taken from each line;
 * anything deeper falls back to the file's directory name, as ccusage does.
 */
export function transcriptLayout(path: string): TranscriptLayout {
  const parts = path.split(sep);
  const projects = parts.lastIndexOf('projects');
  const rel = projects === -1 ? parts.slice(-2) : parts.slice(projects + 1);
  const file = rel[rel.length - 1] ?? '';
  const stem = file.endsWith('.jsonl') ? file.slice(0, -'.jsonl'.length) : file;
  if (rel.length >= 4 && rel[rel.length - 2] === 'subagents') {
    return { sessionId: rel[rel.length - 3]!, isSubagentFile: true };
  }
  if (rel.length === 2) {
    if (stem.startsWith('agent-')) return { sessionId: null, isSubagentFile: true };
    return { sessionId: stem || null, isSubagentFile: false };
  }
  if (rel.length > 2) return { sessionId: rel[rel.length - 2]!, isSubagentFile: false };
  return { sessionId: stem || null, isSubagentFile: false };
}

export const claudeCodeDescription: SourceDescription = {
  id: 'claude_code_jsonl',
  tool: 'claude-code',
  mode: 'append',
  discover: discoverTranscripts,
};
