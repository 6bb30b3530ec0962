import { describe, expect, it } from 'vitest';
import { accFor } from './aggregate.js';
import { outcomesByTool } from './by-tool.js';
import { DAY, sessionScenario, T0 } from './fixtures.js';
import { buildValueModel, SESSION_OUTCOMES } from './model.js';
import { ALL_TIME } from './time.js';

describe('outcomesByTool', () => {
  const { model } = sessionScenario();

  it('splits the org’s sessions, spend, attempts and agent work units across tools without loss', () => {
    const rows = outcomesByTool(model, { window: ALL_TIME });
    const org = accFor(model);
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
    expect(sum((r) => r.sessions)).toBe(org.sessions);
    expect(sum((r) => r.costUsd)).toBeCloseTo(org.costUsd, 9);
    expect(sum((r) => r.attempted)).toBe(org.attempted);
    expect(sum((r) => r.agentWorkUnits)).toBe(org.awu);
    SESSION_OUTCOMES.forEach((o, i) => {
      expect(sum((r) => r.outcomes[o].sessions)).toBe(org.outcomeSessions[i]);
    });
    for (const r of rows) {
      expect(r.successRate).toBe(r.attempted > 0 ? r.agentWorkUnits / r.attempted : null);
      expect(r.costPerAgentWorkUnit).toBe(r.agentWorkUnits > 0 ? r.costUsd / r.agentWorkUnits : null);
    }
  });

  it('narrows to people, to people while in a span, to a window and to tools', () => {
    const bob = outcomesByTool(model, { window: ALL_TIME, personIds: ['bob'] });
    const acc = accFor(model, { scope: { kind: 'person', personId: 'bob' } });
    expect(bob.reduce((s, r) => s + r.attempted, 0)).toBe(acc.attempted);
    expect(bob.reduce((s, r) => s + r.sessions, 0)).toBe(acc.sessions);
    expect(outcomesByTool(model, { window: ALL_TIME, personIds: [] })).toEqual([]);
    expect(
      outcomesByTool(model, {
        window: ALL_TIME,
        personSpans: [{ personId: 'bob', fromTs: 0, untilTs: 1 }],
      }),
    ).toEqual([]);
    expect(outcomesByTool(model, { window: { from: 0, until: 1 } })).toEqual([]);
    for (const r of outcomesByTool(model, { window: ALL_TIME, tools: ['codex'] }))
      expect(r.tool).toBe('codex');
  });

  it('keeps each tool apart and orders by spend', () => {
    const { input, people } = sessionScenario();
    const extra = { ...input.sessions[0]!, sessionId: 'codex-1', tool: 'codex' as const, costUsd: 1000 };
    const m = buildValueModel(
      { ...input, sessions: [...input.sessions, { ...extra, firstTs: T0 + DAY }] },
      people,
    );
    const rows = outcomesByTool(m, { window: ALL_TIME });
    expect(rows[0]).toMatchObject({ tool: 'codex', sessions: 1, costUsd: 1000 });
  });
});
