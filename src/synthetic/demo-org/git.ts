/**
 * Writes the demo's git-backed repositories to disk with `git fast-import` (one process per
 * repository; thousands of commits take well under a second), then checks that every commit
 * fast-import created has the id computed in process (git-objects.ts).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRepoStream } from './work.js';

/** Git's environment without the caller's repository, user config or hooks leaking in. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

function git(cwd: string, args: string[], input?: Buffer): string {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv(),
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface WrittenRepo {
  path: string;
  repo: string;
}

export function writeGitRepo(dir: string, stream: GitRepoStream): WrittenRepo {
  const path = join(dir, stream.repo.name);
  if (existsSync(path) && readdirSync(path).length > 0) {
    throw new Error(`demo: ${path} already exists and is not empty; give an empty or new directory`);
  }
  mkdirSync(path, { recursive: true });
  git(path, ['init', '-q', '-b', 'main']);
  git(path, ['remote', 'add', 'origin', `https://github.com/${stream.repo.key}.git`]);
  const marksFile = join(path, '.git', 'demo-marks');
  const tail = stream.openBranches.map(([branch, mark]) => `reset refs/heads/${branch}\nfrom :${mark}\n\n`);
  const input = Buffer.concat([...stream.chunks, Buffer.from(tail.join(''), 'utf8')]);
  git(path, ['fast-import', '--quiet', '--date-format=raw', `--export-marks=${marksFile}`], input);
  const marks = readFileSync(marksFile, 'utf8');
  rmSync(marksFile);
  let seen = 0;
  for (const line of marks.split('\n')) {
    if (line === '') continue;
    const [mark, sha] = line.split(' ');
    const expected = stream.marks.get(Number(mark!.slice(1)));
    if (expected === undefined) continue; // blob marks (none today) would land here
    if (expected !== sha) {
      throw new Error(`demo: ${stream.repo.key} mark ${mark} is ${sha}, expected ${expected}`);
    }
    seen++;
  }
  if (seen !== stream.marks.size) {
    throw new Error(`demo: ${stream.repo.key}: fast-import wrote ${seen} of ${stream.marks.size} commits`);
  }
  git(path, ['update-ref', '-d', 'refs/demo/scratch']);
  // A normal checkout, so that `git status`, `git blame` and editors work in it.
  git(path, ['reset', '-q', '--hard', 'main']);
  return { path, repo: stream.repo.key };
}
