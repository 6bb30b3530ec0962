/**
 * The one table of AI markers found on pull requests: body footers, labels and agent accounts.
 *
 * Every entry names the tool it points at, so a footer added by a new tool version is one line
 * here. Markers are matched case-insensitively because tools and people change the casing
 * (`Co-Authored-By` vs `Co-authored-by`). Generic `*[bot]` accounts (dependabot, renovate) are
 * deliberately not evidence: they automate, they do not act for a person with an AI assistant.
 * @module
 */
import type { AiEvidence, EvidenceTool } from '../../ledger/work.js';
import { AGENT_ACCOUNTS } from '../agent-accounts.js';

export interface BodyMarker {
  pattern: RegExp;
  tool: EvidenceTool;
}

/** Footers and links AI tools leave in PR descriptions; strongest and most specific first. */
export const PR_BODY_MARKERS: readonly BodyMarker[] = [
  // Claude Code: "🤖 Generated with [Claude Code](https://claude.com/claude-code)"
  { pattern: /generated with \[?claude code\]?/i, tool: 'claude-code' },
  { pattern: /claude\.ai\/code\/session/i, tool: 'claude-code' },
  { pattern: /co-authored-by: claude\b[^\n]*/i, tool: 'claude-code' },
  // Codex cloud links the task that produced the PR.
  { pattern: /chatgpt\.com\/codex\/tasks\/[\w-]+/i, tool: 'codex' },
  { pattern: /generated with \[?(?:openai )?codex(?: cli)?\]?/i, tool: 'codex' },
  // Copilot coding agent writes these HTML comments into every PR it opens.
  { pattern: /<!-- start copilot coding agent[^>]*-->/i, tool: 'copilot' },
  { pattern: /co-authored-by: copilot\b[^\n]*/i, tool: 'copilot' },
  { pattern: /generated (?:with|by) \[?(?:github )?copilot\]?/i, tool: 'copilot' },
  // Cursor background agents add "Open in Cursor / Open in Web" links.
  { pattern: /cursor\.com\/(?:background-agent\?bcId=|agents\/)[\w-]*/i, tool: 'cursor' },
  { pattern: /co-authored-by: cursor agent[^\n]*/i, tool: 'cursor' },
  { pattern: /generated with \[?cursor\]?/i, tool: 'cursor' },
  { pattern: /generated (?:with|by) \[?gemini(?: cli| code assist)?\]?/i, tool: 'gemini-cli' },
  { pattern: /generated (?:with|by) \[?kiro\]?/i, tool: 'kiro' },
];

/** Labels that mark a PR as AI-assisted unless the caller passes its own list. */
export const DEFAULT_AI_LABELS: readonly string[] = [
  'ai-assisted',
  'ai-generated',
  'ai',
  'claude',
  'claude-code',
  'codex',
  'copilot',
  'cursor',
  'gemini',
];

/** Which tool a label names; labels that name none (`ai-assisted`) are `unknown`. */
export function toolOfLabel(label: string): EvidenceTool {
  const l = label.toLowerCase();
  if (l.includes('claude')) return 'claude-code';
  if (l.includes('codex')) return 'codex';
  if (l.includes('copilot')) return 'copilot';
  if (l.includes('cursor')) return 'cursor';
  if (l.includes('gemini')) return 'gemini-cli';
  if (l.includes('kiro')) return 'kiro';
  return 'unknown';
}

/** Accounts that open PRs as an AI agent on someone's behalf (`user.login`, case-insensitive). */
/** Agent accounts, shared with the git source (sources/agent-accounts.ts). */
export const AGENT_AUTHORS = AGENT_ACCOUNTS;

export interface PrEvidenceInput {
  body: string | null;
  labels: readonly string[];
  author: string;
}

export interface AiMarkerOptions {
  /** Labels that count as AI evidence (case-insensitive); defaults to `DEFAULT_AI_LABELS`. */
  aiLabels?: readonly string[];
}

/**
 * All AI evidence a PR carries, one entry per (kind, tool): a body with both the Claude footer
 * and the Claude session link is one `pr_body` entry, since they are the same claim.
 */
export function prAiEvidence(pr: PrEvidenceInput, options: AiMarkerOptions = {}): AiEvidence[] {
  const found: AiEvidence[] = [];
  const seen = new Set<string>();
  const add = (e: AiEvidence) => {
    const key = `${e.kind}\u0000${e.tool}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(e);
  };
  const agentTool = AGENT_AUTHORS.get(pr.author.toLowerCase());
  if (agentTool !== undefined) add({ kind: 'bot_author', tool: agentTool, detail: pr.author });
  if (pr.body) {
    for (const m of PR_BODY_MARKERS) {
      const match = m.pattern.exec(pr.body);
      if (match) add({ kind: 'pr_body', tool: m.tool, detail: match[0].trim() });
    }
  }
  const wanted = new Set((options.aiLabels ?? DEFAULT_AI_LABELS).map((l) => l.toLowerCase()));
  for (const label of pr.labels) {
    if (wanted.has(label.toLowerCase())) add({ kind: 'label', tool: toolOfLabel(label), detail: label });
  }
  return found;
}
