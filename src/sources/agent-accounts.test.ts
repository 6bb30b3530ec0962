import { describe, expect, it } from 'vitest';
import { agentOfGitAuthor, agentOfLogin } from './agent-accounts.js';

describe('agent accounts', () => {
  it('recognises an agent by its GitHub login, case-insensitively', () => {
    expect(agentOfLogin('Copilot')).toBe('copilot');
    expect(agentOfLogin('devin-ai-integration[bot]')).toBe('unknown');
    expect(agentOfLogin('dependabot[bot]')).toBeUndefined();
    expect(agentOfLogin('alice')).toBeUndefined();
  });

  it('recognises the same account as a git author, by name or noreply address', () => {
    expect(agentOfGitAuthor('gemini-code-assist[bot]', 'x@example.com')).toBe('gemini-cli');
    expect(agentOfGitAuthor('Jules', '161369871+google-labs-jules[bot]@users.noreply.github.com')).toBe(
      'unknown',
    );
    expect(agentOfGitAuthor('Codex', '199175422+chatgpt-codex-connector[bot]@users.noreply.github.com')).toBe(
      'codex',
    );
    expect(agentOfGitAuthor('Claude Monet', 'claude@monet.example')).toBeUndefined();
    expect(
      agentOfGitAuthor('dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com'),
    ).toBeUndefined();
    expect(agentOfGitAuthor('Alice', '1234+alice@users.noreply.github.com')).toBeUndefined();
  });
});
