import { describe, expect, it } from 'vitest';
import { agentWorkUnits } from './agent-work.js';
import { sessionScenario } from './fixtures.js';

describe('agentWorkUnits', () => {
  const { model } = sessionScenario();

  it('counts AI sessions that produced a qualifying durable change, over sessions that edited', () => {
    // Attempted (edits or commits): sA1, sA2, sA4, sB1, sB2 = 5. Units: sA1 only (sB1's PR is
    // trivial, sB2's was reverted) = 1. Success 1 / 5.
    // Agentic attempted: sA1, sB1, sB2 = 3; agentic units: sA1 = 1 → 1 / 3.
    expect(agentWorkUnits(model)).toEqual({
      units: 1,
      attempted: 5,
      successRate: 1 / 5,
      agenticUnits: 1,
      agenticAttempted: 3,
      agenticSuccessRate: 1 / 3,
    });
  });

  it('narrows to a person, with null rates when nothing was attempted', () => {
    // Bob: attempted sB1, sB2 = 2, units 0.
    expect(agentWorkUnits(model, { scope: { kind: 'person', personId: 'bob' } })).toMatchObject({
      units: 0,
      attempted: 2,
      successRate: 0,
    });
    // Carol's only session made no edits.
    expect(agentWorkUnits(model, { scope: { kind: 'person', personId: 'carol' } })).toMatchObject({
      attempted: 0,
      successRate: null,
    });
  });
});
