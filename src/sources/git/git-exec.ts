/**
 * Running the `git` binary: short commands whose output is small, and long commands whose output
 * is streamed chunk by chunk so that a 100,000-commit log never sits in memory at once.
 *
 * Every failure becomes a `GitError` with a one-line message (the command and git's own last
 * stderr line), so callers can report a skip instead of printing a stack.
 * @module
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** Options shared by every git invocation. */
export interface GitRunOptions {
  /** The git executable; tests point it at a missing binary to check the "git missing" path. */
  git?: string;
  /** Written to git's stdin (for `--stdin` revision lists). */
  input?: string;
}

export type GitErrorCode = 'git_missing' | 'git_failed';

export class GitError extends Error {
  readonly code: GitErrorCode;
  /** git's stderr (its tail), for callers that classify failures by git's message. */
  readonly stderr: string;
  constructor(code: GitErrorCode, message: string, stderr = '') {
    super(message);
    this.name = 'GitError';
    this.code = code;
    this.stderr = stderr;
  }
}

// Variables that would make git read some other repository than the one asked for (they are set
// when tokenyield itself runs inside a git hook), or block on a credential prompt.
const HIJACKING_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of HIJACKING_VARIABLES) delete env[name];
  // Reading must never take the index lock away from the user's own git commands.
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  // English messages, so that "not a git repository" can be recognised; output encoding of log
  // messages is governed by --encoding, not by the locale.
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  return env;
}

const STDERR_LIMIT = 16 * 1024;

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? '';
}

function describe(args: readonly string[]): string {
  return `git ${args.slice(0, 3).join(' ')}${args.length > 3 ? ' …' : ''}`;
}

function spawnFailure(git: string, error: NodeJS.ErrnoException): GitError {
  if (error.code === 'ENOENT') {
    return new GitError('git_missing', `git is not installed or not on PATH (could not run "${git}")`);
  }
  return new GitError('git_failed', `could not run "${git}": ${error.message}`);
}

function exitFailure(args: readonly string[], code: number | null, signal: string | null, stderr: string) {
  const why = lastLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`);
  return new GitError('git_failed', `${describe(args)} failed: ${why}`, stderr);
}

type Exit = { error: NodeJS.ErrnoException } | { code: number | null; signal: string | null };

function startGit(cwd: string, args: readonly string[], options: GitRunOptions) {
  const git = options.git ?? 'git';
  const child = spawn(git, args, {
    cwd,
    env: gitEnv(),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_LIMIT);
  });
  const exit = new Promise<Exit>((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (options.input !== undefined && child.stdin) {
    // git may exit before reading all of stdin (e.g. on a bad revision); that is reported by
    // its exit code, not by an EPIPE crash.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  }
  const finish = async (): Promise<void> => {
    const result = await exit;
    if ('error' in result) throw spawnFailure(git, result.error);
    if (result.code !== 0) throw exitFailure(args, result.code, result.signal, stderr);
  };
  return { child, exit, finish, stderr: () => stderr };
}

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a git command with small output and returns it, whatever the exit code; only a git that
 * cannot be started rejects. For commands whose non-zero exit is an answer (`config --get`,
 * `rev-parse --verify -q`).
 */
export async function gitOutput(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<GitOutput> {
  const run = startGit(cwd, args, options);
  const chunks: Buffer[] = [];
  run.child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await run.exit;
  if ('error' in result) throw spawnFailure(options.git ?? 'git', result.error);
  return {
    code: result.code ?? -1,
    stdout: Buffer.concat(chunks).toString('utf8'),
    stderr: run.stderr(),
  };
}

/** Runs a git command with small output; a non-zero exit rejects with a `GitError`. */
export async function git(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<string> {
  const out = await gitOutput(cwd, args, options);
  if (out.code !== 0) throw exitFailure(args, out.code, null, out.stderr);
  return out.stdout;
}

/**
 * Streams a git command's stdout. The consumer's pace is git's pace (the pipe applies
 * backpressure), and leaving the loop early kills git.
 */
export async function* gitStream(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): AsyncGenerator<Buffer> {
  const run = startGit(cwd, args, options);
  let done = false;
  try {
    for await (const chunk of run.child.stdout!) yield chunk as Buffer;
    await run.finish();
    done = true;
  } finally {
    if (!done && run.child.exitCode === null && run.child.signalCode === null) run.child.kill();
  }
}

/** Streams a git command's stdout as lines (without the newline). */
export async function* gitLines(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): AsyncGenerator<string> {
  // A multi-byte character may straddle two chunks.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gitStream(cwd, args, options)) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line;
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}
