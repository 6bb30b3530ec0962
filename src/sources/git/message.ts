/**
 * What a commit message says about the change's place in the review flow: its subject, the pull
 * request it came from (GitHub's merge and squash conventions) and the commit it reverts.
 * @module
 */

/** The first line of the message, trimmed. */
export function subjectOf(message: string): string {
  const newline = message.indexOf('\n');
  return (newline === -1 ? message : message.slice(0, newline)).trim();
}

// GitHub's merge button: "Merge pull request #12 from org/branch".
const MERGE_PR = /^Merge pull request #(\d+) from \S/;
// GitHub's squash and rebase buttons append " (#12)" to the PR title. A revert's subject quotes
// the reverted one ("Revert "Add x (#12)""), which must not count as PR 12, so the number has
// to be the very end of the subject.
const SQUASH_PR = /\(#(\d+)\)$/;

/** The PR number a merge or squash subject names, or null. */
export function pullRequestNumber(subject: string): number | null {
  const match = MERGE_PR.exec(subject) ?? SQUASH_PR.exec(subject);
  if (!match) return null;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

// `git revert` writes "This reverts commit <full sha>." (or, with revert.reference,
// "This reverts commit <abbrev> (<subject>, <date>)."); people also shorten it by hand.
const REVERTS = /\bThis reverts commit ([0-9a-f]{7,64})\b/i;

/** The (possibly abbreviated, lower-case) SHA this commit says it reverts, or null. */
export function revertedSha(message: string): string | null {
  const match = REVERTS.exec(message);
  return match ? match[1]!.toLowerCase() : null;
}
