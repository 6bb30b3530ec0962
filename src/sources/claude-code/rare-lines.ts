/**
 * Line types that are rare and small enough to be parsed the plain way (`JSON.parse`): PR links
 * and, in older Claude Code versions, subagent progress lines that embed the subagent's calls.
 * @module
 */

export interface PrLink {
  /** The PR URL, or `owner/repo#number` when the line has no URL. */
  ref: string;
  /** NaN when the line's timestamp is unparseable. */
  ts: number;
  sessionId: string | null;
  cwd: string | null;
  gitBranch: string | null;
  isSidechain: boolean;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `{"type":"pr-link","prNumber","prUrl","prRepository","timestamp","sessionId"}` → its PR, or null. */
export function prLinkOf(line: Record<string, unknown>): PrLink | null {
  const url = text(line.prUrl);
  const repo = text(line.prRepository);
  const num = typeof line.prNumber === 'number' ? line.prNumber : null;
  const ref = url ?? (repo !== null && num !== null ? `${repo}#${num}` : null);
  if (ref === null) return null;
  const stamp = text(line.timestamp);
  return {
    ref,
    ts: stamp === null ? Number.NaN : Date.parse(stamp),
    sessionId: text(line.sessionId),
    cwd: text(line.cwd),
    gitBranch: text(line.gitBranch),
    isSidechain: line.isSidechain === true,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The assistant line embedded under `data.message` of a progress line, re-encoded as an ordinary
 * assistant line carrying the outer line's session and working dir; null when there is none.
 * ccusage counts these, and the copy in the subagent's own file (same message id and request
 * id) deduplicates against it.
 */
export function progressAssistantLine(line: Record<string, unknown>): Buffer | null {
  const inner = isObject(line.data) ? line.data.message : undefined;
  if (!isObject(inner) || !isObject(inner.message) || !('usage' in inner.message)) return null;
  return Buffer.from(
    JSON.stringify({
      ...inner,
      type: 'assistant',
      sessionId: line.sessionId,
      cwd: line.cwd,
      gitBranch: line.gitBranch,
      // A subagent's call, whether or not the embedded line says so.
      isSidechain: inner.isSidechain ?? true,
      uuid: inner.uuid ?? line.uuid,
      timestamp: inner.timestamp ?? line.timestamp,
    }),
  );
}
