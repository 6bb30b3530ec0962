import { describe, expect, it } from 'vitest';
import { sessionScenario } from '../value/fixtures.js';
import { explain } from './explain.js';

describe('explain', () => {
  const { model } = sessionScenario();

  it('lists every change, deployment share and session behind a person’s numbers', () => {
    const e = explain(model, 'alice', { minGroupSize: 1 });
    expect(e.changes.map((c) => c.id)).toEqual(['pr:acme/api#1']);
    const pr1 = e.changes[0]!;
    expect(pr1).toMatchObject({
      qualifying: true,
      deploymentId: 'deploy:d1',
      ndShare: 1,
      sessionIds: ['sA1'],
    });
    expect(pr1.evidence.map((x) => x.kind)).toEqual(['session_commit']);
    expect(e.deployments).toEqual([
      expect.objectContaining({ id: 'deploy:d1', outcome: 'credited', recipients: 1, personTotal: 1 }),
    ]);
    expect(e.sessions.map((s) => [s.sessionId, s.outcome, s.agentWorkUnit])).toEqual([
      ['sA1', 'durable', true],
      ['sA2', 'never_committed', false],
      ['sA3', 'no_edits', false],
      ['sA4', 'in_review', false],
    ]);
    // The parts add up to the totals.
    expect(e.sessions.reduce((s, x) => s + x.costUsd, 0)).toBe(e.totals.spend.costUsd);
    expect(e.deployments.reduce((s, d) => s + d.personTotal, 0)).toBe(e.totals.nd.nd);
    expect(e.position).toMatchObject({ id: 'alice', self: true });
  });

  it('says why a change does not count', () => {
    const e = explain(model, 'bob', { minGroupSize: 1 });
    const reasons = Object.fromEntries(e.changes.map((c) => [c.id, c.excludedBecause]));
    expect(reasons['pr:acme/api#2']).toEqual(['trivial (below the line threshold)']);
    expect(reasons['pr:acme/api#3']![0]).toMatch(/^reverted by /);
  });

  it('still explains a held-out person to themself, without a board position', () => {
    const e = explain(model, 'bob', { heldOut: ['bob'] });
    expect(e.heldOut).toBe(true);
    expect(e.position).toBeNull();
    expect(e.totals.spend.costUsd).toBe(8);
  });
});
