import { describe, expect, it } from 'vitest';
import type { AiEvidence } from '../../ledger/work.js';
import { commit, DAY, directory, HOUR, pr, session, T0 } from '../value/fixtures.js';
import { linkSessions } from './link.js';

const people = directory([{ id: 'alice' }, { id: 'bob' }]);
const trailer: AiEvidence = {
  kind: 'trailer',
  tool: 'claude-code',
  detail: 'Co-Authored-By: Claude <noreply@anthropic.com>',
};

// acme/api: squash-merged PR #1 (branch b0 → b1, squashed as m1) on top of main's `base`.
const base = commit({ label: 'base', prNumber: 9, authorTs: T0 - 2 * DAY });
const b0 = commit({ label: 'b0', parents: [base.sha], onDefaultBranch: false, authorTs: T0 });
const b1 = commit({
  label: 'b1',
  parents: [b0.sha],
  onDefaultBranch: false,
  authorTs: T0 + HOUR,
  aiEvidence: [trailer],
});
const m1 = commit({ label: 'm1', parents: [base.sha], prNumber: 1, authorTs: T0 + 3 * HOUR });
const pr1 = pr({ number: 1, headSha: b1.sha, mergeCommitSha: m1.sha, createdAt: T0 + 2 * HOUR });
// PR #2 by bob: labelled, merge commit known only through the PR.
const m2 = commit({ label: 'm2', author: 'bob', parents: [m1.sha], authorTs: T0 + 2 * DAY });
const pr2 = pr({
  number: 2,
  author: 'bob',
  headRef: 'feature-2',
  mergeCommitSha: m2.sha,
  labels: ['ai-assisted'],
  aiEvidence: [{ kind: 'label', tool: 'unknown', detail: 'ai-assisted' }],
  createdAt: T0 + DAY,
});
// PR #3 opened by an agent for alice.
const c3 = commit({ label: 'c3', prNumber: 3, parents: [m2.sha], authorTs: T0 + 3 * DAY });
const pr3 = pr({
  number: 3,
  author: 'copilot-swe-agent[bot]',
  authorType: 'Bot',
  aiEvidence: [{ kind: 'bot_author', tool: 'copilot', detail: 'copilot-swe-agent[bot]' }],
  createdAt: T0 + 3 * DAY,
});
// acme/tools has no PR data: its commits are the changes; merges are not.
const t1 = commit({ repo: 'acme/tools', label: 't1', authorTs: T0 });
const t2 = commit({ repo: 'acme/tools', label: 't2', parents: [t1.sha, base.sha], authorTs: T0 + HOUR });

const sessions = [
  session({ sessionId: 's1', cwd: '/home/alice/api', commitShas: [b0.sha.slice(0, 7)] }),
  session({ sessionId: 's2', personId: 'bob', gitBranch: 'feature-2', firstTs: m2.authorTs - 4 * HOUR }),
  session({ sessionId: 's3', personId: 'bob', gitBranch: 'other', firstTs: m2.authorTs - 4 * HOUR }),
  session({ sessionId: 's4', personId: 'bob', gitBranch: null, firstTs: m2.authorTs - 27 * HOUR }),
  session({ sessionId: 's5', personId: 'alice', gitBranch: 'feature-2', firstTs: m2.authorTs - 2 * HOUR }),
  session({ sessionId: 's6', cwd: '/w/tools', commitShas: [t1.sha] }),
  session({ sessionId: 's7', cwd: '/w/unknown', firstTs: T0 + 5 * DAY, commitShas: [t1.sha.slice(0, 8)] }),
  session({
    sessionId: 's8',
    personId: 'bob',
    cwd: null,
    firstTs: T0 + 5 * DAY,
    commitShas: [t1.sha.slice(0, 8)],
  }),
  session({
    sessionId: 's9',
    personId: 'bob',
    cwd: null,
    firstTs: T0 + 5 * DAY,
    prUrls: ['https://github.com/acme/api/pull/2'],
  }),
];

const result = linkSessions(
  { commits: [base, b0, b1, m1, m2, c3, t1, t2], pullRequests: [pr1, pr2, pr3], sessions },
  people,
);
const change = (id: string) => result.changes.find((c) => c.id === id)!;
const linked = (sid: string) => result.sessions.find((s) => s.sessionId === sid)?.changeIds ?? [];

describe('linkSessions', () => {
  it('joins commits to PRs by PR number, merge commit, head and the head branch', () => {
    expect(change(pr1.id).commitIds.sort()).toEqual([b0.id, b1.id, m1.id].sort());
    expect(change(pr2.id).commitIds).toEqual([m2.id]);
    expect(change(pr3.id).commitIds).toEqual([c3.id]);
  });

  it('makes a change per PR, and per non-merge commit where there is no PR data', () => {
    expect(result.changes.map((c) => c.id).sort()).toEqual([pr1.id, pr2.id, pr3.id, t1.id].sort());
    expect(change(t1.id).kind).toBe('commit');
  });

  it('links a session to the PR containing an abbreviated SHA it printed, with the evidence', () => {
    expect(linked('s1')).toEqual([pr1.id]);
    const kinds = change(pr1.id)
      .evidence.map((e) => e.kind)
      .sort();
    // The trailer on a branch commit makes the whole PR AI-assisted; s1 was also active (no branch
    // known) within 24 h before b1 and m1, which adds window evidence of the same session (once).
    expect(kinds).toEqual(['session_commit', 'session_window', 'trailer']);
    expect(change(pr1.id).sessionIds).toEqual(['s1']);
    expect(change(pr1.id).aiAssisted).toBe(true);
  });

  it('links by session window only for the same person, a compatible branch and within 24 h', () => {
    expect(linked('s2')).toEqual([pr2.id]);
    expect(linked('s3')).toEqual([]);
    expect(linked('s4')).toEqual([]);
    expect(linked('s5')).toEqual([]);
    const window = change(pr2.id).evidence.filter((e) => e.kind === 'session_window');
    expect(window.map((e) => e.detail)).toEqual([expect.stringContaining('session s2')]);
  });

  it('keeps PR evidence and links a PR the session opened by URL', () => {
    expect(
      change(pr2.id)
        .evidence.map((e) => e.kind)
        .sort(),
    ).toEqual(['label', 'session_commit', 'session_window']);
    expect(linked('s9')).toEqual([pr2.id]);
  });

  it('credits an agent-authored PR to the human whose commits it carries', () => {
    expect(change(pr3.id).personId).toBe('alice');
    expect(change(pr3.id).evidence.map((e) => e.kind)).toEqual(['bot_author']);
  });

  it('accepts a SHA from a session with no known repository only when unique and the owner’s', () => {
    expect(linked('s6')).toEqual([t1.id]);
    expect(linked('s7')).toEqual([t1.id]);
    expect(linked('s8')).toEqual([]);
  });

  it('counts what it found', () => {
    expect(result.stats.sessions).toBe(9);
    expect(result.stats.sessionsLinked).toBe(5);
    expect(result.stats.aiAssistedChanges).toBe(4);
    expect(result.stats.evidence.session_window).toBe(2);
  });
});
