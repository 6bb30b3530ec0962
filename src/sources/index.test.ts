import { describe, expect, it } from 'vitest';
import { claudeCodeSource } from './claude-code/source.js';
import { codexSource } from './codex/source.js';
import { geminiCliSource } from './gemini-cli/source.js';
import { LOCAL_SOURCES } from './index.js';

describe('LOCAL_SOURCES', () => {
  it('describes each source exactly as the module it loads on demand', () => {
    const loaded = [claudeCodeSource, codexSource, geminiCliSource];
    expect(LOCAL_SOURCES.map(({ id, tool, mode, discover }) => ({ id, tool, mode, discover }))).toEqual(
      loaded.map(({ id, tool, mode, discover }) => ({ id, tool, mode, discover })),
    );
  });
});
