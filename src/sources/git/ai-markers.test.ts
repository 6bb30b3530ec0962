import { describe, expect, it } from 'vitest';
import type { Trailer } from '../../ledger/work.js';
import { commitAiEvidence, parseIdentity } from './ai-markers.js';

const HUMAN = { name: 'Dev Person', email: 'dev@example.com' };

function tools(trailers: Trailer[], author = HUMAN) {
  return commitAiEvidence(trailers, author).map((e) => `${e.kind}:${e.tool}`);
}

const co = (value: string): Trailer => ({ key: 'Co-authored-by', value });

describe('commitAiEvidence', () => {
  it.each([
    [{ key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' }, 'claude-code'],
    [{ key: 'co-authored-by', value: 'Claude Opus 4.1 <noreply@anthropic.com>' }, 'claude-code'],
    [{ key: 'Claude-Session', value: 'https://claude.ai/code/session_01abc' }, 'claude-code'],
    [co('Copilot <175728472+Copilot@users.noreply.github.com>'), 'copilot'],
    [co('copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>'), 'copilot'],
    [co('Codex <codex@openai.com>'), 'codex'],
    [
      co('chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>'),
      'codex',
    ],
    [{ key: 'Made-with', value: 'Cursor' }, 'cursor'],
    [co('Cursor <cursoragent@cursor.com>'), 'cursor'],
    [co('Gemini CLI <gemini@example.com>'), 'gemini-cli'],
    [
      co('gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>'),
      'gemini-cli',
    ],
    [co('aider (openai/gpt-5) <noreply@aider.chat>'), 'unknown'],
  ])('%o → %s', (trailer, tool) => {
    const evidence = commitAiEvidence([trailer], HUMAN);
    expect(evidence).toEqual([{ kind: 'trailer', tool, detail: `${trailer.key}: ${trailer.value}` }]);
  });

  it.each([
    co('Alice Example <alice@example.com>'),
    co('Claude Monet <claude@monet.fr>'),
    co('Cursory Reviewer <cr@example.com>'),
    { key: 'Signed-off-by', value: 'Claude <noreply@anthropic.com>' },
    { key: 'Made-with', value: 'love' },
    { key: 'Claude-Session', value: '' },
    { key: 'Reviewed-by', value: 'Copilot <x@y>' },
  ])('no evidence from %o', (trailer) => {
    expect(commitAiEvidence([trailer], HUMAN)).toEqual([]);
  });

  it('reports agent bot authors', () => {
    expect(
      tools([], { name: 'copilot-swe-agent[bot]', email: '198982749+Copilot@users.noreply.github.com' }),
    ).toEqual(['bot_author:copilot']);
    expect(
      tools([], { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' }),
    ).toEqual(['bot_author:claude-code']);
    expect(tools([], { name: 'Cursor Agent', email: 'cursoragent@cursor.com' })).toEqual([
      'bot_author:cursor',
    ]);
    expect(
      tools([], { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' }),
    ).toEqual([]);
  });

  it('keeps one entry per distinct marker and several tools when several helped', () => {
    const claude = { key: 'Co-Authored-By', value: 'Claude <noreply@anthropic.com>' };
    expect(tools([claude, claude, { key: 'Made-with', value: 'Cursor' }])).toEqual([
      'trailer:claude-code',
      'trailer:cursor',
    ]);
  });
});

describe('parseIdentity', () => {
  it('splits name and address', () => {
    expect(parseIdentity('Claude <noreply@anthropic.com>')).toEqual({
      name: 'Claude',
      email: 'noreply@anthropic.com',
    });
    expect(parseIdentity('Just A Name')).toEqual({ name: 'Just A Name', email: '' });
  });
});
