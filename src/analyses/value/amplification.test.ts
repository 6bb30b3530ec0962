import { describe, expect, it } from 'vitest';
import { amplification } from './amplification.js';
import { sessionScenario } from './fixtures.js';

describe('amplification', () => {
  const { model } = sessionScenario();

  it('is tokens and calls per human prompt', () => {
    // Prompts 4+2+1+1+3+0+1 = 12; calls 20+8+2+4+6+10+1 = 51.
    // Tokens: sA1 1000+3000+1000+500 = 5500, sA2 2200, sA3 1100, sA4 1050, sB1 660, sB2 2100,
    // sC1 110 → 12720. 12720 / 12 = 1060; 51 / 12 = 4.25.
    expect(amplification(model)).toEqual({
      prompts: 12,
      calls: 51,
      tokens: 12720,
      tokensPerPrompt: 1060,
      callsPerPrompt: 4.25,
    });
  });

  it('is null without prompts', () => {
    const bob = amplification(model, { scope: { kind: 'person', personId: 'bob' } });
    // Bob: prompts 3 + 0, calls 6 + 10, tokens 660 + 2100.
    expect(bob).toEqual({
      prompts: 3,
      calls: 16,
      tokens: 2760,
      tokensPerPrompt: 920,
      callsPerPrompt: 16 / 3,
    });
    const window = { from: 0, until: 1 };
    expect(amplification(model, { window }).tokensPerPrompt).toBeNull();
  });
});
