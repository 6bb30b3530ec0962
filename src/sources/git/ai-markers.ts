/**
 * The one table of AI markers that a commit itself can carry (formats.md §10.3, evidence level 2),
 * and the function that applies it. Add a marker here and nowhere else.
 *
 * Trailer markers (`kind: 'trailer'`), key compared case-insensitively:
 *
 * | tool        | trailer                                                                          |
 * |-------------|----------------------------------------------------------------------------------|
 * | claude-code | `Co-Authored-By: <any name> <noreply@anthropic.com>` (Claude Code's default)     |
 * | claude-code | `Claude-Session: <url>` (Claude Code cloud sessions)                             |
 * | copilot     | `Co-authored-by: Copilot <…>`, `copilot-swe-agent[bot]`, `…+Copilot@users.noreply.github.com` |
 * | codex       | `Co-authored-by: Codex <…>`, `<codex@openai.com>`, `chatgpt-codex-connector[bot]` |
 * | cursor      | `Made-with: Cursor`, `Co-authored-by: Cursor <…>` / `Cursor Agent`, `<cursoragent@cursor.com>` |
 * | gemini-cli  | `Co-authored-by: Gemini… <…>`, `gemini-code-assist[bot]`                          |
 * | unknown     | `Co-authored-by: aider (<model>) <noreply@aider.chat>` (an AI tool we do not meter) |
 *
 * Author markers (`kind: 'bot_author'`): the commit's author is an agent's bot account
 * (`copilot-swe-agent[bot]`, `chatgpt-codex-connector[bot]`, `claude[bot]`,
 * `gemini-code-assist[bot]`, `Cursor Agent <cursoragent@cursor.com>`).
 *
 * Names alone are matched only where no person plausibly has them: "Claude" is a human first name,
 * so a Claude co-author needs Anthropic's address, while "Copilot" or "Codex" as a whole name do
 * not need one.
 * @module
 */
import type { AiEvidence, EvidenceTool, Trailer } from '../../ledger/work.js';
import { agentOfGitAuthor } from '../agent-accounts.js';

/** A rule matches when its key matches and every pattern it gives matches. */
interface TrailerMarker {
  tool: EvidenceTool;
  /** Lower-case trailer key. */
  key: string;
  /** Whole value (for markers that are not identities). */
  value?: RegExp;
  /** Name part of a `Name <email>` value. */
  name?: RegExp;
  /** E-mail part of a `Name <email>` value. */
  email?: RegExp;
}

interface AuthorMarker {
  tool: EvidenceTool;
  name?: RegExp;
  email?: RegExp;
}

const CO_AUTHOR = 'co-authored-by';
const GITHUB_NOREPLY = String.raw`@users\.noreply\.github\.com$`;

export const TRAILER_MARKERS: readonly TrailerMarker[] = [
  { tool: 'claude-code', key: CO_AUTHOR, email: /^noreply@anthropic\.com$/i },
  { tool: 'claude-code', key: CO_AUTHOR, name: /^claude\[bot\]$/i },
  { tool: 'claude-code', key: 'claude-session', value: /\S/ },
  { tool: 'copilot', key: CO_AUTHOR, name: /^copilot(?:-swe-agent)?(?:\[bot\])?$/i },
  {
    tool: 'copilot',
    key: CO_AUTHOR,
    email: new RegExp(`^(?:\\d+\\+)?copilot(?:-swe-agent)?(?:\\[bot\\])?${GITHUB_NOREPLY}`, 'i'),
  },
  { tool: 'codex', key: CO_AUTHOR, name: /^codex$/i },
  { tool: 'codex', key: CO_AUTHOR, email: /^codex@openai\.com$/i },
  { tool: 'codex', key: CO_AUTHOR, name: /^chatgpt-codex-connector(?:\[bot\])?$/i },
  { tool: 'codex', key: CO_AUTHOR, email: /chatgpt-codex-connector/i },
  { tool: 'cursor', key: 'made-with', value: /^cursor\b/i },
  { tool: 'cursor', key: CO_AUTHOR, name: /^cursor(?: agent)?$/i },
  { tool: 'cursor', key: CO_AUTHOR, email: /^cursoragent@cursor\.com$/i },
  { tool: 'gemini-cli', key: CO_AUTHOR, name: /^gemini\b/i },
  { tool: 'gemini-cli', key: CO_AUTHOR, email: /gemini-code-assist/i },
  { tool: 'unknown', key: CO_AUTHOR, email: /@aider\.chat$/i },
];

/**
 * Agent authors with no GitHub account behind them; every GitHub agent account (by name or noreply
 * address) comes from the shared table in sources/agent-accounts.ts.
 */
export const AUTHOR_MARKERS: readonly AuthorMarker[] = [
  { tool: 'cursor', name: /^cursor agent$/i },
  { tool: 'cursor', email: /^cursoragent@cursor\.com$/i },
];

/** Splits `Name <email>`; a value without angle brackets is all name. */
export function parseIdentity(value: string): { name: string; email: string } {
  const match = /^(.*?)\s*<([^<>]*)>\s*$/.exec(value);
  if (!match) return { name: value.trim(), email: '' };
  return { name: match[1]!.trim(), email: match[2]!.trim() };
}

function trailerMatches(marker: TrailerMarker, trailer: Trailer): boolean {
  if (trailer.key.toLowerCase() !== marker.key) return false;
  if (marker.value && !marker.value.test(trailer.value)) return false;
  if (marker.name || marker.email) {
    const who = parseIdentity(trailer.value);
    if (marker.name && !marker.name.test(who.name)) return false;
    if (marker.email && !marker.email.test(who.email)) return false;
  }
  return true;
}

/** AI evidence carried by a commit: its trailers, then its author. One entry per distinct marker. */
export function commitAiEvidence(
  trailers: readonly Trailer[],
  author: { name: string; email: string },
): AiEvidence[] {
  const evidence: AiEvidence[] = [];
  const seen = new Set<string>();
  const add = (item: AiEvidence) => {
    const key = `${item.kind}\u0000${item.tool}\u0000${item.detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    evidence.push(item);
  };
  for (const trailer of trailers) {
    const marker = TRAILER_MARKERS.find((m) => trailerMatches(m, trailer));
    if (marker) add({ kind: 'trailer', tool: marker.tool, detail: `${trailer.key}: ${trailer.value}` });
  }
  const byAuthor =
    agentOfGitAuthor(author.name, author.email) ??
    AUTHOR_MARKERS.find(
      (m) => (!m.name || m.name.test(author.name)) && (!m.email || m.email.test(author.email)),
    )?.tool;
  if (byAuthor) add({ kind: 'bot_author', tool: byAuthor, detail: `${author.name} <${author.email}>` });
  return evidence;
}
