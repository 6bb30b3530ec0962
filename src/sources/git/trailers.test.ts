import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseTrailers } from './trailers.js';

/** What git itself reports for a message (`--parse` = only trailers, unfolded). */
function gitTrailers(message: string): Array<{ key: string; value: string }> {
  const out = execFileSync('git', ['interpret-trailers', '--parse', '--no-divider'], {
    input: message,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' },
  });
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const at = line.indexOf(':');
      return { key: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
    });
}

const MESSAGES: Record<string, string> = {
  claude: 'Add limiter\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
  subjectOnly: 'Co-authored-by: Copilot <x@y>\n',
  noBody: 'Fix typo',
  bodyNotTrailers: 'Refactor\n\nThis explains: why the change\nwas needed at all.\n',
  twoTrailers: 'Feat\n\nBody text.\n\nSigned-off-by: A <a@x>\nCo-authored-by: B <b@x>\n',
  spaceBeforeColon: 'Feat\n\nReviewed-by : Someone <s@x>\n',
  continuation: 'Feat\n\nNote: first part\n  second part\nMade-with: Cursor\n',
  trailingBlank: 'Feat\n\nCo-authored-by: Codex <codex@openai.com>\n\n\n',
  crlf: 'Feat\r\n\r\nCo-authored-by: Gemini <g@x>\r\n',
  // git-generated prefix lets a block with some prose count, if a quarter are trailers
  mixedWithSignoff: 'Feat\n\nsome prose\nSigned-off-by: A <a@x>\nAcked-by: C <c@x>\n',
  mixedWithoutSignoff: 'Feat\n\nsome prose\nAcked-by: C <c@x>\n',
  tooMuchProse: 'Feat\n\np1\np2\np3\np4\np5\np6\np7\nSigned-off-by: A <a@x>\n',
  cherryPick:
    'Fix\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nSigned-off-by: A <a@x>\n',
  commentLines: 'Feat\n\nCo-authored-by: X <x@x>\n# a comment\n',
  conflicts: 'Merge\n\nCo-authored-by: X <x@x>\n\nConflicts:\n\tsrc/a.ts\n',
  urlLine: 'Docs\n\nhttp://example.com/page\n',
  keyWithSpace: 'Feat\n\nNot a key: value\n',
  leadingSpaceKey: 'Feat\n\n  Indented: value\n',
  emptyValue: 'Feat\n\nClaude-Session:\n  https://claude.ai/code/session_x\n',
};

describe('parseTrailers', () => {
  it.each(Object.entries(MESSAGES))('agrees with git interpret-trailers on %s', (_name, message) => {
    expect(parseTrailers(message)).toEqual(gitTrailers(message));
  });

  it('finds the Claude Code trailer and keeps the key spelling', () => {
    expect(parseTrailers(MESSAGES.claude!)).toEqual([
      { key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' },
    ]);
  });

  it('never takes the subject for a trailer', () => {
    expect(parseTrailers(MESSAGES.subjectOnly!)).toEqual([]);
  });

  it('ignores a last paragraph that is prose', () => {
    expect(parseTrailers(MESSAGES.bodyNotTrailers!)).toEqual([]);
    expect(parseTrailers(MESSAGES.mixedWithoutSignoff!)).toEqual([]);
  });

  it('unfolds continuation lines', () => {
    expect(parseTrailers(MESSAGES.continuation!)).toEqual([
      { key: 'Note', value: 'first part second part' },
      { key: 'Made-with', value: 'Cursor' },
    ]);
  });
});
