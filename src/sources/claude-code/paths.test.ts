import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { candidateRoots, discoverTranscripts, transcriptLayout } from './paths.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cc-paths-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '{}\n');
}

describe('candidateRoots', () => {
  it('uses only CLAUDE_CONFIG_DIR entries when set', () => {
    expect(
      candidateRoots({ env: { CLAUDE_CONFIG_DIR: ' /a , ~/b,,/c/projects ' }, homeDir: '/home/me' }),
    ).toEqual(['/a', '/home/me/b', '/c']);
  });
  it('defaults to the XDG dir and ~/.claude', () => {
    expect(candidateRoots({ env: {}, homeDir: '/home/me' })).toEqual([
      '/home/me/.config/claude',
      '/home/me/.claude',
    ]);
    expect(
      candidateRoots({ env: { XDG_CONFIG_HOME: '/xdg', CLAUDE_CONFIG_DIR: '' }, homeDir: '/home/me' }),
    ).toEqual(['/xdg/claude', '/home/me/.claude']);
  });
});

describe('discoverTranscripts', () => {
  const list = async (env: Record<string, string>, homeDir = join(dir, 'home')) =>
    (await discoverTranscripts({ env, homeDir })).map((f) => [relative(dir, f.root), relative(dir, f.path)]);

  it('finds every jsonl under both default roots, both subagent layouts included', async () => {
    const home = join(dir, 'home');
    await touch(join(home, '.claude/projects/-p/s1.jsonl'));
    await touch(join(home, '.claude/projects/-p/s1/subagents/agent-a1.jsonl'));
    await touch(join(home, '.claude/projects/-p/agent-b2.jsonl'));
    await touch(join(home, '.claude/projects/-p/s1/tool-results/out.txt'));
    await touch(join(home, '.claude/history.jsonl'));
    await touch(join(home, '.config/claude/projects/-q/s2.jsonl'));
    expect(await list({})).toEqual([
      ['home/.config/claude', 'home/.config/claude/projects/-q/s2.jsonl'],
      ['home/.claude', 'home/.claude/projects/-p/agent-b2.jsonl'],
      ['home/.claude', 'home/.claude/projects/-p/s1.jsonl'],
      ['home/.claude', 'home/.claude/projects/-p/s1/subagents/agent-a1.jsonl'],
    ]);
  });

  it('reads only the CLAUDE_CONFIG_DIR roots when set, skipping absent ones', async () => {
    await touch(join(dir, 'home/.claude/projects/-p/ignored.jsonl'));
    await touch(join(dir, 'one/projects/-p/a.jsonl'));
    await touch(join(dir, 'two/projects/-p/b.jsonl'));
    const env = { CLAUDE_CONFIG_DIR: `${join(dir, 'one')},${join(dir, 'missing')},${join(dir, 'two')}` };
    expect(await list(env)).toEqual([
      ['one', 'one/projects/-p/a.jsonl'],
      ['two', 'two/projects/-p/b.jsonl'],
    ]);
  });

  it('reads a root reached twice (through a symlink) once', async () => {
    const home = join(dir, 'home');
    await touch(join(home, '.claude/projects/-p/a.jsonl'));
    await mkdir(join(home, '.config'), { recursive: true });
    await symlink(join(home, '.claude'), join(home, '.config/claude'));
    expect(await list({})).toEqual([['home/.config/claude', 'home/.config/claude/projects/-p/a.jsonl']]);
  });

  it('finds nothing when no root exists', async () => {
    expect(await list({})).toEqual([]);
    expect(await list({ CLAUDE_CONFIG_DIR: join(dir, 'nope') })).toEqual([]);
  });
});

describe('transcriptLayout', () => {
  it.each([
    ['/h/.claude/projects/-p/s1.jsonl', { sessionId: 's1', isSubagentFile: false }],
    ['/h/.claude/projects/-p/s1/subagents/agent-a.jsonl', { sessionId: 's1', isSubagentFile: true }],
    ['/h/.claude/projects/-p/agent-a.jsonl', { sessionId: null, isSubagentFile: true }],
    ['/h/.claude/projects/-p/s1/other.jsonl', { sessionId: 's1', isSubagentFile: false }],
    ['/elsewhere/x.jsonl', { sessionId: 'x', isSubagentFile: false }],
  ])('%s', (path, layout) => {
    expect(transcriptLayout(path)).toEqual(layout);
  });
});
