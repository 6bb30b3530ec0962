/**
 * From what git printed to the canonical `CommitRecord`: the message is interpreted here
 * (subject, PR number, revert, trailers, AI evidence) and nowhere else.
 * @module
 */
import type { CommitRecord } from '../../ledger/work.js';
import { commitAiEvidence } from './ai-markers.js';
import type { RawCommit } from './log-parser.js';
import { pullRequestNumber, revertedSha, subjectOf } from './message.js';
import { parseTrailers } from './trailers.js';

export function commitId(repo: string, sha: string): string {
  return `git:${repo}:${sha}`;
}

export function toCommitRecord(
  raw: RawCommit,
  repo: string,
  origin: string,
  onDefaultBranch: boolean,
): CommitRecord {
  const subject = subjectOf(raw.message);
  const trailers = parseTrailers(raw.message);
  return {
    id: commitId(repo, raw.sha),
    repo,
    sha: raw.sha,
    parents: raw.parents,
    authorName: raw.authorName,
    authorEmail: raw.authorEmail,
    authorTs: raw.authorTs,
    committerName: raw.committerName,
    committerEmail: raw.committerEmail,
    committerTs: raw.committerTs,
    subject,
    additions: raw.additions,
    deletions: raw.deletions,
    filesChanged: raw.filesChanged,
    prNumber: pullRequestNumber(subject),
    revertsSha: revertedSha(raw.message),
    trailers,
    aiEvidence: commitAiEvidence(trailers, { name: raw.authorName, email: raw.authorEmail }),
    onDefaultBranch,
    source: 'git',
    origin,
  };
}
