/**
 * The GitHub accounts coding agents act through, and the tool each stands for: one table for every
 * source, so a PR's author (a login) and a commit's author (the same account as a git name and
 * noreply address) are recognised alike. Generic automation (`dependabot[bot]`, `renovate[bot]`)
 * is deliberately absent: it automates, it does not act for a person with an AI assistant.
 * @module
 */
import type { EvidenceTool } from '../ledger/work.js';

/** Lower-case logins. A GitHub App's git identity is its login with `[bot]`. */
export const AGENT_ACCOUNTS: ReadonlyMap<string, EvidenceTool> = new Map<string, EvidenceTool>([
  // The Copilot coding agent's PRs show `Copilot` (type Bot) as author; the app is copilot-swe-agent.
  ['copilot', 'copilot'],
  ['copilot-swe-agent', 'copilot'],
  ['copilot-swe-agent[bot]', 'copilot'],
  ['claude[bot]', 'claude-code'],
  ['claude-code[bot]', 'claude-code'],
  ['chatgpt-codex-connector', 'codex'],
  ['chatgpt-codex-connector[bot]', 'codex'],
  ['codex[bot]', 'codex'],
  ['cursor[bot]', 'cursor'],
  ['cursor-agent[bot]', 'cursor'],
  ['gemini-cli[bot]', 'gemini-cli'],
  ['gemini-code-assist', 'gemini-cli'],
  ['gemini-code-assist[bot]', 'gemini-cli'],
  ['devin-ai-integration[bot]', 'unknown'],
  ['google-labs-jules[bot]', 'unknown'],
  ['openhands-agent', 'unknown'],
]);

/** `12345+login@users.noreply.github.com` or `login@users.noreply.github.com` → `login`. */
const NOREPLY = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i;

export function agentOfLogin(login: string): EvidenceTool | undefined {
  return AGENT_ACCOUNTS.get(login.toLowerCase());
}

/** The agent a git author is, by its name as a login or its GitHub noreply address. */
export function agentOfGitAuthor(name: string, email: string): EvidenceTool | undefined {
  const byName = name.includes('[bot]') || !/\s/.test(name) ? agentOfLogin(name) : undefined;
  if (byName !== undefined) return byName;
  const login = NOREPLY.exec(email)?.[1];
  return login === undefined ? undefined : agentOfLogin(login);
}
