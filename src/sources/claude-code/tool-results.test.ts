import { describe, expect, it } from 'vitest';
import { analyzeToolResult, countStringLines, findCommitShas, isGitCommitCommand } from './tool-results.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('countStringLines', () => {
  it.each([
    ['', 0],
    ['one', 1],
    ['one\n', 1],
    ['one\ntwo', 2],
    ['a\n\nb\n', 3],
    ['back\\slash n\\n', 1],
    ['ends with backslash\\', 1],
    ['x\\\n', 1],
  ])('counts %j as %i lines', (text, lines) => {
    const b = json(text);
    expect(countStringLines(b, 0, b.length)).toBe(lines);
  });
});

describe('findCommitShas', () => {
  const shas = (stdout: string) => {
    const b = json(stdout);
    return findCommitShas(b, 1, b.length - 1);
  };
  it('reads git commit summaries at the start of a line', () => {
    expect(shas('[main 1a2b3c4] Add x\n 1 file changed')).toEqual(['1a2b3c4']);
    expect(shas('hook ok\n[feat/a-b.c (root-commit) abcdef0123] init')).toEqual(['abcdef0123']);
    expect(shas('[detached HEAD 0123456] wip')).toEqual(['0123456']);
    expect(shas('[main 1111111] one\n[main 2222222] two')).toEqual(['1111111', '2222222']);
  });
  it('ignores look-alikes', () => {
    expect(shas('see [main 1a2b3c4] here')).toEqual([]);
    expect(shas('[main 1a2b3c] too short')).toEqual([]);
    expect(shas('[main XYZ1234] not hex')).toEqual([]);
    expect(shas('[] 1234567] nope')).toEqual([]);
    expect(shas('')).toEqual([]);
  });
});

describe('isGitCommitCommand', () => {
  it.each([
    ['git commit -m "x"', true],
    ['git add -A && git commit -qm x', true],
    ['cd repo; git -C sub commit --amend', true],
    ['git -c user.name=x commit -m y', true],
    ['git commit-tree abc', false],
    ['git log --grep commit', false],
    ['echo git commit', true],
    ['gitcommit', false],
  ])('%s → %s', (command, expected) => {
    expect(isGitCommitCommand(command)).toBe(expected);
  });
});

describe('analyzeToolResult', () => {
  const edit = {
    filePath: '/a.ts',
    oldString: 'x',
    newString: 'y',
    originalFile: '"structuredPatch":[{"lines":["+fake"]}]\n',
    structuredPatch: [
      { oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' ctx', '-old "q"', '+new', '+'] },
      { lines: ['-\\', '+"'] },
    ],
    userModified: false,
  };
  it('counts patch lines whether or not the tool is known', () => {
    for (const tool of ['Edit', null]) {
      const b = json(edit);
      const facts = analyzeToolResult(b, 0, b.length, tool);
      expect([tool, facts.shape, facts.linesAdded, facts.linesRemoved]).toEqual([tool, 'edit', 3, 2]);
    }
    const b = json(edit);
    expect(analyzeToolResult(b, 0, b.length, null).end).toBe(b.length);
  });

  it('counts a created file by its content and an update by its patch', () => {
    const create = json({
      type: 'create',
      filePath: '/n',
      content: 'a\nb\nc\n',
      structuredPatch: [],
      originalFile: null,
    });
    const update = json({
      type: 'update',
      filePath: '/n',
      content: 'a\nB\n',
      structuredPatch: [{ lines: [' a', '-b', '+B'] }],
      originalFile: 'a\nb\n',
    });
    for (const tool of ['Write', null]) {
      expect(analyzeToolResult(create, 0, create.length, tool)).toMatchObject({
        shape: 'write',
        linesAdded: 3,
        linesRemoved: 0,
      });
      expect(analyzeToolResult(update, 0, update.length, tool)).toMatchObject({
        shape: 'write',
        linesAdded: 1,
        linesRemoved: 1,
      });
    }
  });

  it('finds commits in Bash stdout, not stderr', () => {
    const b = json({ stdout: '[main abcdef1] x', stderr: '[main 1234567] y', interrupted: false });
    expect(analyzeToolResult(b, 0, b.length, 'Bash')).toMatchObject({ shape: 'bash', commits: ['abcdef1'] });
    expect(analyzeToolResult(b, 0, b.length, null)).toMatchObject({ shape: 'bash', commits: ['abcdef1'] });
  });

  it('yields nothing for error strings and malformed values', () => {
    const err = json('Error: boom');
    expect(analyzeToolResult(err, 0, err.length, 'Edit')).toMatchObject({
      shape: 'other',
      linesAdded: 0,
      end: err.length,
    });
    const bad = Buffer.from('{"structuredPatch":[{"lines":["+a",');
    expect(analyzeToolResult(bad, 0, bad.length, null)).toMatchObject({
      linesAdded: 0,
      linesRemoved: 0,
      end: -1,
    });
  });
});
