import { describe, expect, it } from 'vitest';
import { DAY, sessionScenario, T0 } from './fixtures.js';
import { valueSummaries, valueSummary } from './summary.js';

describe('valueSummary', () => {
  const { model } = sessionScenario();

  it('combines every metric for a team, attributing by team at the time', () => {
    const core = valueSummary(model, { kind: 'team', team: 'core' });
    // Core = alice + bob: ND 1 (alice from d1), AWU 1 (sA1), spend 17 + 8 = 25.
    expect(core.nd.nd).toBe(1);
    expect(core.agentWork.units).toBe(1);
    expect(core.spend).toEqual({ costUsd: 25, sessions: 6, unpricedCalls: 0 });
    expect(core.costPerOutcome.perNd).toBe(25);
    expect(core.shipped).toMatchObject({ shipped: 3, durable: 2, qualifying: 1 });
    expect(core.contributors).toBe(2);
    expect(core.settings).toMatchObject({ revertHorizonDays: 14, trivialLines: 5, sessionWindowHours: 24 });
  });

  it('gives the same numbers in one pass for org, teams and people', () => {
    const all = valueSummaries(model, { from: T0, until: T0 + 14 * DAY });
    expect(all.teams.map((t) => t.scope)).toEqual([
      { kind: 'team', team: 'core' },
      { kind: 'team', team: 'web' },
    ]);
    expect(all.people.map((p) => [p.scope, p.nd.nd])).toEqual([
      [{ kind: 'person', personId: 'alice' }, 1],
      [{ kind: 'person', personId: 'bob' }, 0],
      [{ kind: 'person', personId: 'carol' }, 1],
    ]);
    expect(all.org.nd.nd).toBe(2);
    expect(all.org.waste.costUsd).toBe(13.5);
    const single = valueSummary(
      model,
      { kind: 'person', personId: 'alice' },
      { from: T0, until: T0 + 14 * DAY },
    );
    expect(all.people[0]).toEqual(single);
  });

  it('follows people who move teams', () => {
    // Carol moves from web to core before PR 4 (day 8): her ND counts for core from then on.
    const { model: moved } = sessionScenario();
    const dir = moved.directory;
    const teamAt = dir.teamAt.bind(dir);
    const movedModel = {
      ...moved,
      directory: {
        ...dir,
        teamAt: (p: string, ts: number) => (p === 'carol' && ts >= T0 + 7 * DAY ? 'core' : teamAt(p, ts)),
      },
    };
    expect(valueSummary(movedModel, { kind: 'team', team: 'core' }).nd.nd).toBe(2);
    expect(valueSummary(movedModel, { kind: 'team', team: 'web' }).nd.nd).toBe(0);
  });
});
