/**
 * Reading shipped work out of Codex events: commits from `exec_command_end`, changed lines from
 * `patch_apply_*` (reference/formats.md §4.1, §10.3).
 * @module
 */

/** `git [global options] commit`, anywhere in a shell command line (`git add -A && git commit …`). */
const GIT_COMMIT = /(?:^|[\s;&|(`'"])git(?:\s+(?:-C\s+\S+|-c\s+\S+|--?[\w-]+(?:=\S+)?))*\s+commit(?:\s|$)/;
/** The summary line git prints after a successful commit: `[branch sha] subject`. */
const COMMIT_SUMMARY = /^\[(.+?) ([0-9a-f]{7,40})\] /m;

export interface CommitInfo {
  sha: string;
  /** Null for a detached HEAD. */
  branch: string | null;
}

export function commandText(command: unknown): string | null {
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((c) => typeof c === 'string')) return command.join(' ');
  return null;
}

export function isGitCommit(command: string): boolean {
  return GIT_COMMIT.test(command);
}

/** The commit a successful `git commit` reported, from its output. */
export function parseCommitOutput(output: string): CommitInfo | null {
  const m = COMMIT_SUMMARY.exec(output);
  if (!m) return null;
  const branch = m[1]!.replace(/ \(root-commit\)$/, '');
  return { sha: m[2]!, branch: branch === 'detached HEAD' ? null : branch };
}

export interface LineCounts {
  added: number;
  removed: number;
}

function countLines(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/** `+`/`-` lines of a unified diff; `---`/`+++` are file headers only before the first hunk. */
export function countDiffLines(diff: string): LineCounts {
  let added = 0;
  let removed = 0;
  let inHunk = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) {
      inHunk = true;
      continue;
    }
    if (!inHunk && (line.startsWith('+++ ') || line.startsWith('--- '))) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}

function object(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * Lines added and removed by a patch's `changes` map (`{path: FileChange}`). Current builds tag
 * each change (`{type: "update", unified_diff}`); older ones wrote `{update: {unified_diff}}`.
 * Null when there is no usable change at all.
 */
export function countPatchChanges(changes: unknown): LineCounts | null {
  const files = object(changes);
  if (!files) return null;
  let added = 0;
  let removed = 0;
  let any = false;
  for (const raw of Object.values(files)) {
    const change = object(raw);
    if (!change) continue;
    let kind = typeof change.type === 'string' ? change.type : null;
    let body: Record<string, unknown> | null = change;
    if (kind === null) {
      kind = ['add', 'delete', 'update'].find((k) => k in change) ?? null;
      body = kind ? object(change[kind]) : null;
    }
    if (!kind || !body) continue;
    if (kind === 'add' && typeof body.content === 'string') {
      added += countLines(body.content);
      any = true;
    } else if (kind === 'delete') {
      if (typeof body.content === 'string') removed += countLines(body.content);
      any = true;
    } else if (kind === 'update' && typeof body.unified_diff === 'string') {
      const d = countDiffLines(body.unified_diff);
      added += d.added;
      removed += d.removed;
      any = true;
    }
  }
  return any ? { added, removed } : null;
}
